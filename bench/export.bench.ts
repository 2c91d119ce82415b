// Export benchmark (npm run bench:export): one demo practice exported to its JSON document (content
// read from git, checked and typed, media hashed, history summarised, JSON written), as `pd export`
// does it (the store plus isomorphic-git over the same files for the history) and as the portal does
// with a store alone. The anchor, measured in the same run and taken in turn, is plain
// isomorphic-git reading the same files at the same commit: one tree walk and a blob read per file.
// Also timed beside it: isomorphic-git's own log of the practice folder. Two repositories: this one
// at HEAD (its real history), and the demo practices with 1,000 more commits on main.
import * as fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import git from 'isomorphic-git';
import { loadPractice } from '../lib/content/load-practice.ts';
import { exportPractice } from '../lib/export/export-practice.ts';
import { memoryReader } from '../lib/export/files.ts';
import { gitHistory } from '../lib/export/history.ts';
import { createLocalGitStore } from '../lib/git-store/local.ts';
import { historyRepo } from './export-fixture.ts';

const practice = 'riverside';
const folder = `content/practices/${practice}`;
const warmups = 2;
const runs = 9;
const longHistory = 1000;
const targetMs = 1000;
const root = fileURLToPath(new URL('..', import.meta.url));
const log = (message: string) => console.error(`• ${message}`);

interface Times {
  cli: number[];
  portal: number[];
  anchor: number[];
  folderLog: number[];
  history: number[];
  checks: number[];
}

async function measure(label: string, dir: string, ref: string): Promise<{ label: string; times: Times; commits: number; bytes: number; files: number }> {
  const commit = await git.resolveRef({ fs, dir, ref });
  const access = { fs, gitdir: path.join(dir, '.git') };
  const times: Times = { cli: [], portal: [], anchor: [], folderLog: [], history: [], checks: [] };
  let facts = { commits: 0, bytes: 0, files: 0 };
  log(`${label}: ${warmups} warm-up and ${runs} timed runs of each, in turn (a new store every run, as for a request)`);
  for (let i = -warmups; i < runs; i++) {
    const steps: [keyof Times, () => Promise<unknown>][] = [
      ['cli', async () => {
        const doc = await exportPractice(createLocalGitStore({ fs, dir }), { practice, ref: commit, git: access });
        const json = JSON.stringify(doc, null, 2);
        facts = { commits: doc.history.commits, bytes: Buffer.byteLength(json), files: doc.items.length + doc.media.length };
      }],
      ['portal', async () => JSON.stringify(await exportPractice(createLocalGitStore({ fs, dir }), { practice, ref: commit }), null, 2)],
      ['anchor', () => plainRead(dir, commit)],
      ['folderLog', () => git.log({ fs, dir, ref: commit, filepath: folder, cache: {} })],
      ['history', async () => (await gitHistory(access, commit)).changesUnder(folder)],
      ['checks', async () => {
        const files = await plainRead(dir, commit);
        const texts = new Map(files.filter((f) => /\.(md|yml)$/.test(f.path)).map((f) => [f.path, new TextDecoder().decode(f.bytes)]));
        const bytes = new Map(files.filter((f) => !/\.(md|yml)$/.test(f.path)).map((f) => [f.path, f.bytes]));
        const started = performance.now();
        const r = await loadPractice(memoryReader(texts, bytes), practice);
        if (!r.practice) throw new Error(`${practice} does not load at ${commit}`);
        return performance.now() - started;
      }],
    ];
    const start = ((i % steps.length) + steps.length) % steps.length;
    for (let k = 0; k < steps.length; k++) {
      const [name, work] = steps[(start + k) % steps.length]!;
      const started = performance.now();
      const value = await work();
      if (i >= 0) times[name].push(name === 'checks' ? (value as number) : performance.now() - started);
    }
    if (i >= 0) log(`  run ${i + 1}: pd export ${ms(times.cli.at(-1)!)}, store only ${ms(times.portal.at(-1)!)}, plain read ${ms(times.anchor.at(-1)!)}`);
  }
  return { label, times, ...facts };
}

/** Every file of the practice at the commit: one walk of its trees, one blob read per file. */
async function plainRead(dir: string, commit: string): Promise<{ path: string; bytes: Uint8Array }[]> {
  const cache = {};
  const out: { path: string; bytes: Uint8Array }[] = [];
  const walk = async (oid: string, prefix: string): Promise<void> => {
    const { tree } = await git.readTree({ fs, dir, oid, cache });
    await Promise.all(
      tree.map(async (e) => {
        if (e.type === 'tree') return walk(e.oid, `${prefix}/${e.path}`);
        out.push({ path: `${prefix}/${e.path}`, bytes: (await git.readBlob({ fs, dir, oid: e.oid, cache })).blob });
      }),
    );
  };
  const { oid } = await git.readTree({ fs, dir, oid: commit, filepath: folder, cache });
  await walk(oid, folder);
  return out;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const ms = (n: number) => `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`;

log(`Making a throwaway repository with the demo practices and ${longHistory} more commits on main`);
const long = await historyRepo(longHistory);
try {
  const results = [await measure(`this repository at HEAD (${practice})`, root, 'HEAD'), await measure(`${longHistory} more commits (${practice})`, long.dir, 'main')];
  console.log(`\nExport of one practice to its JSON document. Medians of ${runs} runs. Node ${process.version}, ${os.availableParallelism()} CPUs.\n`);
  const rows: string[][] = [['', 'median', 'runs', 'target']];
  for (const [n, r] of results.entries()) {
    const m = (k: keyof Times) => median(r.times[k]);
    // The target is for the demo practice as it is; the long history shows how the time grows.
    const target = (x: number) => (n === 0 ? `< ${targetMs} ms ${x < targetMs ? 'ok' : 'MISSED'}` : 'for scale');
    rows.push(
      [`${r.label}: ${r.files} files, ${r.commits} commits of its history, ${(r.bytes / 1048576).toFixed(2)} MB`, '', '', ''],
      ['  pd export (store + isomorphic-git history)', ms(m('cli')), r.times.cli.map(Math.round).join(' '), target(m('cli'))],
      ['  portal (git store alone)', ms(m('portal')), r.times.portal.map(Math.round).join(' '), target(m('portal'))],
      ['  plain isomorphic-git read of the files (anchor)', ms(m('anchor')), r.times.anchor.map(Math.round).join(' '), ''],
      ['  ratio pd export / anchor', `${(m('cli') / m('anchor')).toFixed(1)}×`, '', ''],
      ['  of which: the history summary', ms(m('history')), '', ''],
      ['  of which: the content checks', ms(m('checks')), '', ''],
      ["  isomorphic-git's own log of the folder (for scale)", ms(m('folderLog')), '', ''],
    );
  }
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((row) => row[c]!.length)));
  for (const row of rows) console.log(row.map((c, i) => (i === 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('   ').trimEnd());
  const round = (n: number) => Math.round(n * 10) / 10;
  console.log(
    `\nRESULT json: ${JSON.stringify(
      results.map((r) => ({
        repository: r.label,
        files: r.files,
        commits: r.commits,
        bytes: r.bytes,
        ...Object.fromEntries(Object.entries(r.times).map(([k, xs]) => [`${k}Ms`, round(median(xs))])),
        underOneSecond: median(r.times.cli) < targetMs,
      })),
    )}`,
  );
} finally {
  await long.remove();
}
