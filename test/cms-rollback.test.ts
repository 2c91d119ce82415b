// Rolling a practice back through the gateway, as a practice manager does from the portal:
// content (a new commit restoring an earlier state, with Rollback-of) and live (switching the
// published revision). Every refusal leaves the repository and the live revision as they were.
import * as fs from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../build/db/open-database.ts';
import { revisionStore, type RevisionStore } from '../build/publish/revision-store.ts';
import { localLiveSites } from '../build/serve/live-sites.ts';
import { createVerifier } from '../lib/auth/verify-jwt.ts';
import { cmsGateway, type PublishedEvent } from '../lib/cms/gateway.ts';
import { createLocalGitStore } from '../lib/git-store/local.ts';
import { membersService } from '../lib/members/members.ts';
import { portalApp } from '../lib/portal/app.ts';
import { cmsClient, emailOf, seedPeople, signer, testIssuer, type Signer } from './support/cms-people.ts';
import { contentRepo, type ContentRepo } from './support/content-repo.ts';
import { repo } from './support/demo-site.ts';

let opened: OpenedDatabase;
let app: ReturnType<typeof portalApp>;
let sign: Signer;
let content: ContentRepo;
let tmp: string;
let sites: RevisionStore;
const published: PublishedEvent[] = [];
const cms = cmsClient(() => app, () => sign);
const page = 'content/practices/riverside/pages/appointments.md';
const refs = () => content.git('for-each-ref', '--format=%(refname) %(objectname)');
let original: string;

async function publishDirect(raw: string) {
  const version = content.git('rev-parse', `main:${page}`);
  const r = await cms('manager', 'persistEntry', { dataFiles: [{ path: page, slug: 'appointments', raw }], options: { collectionName: 'pages', useWorkflow: false }, versions: { [page]: version } });
  expect(r.status).toBe(200);
  return content.git('rev-parse', 'main');
}

async function fakeRevision(practice: string, text: string, commit: string, builtAt: string) {
  const folder = await mkdtemp(path.join(tmp, 'build-'));
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, 'index.html'), text);
  return sites.publish(practice, folder, { commit, dirty: false, builtAt });
}

beforeAll(async () => {
  sign = await signer();
  content = await contentRepo();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pd-rollback-'));
  sites = revisionStore(path.join(tmp, 'store'));
  opened = await openDatabase({ root: repo });
  await seedPeople(opened.owner);
  const members = membersService(opened.db);
  app = portalApp({
    verifier: createVerifier({ issuer: testIssuer, jwks: { keys: sign.jwks } }),
    members,
    mailer: { send: async () => ({ id: '1' }) },
    portalUrl: 'http://portal.localhost:8787',
    cms: cmsGateway({
      store: createLocalGitStore({ fs, dir: content.dir }),
      memberOf: (identity, practice) => members.memberOf(identity.claims, practice),
      onPublished: (e) => void published.push(e),
      live: localLiveSites(sites),
      // Three weeks before most demo pages are due for review.
      now: () => new Date('2027-09-10T12:00:00Z'),
    }),
  });
  original = content.show('main', page);
});
afterAll(async () => {
  await opened?.close();
  await content?.remove();
  await rm(tmp, { recursive: true, force: true });
});

