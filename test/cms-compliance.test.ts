// The compliance check through the CMS gateway: the dashboard's report on what is live, and a
// practice that chose to block changes breaking a legal requirement (a change that adds a failing
// "must" item is refused and changes nothing; one that leaves an old failure alone, or fixes it,
// goes through).
import * as fs from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siteGraph } from '../build/compliance/site-graph.ts';
import { openDatabase, type OpenedDatabase } from '../build/db/open-database.ts';
import { createVerifier } from '../lib/auth/verify-jwt.ts';
import { cmsGateway } from '../lib/cms/gateway.ts';
import { createLocalGitStore } from '../lib/git-store/local.ts';
import { membersService } from '../lib/members/members.ts';
import { portalApp } from '../lib/portal/app.ts';
import { cmsClient, seedPeople, signer, testIssuer, type Signer } from './support/cms-people.ts';
import { contentRepo, type ContentRepo } from './support/content-repo.ts';
import { demoNow, repo } from './support/demo-site.ts';

let opened: OpenedDatabase;
let app: ReturnType<typeof portalApp>;
let sign: Signer;
let content: ContentRepo;
const cms = cmsClient(() => app, () => sign);
const profile = 'content/practices/riverside/practice.yml';
const carers = 'content/practices/riverside/pages/carers.md';
const refs = () => content.git('for-each-ref', '--format=%(refname) %(objectname)');

const save = async (file: string, slug: string, collectionName: string, raw: string) =>
  cms('manager', 'persistEntry', {
    dataFiles: [{ path: file, slug, raw }],
    options: { collectionName, useWorkflow: false },
    versions: { [file]: content.git('rev-parse', `main:${file}`) },
  });
const saveProfile = (change: (yml: string) => string) => save(profile, 'profile', 'practice', change(content.show('main', profile)));

beforeAll(async () => {
  sign = await signer();
  content = await contentRepo();
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
      now: () => demoNow,
      siteGraph,
    }),
  });
});
afterAll(async () => {
  await opened?.close();
  await content?.remove();
});

describe('the compliance report', () => {
  it('checks what is live now, for any member of the practice', async () => {
    const r = await cms('editor', 'compliance');
    expect(r.status).toBe(200);
    expect(r.json.report).toMatchObject({ practice: 'riverside', nation: 'england', ok: true, blocking: false });
    expect(r.json.report.results.find((x: { id: string }) => x.id === 'J').status).toBe('pass');
  });
});

describe('a practice that does not block', () => {
  it('publishes a change that breaks a "must" item, and the report then shows it', async () => {
    const r = await saveProfile((y) => y.replace(/leaflet:\n  last_reviewed: [0-9-]+/, 'leaflet:\n  last_reviewed: 2025-11-03'));
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    const report = (await cms('manager', 'compliance')).json.report;
    expect(report.ok).toBe(false);
    expect(report.results.find((x: { id: string }) => x.id === '14')).toMatchObject({ status: 'fail', findings: [{ field: 'leaflet.last_reviewed' }] });
  });
});

describe('a practice that blocks changes breaking a legal requirement', () => {
  beforeAll(async () => {
    const yml = content.show('main', profile).replace(/settings:\n/, 'settings:\n  compliance_blocks_publishing: true\n');
    await writeFile(path.join(content.dir, profile), yml);
    content.git('commit', '-q', '-am', 'Riverside blocks changes that break a legal requirement');
    expect(content.show('main', profile)).toContain('compliance_blocks_publishing: true');
  });

  it('refuses a change that makes another "must" item fail, naming it and the fix, and changes nothing', async () => {
    const before = refs();
    const r = await saveProfile((y) => y.replace(/out_of_hours: [\s\S]*?\n(?=\w)/, 'out_of_hours: Ring the surgery.\n'));
    expect(r.status).toBe(422);
    expect(r.json.error).toMatch(/^This practice does not publish changes that break a legal requirement, and this change would: Out-of-hours arrangements.*does not mention NHS 111/);
    expect(refs()).toBe(before);
  });

  it('refuses a broken internal link written into a page', async () => {
    const before = refs();
    const r = await save(carers, 'carers', 'pages', content.show('main', carers) + '\nRead the [carers guide](/carers-guide/).\n');
    expect(r.status).toBe(422);
    expect(r.json.error).toContain('links to /carers-guide/, which is not a page of the site');
    expect(refs()).toBe(before);
  });

  it('lets through a change that leaves the old failure alone, and the fix', async () => {
    const edit = await save(carers, 'carers', 'pages', content.show('main', carers) + '\nCarers can also ask for a longer appointment.\n');
    expect(edit.status, JSON.stringify(edit.json)).toBe(200);
    const fix = await saveProfile((y) => y.replace('last_reviewed: 2025-11-03', 'last_reviewed: 2026-12-01'));
    expect(fix.status, JSON.stringify(fix.json)).toBe(200);
    expect((await cms('manager', 'compliance')).json.report).toMatchObject({ ok: true, blocking: true });
  });
});
