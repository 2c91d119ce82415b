// What the portal API refuses for security, through real HTTP, with the real database (PGlite),
// the real gateway on a git repository, and the local sign-in service's admin API: a session
// without the second factor where the role needs it, a write to a frozen practice, a revoked
// session, and second-factor resets outside the caller's practice. Each refusal says what to do,
// changes nothing, and is a security event.
import * as fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../build/db/open-database.ts';
import { startAuthIssuer, type RunningAuthIssuer } from '../build/auth-issuer/index.ts';
import { authAdmin } from '../lib/auth/auth-admin.ts';
import { createVerifier } from '../lib/auth/verify-jwt.ts';
import { cmsGateway, gatewayActions, writingActions } from '../lib/cms/gateway.ts';
import { createLocalGitStore } from '../lib/git-store/local.ts';
import { membersService } from '../lib/members/members.ts';
import { portalApp } from '../lib/portal/app.ts';
import { databaseSecurity } from '../lib/portal/database-security.ts';
import { freeze, freezeState, unfreeze } from '../lib/security/freezes.ts';
import { revokeSessions } from '../lib/security/revocations.ts';
import { cmsClient, emailOf, seedPeople, signer, testIssuer, type Signer, type Who } from './support/cms-people.ts';
import { contentRepo, type ContentRepo } from './support/content-repo.ts';
import { repo } from './support/demo-site.ts';

const serviceKey = 'test-only-service-role-key-not-secret';
let opened: OpenedDatabase;
let app: ReturnType<typeof portalApp>;
let sign: Signer;
let content: ContentRepo;
let issuer: RunningAuthIssuer;
let tmp: string;
let target = '';
const cms = cmsClient(() => app, () => sign);
const page = 'content/practices/riverside/pages/appointments.md';
const refs = () => content.git('for-each-ref', '--format=%(refname) %(objectname)');
const events = async (kind: string) =>
  opened.owner.query<{ email: string | null; detail: Record<string, unknown> }>('select email, detail from public.security_events where kind = $1 order by id', [kind]);

