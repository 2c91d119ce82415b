// A small world to test row-level security in: practices A and B, someone in each role at A, an
// expired urgent publisher and a revoked editor at A, a manager at B, a platform admin and a
// signed-in stranger, with an invitation, billing, a data request, a webhook event, a security
// event per practice, a lifted freeze of A, a session revocation and an incident. Every call
// makes new practices and people, so tests that commit do not see each other's rows.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { ScriptRunner } from '../../build/db/migrate.ts';
import type { Claims, Database } from '../../lib/db/database.ts';

export const actorNames = [
  'anon',
  'stranger',
  'managerA',
  'editorA',
  'reviewerA',
  'publisherA',
  'auditorA',
  'expiredPublisherA',
  'revokedEditorA',
  'managerB',
  'admin',
] as const;
export type ActorName = (typeof actorNames)[number];
export type PersonName = Exclude<ActorName, 'anon'> | 'otherEditorA';

/** Active members of practice A, one per role. */
export const activeA = ['managerA', 'editorA', 'reviewerA', 'publisherA', 'auditorA'] as const satisfies readonly ActorName[];

/** What the fixture holds, which the matrix's expected counts rely on. */
export const fixtureCounts = {
  /** Membership rows of practice A: the five active ones, the expired, the revoked, otherEditorA. */
  membersInA: 8,
  /** Log rows of practice A: one `granted` per membership and one `invited`. */
  logInA: 9,
  /** Freeze rows of practice A: a freeze and its unfreeze, so A is not frozen. */
  freezesInA: 2,
} as const;

