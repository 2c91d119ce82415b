// What the review-date widget works out: the build's review rule (lib/content/rules.ts: after
// the last review, and at most 12 months after it), how far off the date is, and the default
// (12 months after the last review, or after today for a page never reviewed).
import { datePattern } from '../../../schemas/formats.ts';
import { addMonths, isValidDate } from '../../../lib/content/dates.ts';
import { formatDate } from '../../../build/site/format.ts';

export const reviewMonths = 12;
const ymd = new RegExp(datePattern);
const dayMs = 86_400_000;

export const isDate = (s: string | undefined): s is string => Boolean(s && ymd.test(s) && isValidDate(s));

export function defaultReviewBy(lastReviewed: string | undefined, today: string): string {
  return addMonths(isDate(lastReviewed) ? lastReviewed : today, reviewMonths);
}

/** Whole days from `today` to `date` (both YYYY-MM-DD, UK calendar days). */
export function daysUntil(date: string, today: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / dayMs);
}

export function dueText(reviewBy: string, today: string): { text: string; overdue: boolean } {
  const days = daysUntil(reviewBy, today);
  if (days > 1) return { text: `Due in ${days} days`, overdue: false };
  if (days === 1) return { text: 'Due tomorrow', overdue: false };
  if (days === 0) return { text: 'Due today', overdue: false };
  return { text: `Overdue by ${-days} day${days === -1 ? '' : 's'}`, overdue: true };
}

export function reviewDateProblem(reviewBy: string, lastReviewed: string | undefined): string | undefined {
  if (!reviewBy) return 'Enter the date this page must next be reviewed by';
  if (!isDate(reviewBy)) return 'Enter a real date, like 31 March 2027';
  if (!isDate(lastReviewed)) return undefined;
  if (reviewBy <= lastReviewed) return `The review date must be after the last review (${formatDate(lastReviewed)})`;
  const latest = addMonths(lastReviewed, reviewMonths);
  if (reviewBy > latest) return `The review date must be at most ${reviewMonths} months after the last review: choose ${formatDate(latest)} or earlier`;
  return undefined;
}
