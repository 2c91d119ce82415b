// The CMS gateway on the production store: a repository over HTTPS (here the real `git
// http-backend` on loopback) held in memory. A clinical change goes from draft through review to
// a merge on the server's `main`, and a stale save is refused, exactly as on the local store.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import http from 'isomorphic-git/http/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../build/db/open-database.ts';
import { createVerifier } from '../lib/auth/verify-jwt.ts';
import { cmsGateway } from '../lib/cms/gateway.ts';
import { createRemoteGitStore } from '../lib/git-store/remote.ts';
import { membersService } from '../lib/members/members.ts';
import { portalApp } from '../lib/portal/app.ts';
import { cmsClient, emailOf, seedPeople, signer, testIssuer, type Signer } from './support/cms-people.ts';
import { contentRepo, type ContentRepo } from './support/content-repo.ts';
import { repo } from './support/demo-site.ts';
import { serveGit } from './support/git-http.ts';

let opened: OpenedDatabase;
let app: ReturnType<typeof portalApp>;
let sign: Signer;
let work: ContentRepo;
let root: string;
let bare: string;
let server: Server;
const cms = cmsClient(() => app, () => sign);
const fluPath = 'content/practices/riverside/services/flu-clinic.md';
const git = (...args: string[]) => execFileSync('git', args, { cwd: bare, encoding: 'utf8' }).trim();
const show = (ref: string, file: string) => execFileSync('git', ['show', `${ref}:${file}`], { cwd: bare, encoding: 'utf8' });

beforeAll(async () => {
  sign = await signer();
  work = await contentRepo(['riverside']);
  root = await mkdtemp(path.join(os.tmpdir(), 'pd-cms-remote-'));
  bare = path.join(root, 'content.git');
  execFileSync('git', ['clone', '-q', '--bare', work.dir, bare]);
  git('config', 'http.receivepack', 'true');
  const served = await serveGit(root);
  server = served.server;
  opened = await openDatabase({ root: repo });
  await seedPeople(opened.owner);
  const members = membersService(opened.db);
  app = portalApp({
    verifier: createVerifier({ issuer: testIssuer, jwks: { keys: sign.jwks } }),
    members,
    mailer: { send: async () => ({ id: '1' }) },
    portalUrl: 'http://portal.localhost:8787',
    cms: cmsGateway({
      store: createRemoteGitStore({ url: `${served.url}/content.git`, http }),
      memberOf: (identity, practice) => members.memberOf(identity.claims, practice),
    }),
  });
});
afterAll(async () => {
  await new Promise<void>((r) => server?.close(() => r()));
  await opened?.close();
  await work?.remove();
  await rm(root, { recursive: true, force: true });
});

describe('the gateway on a remote repository', () => {
  it('takes a clinical change from draft to a reviewed merge on the server', async () => {
    const listed = await cms('editor', 'entriesByFolder', { folder: 'content/practices/riverside/services', extension: 'md', depth: 1 });
    const entry = listed.json.find((e: any) => e.file.path === fluPath);
    expect(entry.file.id).toBe(git('rev-parse', `main:${fluPath}`));
    const raw = entry.data.replace(/\n---\n/, '\n---\nClinics start on 20 September.\n\n');
    const save = (who: 'editor' | 'manager', version: string) =>
      cms(who, 'persistEntry', {
        dataFiles: [{ path: fluPath, slug: 'flu-clinic', raw }],
        options: { collectionName: 'services', useWorkflow: true, status: 'draft' },
        versions: { [fluPath]: version },
      });
    expect((await save('editor', entry.file.id)).status).toBe(200);
    expect(show('cms/riverside/services/flu-clinic', fluPath)).toBe(raw);
    expect((await save('manager', entry.file.id)).status).toBe(409);
    expect((await cms('editor', 'unpublishedEntries')).json).toEqual(['services/flu-clinic']);
    expect((await cms('editor', 'updateUnpublishedEntryStatus', { collection: 'services', slug: 'flu-clinic', newStatus: 'pending_review' })).status).toBe(200);
    expect((await cms('reviewer', 'addNote', { collection: 'services', slug: 'flu-clinic', note: { content: 'Looks right.' } })).status).toBe(200);
    expect((await cms('editor', 'publishUnpublishedEntry', { collection: 'services', slug: 'flu-clinic' })).status).toBe(403);
    const published = await cms('reviewer', 'publishUnpublishedEntry', { collection: 'services', slug: 'flu-clinic' });
    expect(published.status).toBe(200);
    expect(show('main', fluPath)).toBe(raw);
    expect(git('log', '-1', '--format=%an|%P|%(trailers:key=Reviewed-by,valueonly)', 'main')).toMatch(new RegExp(`^Ed Editor\\|\\w{40} \\w{40}\\|Dr Asha Patel <${emailOf('reviewer')}>`));
    expect(git('log', '--format=%s', 'main')).toContain('Review note on "flu-clinic"');
    expect(git('branch', '--list', 'cms/*')).toBe('');
  });
});
