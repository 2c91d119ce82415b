// The portal API's production Function (portal-functions/api/[[path]].ts) on Cloudflare's runtime:
// `wrangler pages dev` (workerd, offline) bundles it as a deploy does. It reaches real parts over
// the network as in production: Postgres (PGlite over the wire protocol), the content repository
// on a git host (the real `git http-backend`), the sign-in service's JWKS, and a stand-in Resend.
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../build/db/open-database.ts';
import { apiHeaders } from '../lib/webhooks/api-headers.ts';
import { seedPeople, signer, type Signer, type Who } from './support/cms-people.ts';
import { contentRepo, type ContentRepo } from './support/content-repo.ts';
import { repo } from './support/demo-site.ts';
import { serveGit } from './support/git-http.ts';
import { freePort, startPagesDev, type PagesDev } from './support/pages-dev.ts';

let tmp: string;
let opened: OpenedDatabase;
let socket: PGLiteSocketServer;
let pages: PagesDev;
let sign: Signer;
let work: ContentRepo;
let gitServer: Server;
let authServer: Server;
let bare: string;
const page = 'content/practices/riverside/pages/appointments.md';
const git = (...args: string[]) => execFileSync('git', args, { cwd: bare, encoding: 'utf8' }).trim();

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'pd-portal-api-runtime-'));
  // The sign-in service as far as the portal sees it: its JWKS, at the issuer's address.
  authServer = createServer((req, res) => {
    if (req.url === '/auth/v1/.well-known/jwks.json') res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(sign.jwks));
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => authServer.listen(0, '127.0.0.1', r));
  const supabaseUrl = `http://127.0.0.1:${(authServer.address() as { port: number }).port}`;
  sign = await signer(`${supabaseUrl}/auth/v1`);

  work = await contentRepo(['riverside']);
  bare = path.join(tmp, 'git', 'content.git');
  await mkdir(path.dirname(bare), { recursive: true });
  execFileSync('git', ['clone', '-q', '--bare', work.dir, bare]);
  git('config', 'http.receivepack', 'true');
  const served = await serveGit(path.dirname(bare));
  gitServer = served.server;

  opened = await openDatabase({ root: repo });
  await seedPeople(opened.owner);
  const dbPort = await freePort();
  socket = new PGLiteSocketServer({ db: opened.pglite!, host: '127.0.0.1', port: dbPort, maxConnections: 8 });
  await socket.start();

  const site = path.join(tmp, 'site');
  await mkdir(site);
  await writeFile(path.join(site, 'index.html'), '<!doctype html><title>Portal</title>\n');
  pages = await startPagesDev({
    tmp: path.join(tmp, 'pages'),
    site,
    functions: path.join(repo, 'portal-functions'),
    compatibilityFlags: ['nodejs_compat'],
    bindings: {
      DATABASE_URL: `postgres://postgres:postgres@127.0.0.1:${dbPort}/postgres`,
      SUPABASE_URL: supabaseUrl,
      PORTAL_URL: 'https://portal.example',
      RESEND_API_KEY: 're_test_fake',
      EMAIL_FROM: 'Practice Digital <no-reply@portal.example>',
      RESEND_API_URL: 'http://127.0.0.1:9/',
      CONTENT_REPO_URL: `${served.url}/content.git`,
    },
  });
}, 180_000);

afterAll(async () => {
  await pages?.stop();
  await socket?.stop();
  await opened?.close();
  gitServer?.closeAllConnections();
  await new Promise((r) => gitServer?.close(r));
  authServer?.closeAllConnections();
  await new Promise((r) => authServer?.close(r));
  await work?.remove();
  if (tmp) await rm(tmp, { recursive: true, force: true });
}, 30_000);

async function call(who: Who, method: string, url: string, body?: unknown, aal: 'aal1' | 'aal2' = 'aal1') {
  const res = await fetch(`${pages.origin}${url}`, {
    method,
    headers: { authorization: `Bearer ${await sign.token(who, { aal })}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, any> };
}
const cms = (who: Who, action: string, params: Record<string, unknown>, aal: 'aal1' | 'aal2' = 'aal1') =>
  call(who, 'POST', '/api/cms', { practice: 'riverside', action, params: { branch: 'main', ...params } }, aal);

describe('the portal API on the Pages runtime', () => {
  it('answers who works where, from the database, with the API headers', async () => {
    const r = await call('editor', 'GET', '/api/practices');
    expect(r.status, pages.output().slice(-2000)).toBe(200);
    expect(r.json.practices).toEqual([expect.objectContaining({ slug: 'riverside', role: 'editor' })]);
    for (const [name, value] of Object.entries(apiHeaders)) expect(r.headers.get(name), name).toBe(value);
  });

  it('reads the content repository on the git host through the CMS gateway', async () => {
    const r = await cms('editor', 'entriesByFolder', { folder: 'content/practices/riverside/pages', extension: 'md', depth: 1 });
    expect(r.status, JSON.stringify(r.json).slice(0, 500) + pages.output().slice(-2000)).toBe(200);
    expect((r.json as unknown as { file: { path: string } }[]).map((e) => e.file.path)).toContain(page);
  });

  it('saves a draft as a branch pushed to the git host, authored by the editor', async () => {
    const raw = execFileSync('git', ['show', `main:${page}`], { cwd: bare, encoding: 'utf8' }) + '\nPhone lines open at 8am.\n';
    const r = await cms('editor', 'persistEntry', {
      dataFiles: [{ path: page, slug: 'appointments', raw }],
      options: { collectionName: 'pages', useWorkflow: true },
      versions: { [page]: git('rev-parse', `main:${page}`) },
    });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(git('log', '-1', '--format=%an', 'cms/riverside/pages/appointments')).toBe('Ed Editor');
    expect(execFileSync('git', ['show', `cms/riverside/pages/appointments:${page}`], { cwd: bare, encoding: 'utf8' })).toContain('Phone lines open at 8am.');
  });

  it('asks a practice manager for the second factor, and lets them in with it', async () => {
    const refused = await cms('manager', 'history', {});
    expect(refused.status).toBe(403);
    expect(refused.json.error).toBe('mfa-required');
    expect((await cms('manager', 'history', {}, 'aal2')).status).toBe(200);
  });

  it('leaves the signed hooks to their own Functions', async () => {
    const r = await fetch(`${pages.origin}/api/hooks/auth-email`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    // Not the portal API's 401 for a missing token: the hook's own answer (not configured here).
    expect(r.status).toBe(500);
    expect(await r.json()).toEqual({ error: { http_code: 500, message: 'The sign-in email service is not configured.' } });
  });
});
