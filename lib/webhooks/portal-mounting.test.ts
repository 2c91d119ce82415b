// The webhooks live in the portal API but are signed by their senders, not by a signed-in person:
// the portal's Bearer check must let them through to their own signature checks, and still guard
// everything else under /api/.
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../build/db/open-database.ts';
import { repo } from '../../test/support/demo-site.ts';
import { createVerifier } from '../auth/verify-jwt.ts';
import type { EmailMessage } from '../email/mailer.ts';
import { membersService } from '../members/members.ts';
import { portalApp } from '../portal/app.ts';
import { authEmailHook } from './auth-email-app.ts';
import { gocardlessWebhooks } from './gocardless-app.ts';

const base64Secret = btoa('a fixed test secret of 32 bytes!');
let opened: OpenedDatabase;
let app: ReturnType<typeof portalApp>;
const sent: EmailMessage[] = [];

beforeAll(async () => {
  opened = await openDatabase({ root: repo });
  const mailer = { send: async (m: EmailMessage) => (sent.push(m), { id: String(sent.length) }) };
  app = portalApp({
    verifier: createVerifier({ issuer: 'http://127.0.0.1:54321/auth/v1', jwks: { keys: { keys: [] } } }),
    members: membersService(opened.db),
    mailer,
    portalUrl: 'https://portal.example',
    webhooks: [gocardlessWebhooks({ db: opened.db, secret: 'gocardless-test-secret' }), authEmailHook({ secret: `v1,whsec_${base64Secret}`, mailer, portalUrl: 'https://portal.example' })],
  });
});
afterAll(() => opened?.close());

describe('webhooks in the portal API', () => {
  it('reach their own signature checks without a sign-in token', async () => {
    const gc = await app.request('/api/webhooks/gocardless', { method: 'POST', headers: { 'content-type': 'application/json', 'webhook-signature': '00' }, body: '{"events":[]}' });
    expect(gc.status).toBe(498);
    const hook = await app.request('/api/hooks/auth-email', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(hook.status).toBe(401);
    expect(((await hook.json()) as { error: { http_code: number } }).error.http_code).toBe(401);
    expect(hook.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('send the sign-in email for a correctly signed hook', async () => {
    const body = JSON.stringify({
      user: { id: '8484b834-f29e-4af2-bf42-80644d154f76', email: 'jo.bloggs@nhs.net' },
      email_data: { token: '482913', token_hash: 'f1c3a9be0d2e47a5b6c8d9e0f1a2b3c4', redirect_to: 'https://portal.example/cms/', email_action_type: 'magiclink', site_url: 'https://portal.example', token_new: '', token_hash_new: '' },
    });
    const id = 'msg_portal_1';
    const at = new Date();
    const signature = new Webhook(`whsec_${base64Secret}`).sign(id, at, body);
    const r = await app.request('/api/hooks/auth-email', { method: 'POST', headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature }, body });
    expect(r.status).toBe(200);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain('482913');
  });

  it('still refuse everything else under /api/ without a token', async () => {
    expect((await app.request('/api/practices')).status).toBe(401);
    expect((await app.request('/api/webhooks-but-not/x', { method: 'POST' })).status).toBe(401);
  });
});
