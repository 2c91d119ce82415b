// One timed build in a process of its own, so every run starts equally cold and its peak memory
// is its own. Started by build.bench.ts with fork(); the result goes back over the IPC channel.
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import type { Job, Result } from './jobs.ts';

const job = JSON.parse(process.argv[2] ?? '') as Job;
process.send!(await run(job));

async function run(job: Job): Promise<Result> {
  if (job.mode === 'bare') {
    const { default: Eleventy } = await import('@11ty/eleventy');
    const started = performance.now();
    const cpu = cpuMs();
    await new Eleventy(job.input, job.output, { quietMode: true, configPath: job.config }).write();
    return { ms: performance.now() - started, cpuMs: cpuMs() - cpu, maxRssMiB: maxRssMiB(), phases: {}, routes: 0 };
  }

  const { buildSites } = await import('../build/pipeline/build-sites.ts');
  const { loadSettings } = await import('../build/node/settings.ts');
  const { revisionStore } = await import('../build/publish/revision-store.ts');
  const settings = loadSettings(job.root, { ...process.env, PD_STORE_DIR: job.storeDir, PD_DIST_DIR: job.distDir });
  const base = { root: job.root, contentRoot: job.contentRoot, settings, store: revisionStore(settings.storeDir), now: new Date(job.now) };

  // Progress messages mark where the build moves from one phase to the next; the time before the
  // first one is the theme (cached Sass) and the git state.
  const phases: Record<string, number> = {};
  let phase = 'start';
  let mark = performance.now();
  const onProgress = (message: string) => {
    // "Checking and rendering" covers the work done in the build workers; what follows is the
    // main thread switching each practice's revision live.
    const next = message.startsWith('Checking') ? 'check, render, secure (workers)' : 'publish';
    if (next === phase) return;
    const t = performance.now();
    phases[phase] = (phases[phase] ?? 0) + t - mark;
    [phase, mark] = [next, t];
  };

  const started = performance.now();
  const cpu = cpuMs();
  const report = await buildSites({ ...base, practices: job.practices, onProgress });
  const ms = performance.now() - started;
  const cpuUsed = cpuMs() - cpu;
  phases[phase] = (phases[phase] ?? 0) + performance.now() - mark;
  phases['theme and git state'] = phases.start ?? 0;
  delete phases.start;
  const routes = assertBuilt(report.practices, job.expectPages);
  // Taken before any rebuilds, so it is the full build's peak.
  const rss = maxRssMiB();

  const rebuildMs: number[] = [];
  if (job.rebuild) {
    const file = path.join(job.contentRoot, 'content/practices', job.rebuild.practice, 'pages', job.rebuild.page);
    for (let i = 1; i <= job.rebuild.times; i++) {
      await appendFile(file, `\nThis page was edited for benchmark rebuild ${i}.\n`);
      const t = performance.now();
      const r = await buildSites({ ...base, practices: [job.rebuild.practice] });
      rebuildMs.push(performance.now() - t);
      assertBuilt(r.practices);
    }
  }
  return { ms, cpuMs: cpuUsed, maxRssMiB: rss, phases, routes, rebuildMs };
}

/** Throws unless every practice was published; returns how many routes were rendered. */
function assertBuilt(practices: { slug: string; ok: boolean; pages: number; problems: { file: string; message: string }[] }[], expectPages?: number): number {
  const failed = practices.filter((p) => !p.ok);
  if (failed.length) {
    const first = failed[0]!.problems.slice(0, 3).map((p) => `${p.file}: ${p.message}`);
    throw new Error(`${failed.length} practices failed to build, like ${failed[0]!.slug}:\n  ${first.join('\n  ')}`);
  }
  const pages = practices.reduce((n, p) => n + p.pages, 0);
  if (expectPages !== undefined && pages < expectPages) throw new Error(`built only ${pages} pages, expected at least ${expectPages}`);
  return pages;
}

// All threads, so file work done on libuv's pool counts too; unlike wall time, other programs
// on the machine barely change it.
function cpuMs(): number {
  const u = process.resourceUsage();
  return (u.userCPUTime + u.systemCPUTime) / 1000;
}

// Linux reports maxRSS in KiB.
function maxRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}
