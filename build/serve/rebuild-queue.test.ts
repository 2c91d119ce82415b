import { describe, expect, it } from 'vitest';
import { rebuildQueue, targetOf } from './rebuild-queue.ts';

describe('rebuilding on change', () => {
  it('maps a changed file to its practice, and theme or model changes to every practice', () => {
    expect(targetOf('content/practices/riverside/pages/appointments.md')).toBe('riverside');
    expect(targetOf('themes/nhsuk/views/home.njk')).toBe('all');
    expect(targetOf('schemas/model.ts')).toBe('all');
    expect(targetOf('content/practices/riverside')).toBeUndefined();
    expect(targetOf('README.md')).toBeUndefined();
  });

  it('runs one build at a time and gathers changes made during a build into the next', async () => {
    const runs: (string[] | 'all')[] = [];
    let release!: () => void;
    const q = rebuildQueue(async (which) => {
      runs.push(which);
      if (runs.length === 1) await new Promise<void>((r) => (release = r));
    }, 5);
    q.add('riverside');
    await new Promise((r) => setTimeout(r, 20));
    q.add('fellside');
    q.add('afon-teifi');
    q.add('fellside');
    await new Promise((r) => setTimeout(r, 20));
    expect(runs).toEqual([['riverside']]);
    release();
    await q.idle();
    expect(runs).toEqual([['riverside'], ['afon-teifi', 'fellside']]);
    q.add('riverside');
    q.add('all');
    await q.idle();
    expect(runs.at(-1)).toBe('all');
  });
});
