// Sign-in emails the way production sends them: the local sign-in service calls the portal's Send
// Email hook (signed with Standard Webhooks), the hook writes the email to the outbox, and its link
// opens /sign-in/confirm/, which signs in only when its button is pressed. The real pieces run
// in-process (database, sign-in service, portal API, local server); the browser is headless Chromium.
import { createHmac } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createClient } from '@supabase/supabase-js';
import type { AxeResults, RunOptions } from 'axe-core';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthIssuer } from '../build/auth-issuer/index.ts';
import { loadSettings } from '../build/node/settings.ts';
import { revisionStore } from '../build/publish/revision-store.ts';
import { startDevServer, type DevServer } from '../build/serve/dev-server.ts';
import { startLocalPortal, type LocalPortal } from '../build/serve/local-portal.ts';
import { extractCode, extractLinks } from '../lib/email/eml.ts';
import type { EmailMessage, Mailer } from '../lib/email/mailer.ts';
import { newestMessageTo } from '../lib/email/outbox-node.ts';
import { authEmailHook } from '../lib/webhooks/auth-email-app.ts';
import { repo } from './support/demo-site.ts';
import { launchChromium } from './support/chromium.ts';

declare const axe: { run(context: Document, options: RunOptions): Promise<AxeResults> };
const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

const person = 'hook.person@riverside.example.nhs.uk';
const sessionKey = 'pd-portal-session';

let tmp: string;
let outbox: string;
let server: DevServer;
let portal: LocalPortal | undefined;
let origin: string;
let browser: Browser;
let axeSource: string;
let confirmUrl = '';
const pageErrors: string[] = [];
const violations: string[] = [];

const quietClient = (url: string, key: string) => createClient(url, key, { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } });

async function checkAccessibility(p: Page, label: string) {
  await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 100))));
  await p.evaluate(axeSource);
  const found = await p.evaluate(async (values) => {
    const r = await axe.run(document, { runOnly: { type: 'tag', values } });
    return r.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
  }, wcagTags);
  for (const v of found) violations.push(`${label}: ${v}`);
}

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective}`));
  });
  const p = await context.newPage();
  p.on('pageerror', (e) => pageErrors.push(`uncaught ${e.name}: ${e.message}`));
  p.on('console', (m) => {
    if (m.type() === 'error' && m.text().startsWith('CSP violation')) pageErrors.push(m.text());
  });
  return p;
}

const gocardlessSecret = 'whsec-local-fake-0123456789';

const storedSession = (p: Page) => p.evaluate((key) => sessionStorage.getItem(key), sessionKey);

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pd-auth-email-hook-'));
  outbox = path.join(tmp, 'outbox');
  server = await startDevServer({
    store: revisionStore(path.join(tmp, 'store')),
    host: '127.0.0.1',
    port: 0,
    practices: () => [],
    apps: { portal: (req, res) => (portal ? portal.listener(req, res) : res.writeHead(503).end('Starting\n')) },
  });
  const settings = loadSettings(repo, {
    PD_PORT: String(server.port),
    PD_STORE_DIR: path.join(tmp, 'store'),
    PD_DIST_DIR: path.join(tmp, 'dist'),
    PD_DATABASE_DIR: path.join(tmp, 'db'),
    PD_OUTBOX_DIR: outbox,
    GOCARDLESS_WEBHOOK_SECRET: gocardlessSecret,
  });
  portal = await startLocalPortal(repo, settings, 0, { portalDir: path.join(tmp, 'portal'), sendEmailHook: true, log: () => {} });
  origin = server.origin('portal');
  axeSource = await readFile(path.join(repo, 'node_modules/axe-core/axe.min.js'), 'utf8');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await portal?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('the sign-in email through the Send Email hook', () => {
  it('is written by the hook, with the code and a link to the confirm page', async () => {
    const sb = quietClient(portal!.authUrl, portal!.anonKey);
    const { error } = await sb.auth.signInWithOtp({ email: person, options: { shouldCreateUser: true, emailRedirectTo: `${origin}/notices/` } });
    expect(error).toBeNull();
    const mail = await newestMessageTo(outbox, person);
    expect(mail?.subject).toBe('Your sign-in code for Practice Digital');
    expect(extractCode(mail!.text ?? '')).toMatch(/^\d{6}$/);
    const links = extractLinks(mail!.text ?? '');
    // The hook's link, not the sign-in service's own page.
    expect(links.some((l) => l.includes('/auth/v1/verify'))).toBe(false);
    confirmUrl = links.find((l) => l.startsWith(`${origin}/sign-in/confirm/#`)) ?? '';
    const fragment = new URLSearchParams(new URL(confirmUrl).hash.slice(1));
    expect(fragment.get('type')).toBe('email');
    expect(fragment.get('token_hash')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(fragment.get('next')).toBe('/notices/');
  });

  it('refuses a request that is not signed with the run’s secret', async () => {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: server.port, path: '/api/hooks/auth-email', method: 'POST', headers: { host: new URL(origin).host, 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(401);
  });
});

