// Publish and remove times on pages, services and news: what is live at a moment, what the site
// leaves out, the check on the two dates, and the moments the scheduler must rebuild at.
import { beforeAll, describe, expect, it } from 'vitest';
import { edit, memReader, practiceTree, type Tree } from '../../test/support/content-copy.ts';
import { reminderStage, remindersToSend } from './lifecycle-reminders.ts';
import { hiddenEntries, isLiveAt, livePractice, momentsBetween, scheduledMoments } from './lifecycle.ts';
import { loadPractice } from './load-practice.ts';
import { formatProblem } from './problems.ts';
import { nextChangeAt } from './schedule.ts';

const dir = 'content/practices/riverside';
const smoking = `${dir}/services/smoking-support.md`;
const phones = `${dir}/news/new-phone-system.md`;
let base: Tree;

beforeAll(async () => {
  base = await practiceTree('riverside');
});

/** Adds front-matter lines just before the closing `---` of one file. */
const withFields = (t: Tree, file: string, lines: string) => edit(t, file, /\n---\n/, `\n${lines}\n---\n`);

async function load(t: Tree) {
  const r = await loadPractice(memReader(t), 'riverside');
  if (!r.practice) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r;
}

describe('whether an entry is live', () => {
  const at = (iso: string) => new Date(iso);
  it('is live without dates, from publish_at on, and until (not at) expires', () => {
    expect(isLiveAt({}, at('2026-01-01T00:00:00Z'))).toBe(true);
    const d = { publish_at: '2027-01-04T09:00:00.000Z', expires: '2027-03-31T16:00:00.000Z' };
    expect(isLiveAt(d, at('2027-01-04T08:59:59Z'))).toBe(false);
    expect(isLiveAt(d, at('2027-01-04T09:00:00Z'))).toBe(true);
    expect(isLiveAt(d, at('2027-03-31T15:59:59Z'))).toBe(true);
    expect(isLiveAt(d, at('2027-03-31T16:00:00Z'))).toBe(false);
    expect(isLiveAt({ expires: d.expires }, at('2020-01-01T00:00:00Z'))).toBe(true);
  });
});

describe('the practice as its site shows it', () => {
  it('leaves out a waiting service and an expired news post, and unlinks links to them', async () => {
    let t = withFields(base, smoking, 'publish_at: 2027-01-04T09:00');
    t = withFields(t, phones, 'expires: 2026-07-31T17:00');
    const { practice } = await load(t);
    // UK local time: 09:00 in January is 09:00 UTC; 17:00 in July is 16:00 UTC (BST).
    expect(practice!.services.find((s) => s.slug === 'smoking-support')!.data.publish_at).toBe('2027-01-04T09:00:00.000Z');
    expect(practice!.news.find((n) => n.slug === 'new-phone-system')!.data.expires).toBe('2026-07-31T16:00:00.000Z');

    const now = new Date('2026-12-05T12:00:00Z');
    expect(hiddenEntries(practice!, now).map((e) => e.file).sort()).toEqual([phones, smoking]);
    const live = livePractice(practice!, now);
    expect(live.services.map((s) => s.slug)).not.toContain('smoking-support');
    expect(live.services).toHaveLength(practice!.services.length - 1);
    expect(live.news.map((n) => n.slug)).not.toContain('new-phone-system');
    // Two services link to it; in the live view the words stay and the links go.
    const health = (p: typeof practice) => p!.services.find((s) => s.slug === 'nhs-health-checks')!.html;
    expect(health(practice)).toMatch(/<a href="\/services\/smoking-support\/">stop smoking<\/a>/);
    expect(health(live)).not.toMatch(/smoking-support/);
    expect(health(live)).toMatch(/support to stop smoking, lose weight/);
    // Links to live pages are untouched.
    expect(live.services.find((s) => s.slug === 'asthma-copd-clinic')!.html).toMatch(/<a href="\/long-term-conditions\/">/);
    // The content itself is not changed.
    expect(practice!.services.map((s) => s.slug)).toContain('smoking-support');

    const later = livePractice(practice!, new Date('2027-01-04T09:00:00Z'));
    expect(later.services.map((s) => s.slug)).toContain('smoking-support');
    expect(health(later)).toMatch(/<a href="\/services\/smoking-support\/">/);
  });

  it('gives back the very same practice when nothing is hidden', async () => {
    const { practice } = await load(base);
    expect(livePractice(practice!, new Date('2026-12-05T12:00:00Z'))).toBe(practice);
  });

  it('refuses an end that is not after the start, saying where and how to fix it', async () => {
    const t = withFields(base, smoking, 'publish_at: 2027-01-04T09:00\nexpires: 2027-01-04T08:00');
    const r = await loadPractice(memReader(t), 'riverside');
    const problems = r.problems.filter((p) => p.severity === 'error');
    expect(problems.map(formatProblem)).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: smoking, field: 'expires' });
    expect(problems[0]!.message).toMatch(/is not after "publish_at"/);
    expect(problems[0]!.fix).toMatch(/later time than "publish_at"/);
  });

  it('refuses a publish time that is not a date and time', async () => {
    const t = withFields(base, smoking, 'publish_at: next monday');
    const problems = (await loadPractice(memReader(t), 'riverside')).problems.filter((p) => p.severity === 'error');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: smoking, field: 'publish_at' });
  });
});

