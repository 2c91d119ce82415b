// Audit benchmark (npm run bench:audit): a repository of 10,000 commits across 100 practices, made
// with git fast-import (bench/audit-fixture.ts), read by `pd audit` for all practices with the
// JSON report written to /dev/null, against `git log --name-only` over the same repository in the
// same run. Each run is a process of its own; pd and git alternate so that anything else slowing
// the machine hits both alike. The ratio compares the time inside `pd audit` (after its modules
// are loaded) with git's whole process; the whole `pd audit` process is reported beside it.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeAuditRepo } from './audit-fixture.ts';

const practices = 100;
const commits = 10_000;
const runs = 5;
const target = 2;

const root = fileURLToPath(new URL('..', import.meta.url));
const tmp = await mkdtemp(path.join(os.tmpdir(), 'pd-bench-audit-'));
const log = (message: string) => console.error(`• ${message}`);
const cleanUp = () => rmSync(tmp, { recursive: true, force: true });
process.once('SIGINT', () => {
  cleanUp();
  process.exit(130);
});

interface PdRun {
  code: number;
  ms: number;
  cpuMs: number;
  maxRssMiB: number;
  processMs: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const ms = (n: number) => `${n.toFixed(0)} ms`;

try {
  log(`Generating ${commits.toLocaleString('en-GB')} commits across ${practices} practices with git fast-import in ${tmp}`);
  const started = performance.now();
  const f = await makeAuditRepo({ dir: tmp, practices, commits });
  log(
    `  ${f.commits.toLocaleString('en-GB')} commits: ${f.mainCommits.toLocaleString('en-GB')} on main's first-parent line (${f.merges} published drafts, ${f.developerCommits} developer commits), the rest the drafts' saves, status changes and notes; ${f.revisions} revisions (${ms(performance.now() - started)})`,
  );
  const env = { ...process.env, PD_CONTENT_ROOT: f.repo, PD_STORE_DIR: f.storeDir };

  const pd = (args: string[]): PdRun => {
    const t = performance.now();
    const child = spawnSync(process.execPath, [path.join(root, 'bench/audit-run.ts'), JSON.stringify(args)], { cwd: root, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const processMs = performance.now() - t;
    if (child.status !== 0 && child.status !== 1) throw new Error(`pd audit ${args.join(' ')} failed (${child.status}): ${child.stderr.slice(0, 2000)}`);
    const line = child.stdout.trim().split('\n').at(-1)!;
    return { ...(JSON.parse(line) as Omit<PdRun, 'processMs'>), processMs };
  };
  const git = (args: string[]): number => {
    const t = performance.now();
    const child = spawnSync('git', args, { cwd: f.repo, stdio: ['ignore', 'ignore', 'pipe'] });
    if (child.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${child.stderr}`);
    return performance.now() - t;
  };

  const auditArgs = ['--format', 'json', '--out', '/dev/null'];
  log('Warm-up: one run of each (fills the file system cache)');
  pd(auditArgs);
  git(['log', '--name-only']);

  const results = { pd: [] as PdRun[], git: [] as number[], gitFirstParent: [] as number[] };
  log(`Timing ${runs} runs of each, alternating`);
  for (let i = 0; i < runs; i++) {
    results.git.push(git(['log', '--name-only']));
    results.pd.push(pd(auditArgs));
    results.gitFirstParent.push(git(['log', '--first-parent', '-m', '--name-only']));
    const last = results.pd.at(-1)!;
    log(`  run ${i + 1}: git log ${ms(results.git.at(-1)!)}, pd audit ${ms(last.ms)} inside (${ms(last.processMs)} as a process)`);
  }
  const verify = pd(['verify']);

  const gitMs = median(results.git);
  const pdMs = median(results.pd.map((r) => r.ms));
  const pdProcessMs = median(results.pd.map((r) => r.processMs));
  const ratio = pdMs / gitMs;
  const rows: [string, string][] = [
    ['git log --name-only (anchor)', ms(gitMs)],
    ['git log --first-parent -m --name-only', ms(median(results.gitFirstParent))],
    ['pd audit, all practices, JSON to /dev/null (inside the command)', ms(pdMs)],
    ['the same, whole process (Node start-up and module loading included)', ms(pdProcessMs)],
    ['pd audit CPU time (inside the command)', ms(median(results.pd.map((r) => r.cpuMs)))],
    ['pd audit peak memory', `${median(results.pd.map((r) => r.maxRssMiB)).toFixed(0)} MiB`],
    ['pd audit verify, all practices (one run, inside the command)', `${ms(verify.ms)} (exit ${verify.code})`],
    ['ratio pd audit / git log', `${ratio.toFixed(2)}× (target ≤ ${target}×: ${ratio <= target ? 'met' : 'missed'})`],
    ['ratio with pd audit as a whole process', `${(pdProcessMs / gitMs).toFixed(2)}×`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`\nAudit benchmark, ${new Date().toISOString().slice(0, 10)}, Node ${process.versions.node}, ${os.availableParallelism()} cores, medians of ${runs} runs:\n`);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
} finally {
  cleanUp();
}