describe('the confirm page', () => {
  it('does not sign in on opening; the button does, then it goes to `next`', async () => {
    const p = await newPage();
    await p.goto(confirmUrl);
    const button = p.getByRole('button', { name: 'Sign in', exact: true });
    await button.waitFor();
    expect(await p.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in to Practice Digital');
    // The token hash has left the address at once; nothing has signed in.
    expect(p.url()).toBe(`${origin}/sign-in/confirm/`);
    expect(await storedSession(p)).toBeNull();
    await checkAccessibility(p, 'confirm page');
    // A scanner reloading the page changes nothing either (and the fragment is gone).
    await p.reload();
    await p.getByRole('heading', { level: 1, name: 'This sign-in link is not complete' }).waitFor();
    // (From another page: from the same one, a new fragment would not load the page again.)
    await p.goto('about:blank');
    await p.goto(confirmUrl);
    await button.waitFor();
    expect(await storedSession(p)).toBeNull();

    await button.click();
    await p.waitForURL(`${origin}/notices/`);
    const stored = JSON.parse((await storedSession(p)) ?? 'null') as { access_token?: string; user?: { email?: string } } | null;
    expect(stored?.access_token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(stored?.user?.email).toBe(person);
    await p.context().close();
  });

  it('says plainly when the link has been used, with a way to sign in again', async () => {
    const p = await newPage();
    await p.goto(confirmUrl);
    await p.getByRole('button', { name: 'Sign in', exact: true }).click();
    await p.getByRole('heading', { level: 1, name: 'This sign-in link cannot be used' }).waitFor();
    const summary = p.locator('.nhsuk-error-summary');
    expect(await summary.textContent()).toContain('has expired or has already been used');
    expect(await summary.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await p.title()).toMatch(/^Error: /);
    expect(await p.getByRole('link', { name: 'Sign in again with a new code' }).getAttribute('href')).toBe('/notices/');
    expect(await storedSession(p)).toBeNull();
    await checkAccessibility(p, 'used link');
    await p.context().close();
  });

  it('makes no call for a link without a token, and never goes off the portal', async () => {
    const p = await newPage();
    let verifyCalls = 0;
    p.on('request', (r) => {
      if (r.url().includes('/auth/v1/verify')) verifyCalls += 1;
    });
    await p.goto(`${origin}/sign-in/confirm/#type=email&next=//evil.example/`);
    await p.getByRole('heading', { level: 1, name: 'This sign-in link is not complete' }).waitFor();
    expect(await p.getByRole('link', { name: 'Sign in again with a new code' }).getAttribute('href')).toBe('/members/');
    expect(verifyCalls).toBe(0);
    await p.context().close();
  });

  it('found no accessibility violations, uncaught errors or CSP refusals', () => {
    expect.soft(violations, violations.join('\n')).toEqual([]);
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  });
});

describe('the local sign-in service with a Send Email hook', () => {
  const secret = `v1,whsec_${Buffer.from('a local test secret of enough length').toString('base64')}`;
  const sent: EmailMessage[] = [];
  let failing = false;
  const mailer: Mailer = {
    async send(m) {
      if (failing) throw new Error('mail is down');
      sent.push(m);
      return { id: `m${sent.length}` };
    },
  };

  it('fails the request as Supabase does when the hook fails, and cancels the code', async () => {
    const hook = authEmailHook({ secret, mailer, portalUrl: 'http://portal.localhost:9' });
    const issuer = await startAuthIssuer({
      host: '127.0.0.1',
      port: 0,
      log: () => {},
      sendEmailHook: { url: 'http://portal.localhost:9/api/hooks/auth-email', secret, fetch: (r) => hook.fetch(r) },
    });
    try {
      const sb = quietClient(issuer.url, 'any');
      failing = true;
      const failed = await sb.auth.signInWithOtp({ email: person });
      expect(failed.error?.status).toBe(500);
      expect(sent).toHaveLength(0);
      // Cancelled: asking again at once is not rate-limited, and this time the email goes.
      failing = false;
      expect((await sb.auth.signInWithOtp({ email: person })).error).toBeNull();
      expect(sent).toHaveLength(1);
      const hash = new URLSearchParams(new URL(extractLinks(sent[0]!.text ?? '')[0]!).hash.slice(1)).get('token_hash')!;
      const { data, error } = await sb.auth.verifyOtp({ token_hash: hash, type: 'email' });
      expect(error).toBeNull();
      expect(data.session?.user.email).toBe(person);
    } finally {
      await issuer.close();
    }
  });

  it('refuses to start with a malformed hook secret', async () => {
    await expect(startAuthIssuer({ host: '127.0.0.1', port: 0, log: () => {}, sendEmailHook: { url: 'http://127.0.0.1:9/hook', secret: 'v1,whsec_***' } })).rejects.toThrow(/secret/);
  });
});

describe('GoCardless webhooks on the local portal, when a secret is set', () => {
  const post = (body: string, signature: string) =>
    new Promise<number | undefined>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: server.port, path: '/api/webhooks/gocardless', method: 'POST', headers: { host: new URL(origin).host, 'content-type': 'application/json', 'webhook-signature': signature } },
        (res) => {
          res.resume();
          resolve(res.statusCode);
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  it('records a signed event and refuses an unsigned one', async () => {
    const body = JSON.stringify({ events: [{ id: 'EV000LOCAL1', resource_type: 'mandates', action: 'created', links: { mandate: 'MD000LOCAL1', customer: 'CU000NOBODY' } }] });
    expect(await post(body, 'not-a-signature')).toBe(498);
    expect(await post(body, createHmac('sha256', gocardlessSecret).update(body).digest('hex'))).toBe(204);
    const rows = await portal!.database.owner.query<{ event_type: string }>("select event_type from public.processed_webhook_events where event_id = 'EV000LOCAL1'");
    expect(rows).toEqual([{ event_type: 'mandates.created' }]);
  });
});
