// What build.bench.ts asks run-build.ts to do, and what comes back.
import { fork } from 'node:child_process';

export type Job =
  | { mode: 'bare'; input: string; output: string; config: string }
  | {
      mode: 'pd';
      root: string;
      contentRoot: string;
      storeDir: string;
      distDir: string;
      /** ISO time the build is for, fixed so every run renders the same notices. */
      now: string;
      /** Only these practices (default: all). */
      practices?: string[];
      /** Fail the run unless it renders at least this many routes. */
      expectPages?: number;
      /** After the full build: append to this page and rebuild its practice, this many times. */
      rebuild?: { practice: string; page: string; times: number };
    };

export type PdJob = Extract<Job, { mode: 'pd' }>;

export interface Result {
  /** Time inside the build call, after modules are loaded. */
  ms: number;
  /** CPU time (user + system, every thread) of the build call. */
  cpuMs: number;
  maxRssMiB: number;
  /** pd only: time per build phase. */
  phases: Record<string, number>;
  /** pd only: routes rendered (pages, error page, sitemap, robots.txt, security.txt). */
  routes: number;
  rebuildMs?: number[];
}

export interface Timed extends Result {
  /** The whole child process, start-up and module loading included. */
  processMs: number;
}

const runner = new URL('./run-build.ts', import.meta.url);

export function runJob(job: Job, cwd: string): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // Eleventy reports what it wrote even in quiet mode; errors still reach stderr.
    const child = fork(runner, [JSON.stringify(job)], { cwd, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    let result: Result | undefined;
    child.on('message', (m) => (result = m as Result));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0 && result) resolve({ ...result, processMs: performance.now() - started });
      else reject(new Error(`the ${job.mode} build exited with code ${code}`));
    });
  });
}
