import { describe, expect, it } from 'vitest';
import { loadPractice } from './load-practice.ts';
import { nextChangeAt, reviewsDue } from './schedule.ts';
import { edit, memReader, practiceTree, type Tree } from '../../test/support/content-copy.ts';

const load = async (change: (t: Tree) => Tree = (t) => t) => {
  const tree = change(await practiceTree('riverside'));
  const { practice, problems } = await loadPractice(memReader(tree), 'riverside');
  if (!practice) throw new Error(problems.map((p) => p.message).join('; '));
  return practice;
};

describe('what changes with time alone', () => {
  it('finds the next notice to start or end, and nothing once all have ended', async () => {
    const practice = await load();
    const ends = practice.notices.map((n) => Date.parse(n.data.expires)).sort((a, b) => a - b);
    const before = new Date(Math.min(...practice.notices.map((n) => Date.parse(n.data.starts))) - 60_000);
    expect(nextChangeAt(practice, before)?.getTime()).toBe(Math.min(...practice.notices.map((n) => Date.parse(n.data.starts))));
    expect(nextChangeAt(practice, new Date(ends.at(-1)! - 1000))?.getTime()).toBe(ends.at(-1));
    expect(nextChangeAt(practice, new Date(ends.at(-1)! + 1000))).toBeUndefined();
  });

  it('lists pages whose review is overdue or due soon, most urgent first', async () => {
    const practice = await load((t) => edit(edit(t, 'content/practices/riverside/pages/appointments.md', /review_by: .*/, 'review_by: 2026-12-01'), 'content/practices/riverside/pages/appointments.md', /last_reviewed: .*/, 'last_reviewed: 2026-01-10'));
    const due = reviewsDue(practice, new Date('2026-12-04T12:00:00Z'), 30);
    expect(due[0]).toMatchObject({ file: 'content/practices/riverside/pages/appointments.md', title: 'Appointments', reviewBy: '2026-12-01', daysLeft: -3, url: '/appointments/' });
    expect(due.every((d, i) => i === 0 || d.daysLeft >= due[i - 1]!.daysLeft)).toBe(true);
    expect(due.every((d) => d.daysLeft <= 30)).toBe(true);
    expect(reviewsDue(practice, new Date('2026-12-04T12:00:00Z'), -10)).toEqual([]);
  });
});