/** Calls the API as `who` with a token at the given level. */
async function call(who: Who, method: string, url: string, o: { aal?: 'aal1' | 'aal2'; iat?: number; signedInAt?: number; body?: unknown } = {}) {
  const res = await app.request(url, {
    method,
    headers: { authorization: `Bearer ${await sign.token(who, o)}`, 'content-type': 'application/json' },
    ...(o.body === undefined ? {} : { body: JSON.stringify(o.body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}
const gateway = (who: Who, action: string, params: Record<string, unknown>, o: { aal?: 'aal1' | 'aal2'; iat?: number; signedInAt?: number } = {}) =>
  call(who, 'POST', '/api/cms', { ...o, body: { practice: 'riverside', action, params: { branch: 'main', ...params } } });

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pd-security-'));
  sign = await signer();
  content = await contentRepo();
  opened = await openDatabase({ root: repo });
  await seedPeople(opened.owner);
  issuer = await startAuthIssuer({ host: '127.0.0.1', port: 0, dataDir: path.join(tmp, 'auth'), outboxDir: path.join(tmp, 'outbox'), serviceRoleKey: serviceKey, log: () => {} });
  // A member the sign-in service knows, so resetting their factors reaches a real admin API.
  target = 'target@riverside.example.nhs.uk';
  const targetId = await issuer.ensureUser(target);
  await opened.owner.query(`insert into public.members (practice_id, user_id, email, name, role) select id, $1, $2, 'Tara Target', 'editor' from public.practices where slug = 'riverside'`, [targetId, target]);
  const members = membersService(opened.db);
  app = portalApp({
    verifier: createVerifier({ issuer: testIssuer, jwks: { keys: sign.jwks } }),
    members,
    mailer: { send: async () => ({ id: '1' }) },
    portalUrl: 'http://portal.localhost:8787',
    security: databaseSecurity(opened.db),
    authAdmin: authAdmin({ url: issuer.url, serviceKey }),
    cms: cmsGateway({
      store: createLocalGitStore({ fs, dir: content.dir }),
      memberOf: (identity, practice) => members.memberOf(identity.claims, practice),
      freezeState: (practice) => freezeState(opened.db, practice),
    }),
  });
}, 60_000);
afterAll(async () => {
  await issuer?.close();
  await opened?.close();
  await content?.remove();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('the second factor', () => {
  it('refuses a practice manager or clinical reviewer at aal1, saying where to set it up, and records it', async () => {
    for (const who of ['manager', 'reviewer'] as const) {
      const r = await gateway(who, 'entriesByFolder', { folder: 'content/practices/riverside/pages', extension: 'md', depth: 1 });
      expect(r.status).toBe(403);
      expect(r.json.error).toBe('mfa-required');
      expect(r.json.message).toMatch(/second step as a (practice manager|clinical reviewer).*\/account\//);
    }
    const members = await call('manager', 'GET', '/api/practices/riverside/members');
    expect(members.status).toBe(403);
    expect((await events('mfa.required')).map((e) => e.email)).toEqual([emailOf('manager'), emailOf('reviewer'), emailOf('manager')]);
  });

  it('lets them in at aal2, and an editor at aal1 unless the practice asks it of everyone', async () => {
    expect((await gateway('manager', 'entriesByFolder', { folder: 'content/practices/riverside/pages', extension: 'md', depth: 1 }, { aal: 'aal2' })).status).toBe(200);
    expect((await gateway('editor', 'entriesByFolder', { folder: 'content/practices/riverside/pages', extension: 'md', depth: 1 })).status).toBe(200);
    await opened.owner.query(`update public.practices set mfa_required_for_all = true where slug = 'riverside'`);
    try {
      const r = await gateway('editor', 'entriesByFolder', { folder: 'content/practices/riverside/pages', extension: 'md', depth: 1 });
      expect(r.status).toBe(403);
      expect(r.json.message).toContain('because this practice asks it of everyone');
    } finally {
      await opened.owner.query(`update public.practices set mfa_required_for_all = false where slug = 'riverside'`);
    }
  });
});

describe('a frozen practice', () => {
  it('refuses every write with a clear message, goes on reading, and changes nothing', async () => {
    await freeze(opened.db, { practice: 'riverside', reason: 'incident 2026-12-05', actor: 'on-call' });
    const before = refs();
    const raw = content.show('main', page) + '\nA change during the freeze.\n';
    const r = await gateway('editor', 'persistEntry', { dataFiles: [{ path: page, slug: 'appointments', raw }], options: { collectionName: 'pages', useWorkflow: true }, versions: { [page]: content.git('rev-parse', `main:${page}`) } });
    expect(r.status).toBe(423);
    expect(r.json.code).toBe('frozen');
    expect(r.json.error).toMatch(/^Nothing can be changed on this practice's website for now.*\(incident 2026-12-05\)\. The live site is unchanged\./);
    expect((await gateway('manager', 'postUrgentNotice', { title: 'Closed', body: 'Closed today.', expires: new Date(Date.now() + 86_400_000).toISOString() }, { aal: 'aal2' })).status).toBe(423);
    expect(refs()).toBe(before);
    expect((await gateway('editor', 'getEntry', { path: page })).status).toBe(200);
    expect((await events('gateway.refused')).filter((e) => e.detail.refusal === 'frozen')).toHaveLength(2);
    await unfreeze(opened.db, { practice: 'riverside', reason: 'contained', actor: 'on-call' });
    expect((await gateway('editor', 'persistEntry', { dataFiles: [{ path: page, slug: 'appointments', raw }], options: { collectionName: 'pages', useWorkflow: true }, versions: { [page]: content.git('rev-parse', `main:${page}`) } })).status).toBe(200);
  });

  it('classes every gateway action as reading or writing', () => {
    const reading = ['entriesByFolder', 'entriesByFiles', 'getEntry', 'getMedia', 'getMediaFile', 'unpublishedEntries', 'unpublishedEntry', 'unpublishedEntryDataFile', 'unpublishedEntryMediaFile', 'getNotes', 'history', 'reviewsDue', 'compliance', 'drafts', 'revisions', 'getPRMetadata', 'getDeployPreview', 'info'];
    expect([...gatewayActions].sort()).toEqual([...reading, ...writingActions].sort());
  });
});

describe('a revoked session', () => {
  it('is refused from its next request, while a sign-in after the revocation works', async () => {
    const before = Math.floor(Date.now() / 1000) - 5;
    expect((await gateway('editor', 'getEntry', { path: page }, { iat: before })).status).toBe(200);
    await revokeSessions(opened.db, { scope: 'user', email: emailOf('editor') }, { reason: 'incident 2026-12-05', actor: 'on-call' });
    const refused = await gateway('editor', 'getEntry', { path: page }, { iat: before });
    expect(refused.status).toBe(401);
    expect(refused.json).toEqual({ error: 'session-revoked', message: 'your sign-in was ended by the platform for security reasons; please sign in again' });
    expect((await events('session.refused')).map((e) => e.email)).toContain(emailOf('editor'));
    // A token refreshed after the revocation, from the session that began before it, is refused too.
    const later = Math.floor(Date.now() / 1000) + 2;
    expect((await gateway('editor', 'getEntry', { path: page }, { iat: later, signedInAt: before })).status).toBe(401);
    expect((await gateway('editor', 'getEntry', { path: page }, { iat: later, signedInAt: later })).status).toBe(200);
  });
});

describe('resetting a lost second factor', () => {
  it("is done by the practice's manager at aal2, through the sign-in service, and logged", async () => {
    const r = await call('manager', 'POST', '/api/practices/riverside/second-factor-resets', { aal: 'aal2', body: { email: target } });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json.message).toContain(`${target}'s second factor was removed`);
    expect((await events('mfa.reset')).map((e) => e.detail.member)).toEqual([target]);
  });

  it('is refused to a manager of another practice, to an editor, and for oneself, and each refusal is logged', async () => {
    const before = (await events('gateway.refused')).length;
    const elsewhere = await call('other', 'POST', '/api/practices/riverside/second-factor-resets', { aal: 'aal2', body: { email: target } });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.json.message).toBe('only a practice manager of "riverside" or a platform admin can reset a member\'s second factor');
    const notTheirs = await call('other', 'POST', '/api/practices/fellside/second-factor-resets', { aal: 'aal2', body: { email: target } });
    expect(notTheirs.status).toBe(404);
    expect(notTheirs.json.message).toContain('is not an active member of "fellside"');
    // (The editor signs in again after the revocation above.)
    expect((await call('editor', 'POST', '/api/practices/riverside/second-factor-resets', { iat: Math.floor(Date.now() / 1000) + 2, body: { email: target } })).status).toBe(403);
    expect((await call('manager', 'POST', '/api/practices/riverside/second-factor-resets', { aal: 'aal2', body: { email: emailOf('manager') } })).json.message).toContain('nobody can reset their own');
    expect((await events('gateway.refused')).length - before).toBe(4);
  });
});
