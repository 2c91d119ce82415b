// What a caller is to one practice, for the portal's second-factor rule: their role there, whether
// they are a platform admin, and whether the practice asks a second factor of everyone. Read as
// the caller, so row-level security answers (a practice they cannot see has no role for them).
import type { Claims, Database } from '../db/database.ts';
import type { Role } from './members.ts';

export interface PracticeAccess {
  role: Role | null;
  platformAdmin: boolean;
  /** The practice asks every member, editors included, to sign in with a second factor. */
  mfaRequiredForAll: boolean;
}

/** Roles whose sessions must have passed a second factor (`aal2`) for anything in the practice. */
export const secondFactorRoles: readonly Role[] = ['practice_manager', 'clinical_reviewer'];

export async function accessOf(db: Database, caller: Claims, practice: string): Promise<PracticeAccess> {
  return db.asCaller(caller, async (q) => {
    const [row] = await q.query<{ admin: boolean; role: Role | null; all_members: boolean | null }>(
      `select private.is_platform_admin() as admin, private.role_in(p.id) as role, p.mfa_required_for_all as all_members
         from (select 1) one left join public.practices p on p.slug = $1`,
      [practice],
    );
    return { role: row?.role ?? null, platformAdmin: row?.admin === true, mfaRequiredForAll: row?.all_members === true };
  });
}

/** Why this caller must sign in with a second factor first, or undefined when they need not. */
export function secondFactorReason(a: PracticeAccess): string | undefined {
  if (a.role && secondFactorRoles.includes(a.role)) return `as ${a.role === 'practice_manager' ? 'a practice manager' : 'a clinical reviewer'}`;
  if (a.platformAdmin) return 'as a platform admin';
  if (a.role && a.mfaRequiredForAll) return 'because this practice asks it of everyone';
  return undefined;
}