describe('when the site must be rebuilt', () => {
  it('counts publish and remove times with the notices, in order', async () => {
    const { practice: plain } = await load(base);
    const t = withFields(withFields(base, smoking, 'publish_at: 2031-01-06T09:00'), phones, 'expires: 2031-02-01T00:00');
    const { practice } = await load(t);
    const moments = scheduledMoments(practice!).map((d) => d.toISOString());
    expect(moments).toEqual([...moments].sort());
    expect(moments).toEqual([...scheduledMoments(plain!).map((d) => d.toISOString()), '2031-01-06T09:00:00.000Z', '2031-02-01T00:00:00.000Z']);
    // After every notice has ended, the next change is the service's publish time, then the post's end.
    const lastNotice = scheduledMoments(plain!).at(-1)!;
    expect(lastNotice.getTime()).toBeLessThan(Date.parse('2031-01-01T00:00:00Z'));
    expect(nextChangeAt(practice!, new Date('2031-01-01T00:00:00Z'))?.toISOString()).toBe('2031-01-06T09:00:00.000Z');
    expect(nextChangeAt(practice!, new Date('2031-01-06T09:00:00Z'))?.toISOString()).toBe('2031-02-01T00:00:00.000Z');
    expect(nextChangeAt(practice!, new Date('2031-02-01T00:00:00Z'))).toBeUndefined();
    expect(nextChangeAt(plain!, new Date('2031-01-01T00:00:00Z'))).toBeUndefined();
  });

  it('finds the moments between a build and now: after the build, up to and including now', async () => {
    const { practice } = await load(withFields(base, smoking, 'publish_at: 2031-01-06T09:00'));
    const at = new Date('2031-01-06T09:00:00Z');
    expect(momentsBetween(practice!, new Date('2031-01-01T00:00:00Z'), at)).toEqual([at]);
    expect(momentsBetween(practice!, at, new Date('2031-02-01T00:00:00Z'))).toEqual([]);
    expect(momentsBetween(practice!, new Date('2031-01-01T00:00:00Z'), new Date(at.getTime() - 1))).toEqual([]);
  });
});

describe('review reminders', () => {
  const r = (daysLeft: number) => ({ file: `${dir}/pages/appointments.md`, title: 'Appointments', reviewBy: '2026-12-15', daysLeft });
  it('reaches a stage a month before, a week before, and on the day or after', () => {
    expect([31, 30, 8, 7, 1, 0, -5].map(reminderStage)).toEqual([undefined, 'month', 'month', 'week', 'week', 'due', 'due']);
  });

  it('sends each stage once, only the latest one reached, and again for a new review date', () => {
    const first = remindersToSend('riverside', [r(3)], new Set());
    expect(first.keys).toEqual([`riverside|${dir}/pages/appointments.md|2026-12-15|week`]);
    expect(remindersToSend('riverside', [r(2)], new Set(first.keys)).due).toEqual([]);
    expect(remindersToSend('riverside', [r(0)], new Set(first.keys)).keys).toEqual([`riverside|${dir}/pages/appointments.md|2026-12-15|due`]);
    expect(remindersToSend('riverside', [{ ...r(25), reviewBy: '2027-01-08' }], new Set(first.keys)).due).toHaveLength(1);
    expect(remindersToSend('riverside', [r(40)], new Set()).due).toEqual([]);
  });
});
