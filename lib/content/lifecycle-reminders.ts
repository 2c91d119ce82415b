// Which review reminders are due: a page, service or policy is brought to the practice managers'
// attention at most once per stage of its approach to `review_by` (a month before, a week before,
// and once the day has come), however often the scheduled job runs. The caller keeps the keys of
// what was sent. Runtime-neutral.
import type { ReviewDue } from './schedule.ts';

export const reminderStages = [
  { stage: 'month', withinDays: 30 },
  { stage: 'week', withinDays: 7 },
  { stage: 'due', withinDays: 0 },
] as const;

export type ReminderStage = (typeof reminderStages)[number]['stage'];

/** The latest stage an entry has reached with this many days left, if any. */
export function reminderStage(daysLeft: number): ReminderStage | undefined {
  let reached: ReminderStage | undefined;
  for (const s of reminderStages) if (daysLeft <= s.withinDays) reached = s.stage;
  return reached;
}

/** What identifies one reminder: a changed review date is a new series of reminders. */
export const reminderKey = (practice: string, r: Pick<ReviewDue, 'file' | 'reviewBy'>, stage: ReminderStage) =>
  `${practice}|${r.file}|${r.reviewBy}|${stage}`;

export interface ReminderBatch {
  /** The entries to tell the managers about now, most urgent first. */
  due: ReviewDue[];
  /** Their keys, to record once the email has gone. */
  keys: string[];
}

/**
 * The entries whose current stage has not been reminded of yet. Only the latest stage counts: an
 * entry first seen three days before its date gets the week reminder, never the month one too.
 */
export function remindersToSend(practice: string, due: readonly ReviewDue[], sent: ReadonlySet<string>): ReminderBatch {
  const out: ReminderBatch = { due: [], keys: [] };
  for (const r of due) {
    const stage = reminderStage(r.daysLeft);
    if (!stage) continue;
    const key = reminderKey(practice, r, stage);
    if (sent.has(key)) continue;
    out.due.push(r);
    out.keys.push(key);
  }
  return out;
}
