import { spawn } from 'node:child_process';
import { mkdtemp, realpath } from 'node:fs/promises';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../../node/paths.ts';
import { loadSettings } from '../../node/settings.ts';
import { revisionStore } from '../../publish/revision-store.ts';
import type { Command } from '../commands.ts';

/** Pinned so the local Pages runtime behaves the same on every machine. */
export const compatibilityDate = '2026-11-01';

export const pagesDev: Command = {
  summary: "Serve one practice's live revision with Cloudflare's own Pages runtime (wrangler, offline)",
  usage: 'pages-dev <practice> [--port <n>]',
  help: [
    "Runs `wrangler pages dev` on the practice's live revision, offline, so you can check the site on",
    'the real Pages runtime (workerd), _headers included. Build first with `pd build` or `pd start`.',
    '',
    'Options:',
    '  --port <n>   port to listen on (default 8788)',
  ].join('\n'),
  async run(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { port: { type: 'string' } } });
    const practice = positionals[0];
    if (!practice) throw new Error('name the practice to serve, like: pd pages-dev riverside');
    const root = repoRoot();
    const settings = loadSettings(root);
    const live = await revisionStore(settings.storeDir).liveFolder(practice);
    if (!live) throw new Error(`"${practice}" has no live revision yet: run "pd build --practice ${practice}" first`);
    const folder = await realpath(live);
    // wrangler's package exports hide its bin script; find it beside its package.json.
    const wrangler = path.join(path.dirname(createRequire(import.meta.url).resolve('wrangler/package.json')), 'bin/wrangler.js');
    const port = values.port ?? '8788';
    console.error(`Serving ${practice} (${folder}) with wrangler pages dev on http://127.0.0.1:${port}/`);
    const child = spawn(
      process.execPath,
      [wrangler, 'pages', 'dev', folder, '--ip', '127.0.0.1', '--port', port, '--compatibility-date', compatibilityDate],
      // Run from a scratch folder: wrangler would otherwise pick up this repository's functions/ and
      // write its state beside the revision.
      { stdio: 'inherit', cwd: await mkdtemp(path.join(os.tmpdir(), 'pd-pages-dev-')), env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } },
    );
    const stop = () => child.kill('SIGTERM');
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return await new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 0)));
  },
};
