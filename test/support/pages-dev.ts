// Starts `wrangler pages dev` (workerd, offline) on 127.0.0.1 for a test: a static folder, a
// Functions folder bundled as a deploy bundles it, and the given bindings. Wrangler takes the
// functions/ folder from its working directory, so a scratch one keeps its state (.wrangler/) out
// of the repository.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { compatibilityDate } from '../../build/cli/commands/pages-dev.ts';
import { stopWrangler } from './stop-wrangler.ts';

export interface PagesDevOptions {
  /** A scratch folder of the test's own. */
  tmp: string;
  /** The static files to serve. */
  site: string;
  /** The Functions folder, e.g. the repository's functions/ or portal-functions/. */
  functions: string;
  bindings?: Record<string, string>;
  compatibilityFlags?: string[];
}

export interface PagesDev {
  origin: string;
  /** Everything wrangler and workerd have printed so far. */
  output(): string;
  stop(): Promise<void>;
}

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });

export async function startPagesDev(o: PagesDevOptions): Promise<PagesDev> {
  const work = path.join(o.tmp, 'work');
  await mkdir(work, { recursive: true });
  await symlink(o.functions, path.join(work, 'functions'), 'dir');
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const bin = path.join(path.dirname(createRequire(import.meta.url).resolve('wrangler/package.json')), 'bin/wrangler.js');
  const args = [bin, 'pages', 'dev', o.site, '--ip', '127.0.0.1', '--port', String(port), '--compatibility-date', compatibilityDate];
  for (const flag of o.compatibilityFlags ?? []) args.push('--compatibility-flags', flag);
  for (const [k, v] of Object.entries(o.bindings ?? {})) args.push('--binding', `${k}=${v}`);
  const wrangler: ChildProcess = spawn(process.execPath, args, {
    cwd: work,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_LOG_PATH: path.join(o.tmp, 'wrangler-logs'), CI: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  wrangler.stdout!.on('data', (c: Buffer) => (output += c));
  wrangler.stderr!.on('data', (c: Buffer) => (output += c));
  const running: PagesDev = { origin, output: () => output, stop: () => stopWrangler(wrangler) };
  for (let i = 0; i < 120; i++) {
    if (wrangler.exitCode !== null) break;
    if (await fetch(`${origin}/`).then((r) => r.ok, () => false)) return running;
    await new Promise((r) => setTimeout(r, 500));
  }
  await running.stop();
  throw new Error(`wrangler pages dev did not start:\n${output.slice(-3000)}`);
}