export interface World {
  practiceA: string;
  practiceB: string;
  user: Record<PersonName, string>;
  email: Record<PersonName, string>;
  /** Membership row ids. */
  member: Record<Exclude<PersonName, 'stranger' | 'admin'>, string>;
  /** A pending invitation to practice A, and the token it was sent with. */
  invitationA: string;
  invitationToken: string;
  inviteeEmail: string;
  /** A completed export request of practice A. */
  dataRequestA: string;
  webhookEventId: string;
  /** A session revocation of someone outside the world, so no actor's session is revoked. */
  revocationId: string;
  /** An incident affecting practice A, with its `opened` event. */
  incidentId: string;
  claims(actor: ActorName): Claims | null;
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
export const tokenHash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
export const newToken = () => randomBytes(32).toString('base64url');

function odsCode(): string {
  const letter = String.fromCharCode(65 + Math.floor(Math.random() * 26));
  return letter + String(Math.floor(Math.random() * 100_000)).padStart(5, '0');
}

export function claimsFor(userId: string, email: string): Claims {
  return { sub: userId, role: 'authenticated', email };
}

export async function addPractice(owner: ScriptRunner, label: string): Promise<string> {
  const [row] = await owner.query<{ id: string }>(
    `insert into public.practices (slug, ods_code, name, nation, contract_start, status)
     values ($1, $2, $3, 'england', current_date, 'active') returning id`,
    [`${label}-${hex(4)}`, odsCode(), `Practice ${label.toUpperCase()}`],
  );
  return row!.id;
}

export async function seedWorld(owner: ScriptRunner): Promise<World> {
  const tag = hex(3);
  const people: PersonName[] = [...actorNames.filter((a): a is Exclude<ActorName, 'anon'> => a !== 'anon'), 'otherEditorA'];
  const user = Object.fromEntries(people.map((p) => [p, randomUUID()])) as Record<PersonName, string>;
  const email = Object.fromEntries(people.map((p) => [p, `${p.toLowerCase()}.${tag}@example.nhs.uk`])) as Record<PersonName, string>;

  const practiceA = await addPractice(owner, 'a');
  const practiceB = await addPractice(owner, 'b');
  await owner.query('insert into public.platform_admins (user_id, email) values ($1, $2)', [user.admin, email.admin]);

  const memberships: [Exclude<PersonName, 'stranger' | 'admin'>, string, string, string][] = [
    // person, practice, role, extra columns as SQL: expires_at, granted_at, revoked_at
    ['managerA', practiceA, 'practice_manager', 'null, now(), null'],
    ['editorA', practiceA, 'editor', 'null, now(), null'],
    ['reviewerA', practiceA, 'clinical_reviewer', 'null, now(), null'],
    ['publisherA', practiceA, 'urgent_publisher', "now() + interval '48 hours', now(), null"],
    ['auditorA', practiceA, 'auditor', 'null, now(), null'],
    ['expiredPublisherA', practiceA, 'urgent_publisher', "now() - interval '3 days', now() - interval '5 days', null"],
    ['revokedEditorA', practiceA, 'editor', "null, now() - interval '2 days', now() - interval '1 day'"],
    ['otherEditorA', practiceA, 'editor', 'null, now(), null'],
    ['managerB', practiceB, 'practice_manager', 'null, now(), null'],
  ];
  const member = {} as World['member'];
  for (const [person, practice, role, extra] of memberships) {
    const [row] = await owner.query<{ id: string }>(
      `insert into public.members (practice_id, user_id, email, name, role, expires_at, granted_at, revoked_at)
       values ($1, $2, $3, $4, $5, ${extra}) returning id`,
      [practice, user[person], email[person], person, role],
    );
    member[person] = row!.id;
  }

  const invitationToken = newToken();
  const inviteeEmail = `invitee.${tag}@example.nhs.uk`;
  const [inv] = await owner.query<{ id: string }>(
    `insert into public.invitations (practice_id, email, role, invited_by, token_hash)
     values ($1, $2, 'editor', $3, $4) returning id`,
    [practiceA, inviteeEmail, user.managerA, tokenHash(invitationToken)],
  );
  for (const [practice, n] of [[practiceA, 1], [practiceB, 2]] as const) {
    await owner.query(
      `insert into public.billing (practice_id, gocardless_customer_id, mandate_id, mandate_status)
       values ($1, $2, $3, 'active')`,
      [practice, `CU${tag.toUpperCase()}${n}`, `MD${tag.toUpperCase()}${n}`],
    );
  }
  const [request] = await owner.query<{ id: string }>(
    `insert into public.data_requests (practice_id, kind, requested_by, status, completed_at)
     values ($1, 'export', $2, 'completed', now()) returning id`,
    [practiceA, user.managerA],
  );
  await owner.query(`insert into public.data_requests (practice_id, kind, requested_by) values ($1, 'export', $2)`, [practiceB, user.managerB]);
  const webhookEventId = `EV${tag.toUpperCase()}`;
  await owner.query(`insert into public.processed_webhook_events (source, event_id, event_type) values ('gocardless', $1, 'mandates.active')`, [
    webhookEventId,
  ]);

  for (const [practice, person] of [[practiceA, 'managerA'], [practiceB, 'managerB']] as const) {
    await owner.query(`insert into public.security_events (kind, user_id, email, practice_id) values ('sign_in', $1, $2, $3)`, [user[person], email[person], practice]);
  }
  await owner.query(
    `insert into public.practice_freezes (practice_id, action, reason, actor) values ($1, 'freeze', 'test', 'admin'), ($1, 'unfreeze', 'test over', 'admin')`,
    [practiceA],
  );
  const [revocation] = await owner.query<{ id: string }>(
    `insert into public.session_revocations (scope, user_id, reason, actor) values ('user', $1, 'test', 'admin') returning id::text`,
    [randomUUID()],
  );
  const [incident] = await owner.query<{ id: string }>(
    `insert into public.incidents (discovered_at, title, summary, personal_data, opened_by) values (now() - interval '1 hour', 'Test', 'Test', false, 'admin') returning id`,
  );
  await owner.query(`insert into public.incident_events (incident_id, kind, practice_id, actor) values ($1, 'opened', $2, 'admin')`, [incident!.id, practiceA]);

  return {
    practiceA,
    practiceB,
    revocationId: revocation!.id,
    incidentId: incident!.id,
    user,
    email,
    member,
    invitationA: inv!.id,
    invitationToken,
    inviteeEmail,
    dataRequestA: request!.id,
    webhookEventId,
    claims: (actor) => (actor === 'anon' ? null : claimsFor(user[actor], email[actor])),
  };
}

// --- Outcomes ----------------------------------------------------------------------------------

/**
 * What happened, as a string that reads well in a failed assertion:
 * - `rows:N`: the statement ran; N rows were seen or affected (0 = filtered out by a policy);
 * - `no-privilege`: refused before any policy, for want of a table privilege ("permission denied for table");
 * - `rls-refused`: a policy's WITH CHECK refused the new row;
 * - `error:<code> <message>`: anything else (a check constraint, a trigger).
 */
export type Outcome = `rows:${number}` | 'no-privilege' | 'rls-refused' | `error:${string}`;

export function classify(e: unknown): Outcome {
  const err = e as { code?: string; message?: string };
  const message = err.message ?? String(e);
  if (/^permission denied for table /.test(message)) return 'no-privilege';
  if (/^new row violates row-level security policy/.test(message)) return 'rls-refused';
  return `error:${err.code ?? '?'} ${message}`;
}

class Rollback extends Error {
  outcome: Outcome;
  constructor(outcome: Outcome) {
    super('rolled back on purpose');
    this.outcome = outcome;
  }
}

/**
 * Runs one statement as `claims` (null: anonymous) and rolls it back, so the world is unchanged.
 * The statement returns one row with the count `n` (wrap writes as `with w as (... returning 1)`).
 */
export async function attempt(db: Database, claims: Claims | null, sql: string, params: unknown[] = []): Promise<Outcome> {
  try {
    await db.asCaller(claims, async (q) => {
      const [row] = await q.query<{ n: number | string }>(sql, params);
      throw new Rollback(`rows:${Number(row?.n ?? 0)}`);
    });
    throw new Error('unreachable');
  } catch (e) {
    if (e instanceof Rollback) return e.outcome;
    return classify(e);
  }
}

/** Runs one statement as `claims` (null: anonymous) and commits it; the statement returns `n` as for `attempt`. */
export async function perform(db: Database, claims: Claims | null, sql: string, params: unknown[] = []): Promise<Outcome> {
  try {
    return await db.asCaller(claims, async (q) => {
      const [row] = await q.query<{ n: number | string }>(sql, params);
      return `rows:${Number(row?.n ?? 0)}` as const;
    });
  } catch (e) {
    return classify(e);
  }
}

/** `with w as (<write> returning 1) select count(*) as n from w`: a write that reports its row count. */
export const counted = (write: string) => `with w as (${write} returning 1) select count(*)::int as n from w`;

/** Runs one statement as the service role (bypassing RLS) and commits it; `n` as for `attempt`. */
export async function performAsService(db: Database, sql: string, params: unknown[] = []): Promise<Outcome> {
  try {
    return await db.asService('row-level security tests: what the service role may and may not do', async (q) => {
      const [row] = await q.query<{ n: number | string }>(sql, params);
      return `rows:${Number(row?.n ?? 0)}` as const;
    });
  } catch (e) {
    return classify(e);
  }
}

/** Runs one statement as the database owner; `n` as for `attempt`. */
export async function performAsOwner(owner: ScriptRunner, sql: string, params: unknown[] = []): Promise<Outcome> {
  try {
    const [row] = await owner.query<{ n: number | string }>(sql, params);
    return `rows:${Number(row?.n ?? 0)}`;
  } catch (e) {
    return classify(e);
  }
}
