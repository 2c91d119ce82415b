// How long a practice's data is kept once its contract ends: for the contract plus six years,
// then it is flagged for deletion (a person and the deletion job act on the flag; nothing here
// deletes). Both run as the service role, the only role that may write these columns.
import type { Database, Queryable } from '../db/database.ts';

/** Years a practice's data is kept after its contract ends. */
export const retentionYears = 6;

/**
 * Sets `retain_until` from the practice's contract end as it is in the database now (not as a
 * webhook said it was, so a late or repeated delivery cannot set a stale date). A cleared
 * contract end clears the date. Returns false if there is no such practice.
 */
export async function startRetentionClock(q: Queryable, practiceId: string): Promise<boolean> {
  const rows = await q.query(
    `update public.practices set retain_until = (contract_end + make_interval(years => $2))::date where id = $1 returning id`,
    [practiceId, retentionYears],
  );
  return rows.length === 1;
}

/**
 * Flags every practice whose retention date has passed (the day after `retain_until`, in UK
 * time) and is not yet flagged; returns the ids flagged now. Running it twice flags nothing new.
 */
export function flagDueForDeletion(db: Database, now: Date): Promise<string[]> {
  return db.asService('retention job: flag practices whose data is past its retention date for deletion', async (q) => {
    const rows = await q.query<{ id: string }>(
      `update public.practices set flagged_for_deletion_at = $1::timestamptz
       where flagged_for_deletion_at is null and retain_until < ($1::timestamptz at time zone 'Europe/London')::date
       returning id`,
      [now.toISOString()],
    );
    return rows.map((r) => r.id).sort();
  });
}
