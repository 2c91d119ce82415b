// The CMS backend: Decap's own proxy backend (bundled as the portal bundles it, with the nested
// decap-cms-backend-proxy) with every call made as the signed-in person for the chosen practice.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repo } from '../../../test/support/demo-site.ts';
import type { PracticeBackendOptions } from './backend.ts';

type Backend = {
  entriesByFolder(folder: string, extension: string, depth: number): Promise<unknown>;
  getEntry(path: string): Promise<unknown>;
  unpublishedEntry(o: { collection: string; slug: string }): Promise<unknown>;
  unpublishedEntryDataFile(collection: string, slug: string, path: string, id: string): Promise<unknown>;
  persistEntry(entry: unknown, options: Record<string, unknown>): Promise<unknown>;
  publishUnpublishedEntry(collection: string, slug: string): Promise<unknown>;
  restoreUser(): Promise<unknown>;
  logout(): Promise<void>;
};
let practiceDigitalBackend: (o: PracticeBackendOptions) => new (config: unknown) => Backend;
let tmp: string;

beforeAll(async () => {
  // The same resolution as the portal build (build/portal/build-cms-app.ts).
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pd-cms-backend-'));
  await esbuild.build({
    absWorkingDir: repo,
    entryPoints: ['cms/app/decap/backend.ts'],
    outfile: path.join(tmp, 'backend.mjs'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    nodePaths: [path.join(repo, 'node_modules/decap-cms-app/node_modules')],
    logLevel: 'silent',
  });
  ({ practiceDigitalBackend } = await import(path.join(tmp, 'backend.mjs')));
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

interface Call {
  url: string;
  headers: Record<string, string>;
  body: Record<string, any>;
}

/** A backend whose gateway answers from `answer`, recording every request. */
function backend(answer: (body: Record<string, any>) => { status?: number; json: unknown } | Error, o: Partial<PracticeBackendOptions> = {}) {
  const calls: Call[] = [];
  let ended = 0;
  let signedOut = 0;
  let token = 0;
  const Backend = practiceDigitalBackend({
    practice: 'riverside',
    accessToken: async () => `token-${++token}`,
    user: async () => ({ name: 'Eve Editor', login: 'eve@example.nhs.uk' }),
    signOut: async () => void signedOut++,
    onSignInEnded: () => void ended++,
    fetch: async (url, init) => {
      const body = JSON.parse(String(init!.body));
      calls.push({ url: String(url), headers: init!.headers as Record<string, string>, body });
      const a = answer(body);
      if (a instanceof Error) throw a;
      return new Response(JSON.stringify(a.json), { status: a.status ?? 200, headers: { 'Content-Type': 'application/json' } });
    },
    ...o,
  });
  const b = new Backend({ backend: { name: 'practice-digital', proxy_url: '/api/cms', branch: 'main' }, media_folder: 'content/practices/riverside/media' });
  return { b, calls, ended: () => ended, signedOut: () => signedOut };
}

const file = 'content/practices/riverside/pages/appointments.md';

describe('the practice-digital backend', () => {
  it("sends Decap's own request with the practice added, as the signed-in person, with a token asked for each time", async () => {
    const { b, calls } = backend(() => ({ json: [] }));
    await b.entriesByFolder('content/practices/riverside/pages', 'md', 1);
    await b.getEntry(file);
    expect(calls.map((c) => c.url)).toEqual(['/api/cms', '/api/cms']);
    expect(calls[0]!.headers).toMatchObject({ Authorization: 'Bearer token-1', 'Content-Type': 'application/json; charset=utf-8' });
    // The token is fetched again for every call, so a refreshed one is used.
    expect(calls[1]!.headers.Authorization).toBe('Bearer token-2');
    expect(calls[0]!.body).toEqual({
      branch: 'main',
      action: 'entriesByFolder',
      params: { branch: 'main', folder: 'content/practices/riverside/pages', extension: 'md', depth: 1 },
      practice: 'riverside',
    });
    expect(calls[1]!.body).toEqual({ branch: 'main', action: 'getEntry', params: { branch: 'main', path: file }, practice: 'riverside' });
  });

  it('says which version of each file a save started from: the one read, then the one saved, null for a new entry', async () => {
    const { b, calls } = backend((body) => {
      if (body.action === 'entriesByFolder') return { json: [{ data: '---\ntitle: A\n---\n', file: { path: file, id: 'v-main' } }] };
      if (body.action === 'persistEntry') return { json: { message: 'Saved', versions: { [body.params.dataFiles[0].path]: `v-saved-${calls.length}` } } };
      return { json: null };
    });
    await b.entriesByFolder('content/practices/riverside/pages', 'md', 1);
    const save = (p: string, newEntry = false) =>
      b.persistEntry({ dataFiles: [{ path: p, slug: path.basename(p, '.md'), raw: '---\ntitle: B\n---\n' }], assets: [] }, { newEntry, collectionName: 'pages', useWorkflow: true, commitMessage: 'x' });
    await save(file);
    expect(calls[1]!.body.params.versions).toEqual({ [file]: 'v-main' });
    expect(calls[1]!.body.params.dataFiles[0].raw).toBe('---\ntitle: B\n---\n');
    await save(file);
    expect(calls[2]!.body.params.versions).toEqual({ [file]: 'v-saved-2' });
    // Reading `main` again (the entries list) does not make the open draft look stale.
    await b.entriesByFolder('content/practices/riverside/pages', 'md', 1);
    await save(file);
    expect(calls[4]!.body.params.versions).toEqual({ [file]: 'v-saved-3' });
    await save('content/practices/riverside/pages/new.md', true);
    expect(calls[5]!.body.params.versions).toEqual({ 'content/practices/riverside/pages/new.md': null });
    // Once published, the draft's version is main's.
    await b.publishUnpublishedEntry('pages', 'appointments');
    await b.entriesByFolder('content/practices/riverside/pages', 'md', 1);
    await save(file);
    expect(calls.at(-1)!.body.params.versions).toEqual({ [file]: 'v-main' });
  });

  it("starts from the draft's version when a draft is opened", async () => {
    const { b, calls } = backend((body) => {
      if (body.action === 'unpublishedEntry') return { json: { collection: 'pages', slug: 'appointments', status: 'draft', diffs: [{ id: file, path: file, newFile: false }] } };
      if (body.action === 'unpublishedEntryDataFile') return { json: { data: '---\ntitle: Draft\n---\n', id: 'v-draft' } };
      return { json: { versions: {} } };
    });
    await b.unpublishedEntry({ collection: 'pages', slug: 'appointments' });
    expect(await b.unpublishedEntryDataFile('pages', 'appointments', file, file)).toBe('---\ntitle: Draft\n---\n');
    await b.persistEntry({ dataFiles: [{ path: file, slug: 'appointments', raw: 'x' }], assets: [] }, { collectionName: 'pages', useWorkflow: true });
    expect(calls.at(-1)!.body.params.versions).toEqual({ [file]: 'v-draft' });
  });

  it("shows the gateway's own words when it refuses, and that the sign-in has ended on a 401", async () => {
    const refused = backend(() => ({ status: 403, json: { error: 'Not allowed', message: 'Not allowed: an auditor may only read.', code: 'forbidden' } }));
    const error = await refused.b.getEntry(file).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'API_ERROR', status: 403, message: 'Not allowed: an auditor may only read.', api: 'Practice Digital' });
    // Decap puts String(error) into its message: the words alone.
    expect(String(error)).toBe('Not allowed: an auditor may only read.');
    expect(refused.ended()).toBe(0);

    const expired = backend(() => ({ status: 401, json: { error: 'unauthorised', message: 'your sign-in is not valid (expired); please sign in again' } }));
    await expect(expired.b.getEntry(file)).rejects.toMatchObject({ status: 401, message: 'your sign-in has ended, sign in again' });
    expect(expired.ended()).toBe(1);

    // No session at all: nothing is sent.
    const gone = backend(() => ({ json: null }), { accessToken: async () => undefined });
    await expect(gone.b.getEntry(file)).rejects.toMatchObject({ status: 401, message: 'your sign-in has ended, sign in again' });
    expect(gone.calls).toEqual([]);
    expect(gone.ended()).toBe(1);

    const offline = backend(() => new TypeError('fetch failed'));
    await expect(offline.b.getEntry(file)).rejects.toMatchObject({ status: 0, message: 'the portal could not be reached (check your connection): try again' });

    const broken = backend(() => ({ status: 502, json: 'Bad gateway' }));
    await expect(broken.b.getEntry(file)).rejects.toMatchObject({ status: 502, message: 'the portal answered with an error (status 502): try again' });
  });

  it("keeps Decap's meaning of a 404 for a draft: the entry is not in the workflow", async () => {
    const { b } = backend(() => ({ status: 404, json: { error: 'There is no draft of this entry', message: 'There is no draft of this entry' } }));
    await expect(b.unpublishedEntry({ collection: 'pages', slug: 'appointments' })).rejects.toMatchObject({ name: 'EDITORIAL_WORKFLOW_ERROR', notUnderEditorialWorkflow: true });
  });

  it('gives Decap the signed-in person, and signs them out with Decap', async () => {
    const { b, signedOut } = backend(() => ({ json: null }));
    expect(await b.restoreUser()).toEqual({ name: 'Eve Editor', login: 'eve@example.nhs.uk' });
    await b.logout();
    expect(signedOut()).toBe(1);
    const nobody = backend(() => ({ json: null }), { user: async () => undefined });
    await expect(nobody.b.restoreUser()).rejects.toThrow('your sign-in has ended, sign in again');
  });
});
