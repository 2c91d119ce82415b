// Rebuilds that time alone calls for: when a notice, page, service or news post is due to appear
// or to leave (see lib/content/lifecycle.ts), the practice is rebuilt at that moment, so patients
// never see a notice past its end or miss a page past its publish time. (In production the
// scheduled job, `pd tick`, does the same.)
import { loadPractice } from '../../lib/content/load-practice.ts';
import { nextChangeAt } from '../../lib/content/schedule.ts';
import { fsReader } from '../node/fs-reader.ts';

export interface TimedRebuildOptions {
  contentRoot: string;
  rebuild(practice: string): void;
  log?: (message: string) => void;
  now?: () => Date;
  /** Defaults to setTimeout (unref'd, so it never keeps the process alive). */
  setTimer?: (run: () => void, ms: number) => { clear(): void };
}

/** setTimeout's longest delay; a later change is re-planned when this one fires. */
const maxDelay = 2 ** 31 - 1;

export function timedRebuilds(o: TimedRebuildOptions) {
  const timers = new Map<string, { clear(): void }>();
  const now = o.now ?? (() => new Date());
  const setTimer =
    o.setTimer ??
    ((run, ms) => {
      const t = setTimeout(run, ms);
      t.unref();
      return { clear: () => clearTimeout(t) };
    });
  return {
    /** Looks at each practice's scheduled moments again (after a build) and sets its next rebuild; returns when, per practice. */
    async plan(practices: readonly string[]): Promise<Map<string, Date>> {
      const planned = new Map<string, Date>();
      for (const slug of practices) {
        timers.get(slug)?.clear();
        timers.delete(slug);
        const { practice } = await loadPractice(fsReader(o.contentRoot), slug);
        const at = practice && nextChangeAt(practice, now());
        if (!at) continue;
        planned.set(slug, at);
        // A second late, so the build's clock is past the boundary.
        const wanted = Math.max(0, at.getTime() - now().getTime() + 1000);
        const delay = Math.min(wanted, maxDelay);
        timers.set(
          slug,
          setTimer(() => {
            timers.delete(slug);
            // Too far off for one timer: look again then, rather than rebuild for nothing.
            if (delay < wanted) return void this.plan([slug]);
            o.log?.(`${slug}: something is scheduled to appear or leave now; rebuilding`);
            o.rebuild(slug);
          }, delay),
        );
      }
      return planned;
    },
    stop(): void {
      for (const t of timers.values()) t.clear();
      timers.clear();
    },
  };
}
