// A real build of the demo practices into a temporary store, served by the real local server.
// Each test file that needs sites starts one (about a second) and closes it afterwards.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { buildSites, type BuildReport } from '../../build/pipeline/build-sites.ts';
import { loadSettings, type Settings } from '../../build/node/settings.ts';
import { revisionStore, type RevisionStore } from '../../build/publish/revision-store.ts';
import { startDevServer, type DevServer } from '../../build/serve/dev-server.ts';

export const repo = path.resolve(import.meta.dirname, '../..');
/** Builds in tests are for a fixed moment, so which notices are live never depends on the day. */
export const demoNow = new Date('2026-12-04T12:00:00Z');
export const demoPractices = ['afon-teifi', 'fellside', 'riverside'];

export interface DemoSite {
  tmp: string;
  settings: Settings;
  store: RevisionStore;
  report: BuildReport;
  server: DevServer;
  close(): Promise<void>;
}

export async function startDemo(o: { contentRoot?: string; practices?: string[] } = {}): Promise<DemoSite> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'pd-test-'));
  const settings = loadSettings(repo, { PD_STORE_DIR: path.join(tmp, 'store'), PD_DIST_DIR: path.join(tmp, 'dist'), PD_PORT: '0' });
  const store = revisionStore(settings.storeDir);
  const report = await buildSites({ root: repo, contentRoot: o.contentRoot, practices: o.practices, settings, store, now: demoNow });
  const built = report.practices.filter((p) => p.ok).map((p) => p.slug);
  const server = await startDevServer({ store, host: '127.0.0.1', port: 0, practices: () => built });
  return {
    tmp,
    settings,
    store,
    report,
    server,
    async close() {
      await server.close();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

export interface Fetched {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** GET a path of one practice's origin (Host: <slug>.localhost), without following redirects. */
export function get(server: DevServer, slug: string, pathname: string, method = 'GET'): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: server.port, path: pathname, method, headers: { Host: `${slug}.localhost:${server.port}` } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
