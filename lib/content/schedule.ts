// What changes with time alone, with no new commit: a notice appears at `starts` and leaves at
// `expires` (the site must be rebuilt then), and pages reach their `review_by` date (the practice
// manager must be told). Runtime-neutral: the local server, the scheduled CI job and the portal
// all ask these two functions.
import { ukDate } from './dates.ts';
import type { Entry, Practice } from './practice.ts';

/** The next moment after `now` when a notice starts or ends, so the site must be rebuilt. */
export function nextChangeAt(practice: Practice, now: Date): Date | undefined {
  let next: number | undefined;
  for (const n of practice.notices)
    for (const at of [n.data.starts, n.data.expires]) {
      const t = at ? Date.parse(at) : Number.NaN;
      if (t > now.getTime() && (next === undefined || t < next)) next = t;
    }
  return next === undefined ? undefined : new Date(next);
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
