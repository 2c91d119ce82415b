import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import type { EmailMessage, Mailer } from '../email/mailer.ts';
import { extractCode, extractLinks } from '../email/eml.ts';
import { signInSubject } from '../email/sign-in-email.ts';
import { authEmailHook, hookPath } from './auth-email-app.ts';

const base64Secret = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
const secret = `v1,whsec_${base64Secret}`;
const signer = new Webhook(`whsec_${base64Secret}`);
const portalUrl = 'https://portal.practice-digital.example';
const now = new Date('2026-03-02T10:00:00Z');

const token = '482913';
const tokenHash = 'f1c3a9be0d2e47a5b6c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f80';

// The payload as Supabase Auth sends it (trimmed `user`).
function payload(overrides: Record<string, unknown> = {}) {
  return {
    user: { id: '8484b834-f29e-4af2-bf42-80644d154f76', aud: 'authenticated', role: 'authenticated', email: 'jo.bloggs@nhs.net', app_metadata: { provider: 'email', providers: ['email'] } },
    email_data: {
      token,
      token_hash: tokenHash,
      redirect_to: `${portalUrl}/practices/?from=email`,
      email_action_type: 'magiclink',
      site_url: portalUrl,
      token_new: '',
      token_hash_new: '',
      ...overrides,
    },
  };
}

function capture() {
  const sent: EmailMessage[] = [];
  const mailer: Mailer = { send: async (m) => (sent.push(m), { id: `m${sent.length}` }) };
  return { sent, mailer };
}

function post(app: ReturnType<typeof authEmailHook>, body: string, headers: Record<string, string>) {
  return app.request(hookPath, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
}

function signedHeaders(body: string, at: Date = now, id = 'msg_01HV') {
  return { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signer.sign(id, at, body) };
}

let logs: MockInstance[] = [];
beforeEach(() => {
  logs = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m).mockImplementation(() => {}));
});
afterEach(() => {
  // Whatever happened, no token reached a log line.
  const logged = JSON.stringify(logs.flatMap((spy) => spy.mock.calls));
  expect(logged).not.toContain(token);
  expect(logged).not.toContain(tokenHash);
  vi.restoreAllMocks();
});

