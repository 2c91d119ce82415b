// The portal API through real Request/Response objects, real JWTs and a real (embedded) Postgres.
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../build/db/open-database.ts';
import { repo } from '../../test/support/demo-site.ts';
import { createVerifier } from '../auth/verify-jwt.ts';
import type { EmailMessage } from '../email/mailer.ts';
import { membersService } from '../members/members.ts';
import { portalApp } from './app.ts';

const issuer = 'http://127.0.0.1:54321/auth/v1';
const ids = { manager: 1, editor: 2, other: 3 } as const;
const sub = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const emailOf = (who: keyof typeof ids) => `${who}@riverside.example.nhs.uk`;

let opened: OpenedDatabase;
let app: ReturnType<typeof portalApp>;
let key: CryptoKey;
const sent: EmailMessage[] = [];

const token = (who: keyof typeof ids, o: { exp?: string } = {}) =>
  new SignJWT({ role: 'authenticated', aal: 'aal1', email: emailOf(who), session_id: crypto.randomUUID() })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setIssuer(issuer)
    .setAudience('authenticated')
    .setSubject(sub(ids[who]))
    .setIssuedAt()
    .setExpirationTime(o.exp ?? '1h')
    .sign(key);

const call = async (path: string, o: { who?: keyof typeof ids; method?: string; body?: unknown; raw?: string; type?: string; auth?: string } = {}) => {
  const headers: Record<string, string> = {};
  if (o.auth !== undefined) headers.authorization = o.auth;
  else if (o.who) headers.authorization = `Bearer ${await token(o.who)}`;
  if (o.body !== undefined || o.raw !== undefined) headers['content-type'] = o.type ?? 'application/json';
  const res = await app.request(path, { method: o.method ?? (o.body !== undefined || o.raw !== undefined ? 'POST' : 'GET'), headers, body: o.raw ?? (o.body === undefined ? undefined : JSON.stringify(o.body)) });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  key = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  opened = await openDatabase({ root: repo });
  await opened.owner.exec(`
    insert into public.practices (slug, ods_code, name, nation, contract_start, status) values
      ('riverside', 'Z99901', 'Riverside Medical Practice', 'england', '2026-01-01', 'active'),
      ('fellside', 'Z99902', 'Fellside Surgery', 'england', '2026-01-01', 'active');
    insert into public.members (practice_id, user_id, email, role) values
      ((select id from public.practices where slug = 'riverside'), '${sub(1)}', '${emailOf('manager')}', 'practice_manager'),
      ((select id from public.practices where slug = 'riverside'), '${sub(2)}', '${emailOf('editor')}', 'editor'),
      ((select id from public.practices where slug = 'fellside'), '${sub(3)}', '${emailOf('other')}', 'practice_manager');
  `);
  app = portalApp({
    verifier: createVerifier({ issuer, jwks: { keys: { keys: [jwk] } } }),
    members: membersService(opened.db),
    mailer: { send: async (m) => (sent.push(m), { id: String(sent.length) }) },
    portalUrl: 'http://portal.localhost:8787',
  });
});
afterAll(() => opened?.close());

