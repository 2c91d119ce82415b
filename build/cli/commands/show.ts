import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatProblem } from '../../../lib/content/problems.ts';
import { AuditInputError, listFiles, parseAt, parseMoment, practiceCommitAt, practicesRoot, readHistory, ukTime, type Commit } from '../../../lib/audit/index.ts';
import { buildSites } from '../../pipeline/build-sites.ts';
import { repoRoot } from '../../node/paths.ts';
import { loadSettings, type Settings } from '../../node/settings.ts';
import { revisionStore, type RevisionStore } from '../../publish/revision-store.ts';
import { startDevServer, type DevServer } from '../../serve/dev-server.ts';
import type { Command } from '../commands.ts';
import { openRepository, progressLine } from './audit.ts';

export interface Shown {
  practice: string;
  /** The moment asked for. */
  at: Date;
  /** The commit on main that was current then. */
  commit: Commit;
  /** The built revision's folder. */
  folder: string;
  /** The temporary folder holding the content, the store and the build; remove it when done. */
  tmp: string;
  store: RevisionStore;
  settings: Settings;
}

/**
 * Rebuilds one practice as it was at a moment: the practice's folder at the commit then current
 * on main, written to a temporary content root, built with today's theme for that moment (so the
 * notices live then are live again) into a temporary revision store.
 */
export async function showPractice(o: { root: string; settings: Settings; practice: string; at: Date; onProgress?: (m: string) => void }): Promise<Shown> {
  const reader = await openRepository(o.settings.contentRoot);
  const history = await readHistory(reader, o.onProgress ? { onProgress: o.onProgress } : {});
  const { commit, folder } = await practiceCommitAt(reader, history, o.practice, o.at);
  const tmp = await mkdtemp(path.join(os.tmpdir(), `pd-show-${o.practice}-`));
  try {
    const contentRoot = path.join(tmp, 'content-root');
    const dir = `${practicesRoot}/${o.practice}`;
    for (const f of await listFiles(reader, folder, dir)) {
      const target = path.join(contentRoot, ...f.path.split('/'));
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, await reader.blob(f.oid));
    }
    const settings: Settings = { ...o.settings, contentRoot, storeDir: path.join(tmp, 'store'), distDir: path.join(tmp, 'dist') };
    const store = revisionStore(settings.storeDir);
    const report = await buildSites({ root: o.root, contentRoot, practices: [o.practice], settings, store, now: o.at, ...(o.onProgress ? { onProgress: o.onProgress } : {}) });
    const built = report.practices[0];
    if (!built?.ok || !built.manifest) {
      for (const p of built?.problems ?? []) console.error(formatProblem(p));
      throw new AuditInputError(
        `${o.practice} as it was at ${ukTime(o.at)} (commit ${commit.oid.slice(0, 7)}) does not pass today's content checks, so it cannot be rebuilt; the problems are listed above`,
      );
    }
    const live = await store.liveFolder(o.practice);
    return { practice: o.practice, at: o.at, commit, folder: await realpath(live!), tmp, store, settings };
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Serves a shown practice on the local server, at http://<practice>.localhost:<port>/. */
export function serveShown(shown: Shown, port: number): Promise<DevServer> {
  return startDevServer({ store: shown.store, host: shown.settings.host, port, practices: () => [shown.practice] });
}

export const show: Command = {
  summary: 'Rebuild a practice as it was at a date from its git history, and serve it',
  usage: 'show <practice> --at <date> [--no-serve] [--port <n>]',
  help: [
    'Finds the commit on main that was current at the date (UK time), takes the practice\'s content',
    'from it, builds it into a temporary folder as of that moment (so the notices live then show',
    'again), and serves it at http://<practice>.localhost:<port>/ until you press Ctrl+C. The site is',
    'built with today\'s theme and build; the content and the moment are as they were.',
    '',
    'A date alone means the end of that day (what the site showed when the day was over); give a',
    'time for another moment. A date before the practice existed is refused.',
    '',
    'Options:',
    '  --at <date>   2026-12-04, or 2026-12-04T09:30 (UK time), or with an offset (Z, +01:00)',
    '  --no-serve    build only, and print the folder the site was built into',
    '  --port <n>    port to serve on (default: any free port)',
  ].join('\n'),
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { at: { type: 'string' }, 'no-serve': { type: 'boolean' }, port: { type: 'string' } },
    });
    const practice = positionals[0];
    if (!practice || positionals.length > 1) throw new AuditInputError('name one practice, like: pd show riverside --at 2026-12-04');
    if (values.at === undefined) throw new AuditInputError('say which moment with --at, like: pd show riverside --at 2026-12-04T09:30');
    let at = parseAt(values.at);
    if (at.getTime() > Date.now()) {
      // Today, given as a date alone, means now: the day is not over yet.
      if (/^\d{4}-\d{2}-\d{2}$/.test(values.at.trim()) && parseMoment(values.at, '--at').getTime() <= Date.now()) at = new Date(Math.floor(Date.now() / 1000) * 1000);
      else throw new AuditInputError(`--at ${values.at} is in the future; for the site as it is now, use pd start`);
    }
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new AuditInputError(`--port ${values.port} is not a port number from 0 to 65535`);
    const progress = progressLine();
    const shown = await showPractice({ root: repoRoot(), settings: loadSettings(repoRoot()), practice, at, onProgress: (m) => progress(m) });
    const what = `${practice} as at ${ukTime(at)} UK time, from commit ${shown.commit.oid.slice(0, 12)} (${ukTime(new Date(shown.commit.committer.timestamp * 1000))}, "${shown.commit.message.split('\n')[0]!.trim()}")`;
    if (values['no-serve']) {
      console.error(`Built ${what}.`);
      console.log(shown.folder);
      return 0;
    }
    const server = await serveShown(shown, port);
    console.error(`Serving ${what}.`);
    console.log(`${server.origin(practice)}/`);
    console.error('Press Ctrl+C to stop; the temporary build is removed then.');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    await server.close();
    await rm(shown.tmp, { recursive: true, force: true });
    return 0;
  },
};