describe('content rollback', () => {
  it('restores the practice as it was at an earlier change, as a new commit naming what it rolls back', async () => {
    const start = content.git('rev-parse', 'main');
    const first = await publishDirect(original.replace(/\n---\n/, '\n---\nWe are closed on Friday afternoon.\n\n'));
    await publishDirect(content.show('main', page).replace('Friday', 'Thursday'));
    const history = await cms('auditor', 'history');
    expect(history.json.changes.map((c: any) => c.commit)).toEqual(expect.arrayContaining([first, start]));
    published.length = 0;
    const r = await cms('manager', 'rollbackContent', { to: start });
    expect(r.status).toBe(200);
    expect(r.json.paths).toEqual([page]);
    expect(content.show('main', page)).toBe(original);
    const [subject, trailers] = [content.git('log', '-1', '--format=%s', 'main'), content.git('log', '-1', '--format=%(trailers:only,unfold)', 'main')];
    expect(subject).toBe(`Roll back riverside to ${start.slice(0, 7)}`);
    expect(trailers.split('\n')).toEqual(expect.arrayContaining(['Practice: riverside', 'Role: practice_manager', `Rollback-of: ${start}`]));
    expect(content.git('log', '-1', '--format=%an <%ae>', 'main')).toBe(`Maya Manager <${emailOf('manager')}>`);
    // History is kept: the rolled-back changes are still there.
    expect(content.git('rev-list', 'main')).toContain(first);
    expect(published.at(-1)).toMatchObject({ practice: 'riverside', paths: [page] });
    expect((await cms('auditor', 'history')).json.changes[0].rollbackOf).toBe(start);
  });

  it('refuses, changing nothing: a non-manager, a short or unknown commit, another practice\'s change, and no difference', async () => {
    const fell = 'content/practices/fellside/pages/appointments.md';
    await writeFile(path.join(content.dir, fell), content.show('main', fell) + '\nA fellside-only change.\n');
    content.git('commit', '-q', '-am', 'Fellside only');
    const fellsideOnly = content.git('rev-parse', 'main');
    const before = refs();
    const cases: [string, Record<string, unknown>, number, RegExp][] = [
      ['editor', { to: fellsideOnly }, 403, /only a practice manager/],
      ['manager', { to: 'abc123' }, 400, /not a full commit id/],
      ['manager', { to: 'f'.repeat(40) }, 404, /not in this repository/],
      ['manager', { to: fellsideOnly }, 400, /did not change riverside/],
    ];
    for (const [who, params, status, message] of cases) {
      const r = await cms(who as 'editor', 'rollbackContent', params);
      expect(r.status, JSON.stringify(params)).toBe(status);
      expect(r.json.error).toMatch(message);
    }
    const latestRiverside = (await cms('manager', 'history')).json.changes[0].commit;
    const same = await cms('manager', 'rollbackContent', { to: latestRiverside });
    expect(same.status).toBe(409);
    expect(same.json.error).toMatch(/already as it was/);
    expect(refs()).toBe(before);
  });
});

describe('reviews due', () => {
  it('lists what is past or near its review date on the live content', async () => {
    const r = await cms('auditor', 'reviewsDue');
    expect(r.status).toBe(200);
    expect(r.json.reviews).toContainEqual({ file: page, title: 'Appointments', url: '/appointments/', reviewBy: '2027-10-01', daysLeft: 21 });
    for (const d of r.json.reviews) expect(d.daysLeft).toBeLessThanOrEqual(30);
    expect((await cms('other', 'reviewsDue')).status).toBe(403);
  });
});

describe('live rollback', () => {
  it('lists the revisions and switches patients back to an earlier one', async () => {
    const a = await fakeRevision('riverside', 'first', 'a'.repeat(40), '2026-12-01T09:00:00.000Z');
    const b = await fakeRevision('riverside', 'second', 'b'.repeat(40), '2026-12-02T09:00:00.000Z');
    const other = await fakeRevision('fellside', 'fell', 'c'.repeat(40), '2026-12-02T09:00:00.000Z');
    const list = await cms('auditor', 'revisions');
    expect(list.json.revisions.map((r: any) => [r.revision, r.live])).toEqual([
      [b.revision, true],
      [a.revision, false],
    ]);
    for (const [who, revision, status] of [['editor', a.revision, 403], ['manager', other.revision, 400], ['manager', 'nope', 400]] as const) {
      expect((await cms(who, 'rollbackLive', { revision })).status).toBe(status);
      expect(await sites.live('riverside')).toBe(b.revision);
    }
    const r = await cms('manager', 'rollbackLive', { revision: a.revision });
    expect(r.status).toBe(200);
    expect(await sites.live('riverside')).toBe(a.revision);
    expect((await sites.liveHistory('riverside')).at(-1)).toMatchObject({ revision: a.revision, reason: 'rollback' });
  });
});