describe('the portal API', () => {
  it('refuses a request with no token, a malformed one or an expired one, with 401 and no detail of the token', async () => {
    const none = await call('/api/practices/riverside/members');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    const garbage = await call('/api/practices/riverside/members', { auth: 'Bearer not.a.jwt' });
    expect(garbage.status).toBe(401);
    expect(garbage.json.message).toMatch(/\(malformed\)/);
    const expired = await call('/api/practices/riverside/members', { auth: `Bearer ${await token('manager', { exp: '-10m' })}` });
    expect(expired.json.message).toMatch(/\(expired\)/);
  });

  it('lists a practice for its members, and hides it from everyone else', async () => {
    const list = await call('/api/practices/riverside/members', { who: 'editor' });
    expect(list.status).toBe(200);
    expect((list.json.members as { email: string }[]).map((m) => m.email)).toEqual([emailOf('manager'), emailOf('editor')]);
    expect((await call('/api/practices/riverside/members', { who: 'other' })).status).toBe(404);
  });

  it('lets a manager invite: 201, the email carries the link, the answer never carries the token', async () => {
    const r = await call('/api/practices/riverside/invitations', { who: 'manager', body: { email: 'new.gp@riverside.example.nhs.uk', role: 'clinical_reviewer' } });
    expect(r.status).toBe(201);
    expect(JSON.stringify(r.json)).not.toMatch(/token/i);
    const mail = sent.at(-1)!;
    expect(mail.to).toBe('new.gp@riverside.example.nhs.uk');
    expect(mail.text).toMatch(/http:\/\/portal\.localhost:8787\/accept\/#token=[A-Za-z0-9_-]{43}/);
    expect(mail.html).toMatch(/as clinical reviewer/);
  });

  it('lists the practices the caller belongs to, with their role', async () => {
    const r = await call('/api/practices', { who: 'manager' });
    expect(r.json.practices).toEqual([{ slug: 'riverside', name: 'Riverside Medical Practice', role: 'practice_manager' }]);
  });

  it('lets the invited person accept with the emailed token, once, and only with their own email', async () => {
    await call('/api/practices/riverside/invitations', { who: 'manager', body: { email: emailOf('other'), role: 'auditor' } });
    const link = /#token=([A-Za-z0-9_-]+)/.exec(sent.at(-1)!.text)![1]!;
    const wrongPerson = await call('/api/invitations/accept', { who: 'editor', body: { token: link } });
    expect(wrongPerson.status).toBe(403);
    const ok = await call('/api/invitations/accept', { who: 'other', body: { token: link } });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ practice: 'riverside', role: 'auditor' });
    expect((await call('/api/invitations/accept', { who: 'other', body: { token: link } })).status).toBe(400);
    expect((await call('/api/practices/riverside/members', { who: 'other' })).status).toBe(200);
  });

  it('refuses an editor who tries to make someone practice manager, changing nothing', async () => {
    const before = sent.length;
    const r = await call('/api/practices/riverside/invitations', { who: 'editor', body: { email: 'me.again@example.nhs.uk', role: 'practice_manager' } });
    expect(r.status).toBe(403);
    expect(sent.length).toBe(before);
    const pending = await opened.owner.query("select 1 from public.invitations where email = 'me.again@example.nhs.uk'");
    expect(pending).toEqual([]);
  });

  it('answers bad bodies with 400, 413 or a clear message', async () => {
    expect((await call('/api/practices/riverside/invitations', { who: 'manager', raw: '{not json' })).status).toBe(400);
    expect((await call('/api/practices/riverside/invitations', { who: 'manager', raw: '{}', type: 'text/plain' })).json.message).toMatch(/Content-Type: application\/json/);
    expect((await call('/api/practices/riverside/invitations', { who: 'manager', body: { email: 'a@example.nhs.uk', role: 'boss' } })).json.message).toMatch(/"role" must be one of/);
    expect((await call('/api/practices/riverside/invitations', { who: 'manager', raw: JSON.stringify({ email: 'x'.repeat(20_000) }) })).status).toBe(413);
  });

  it('revokes a leaver, who is refused on their very next request', async () => {
    expect((await call('/api/practices/riverside/members', { who: 'editor' })).status).toBe(200);
    const r = await call('/api/practices/riverside/revocations', { who: 'manager', body: { email: emailOf('editor') } });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ revokedMemberships: 1, revokedInvitations: 0 });
    expect((await call('/api/practices/riverside/members', { who: 'editor' })).status).toBe(404);
  });

  it('sets strict headers on every answer, errors included', async () => {
    for (const r of [await call('/api/practices/riverside/members'), await call('/api/practices/riverside/members', { who: 'manager' }), await call('/nowhere')]) {
      expect(r.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('cache-control')).toBe('no-store');
      expect(r.headers.get('strict-transport-security')).toMatch(/max-age=63072000/);
    }
  });
});
