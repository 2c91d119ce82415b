import type { Database } from '../../lib/db/database.ts';
import type { PracticeProfile } from '../../schemas/generated/types.ts';

/**
 * Adds each practice of the content to the database, or updates its name, ODS code and nation:
 * the content is the source of a practice's identity, the database of its contract and members.
 */
export async function registerPractices(db: Database, reason: string, practices: readonly { slug: string; profile: PracticeProfile }[]): Promise<void> {
  await db.asService(reason, async (q) => {
    for (const { slug, profile } of practices)
      await q.query(
        `insert into public.practices (slug, ods_code, name, nation, contract_start, status) values ($1, $2, $3, $4, current_date, 'active')
         on conflict (slug) do update set ods_code = excluded.ods_code, name = excluded.name, nation = excluded.nation`,
        [slug, profile.ods_code, profile.name, profile.nation],
      );
  });
}
