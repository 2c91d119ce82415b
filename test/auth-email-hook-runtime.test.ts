// The portal's Send Email hook (portal-functions/api/hooks/auth-email.ts) on Cloudflare's own
// runtime: `wrangler pages dev` (workerd, offline) bundling the portal's Functions folder as a deploy
// does, with the real Resend mailer pointed at a fake Resend on 127.0.0.1, and requests signed by
// the official `standardwebhooks` package.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiHeaders } from '../lib/webhooks/api-headers.ts';
import { onRequestPost } from '../portal-functions/api/hooks/auth-email.ts';
import { repo } from './support/demo-site.ts';
import { startPagesDev, type PagesDev } from './support/pages-dev.ts';

const base64Secret = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64');
const signer = new Webhook(`whsec_${base64Secret}`);
const portalUrl = 'https://portal.example';
const token = '482913';
const tokenHash = 'f1c3a9be0d2e47a5b6c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f80';

interface ResendCall {
  authorization: string | undefined;
  body: { from: string; to: string[]; subject: string; text: string; html: string };
}

let tmp: string;
let resend: Server;
let resendCalls: ResendCall[] = [];
let pages: PagesDev;
let origin: string;
const output = () => pages.output();

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'pd-auth-email-runtime-'));
  // A fake Resend: records each POST /emails and answers as Resend does.
  resend = createHttpServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/emails') {
        res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"name":"not_found"}');
        return;
      }
      resendCalls.push({ authorization: req.headers.authorization, body: JSON.parse(data) });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ id: `email_${resendCalls.length}` }));
    });
  });
  await new Promise<void>((r) => resend.listen(0, '127.0.0.1', r));
  const resendPort = (resend.address() as { port: number }).port;

  const site = path.join(tmp, 'site');
  await mkdir(site);
  await writeFile(path.join(site, 'index.html'), '<!doctype html><title>Portal</title>\n');
  pages = await startPagesDev({
    tmp,
    site,
    functions: path.join(repo, 'portal-functions'),
    compatibilityFlags: ['nodejs_compat'],
    bindings: {
      SEND_EMAIL_HOOK_SECRET: `v1,whsec_${base64Secret}`,
      RESEND_API_KEY: 're_test_fake',
      EMAIL_FROM: 'Practice Digital <no-reply@portal.example>',
      RESEND_API_URL: `http://127.0.0.1:${resendPort}`,
      PORTAL_URL: portalUrl,
    },
  });
  origin = pages.origin;
}, 60_000);

afterAll(async () => {
  await pages?.stop();
  resend?.closeAllConnections();
  await new Promise((r) => resend?.close(r));
  if (tmp) await rm(tmp, { recursive: true, force: true });
}, 15_000);

beforeEach(() => {
  resendCalls = [];
});

function payload() {
  return {
    user: { id: '8484b834-f29e-4af2-bf42-80644d154f76', aud: 'authenticated', role: 'authenticated', email: 'jo.bloggs@nhs.net' },
    email_data: {
      token,
      token_hash: tokenHash,
      redirect_to: `${portalUrl}/practices/`,
      email_action_type: 'magiclink',
      site_url: portalUrl,
      token_new: '',
      token_hash_new: '',
    },
  };
}

function signedHeaders(body: string, id = 'msg_runtime_01') {
  const at = new Date();
  return { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signer.sign(id, at, body) };
}

const post = (body: string, headers: Record<string, string>) =>
  fetch(`${origin}/api/hooks/auth-email`, { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...headers } });

/** What every webhook answer carries (lib/webhooks/api-headers.ts): JSON, never cached, no cookie, the security headers. */
function expectHookHeaders(r: Response) {
  for (const [name, value] of Object.entries(apiHeaders)) expect(r.headers.get(name), name).toBe(value);
  expect(r.headers.get('content-type')).toMatch(/^application\/json/);
  expect(r.headers.get('set-cookie')).toBeNull();
}

describe('POST /api/hooks/auth-email on the Pages runtime', () => {
  it('sends one email through Resend for a signed request, and answers 200 {}', async () => {
    const body = JSON.stringify(payload());
    const r = await post(body, signedHeaders(body));
    expect(r.status, output().slice(-2000)).toBe(200);
    expectHookHeaders(r);
    expect(await r.json()).toEqual({});
    expect(resendCalls).toHaveLength(1);
    const call = resendCalls[0]!;
    expect(call.authorization).toBe('Bearer re_test_fake');
    expect(call.body.from).toBe('Practice Digital <no-reply@portal.example>');
    expect(call.body.to).toEqual(['jo.bloggs@nhs.net']);
    expect(call.body.text).toContain(token);
    expect(call.body.text).toContain(`${portalUrl}/sign-in/confirm/#token_hash=${tokenHash}&type=email`);
  });

  it('refuses an unsigned request with 401, sending nothing', async () => {
    const r = await post(JSON.stringify(payload()), {});
    expect(r.status).toBe(401);
    expectHookHeaders(r);
    expect(await r.json()).toEqual({ error: { http_code: 401, message: 'The hook signature is not valid.' } });
    expect(resendCalls).toHaveLength(0);
  });

  it('refuses a tampered body with 401, sending nothing', async () => {
    const body = JSON.stringify(payload());
    const headers = signedHeaders(body);
    const tampered = body.replace('jo.bloggs@nhs.net', 'someone.else@nhs.net');
    const r = await post(tampered, headers);
    expect(r.status).toBe(401);
    expectHookHeaders(r);
    expect(resendCalls).toHaveLength(0);
  });

  it('never puts the code or the token hash in the runtime log', () => {
    expect(output()).not.toContain(token);
    expect(output()).not.toContain(tokenHash);
  });
});

describe('the Function without its settings', () => {
  it('answers 500 with a generic message that names no setting and echoes no value', async () => {
    const errors: unknown[][] = [];
    const original = console.error;
    console.error = (...a: unknown[]) => void errors.push(a);
    try {
      const env = { SEND_EMAIL_HOOK_SECRET: `v1,whsec_${base64Secret}`, EMAIL_FROM: 'no-reply@portal.example', PORTAL_URL: portalUrl };
      const r = await onRequestPost({ request: new Request(`${portalUrl}/api/hooks/auth-email`, { method: 'POST', body: '{}' }), env });
      expect(r.status).toBe(500);
      expectHookHeaders(r);
      const text = await r.text();
      expect(JSON.parse(text)).toEqual({ error: { http_code: 500, message: 'The sign-in email service is not configured.' } });
      for (const value of [base64Secret, 'RESEND_API_KEY', 'no-reply@portal.example', portalUrl]) {
        expect(text).not.toContain(value);
        expect(JSON.stringify(errors)).not.toContain(value);
      }
    } finally {
      console.error = original;
    }
  });
});
