// Small shared pieces of the statutory checks: dates, blank text, and where a fix goes.
import { addMonths } from '../content/dates.ts';
import type { Entry } from '../content/practice.ts';
import type { CheckContext, Finding } from './types.ts';

export const profileFile = (ctx: CheckContext): string => `${ctx.practice.dir}/practice.yml`;

export const blank = (s: string | undefined | null): boolean => !s || !s.trim();

/** A finding about a field of the practice profile. */
export const inProfile = (ctx: CheckContext, field: string, message: string, fix: string): Finding => ({ message, fix, file: profileFile(ctx), field });

/** `ymd` plus `months` is before today: a yearly review is overdue. */
export const olderThanMonths = (ymd: string, months: number, today: string): boolean => addMonths(ymd, months) < today;

/** A reviewed entry whose `review_by` has passed, as a finding; nothing if it is in date. */
export function reviewOverdue(entry: Entry<unknown>, today: string, what: string): Finding[] {
  const data = entry.data as { review_by?: string; title?: string };
  if (!data.review_by || data.review_by >= today) return [];
  return [
    {
      message: `${what} "${data.title ?? entry.slug}" was due for review on ${data.review_by}`,
      fix: 'review it, then set "last_reviewed" to today and "review_by" to a date within 12 months',
      file: entry.file,
      field: 'review_by',
    },
  ];
}

/** The page marked as answering a home-page top task, if any. */
export const taskPage = (ctx: CheckContext, task: string) => ctx.practice.pages.find((p) => p.data.task === task);

/** `YYYY-MM` of a UK date, `months` earlier. */
export function monthBefore(ymd: string, months: number): string {
  const [y, m] = ymd.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) - months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}
