// The people `npm start` signs in as: a manager, an editor and two clinical reviewers at Riverside
// (two, so one can approve what the other wrote), and a manager at Fellside. Local only: they are
// added to the embedded database and the local sign-in service, never to a real project.
import type { Role } from '../../lib/members/members.ts';
import type { ScriptRunner } from '../db/migrate.ts';

export interface DemoMember {
  practice: string;
  email: string;
  name: string;
  role: Role;
}

export const demoMembers: readonly DemoMember[] = [
  { practice: 'riverside', email: 'manager@riverside.example.nhs.uk', name: 'Mina Manager', role: 'practice_manager' },
  { practice: 'riverside', email: 'editor@riverside.example.nhs.uk', name: 'Eddie Editor', role: 'editor' },
  { practice: 'riverside', email: 'reviewer@riverside.example.nhs.uk', name: 'Dr Rhea Reviewer', role: 'clinical_reviewer' },
  { practice: 'riverside', email: 'gp@riverside.example.nhs.uk', name: 'Dr Gabe Partner', role: 'clinical_reviewer' },
  { practice: 'fellside', email: 'manager@fellside.example.nhs.uk', name: 'Fern Manager', role: 'practice_manager' },
];

/** Adds each demo person who is not already an active member; returns how many were added. */
export async function seedDemoMembers(owner: ScriptRunner, userIdOf: (email: string) => Promise<string>, people = demoMembers): Promise<number> {
  let added = 0;
  for (const m of people) {
    const userId = await userIdOf(m.email);
    const rows = await owner.query<{ id: string }>(
      `insert into public.members (practice_id, user_id, email, name, role)
       select p.id, $1, $2, $3, $4::public.member_role from public.practices p
        where p.slug = $5
          and not exists (select 1 from public.members m where m.practice_id = p.id and m.user_id = $1 and m.revoked_at is null)
       returning id`,
      [userId, m.email, m.name, m.role, m.practice],
    );
    added += rows.length;
  }
  return added;
}
