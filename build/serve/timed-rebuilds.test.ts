// The local server rebuilds a practice when one of its notices starts or ends.
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentCopy } from '../../test/support/content-copy.ts';
import { timedRebuilds } from './timed-rebuilds.ts';

let root: string;
beforeAll(async () => {
  root = await contentCopy();
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('timed rebuilds', () => {
  it("sets a rebuild for the moment the practice's next notice starts or ends, and fires it", async () => {
    const timers: { run: () => void; ms: number; cleared: boolean }[] = [];
    const rebuilt: string[] = [];
    let now = new Date('2026-12-04T12:00:00Z');
    const plan = timedRebuilds({
      contentRoot: root,
      now: () => now,
      rebuild: (p) => rebuilt.push(p),
      setTimer: (run, ms) => {
        const t = { run, ms, cleared: false };
        timers.push(t);
        return { clear: () => void (t.cleared = true) };
      },
    });
    const at = (await plan.plan(['riverside'])).get('riverside')!;
    expect(at.getTime()).toBeGreaterThan(now.getTime());
    // Months away: one timer cannot wait that long, so when it fires it only plans again.
    expect(timers[0]!.ms).toBe(2 ** 31 - 1);
    now = new Date(at.getTime() - 3_600_000);
    timers[0]!.run();
    // The timer plans again (reading the content afresh), which takes a moment.
    await expect.poll(() => timers.length, { timeout: 10_000 }).toBe(2);
    expect(rebuilt).toEqual([]);
    expect(timers[1]!.ms).toBe(3_600_000 + 1000);
    // Planning again (after a build) replaces the timer rather than adding one.
    await plan.plan(['riverside']);
    expect(timers[1]!.cleared).toBe(true);
    timers[2]!.run();
    expect(rebuilt).toEqual(['riverside']);
    plan.stop();
  });
});