describe('POST /api/hooks/auth-email', () => {
  it('sends one sign-in email with the code and the confirm-page link, and answers {}', async () => {
    const { sent, mailer } = capture();
    const app = authEmailHook({ secret, mailer, portalUrl, now: () => now });
    const body = JSON.stringify(payload());
    const res = await post(app, body, signedHeaders(body));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect(sent).toHaveLength(1);
    const email = sent[0]!;
    expect(email.to).toBe('jo.bloggs@nhs.net');
    expect(email.subject).toBe(signInSubject);
    expect(extractCode(email.text)).toBe(token);
    expect(email.html).toContain(`>${token}</p>`);
    const link = `${portalUrl}/sign-in/confirm/#token_hash=${tokenHash}&type=email&next=%2Fpractices%2F%3Ffrom%3Demail`;
    expect(extractLinks(email.text)).toEqual([link]);
    expect(email.html).toContain(`href="${link.replace(/&/g, '&#38;')}"`);
  });

  it("keys the email by the hook's webhook-id, so Supabase's retry of one delivery sends one email", async () => {
    const { sent, mailer } = capture();
    const app = authEmailHook({ secret, mailer, portalUrl, now: () => now });
    const body = JSON.stringify(payload());
    await post(app, body, signedHeaders(body, now, 'msg_retry1'));
    await post(app, body, signedHeaders(body, now, 'msg_retry1'));
    await post(app, body, signedHeaders(body, now, 'msg_other'));
    expect(sent.map((m) => m.idempotencyKey)).toEqual(['auth-email/msg_retry1', 'auth-email/msg_retry1', 'auth-email/msg_other']);
  });

  it('also sends for a first sign-in (signup), and leaves out a redirect that is not on the portal', async () => {
    const { sent, mailer } = capture();
    const app = authEmailHook({ secret, mailer, portalUrl, now: () => now });
    const body = JSON.stringify(payload({ email_action_type: 'signup', redirect_to: 'https://evil.example/steal' }));
    const res = await post(app, body, signedHeaders(body));
    expect(res.status).toBe(200);
    expect(extractLinks(sent[0]!.text)).toEqual([`${portalUrl}/sign-in/confirm/#token_hash=${tokenHash}&type=email`]);
  });

  const body = JSON.stringify(payload());
  const bad: [string, () => { body: string; headers: Record<string, string> }, number][] = [
    ['no signature headers', () => ({ body, headers: {} }), 401],
    ['no webhook-signature', () => { const { 'webhook-signature': _, ...rest } = signedHeaders(body); return { body, headers: rest }; }, 401],
    ['a signature from another secret', () => ({ body, headers: { ...signedHeaders(body), 'webhook-signature': new Webhook(`whsec_${btoa('another secret of some length')}`).sign('msg_01HV', now, body) } }), 401],
    ['a replayed request with a stale timestamp', () => ({ body, headers: signedHeaders(body, new Date(now.getTime() - 6 * 60_000)) }), 401],
    ['a timestamp from the future', () => ({ body, headers: signedHeaders(body, new Date(now.getTime() + 6 * 60_000)) }), 401],
    ['a body changed after signing', () => ({ body: body.replace('jo.bloggs@nhs.net', 'attacker@example.org'), headers: signedHeaders(body) }), 401],
    ['malformed JSON, correctly signed', () => ({ body: '{"user":', headers: signedHeaders('{"user":') }), 400],
    ['a payload without a code, correctly signed', () => { const b = JSON.stringify(payload({ token: undefined })); return { body: b, headers: signedHeaders(b) }; }, 400],
    ['a payload with a bad address, correctly signed', () => { const p = payload(); p.user.email = 'not an address'; const b = JSON.stringify(p); return { body: b, headers: signedHeaders(b) }; }, 400],
    ['an email kind the portal does not send, correctly signed', () => { const b = JSON.stringify(payload({ email_action_type: 'recovery' })); return { body: b, headers: signedHeaders(b) }; }, 422],
    ['an oversized body, correctly signed', () => { const b = JSON.stringify({ ...payload(), padding: 'x'.repeat(70 * 1024) }); return { body: b, headers: signedHeaders(b) }; }, 413],
  ];

  for (const [name, make, status] of bad)
    it(`sends nothing for ${name} (${status}, in Supabase's error shape)`, async () => {
      const { sent, mailer } = capture();
      const app = authEmailHook({ secret, mailer, portalUrl, now: () => now });
      const req = make();
      const res = await post(app, req.body, req.headers);
      expect(res.status).toBe(status);
      const answer = (await res.json()) as { error: { http_code: number; message: string } };
      expect(answer.error.http_code).toBe(status);
      expect(answer.error.message).toMatch(/\S/);
      expect(JSON.stringify(answer)).not.toContain(token);
      expect(JSON.stringify(answer)).not.toContain(tokenHash);
      expect(sent).toHaveLength(0);
    });

  it('refuses an oversized body sent without a Content-Length (streamed)', async () => {
    const { sent, mailer } = capture();
    const app = authEmailHook({ secret, mailer, portalUrl, now: () => now });
    const big = JSON.stringify({ ...payload(), padding: 'x'.repeat(70 * 1024) });
    const stream = new Blob([big]).stream();
    const res = await app.request(hookPath, { method: 'POST', body: stream, headers: signedHeaders(big), duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(sent).toHaveLength(0);
  });

  it('answers 500 without the token when the mailer fails, and logs only the error name', async () => {
    const mailer: Mailer = { send: async () => { throw new Error(`provider said no to ${token}`); } };
    const app = authEmailHook({ secret, mailer, portalUrl, now: () => now });
    const res = await post(app, body, signedHeaders(body));
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain(token);
    expect(JSON.parse(text).error.http_code).toBe(500);
  });

  it('accepts a request signed now by the real clock when no clock is given', async () => {
    const { sent, mailer } = capture();
    const app = authEmailHook({ secret, mailer, portalUrl });
    const res = await post(app, body, signedHeaders(body, new Date()));
    expect(res.status).toBe(200);
    expect(sent).toHaveLength(1);
  });
});
