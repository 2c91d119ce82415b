// What changes with time alone, with no new commit: a notice appears at `starts` and leaves at
// `expires`, a page, service or news post at its `publish_at` and `expires` (the site must be
// rebuilt then), and pages reach their `review_by` date (the practice manager must be told).
// Runtime-neutral: the local server, `pd tick` and the portal all ask these functions.
import { ukDate } from './dates.ts';
import { scheduledMoments } from './lifecycle.ts';
import type { Entry, Practice } from './practice.ts';

/** The next moment after `now` when something appears on or leaves the site, so it must be rebuilt. */
export function nextChangeAt(practice: Practice, now: Date): Date | undefined {
  return scheduledMoments(practice).find((d) => d.getTime() > now.getTime());
}

export interface ReviewDue {
  file: string;
  title: string;
  url?: string;
  reviewBy: string;
  /** Negative once the date has passed. */
  daysLeft: number;
}

type Reviewed = Entry<{ title: string; review_by: string }>;

/** Pages, services and policies whose `review_by` has passed or falls within `withinDays`, most urgent first. */
export function reviewsDue(practice: Practice, now: Date, withinDays = 30): ReviewDue[] {
  const today = ukDate(now);
  const entries: Reviewed[] = [...practice.pages, ...practice.services, ...Object.values(practice.policies)] as Reviewed[];
  const day = (ymd: string) => Date.parse(`${ymd}T00:00:00Z`) / 86_400_000;
  return entries
    .filter((e) => typeof e.data.review_by === 'string')
    .map((e) => ({
      file: e.file,
      title: e.data.title,
      ...(e.url ? { url: e.url } : {}),
      reviewBy: e.data.review_by,
      daysLeft: Math.round(day(e.data.review_by) - day(today)),
    }))
    .filter((r) => r.daysLeft <= withinDays)
    .sort((a, b) => a.daysLeft - b.daysLeft || a.file.localeCompare(b.file));
}
