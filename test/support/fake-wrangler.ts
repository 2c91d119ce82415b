// A stand-in for Cloudflare in tests: a loopback server answering the Pages API calls pd makes
// (list deployments, roll back), and a stand-in `wrangler` executable that records its arguments
// and, for `pages deploy`, registers a deployment with that server as the real upload would.
// Nothing here talks to Cloudflare.
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface FakeDeployment {
  id: string;
  project_name: string;
  environment: 'production' | 'preview';
  created_on: string;
  url: string;
  deployment_trigger: { type: 'ad_hoc'; metadata: { branch: string; commit_hash: string; commit_message: string; commit_dirty: boolean } };
  latest_stage: { name: 'deploy'; status: 'success' | 'failure' };
}

export interface WranglerCall {
  args: string[];
  cwd: string;
  metrics?: string;
  hasToken: boolean;
  hasAccount: boolean;
  /** The Functions wrangler would bundle: the functions/ folder in its working folder, if any. */
  functions: string[];
}

export interface ApiRequest {
  method: string;
  path: string;
  authorized: boolean;
}

export interface FakeCloudflare {
  /** Base URL for PD_CLOUDFLARE_API_URL. */
  apiUrl: string;
  accountId: string;
  token: string;
  /** The stand-in wrangler, for PD_WRANGLER. */
  wrangler: string;
  /** The environment a deploy needs: the API URL, the wrangler and the two secrets. */
  env: Record<string, string>;
  projects: Map<string, FakeDeployment[]>;
  /** The deployment each project has rolled back to, if any. */
  live: Map<string, string>;
  requests: ApiRequest[];
  calls(): Promise<WranglerCall[]>;
  /** Adds a finished deployment as if made earlier (newest last). */
  addDeployment(project: string, d: { branch?: string; commit: string; message: string; at?: string; status?: 'success' | 'failure' }): FakeDeployment;
  close(): Promise<void>;
}

const script = `#!/usr/bin/env node
// Stand-in wrangler: records argv, and for "pages deploy" registers a deployment with the fake API.
const fs = require('node:fs');
const args = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_WRANGLER_LOG, JSON.stringify({
  args, cwd: process.cwd(), metrics: process.env.WRANGLER_SEND_METRICS,
  hasToken: !!process.env.CLOUDFLARE_API_TOKEN, hasAccount: !!process.env.CLOUDFLARE_ACCOUNT_ID,
  functions: fs.existsSync('functions') ? fs.readdirSync('functions', { recursive: true }).map(String).sort() : [],
}) + '\\n');
if (process.env.FAKE_WRANGLER_FAIL) { console.error('✘ [ERROR] A request to the Cloudflare API failed.'); process.exit(1); }
if (args[0] === 'pages' && args[1] === 'deploy') {
  const flag = (name) => { const i = args.indexOf(name); return i < 0 ? undefined : args[i + 1]; };
  const body = { project: flag('--project-name'), branch: flag('--branch'), commit: flag('--commit-hash'), message: flag('--commit-message'), dirty: args.includes('--commit-dirty=true'), folder: args[2] };
  fetch(process.env.PD_CLOUDFLARE_API_URL + '/__fake/deploy', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    .then(async (r) => { const j = await r.json(); if (!r.ok) { console.error('✘ [ERROR] ' + j.error); process.exit(1); } console.log('✨ Deployment complete! Take a peek over at ' + j.url); })
    .catch((e) => { console.error(String(e)); process.exit(1); });
}
`;

