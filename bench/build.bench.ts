// Build benchmark (npm run bench): 100 practices × 40 pages through `pd build`, against a bare
// Eleventy build of the same Markdown, plus a one-practice rebuild and the build's peak memory.
// Every build runs in a fresh process (bench/run-build.ts), alternating pd and bare so that
// anything else slowing the machine hits both alike.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeFixture } from './fixture.ts';
import { hugoBuild, hugoSite, hugoVersion } from './hugo.ts';
import { runJob, type PdJob, type Timed } from './jobs.ts';

const practices = 100;
const pagesPerPractice = 40;
const runs = 3;
const rebuilds = 5;
const coldRebuilds = 3;
const edited = { practice: 'bench-042', page: 'appointments.md' };
const targets = { ratio: 1.3, rebuildMs: 500, peakRssMiB: 1024 };
// A fixed moment, so every run shows the same notices.
const now = '2026-12-04T09:00:00Z';

const root = fileURLToPath(new URL('..', import.meta.url));
const tmp = await mkdtemp(path.join(os.tmpdir(), 'pd-bench-'));
const log = (message: string) => console.error(`• ${message}`);
// Ctrl-C skips `finally`, and each run leaves a few hundred MB in the temp folder.
process.once('SIGINT', () => {
  rmSync(tmp, { recursive: true, force: true });
  process.exit(130);
});

try {
  log(`Generating ${practices} practices × ${pagesPerPractice} pages in ${tmp}`);
  const fixture = await makeFixture({ template: path.join(root, 'content/practices/riverside'), dir: tmp, practices, pagesPerPractice });

  let run = 0;
  const pdJob = (extra: Partial<PdJob> = {}): PdJob => ({
    mode: 'pd',
    root,
    contentRoot: fixture.contentRoot,
    // A fresh store every run, so every practice is published anew. The compiled theme is cached
    // in the project's .pd/cache as in everyday use (the warm-up run fills it).
    storeDir: path.join(tmp, `store-${++run}`),
    distDir: path.join(tmp, `dist-${run}`),
    now,
    expectPages: fixture.pages,
    ...extra,
  });
  // Outputs stay until the end: deleting them, like writing them, leaves the disk busy for a
  // while, and that would slow whichever build runs next. For the same reason every run starts
  // once the last one's writes have reached the disk.
  const pd = async (extra?: Partial<PdJob>) => {
    settle();
    const job = pdJob(extra);
    return { result: await runJob(job, root), job };
  };
  const bare = async () => {
    settle();
    const output = path.join(tmp, 'bare', `out-${++run}`);
    return runJob({ mode: 'bare', input: fixture.bareInput, output, config: fixture.bareConfig }, path.dirname(fixture.bareConfig));
  };

  log('Warm-up: one pd build and one bare Eleventy build');
  await pd();
  await bare();

  const pdRuns: Timed[] = [];
  const bareRuns: Timed[] = [];
  let lastJob: PdJob | undefined;
  for (let i = 1; i <= runs; i++) {
    log(`Run ${i} of ${runs}: pd build`);
    // The last full build also times the one-practice rebuilds, in the same (warm) process.
    const last = i === runs;
    const { result, job } = await pd(last ? { rebuild: { ...edited, times: rebuilds } } : {});
    pdRuns.push(result);
    if (last) lastJob = job;
    log(`Run ${i} of ${runs}: bare Eleventy build`);
    bareRuns.push(await bare());
  }

  // As `pd build --practice bench-042` would: a new process, after one more edit.
  log(`One-practice rebuild in a new process, ${coldRebuilds} times`);
  const coldRuns: Timed[] = [];
  for (let i = 1; i <= coldRebuilds; i++) {
    await appendFile(path.join(fixture.contentRoot, 'content/practices', edited.practice, 'pages', edited.page), `\nEdited again (${i}).\n`);
    settle();
    const { storeDir, distDir } = lastJob!;
    coldRuns.push(await runJob({ mode: 'pd', root, contentRoot: fixture.contentRoot, storeDir, distDir, now, practices: [edited.practice] }, root));
  }

  const hugo = hugoVersion();
  let hugoRuns: number[] | undefined;
  if (hugo) {
    log(`Hugo build, ${runs} times (${hugo})`);
    const site = await hugoSite(fixture.bareInput, path.join(tmp, 'hugo'));
    hugoRuns = [];
    for (let i = 0; i <= runs; i++) {
      settle();
      const ms = await hugoBuild(site, path.join(tmp, `hugo-out-${i}`));
      if (i > 0) hugoRuns.push(ms); // the first is the warm-up
    }
  }

  report({
    fixturePages: fixture.pages,
    pdRuns,
    bareRuns,
    rebuildMs: pdRuns.at(-1)!.rebuildMs!,
    coldRuns,
    hugo: hugo ? { version: hugo, ms: hugoRuns! } : undefined,
  });
} finally {
  await rm(tmp, { recursive: true, force: true });
}

