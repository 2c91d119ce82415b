// The portal API through real Request/Response objects, real JWTs and a real (embedded) Postgres.
import * as fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../build/db/open-database.ts';
import { contentRepo, type ContentRepo } from '../../test/support/content-repo.ts';
import { demoNow, repo } from '../../test/support/demo-site.ts';
import exportSchema from '../../schemas/json/export.schema.json' with { type: 'json' };
import { createLocalGitStore } from '../git-store/local.ts';
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
let publicKey: CryptoKey;
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
  publicKey = pair.publicKey;
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

// GET /api/practices/:practice/export over real HTTP (the app served by Node's http server), with
// people of every role and a throwaway content repository as the store.
describe('exporting a practice', () => {
  const staff = { manager: 21, auditor: 22, editor: 23, reviewer: 24, fellside: 25 } as const;
  type Staff = keyof typeof staff;
  let content: ContentRepo;
  let server: http.Server;
  let base: string;
  let bare: http.Server;
  let bareBase: string;

  const listen = async (a: ReturnType<typeof portalApp>) => {
    const s = http.createServer(getRequestListener(a.fetch));
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    return { s, url: `http://127.0.0.1:${(s.address() as AddressInfo).port}` };
  };
  const staffToken = (who: Staff) =>
    new SignJWT({ role: 'authenticated', aal: 'aal1', email: `${who}@export.example.nhs.uk`, session_id: crypto.randomUUID() })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience('authenticated')
      .setSubject(sub(staff[who]))
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(key);
  const download = async (practice: string, who: Staff | null, at = base) =>
    fetch(`${at}/api/practices/${practice}/export`, { headers: who ? { authorization: `Bearer ${await staffToken(who)}` } : {} });

  beforeAll(async () => {
    content = await contentRepo(['riverside', 'fellside']);
    const roles: [Staff, string, string][] = [
      ['manager', 'riverside', 'practice_manager'],
      ['auditor', 'riverside', 'auditor'],
      ['editor', 'riverside', 'editor'],
      ['reviewer', 'riverside', 'clinical_reviewer'],
      ['fellside', 'fellside', 'practice_manager'],
    ];
    await opened.owner.exec(
      `insert into public.members (practice_id, user_id, email, role) values ${roles
        .map(([who, practice, role]) => `((select id from public.practices where slug = '${practice}'), '${sub(staff[who])}', '${who}@export.example.nhs.uk', '${role}')`)
        .join(', ')};`,
    );
    const deps = {
      verifier: createVerifier({ issuer, jwks: { keys: { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] } } }),
      members: membersService(opened.db),
      mailer: { send: async () => ({ id: '1' }) },
      portalUrl: 'http://portal.localhost:8787',
    };
    ({ s: server, url: base } = await listen(portalApp({ ...deps, exports: { store: createLocalGitStore({ fs, dir: content.dir }), now: () => demoNow } })));
    ({ s: bare, url: bareBase } = await listen(portalApp(deps)));
  });
  afterAll(async () => {
    await Promise.all([server, bare].map((s) => s && new Promise((resolve) => s.close(resolve))));
    await content?.remove();
  });

  it("gives a practice manager the practice at main as a JSON download the published schema accepts", async () => {
    const res = await download('riverside', 'manager');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="riverside-2026-12-04.json"');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
    const doc = await res.json();
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    const validate = ajv.compile(exportSchema);
    expect(validate(doc), ajv.errorsText(validate.errors)).toBe(true);
    expect(doc).toMatchObject({ practice: 'riverside', exportedAt: demoNow.toISOString(), commit: { oid: content.git('rev-parse', 'main') } });
    expect(doc.items.find((i: { path: string }) => i.path === 'practice.yml').source).toBe(content.show('main', 'content/practices/riverside/practice.yml'));
  });

  it('gives an auditor the same download', async () => {
    const res = await download('riverside', 'auditor');
    expect(res.status).toBe(200);
    expect((await res.json()).practice).toBe('riverside');
  });

  it("refuses editors, clinical reviewers and another practice's manager with 403", async () => {
    for (const who of ['editor', 'reviewer', 'fellside'] as const) {
      const res = await download('riverside', who);
      expect(res.status, who).toBe(403);
      expect(res.headers.get('content-disposition')).toBeNull();
      expect((await res.json()).message, who).toMatch(who === 'fellside' ? /not a member of this practice/ : /only the practice's managers and auditors/);
    }
    expect((await download('fellside', 'fellside')).status).toBe(200);
  });

  it('answers 404 for a practice that does not exist, and 401 without a token', async () => {
    for (const practice of ['nowhere', 'afon-teifi', '..%2F..%2Fetc']) {
      const res = await download(practice, 'manager');
      expect(res.status, practice).toBe(404);
      expect((await res.json()).message, practice).toMatch(/there is no practice|there is nothing at/);
    }
    expect((await download('riverside', null)).status).toBe(401);
  });

  it('answers 404 with a message where the portal has no content repository', async () => {
    const res = await download('riverside', 'manager', bareBase);
    expect(res.status).toBe(404);
    expect((await res.json()).message).toMatch(/exporting is not available here/);
  });
});