export async function fakeCloudflare(projects: string[] = ['pd-riverside', 'pd-fellside']): Promise<FakeCloudflare> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pd-fake-cf-'));
  const wrangler = path.join(dir, 'wrangler');
  const log = path.join(dir, 'wrangler-calls.jsonl');
  await writeFile(wrangler, script);
  await chmod(wrangler, 0o755);
  await writeFile(log, '');
  const accountId = '0123456789abcdef0123456789abcdef';
  const token = `fake-token-${randomUUID()}`;
  const state = new Map<string, FakeDeployment[]>(projects.map((p) => [p, []]));
  const live = new Map<string, string>();
  const requests: ApiRequest[] = [];
  let clock = Date.parse('2026-12-01T09:00:00Z');
  const tick = () => new Date((clock += 60_000)).toISOString();

  const add = (project: string, d: { branch?: string; commit: string; message: string; at?: string; status?: 'success' | 'failure' }): FakeDeployment => {
    const list = state.get(project);
    if (!list) throw new Error(`the fake has no project ${project}`);
    const id = randomUUID();
    const branch = d.branch ?? 'main';
    const dep: FakeDeployment = {
      id,
      project_name: project,
      environment: branch === 'main' ? 'production' : 'preview',
      created_on: d.at ?? tick(),
      url: `https://${id.slice(0, 8)}.${project}.pages.dev`,
      deployment_trigger: { type: 'ad_hoc', metadata: { branch, commit_hash: d.commit, commit_message: d.message, commit_dirty: false } },
      latest_stage: { name: 'deploy', status: d.status ?? 'success' },
    };
    list.push(dep);
    return dep;
  };

  const send = (res: import('node:http').ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const fail = (res: import('node:http').ServerResponse, status: number, code: number, message: string) =>
    send(res, status, { success: false, errors: [{ code, message }], messages: [], result: null });

  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname === '/client/v4/__fake/deploy' && req.method === 'POST') {
        const b = JSON.parse(raw) as { project: string; branch: string; commit: string; message: string };
        if (!state.has(b.project)) return send(res, 404, { error: `Project not found: ${b.project}` });
        const dep = add(b.project, { branch: b.branch, commit: b.commit, message: b.message });
        live.delete(b.project);
        return send(res, 200, { url: dep.url });
      }
      const authorized = req.headers.authorization === `Bearer ${token}`;
      requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, authorized });
      const m = /^\/client\/v4\/accounts\/([^/]+)\/pages\/projects\/([^/]+)(\/.*)?$/.exec(url.pathname);
      if (!m) return fail(res, 404, 7003, 'Could not route to ' + url.pathname);
      if (!authorized || m[1] !== accountId) return fail(res, 403, 10000, 'Authentication error');
      const list = state.get(decodeURIComponent(m[2]!));
      if (!list) return fail(res, 404, 8000007, 'Project not found. The specified project name does not match any of your existing projects.');
      const rest = m[3] ?? '';
      if (rest === '/deployments' && req.method === 'GET') {
        const env = url.searchParams.get('env');
        const page = Number(url.searchParams.get('page') ?? 1);
        const per = Number(url.searchParams.get('per_page') ?? 25);
        const all = list.filter((d) => !env || d.environment === env).slice().reverse();
        const items = all.slice((page - 1) * per, page * per);
        return send(res, 200, {
          success: true,
          errors: [],
          messages: [],
          result: items,
          result_info: { page, per_page: per, count: items.length, total_count: all.length, total_pages: Math.max(1, Math.ceil(all.length / per)) },
        });
      }
      const r = /^\/deployments\/([^/]+)\/rollback$/.exec(rest);
      if (r && req.method === 'POST') {
        const target = list.find((d) => d.id === r[1]);
        if (!target || target.environment !== 'production' || target.latest_stage.status !== 'success')
          return fail(res, 400, 8000069, 'You can only rollback to successful builds on production.');
        live.set(target.project_name, target.id);
        return send(res, 200, { success: true, errors: [], messages: [], result: target });
      }
      return fail(res, 404, 7003, 'No route for that URI');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/client/v4`;
  return {
    apiUrl,
    accountId,
    token,
    wrangler,
    env: {
      PD_CLOUDFLARE_API_URL: apiUrl,
      PD_WRANGLER: wrangler,
      FAKE_WRANGLER_LOG: log,
      CLOUDFLARE_API_TOKEN: token,
      CLOUDFLARE_ACCOUNT_ID: accountId,
    },
    projects: state,
    live,
    requests,
    async calls() {
      return (await readFile(log, 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as WranglerCall);
    },
    addDeployment: add,
    async close() {
      await new Promise<void>((r) => server.close(() => r()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