function report(r: {
  fixturePages: number;
  pdRuns: Timed[];
  bareRuns: Timed[];
  rebuildMs: number[];
  coldRuns: Timed[];
  hugo?: { version: string; ms: number[] };
}) {
  const pdMs = median(r.pdRuns.map((x) => x.ms));
  const bareMs = median(r.bareRuns.map((x) => x.ms));
  const ratio = pdMs / bareMs;
  const pdCpuMs = median(r.pdRuns.map((x) => x.cpuMs));
  const bareCpuMs = median(r.bareRuns.map((x) => x.cpuMs));
  const rebuildMs = median(r.rebuildMs);
  const coldMs = median(r.coldRuns.map((x) => x.ms));
  const coldProcessMs = median(r.coldRuns.map((x) => x.processMs));
  const peakRssMiB = Math.max(...r.pdRuns.map((x) => x.maxRssMiB));
  const bareRssMiB = Math.max(...r.bareRuns.map((x) => x.maxRssMiB));
  const phaseNames = Object.keys(r.pdRuns[0]!.phases);
  const phasesMs = Object.fromEntries(phaseNames.map((p) => [p, median(r.pdRuns.map((x) => x.phases[p] ?? 0))]));
  const hugoMs = r.hugo && median(r.hugo.ms);
  const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  // pd renders more pages than there are Markdown files (lists, services, news, policies...),
  // so the cost per rendered page is the like-for-like comparison.
  const routes = r.pdRuns[0]!.routes;
  const perPage = { pd: pdMs / routes, bare: bareMs / r.fixturePages };

  const rows: [string, string, string, string][] = [
    ['pd build, all practices', sec(pdMs), runsOf(r.pdRuns.map((x) => x.ms)), ''],
    ['  whole process', sec(median(r.pdRuns.map((x) => x.processMs))), runsOf(r.pdRuns.map((x) => x.processMs)), ''],
    ['  CPU time', sec(pdCpuMs), runsOf(r.pdRuns.map((x) => x.cpuMs)), ''],
    [`  per rendered page (${routes})`, `${perPage.pd.toFixed(2)} ms`, '', ''],
    ...phaseNames.map((p): [string, string, string, string] => [`  ${p}`, sec(phasesMs[p]!), '', '']),
    ['bare Eleventy', sec(bareMs), runsOf(r.bareRuns.map((x) => x.ms)), ''],
    ['  whole process', sec(median(r.bareRuns.map((x) => x.processMs))), runsOf(r.bareRuns.map((x) => x.processMs)), ''],
    ['  CPU time', sec(bareCpuMs), runsOf(r.bareRuns.map((x) => x.cpuMs)), ''],
    [`  per rendered page (${r.fixturePages})`, `${perPage.bare.toFixed(2)} ms`, '', ''],
    ['ratio pd / bare', `${ratio.toFixed(2)}×`, '', `≤ ${targets.ratio}× ${verdict(ratio <= targets.ratio)}`],
    ['  per rendered page', `${(perPage.pd / perPage.bare).toFixed(2)}×`, '', ''],
    ['  CPU time', `${(pdCpuMs / bareCpuMs).toFixed(2)}×`, '', ''],
    r.hugo ? ['Hugo', sec(hugoMs!), runsOf(r.hugo.ms), r.hugo.version] : ['Hugo', '–', 'not installed', ''],
    [`rebuild ${edited.practice} after an edit`, sec(rebuildMs), runsOf(r.rebuildMs), `≤ ${sec(targets.rebuildMs)} ${verdict(rebuildMs <= targets.rebuildMs)}`],
    ['  in a new process', sec(coldMs), runsOf(r.coldRuns.map((x) => x.ms)), ''],
    ['  whole process', sec(coldProcessMs), runsOf(r.coldRuns.map((x) => x.processMs)), ''],
    ['peak memory, pd build', `${peakRssMiB.toFixed(0)} MiB`, runsOf(r.pdRuns.map((x) => x.maxRssMiB), (n) => n.toFixed(0)), `< ${targets.peakRssMiB} MiB ${verdict(peakRssMiB < targets.peakRssMiB)}`],
    ['peak memory, bare Eleventy', `${bareRssMiB.toFixed(0)} MiB`, '', ''],
  ];
  console.log(
    `\n${practices} practices × ${pagesPerPractice} pages = ${r.fixturePages} Markdown pages; pd renders ${routes} routes from them ` +
      `(with the generated pages, services, news and policies), bare Eleventy renders every Markdown file of the practices.`,
  );
  console.log(`Medians of ${runs} runs (rebuild: ${rebuilds} in the process of the last full build; ${coldRebuilds} in new processes). Node ${process.version}, ${os.availableParallelism()} CPUs.\n`);
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((row) => row[c]!.length), ['', 'median', 'runs', 'target'][c]!.length));
  const line = (cells: string[]) => cells.map((c, i) => (i === 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('   ').trimEnd();
  console.log(line(['', 'median', 'runs', 'target']));
  for (const row of rows) console.log(line(row));

  const round = (n: number) => Math.round(n);
  const result = {
    practices,
    pagesPerPractice,
    markdownPages: r.fixturePages,
    pdRoutes: routes,
    pdBuildMs: round(pdMs),
    pdBuildRunsMs: r.pdRuns.map((x) => round(x.ms)),
    pdProcessMs: round(median(r.pdRuns.map((x) => x.processMs))),
    pdCpuMs: round(pdCpuMs),
    pdPhasesMs: Object.fromEntries(Object.entries(phasesMs).map(([k, v]) => [k, round(v)])),
    bareEleventyMs: round(bareMs),
    bareEleventyRunsMs: r.bareRuns.map((x) => round(x.ms)),
    bareProcessMs: round(median(r.bareRuns.map((x) => x.processMs))),
    bareCpuMs: round(bareCpuMs),
    ratio: Number(ratio.toFixed(3)),
    cpuRatio: Number((pdCpuMs / bareCpuMs).toFixed(3)),
    pdMsPerRenderedPage: Number(perPage.pd.toFixed(3)),
    bareMsPerRenderedPage: Number(perPage.bare.toFixed(3)),
    ratioPerRenderedPage: Number((perPage.pd / perPage.bare).toFixed(3)),
    hugoMs: hugoMs === undefined ? null : round(hugoMs),
    hugoVersion: r.hugo?.version ?? null,
    rebuildOneMs: round(rebuildMs),
    rebuildOneRunsMs: r.rebuildMs.map(round),
    rebuildOneNewProcessMs: round(coldMs),
    rebuildOneNewProcessWholeMs: round(coldProcessMs),
    peakRssMiB: round(peakRssMiB),
    bareEleventyPeakRssMiB: round(bareRssMiB),
    targetsMet: { ratio: ratio <= targets.ratio, rebuild: rebuildMs <= targets.rebuildMs, peakRss: peakRssMiB < targets.peakRssMiB },
  };
  console.log(`\nRESULT json: ${JSON.stringify(result)}`);
}

/** Flushes written files to disk (where `sync` exists), so no run pays for the one before. */
function settle(): void {
  spawnSync('sync');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function sec(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

function runsOf(xs: number[], format = (n: number) => (n / 1000).toFixed(2)): string {
  return xs.map(format).join(' ');
}
