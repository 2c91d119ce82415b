// Row-level security, privileges and the membership rules, checked as every kind of caller on
// PGlite, and on a PostgreSQL server too when DATABASE_URL is set (a throwaway database whose name
// contains "test": it is wiped at the start and end of the run).
//
// The matrix runs each statement in a transaction that is rolled back, so its world never changes;
// the other tests commit, each in a world of its own (new practices and people).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets, openTarget, type OpenedTarget } from './test-support/targets.ts';
import {
  activeA,
  actorNames,
  attempt,
  claimsFor,
  counted,
  fixtureCounts,
  newToken,
  perform,
  performAsOwner,
  performAsService,
  seedWorld,
  tokenHash,
  type ActorName,
  type Outcome,
  type World,
} from './test-support/world.ts';

// --- The matrix: table × operation × actor ------------------------------------------------------

type Operation = 'select' | 'insert' | 'update' | 'delete';
type Denial = 'rows:0' | 'no-privilege' | 'rls-refused';

interface Cell {
  table: string;
  op: Operation;
  /** The statement, aimed at practice A's rows; returns the count `n`. */
  sql: (w: World) => [string, unknown[]];
  /** Who may: they see or change `rows` rows (1 unless said). */
  allowed: readonly ActorName[];
  rows?: number;
  /** What everyone else who is signed in gets. Anonymous callers always get `no-privilege`. */
  otherwise: Denial;
}

const count = (table: string, where: string) => `select count(*)::int as n from public.${table} where ${where}`;
const noGrant = (table: string, op: Operation, sql: Cell['sql']): Cell => ({ table, op, sql, allowed: [], otherwise: 'no-privilege' });

const cells: Cell[] = [
  // practices: members see their own; only platform admins add or change them; nobody deletes one.
  { table: 'practices', op: 'select', sql: (w) => [count('practices', 'id = $1'), [w.practiceA]], allowed: [...activeA, 'admin'], otherwise: 'rows:0' },
  {
    table: 'practices',
    op: 'insert',
    sql: () => [counted(`insert into public.practices (slug, ods_code, name, nation, contract_start) values ('new-practice', 'Z99999', 'New', 'wales', current_date)`), []],
    allowed: ['admin'],
    otherwise: 'rls-refused',
  },
  { table: 'practices', op: 'update', sql: (w) => [counted(`update public.practices set name = 'Renamed' where id = $1`), [w.practiceA]], allowed: ['admin'], otherwise: 'rows:0' },
  noGrant('practices', 'delete', (w) => [counted('delete from public.practices where id = $1'), [w.practiceA]]),

  // members: the practice's members see them; managers (and platform admins) grant and change; only platform admins delete.
  {
    table: 'members',
    op: 'select',
    sql: (w) => [count('members', 'practice_id = $1'), [w.practiceA]],
    allowed: [...activeA, 'admin'],
    rows: fixtureCounts.membersInA,
    otherwise: 'rows:0',
  },
  {
    table: 'members',
    op: 'insert',
    sql: (w) => [counted(`insert into public.members (practice_id, user_id, email, role) values ($1, $2, 'new.member@example.nhs.uk', 'editor')`), [w.practiceA, randomUUID()]],
    allowed: ['managerA', 'admin'],
    otherwise: 'rls-refused',
  },
  {
    table: 'members',
    op: 'update',
    sql: (w) => [counted(`update public.members set role = 'clinical_reviewer' where id = $1`), [w.member.otherEditorA]],
    allowed: ['managerA', 'admin'],
    otherwise: 'rows:0',
  },
  { table: 'members', op: 'delete', sql: (w) => [counted('delete from public.members where id = $1'), [w.member.otherEditorA]], allowed: ['admin'], otherwise: 'rows:0' },

  // platform_admins: readable by platform admins (and each person's own row); written only by the service role.
  { table: 'platform_admins', op: 'select', sql: (w) => [count('platform_admins', 'user_id = $1'), [w.user.admin]], allowed: ['admin'], otherwise: 'rows:0' },
  noGrant('platform_admins', 'insert', () => [counted(`insert into public.platform_admins (user_id, email) values ($1, 'new.admin@example.nhs.uk')`), [randomUUID()]]),
  noGrant('platform_admins', 'update', (w) => [counted(`update public.platform_admins set email = 'changed@example.nhs.uk' where user_id = $1`), [w.user.admin]]),
  noGrant('platform_admins', 'delete', (w) => [counted('delete from public.platform_admins where user_id = $1'), [w.user.admin]]),

  // invitations: the practice's managers (and platform admins) see, send and revoke; only platform admins delete.
  { table: 'invitations', op: 'select', sql: (w) => [count('invitations', 'practice_id = $1'), [w.practiceA]], allowed: ['managerA', 'admin'], otherwise: 'rows:0' },
  {
    table: 'invitations',
    op: 'insert',
    sql: (w) => [
      counted(`insert into public.invitations (practice_id, email, role, token_hash) values ($1, 'another.invitee@example.nhs.uk', 'editor', $2)`),
      [w.practiceA, tokenHash(newToken())],
    ],
    allowed: ['managerA', 'admin'],
    otherwise: 'rls-refused',
  },
  {
    table: 'invitations',
    op: 'update',
    sql: (w) => [counted('update public.invitations set revoked_at = now() where id = $1'), [w.invitationA]],
    allowed: ['managerA', 'admin'],
    otherwise: 'rows:0',
  },
  { table: 'invitations', op: 'delete', sql: (w) => [counted('delete from public.invitations where id = $1'), [w.invitationA]], allowed: ['admin'], otherwise: 'rows:0' },

  // billing: the practice's manager and auditor (and platform admins) read; only the service role writes.
  { table: 'billing', op: 'select', sql: (w) => [count('billing', 'practice_id = $1'), [w.practiceA]], allowed: ['managerA', 'auditorA', 'admin'], otherwise: 'rows:0' },
  noGrant('billing', 'insert', (w) => [counted('insert into public.billing (practice_id) values ($1)'), [w.practiceA]]),
  noGrant('billing', 'update', (w) => [counted(`update public.billing set mandate_status = 'cancelled' where practice_id = $1`), [w.practiceA]]),
  noGrant('billing', 'delete', (w) => [counted('delete from public.billing where practice_id = $1'), [w.practiceA]]),

  // processed_webhook_events: only platform admins read; only the service role writes.
  {
    table: 'processed_webhook_events',
    op: 'select',
    sql: (w) => [count('processed_webhook_events', 'event_id = $1'), [w.webhookEventId]],
    allowed: ['admin'],
    otherwise: 'rows:0',
  },
  noGrant('processed_webhook_events', 'insert', () => [counted(`insert into public.processed_webhook_events (source, event_id) values ('gocardless', $1)`), [`EV${Date.now()}`]]),
  noGrant('processed_webhook_events', 'update', (w) => [counted(`update public.processed_webhook_events set event_type = 'x' where event_id = $1`), [w.webhookEventId]]),
  noGrant('processed_webhook_events', 'delete', (w) => [counted('delete from public.processed_webhook_events where event_id = $1'), [w.webhookEventId]]),

  // data_requests: the practice's manager asks; manager, auditor and platform admins read; only the service role carries them out.
  {
    table: 'data_requests',
    op: 'select',
    sql: (w) => [count('data_requests', 'practice_id = $1'), [w.practiceA]],
    allowed: ['managerA', 'auditorA', 'admin'],
    otherwise: 'rows:0',
  },
  {
    table: 'data_requests',
    op: 'insert',
    sql: (w) => [counted(`insert into public.data_requests (practice_id, kind) values ($1, 'export')`), [w.practiceA]],
    allowed: ['managerA'],
    otherwise: 'rls-refused',
  },
  noGrant('data_requests', 'update', (w) => [counted(`update public.data_requests set status = 'cancelled' where id = $1`), [w.dataRequestA]]),
  noGrant('data_requests', 'delete', (w) => [counted('delete from public.data_requests where id = $1'), [w.dataRequestA]]),

  // membership_log: the practice's manager and auditor (and platform admins) read; written by triggers, never changed.
  {
    table: 'membership_log',
    op: 'select',
    sql: (w) => [count('membership_log', 'practice_id = $1'), [w.practiceA]],
    allowed: ['managerA', 'auditorA', 'admin'],
    rows: fixtureCounts.logInA,
    otherwise: 'rows:0',
  },
  noGrant('membership_log', 'insert', (w) => [counted(`insert into public.membership_log (practice_id, action) values ($1, 'granted')`), [w.practiceA]]),
  noGrant('membership_log', 'update', (w) => [counted(`update public.membership_log set action = 'changed' where practice_id = $1`), [w.practiceA]]),
  noGrant('membership_log', 'delete', (w) => [counted('delete from public.membership_log where practice_id = $1'), [w.practiceA]]),

  // practices.mfa_required_for_all: only platform admins (and the service role) decide it.
  {
    table: 'practices',
    op: 'update',
    sql: (w) => [counted('update public.practices set mfa_required_for_all = true where id = $1'), [w.practiceA]],
    allowed: ['admin'],
    otherwise: 'rows:0',
  },

  // security_events: the practice's manager and auditor (and platform admins) read; only the service role writes, and never changes.
  {
    table: 'security_events',
    op: 'select',
    sql: (w) => [count('security_events', 'practice_id = $1'), [w.practiceA]],
    allowed: ['managerA', 'auditorA', 'admin'],
    otherwise: 'rows:0',
  },
  noGrant('security_events', 'insert', (w) => [counted(`insert into public.security_events (kind, practice_id) values ('sign_in', $1)`), [w.practiceA]]),
  noGrant('security_events', 'update', (w) => [counted(`update public.security_events set kind = 'x' where practice_id = $1`), [w.practiceA]]),
  noGrant('security_events', 'delete', (w) => [counted('delete from public.security_events where practice_id = $1'), [w.practiceA]]),

  // practice_freezes: the practice's members (and platform admins) read; only the service role writes, and never changes.
  {
    table: 'practice_freezes',
    op: 'select',
    sql: (w) => [count('practice_freezes', 'practice_id = $1'), [w.practiceA]],
    allowed: [...activeA, 'admin'],
    rows: fixtureCounts.freezesInA,
    otherwise: 'rows:0',
  },
  noGrant('practice_freezes', 'insert', (w) => [counted(`insert into public.practice_freezes (practice_id, action, reason, actor) values ($1, 'freeze', 'r', 'a')`), [w.practiceA]]),
  noGrant('practice_freezes', 'update', (w) => [counted(`update public.practice_freezes set action = 'unfreeze' where practice_id = $1`), [w.practiceA]]),
  noGrant('practice_freezes', 'delete', (w) => [counted('delete from public.practice_freezes where practice_id = $1'), [w.practiceA]]),

  // session_revocations, incidents, incident_events: only platform admins read; only the service role writes, and never changes.
  { table: 'session_revocations', op: 'select', sql: (w) => [count('session_revocations', 'id = $1::bigint'), [w.revocationId]], allowed: ['admin'], otherwise: 'rows:0' },
  noGrant('session_revocations', 'insert', () => [counted(`insert into public.session_revocations (scope, reason, actor) values ('all', 'r', 'a')`), []]),
  noGrant('session_revocations', 'update', (w) => [counted(`update public.session_revocations set reason = 'x' where id = $1::bigint`), [w.revocationId]]),
  noGrant('session_revocations', 'delete', (w) => [counted('delete from public.session_revocations where id = $1::bigint'), [w.revocationId]]),
  { table: 'incidents', op: 'select', sql: (w) => [count('incidents', 'id = $1'), [w.incidentId]], allowed: ['admin'], otherwise: 'rows:0' },
  noGrant('incidents', 'insert', () => [counted(`insert into public.incidents (discovered_at, title, summary, personal_data, opened_by) values (now(), 't', 's', false, 'a')`), []]),
  noGrant('incidents', 'update', (w) => [counted(`update public.incidents set title = 'x' where id = $1`), [w.incidentId]]),
  noGrant('incidents', 'delete', (w) => [counted('delete from public.incidents where id = $1'), [w.incidentId]]),
  { table: 'incident_events', op: 'select', sql: (w) => [count('incident_events', 'incident_id = $1'), [w.incidentId]], allowed: ['admin'], otherwise: 'rows:0' },
  noGrant('incident_events', 'insert', (w) => [counted(`insert into public.incident_events (incident_id, kind, actor) values ($1, 'note', 'a')`), [w.incidentId]]),
  noGrant('incident_events', 'update', (w) => [counted(`update public.incident_events set detail = 'x' where incident_id = $1`), [w.incidentId]]),
  noGrant('incident_events', 'delete', (w) => [counted('delete from public.incident_events where incident_id = $1'), [w.incidentId]]),
];

function expectedOutcome(cell: Cell, actor: ActorName): Outcome {
  if (actor === 'anon') return 'no-privilege';
  return cell.allowed.includes(actor) ? `rows:${cell.rows ?? 1}` : cell.otherwise;
}

const matrix = cells.flatMap((cell) => actorNames.map((actor) => ({ ...cell, actor, expected: expectedOutcome(cell, actor) })));
const matrixTables = [...new Set(cells.map((c) => c.table))].sort();

const tablesByPractice: [table: string, column: string][] = [
  ['practices', 'id'],
  ['members', 'practice_id'],
  ['invitations', 'practice_id'],
  ['billing', 'practice_id'],
  ['data_requests', 'practice_id'],
  ['membership_log', 'practice_id'],
  ['security_events', 'practice_id'],
  ['practice_freezes', 'practice_id'],
];

// --- The tests, on each database -----------------------------------------------------------------

describe.each(databaseTargets())('on $name', (target) => {
  let t: OpenedTarget;
  let world: World;

  beforeAll(async () => {
    t = await openTarget(target);
    world = await seedWorld(t.owner);
  });
  afterAll(async () => {
    await t?.finish();
  });

  const ownerRows = <T>(sql: string, params: unknown[] = []) => t.owner.query<T>(sql, params);
  const logOf = (practice: string) =>
    ownerRows<{ action: string; role_before: string | null; role_after: string | null; actor: string | null; actor_role: string | null; user_id: string | null }>(
      'select action, role_before, role_after, actor, actor_role, user_id from public.membership_log where practice_id = $1 order by id',
      [practice],
    );

  it('has the world the matrix assumes', async () => {
    const [members] = await ownerRows<{ n: number }>('select count(*)::int as n from public.members where practice_id = $1', [world.practiceA]);
    const [log] = await ownerRows<{ n: number }>('select count(*)::int as n from public.membership_log where practice_id = $1', [world.practiceA]);
    expect(members?.n).toBe(fixtureCounts.membersInA);
    expect(log?.n).toBe(fixtureCounts.logInA);
  });

  describe('matrix', () => {
    it.each(matrix.map((c) => [c.table, c.op, c.actor, c.expected, c] as const))('%s %s as %s: %s', async (_table, _op, actor, expected, cell) => {
      const [text, params] = cell.sql(world);
      expect(await attempt(t.db, world.claims(actor), text, params)).toBe(expected);
    });
  });

  describe('coverage', () => {
    it('every table in public has row-level security on, at least one policy, and a place in the matrix', async () => {
      const tables = await ownerRows<{ name: string; rls: boolean; policies: number }>(
        `select c.relname as name, c.relrowsecurity as rls, count(p.oid)::int as policies
         from pg_catalog.pg_class c
         join pg_catalog.pg_namespace n on n.oid = c.relnamespace
         left join pg_catalog.pg_policy p on p.polrelid = c.oid
         where n.nspname = 'public' and c.relkind in ('r', 'p')
         group by c.relname, c.relrowsecurity order by c.relname`,
      );
      expect(tables.filter((r) => !r.rls).map((r) => r.name), 'tables with row-level security off').toEqual([]);
      expect(tables.filter((r) => r.policies === 0).map((r) => r.name), 'tables without a policy').toEqual([]);
      expect(tables.map((r) => r.name)).toEqual(matrixTables);
    });

    it('anon has no privilege on any table, and authenticated none beyond select, insert, update and delete', async () => {
      const grants = await ownerRows<{ name: string; role: string; privilege: string }>(
        `select c.relname as name, r.role, p.privilege
         from pg_catalog.pg_class c
         join pg_catalog.pg_namespace n on n.oid = c.relnamespace
         cross join (values ('anon'), ('authenticated')) r(role)
         cross join (values ('SELECT'), ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE'), ('REFERENCES'), ('TRIGGER')) p(privilege)
         where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm')
           and (pg_catalog.has_table_privilege(r.role, c.oid, p.privilege)
                or (p.privilege in ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES') and pg_catalog.has_any_column_privilege(r.role, c.oid, p.privilege)))
         order by 1, 2, 3`,
      );
      expect(grants.filter((g) => g.role === 'anon')).toEqual([]);
      expect(grants.filter((g) => ['TRUNCATE', 'REFERENCES', 'TRIGGER'].includes(g.privilege))).toEqual([]);
    });

    it('policies call auth.uid() only through a select, and never query their own table', async () => {
      const policies = await ownerRows<{ table: string; name: string; expr: string }>(
        `select c.relname as table, p.polname as name,
                coalesce(pg_catalog.pg_get_expr(p.polqual, p.polrelid), '') || ' ' || coalesce(pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid), '') as expr
         from pg_catalog.pg_policy p join pg_catalog.pg_class c on c.oid = p.polrelid`,
      );
      expect(policies.length).toBeGreaterThan(0);
      const bare = policies.filter((p) => p.expr.replace(/SELECT auth\.uid\(\)/g, '').includes('auth.uid()')).map((p) => p.name);
      expect(bare, 'policies calling auth.uid() per row').toEqual([]);
      const recursive = policies.filter((p) => new RegExp(`\\bpublic\\.${p.table}\\b|\\bFROM ${p.table}\\b`, 'i').test(p.expr)).map((p) => p.name);
      expect(recursive, 'policies querying their own table').toEqual([]);
    });

    it('security definer functions have an empty search_path, and only the look-ups are executable by authenticated', async () => {
      const functions = await ownerRows<{ schema: string; name: string; definer: boolean; config: string[] | null; anon: boolean; authenticated: boolean }>(
        `select n.nspname as schema, p.proname as name, p.prosecdef as definer, p.proconfig as config,
                pg_catalog.has_function_privilege('anon', p.oid, 'EXECUTE') as anon,
                pg_catalog.has_function_privilege('authenticated', p.oid, 'EXECUTE') as authenticated
         from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
         where n.nspname in ('public', 'private') order by 1, 2`,
      );
      expect(functions.filter((f) => f.definer && !(f.config ?? []).includes('search_path=""')).map((f) => f.name)).toEqual([]);
      expect(functions.filter((f) => f.anon).map((f) => f.name)).toEqual([]);
      expect(functions.filter((f) => f.authenticated).map((f) => `${f.schema}.${f.name}`)).toEqual([
        'private.can_grant',
        'private.has_role',
        'private.is_member',
        'private.is_member_of_any_practice',
        'private.is_platform_admin',
        'private.role_in',
        'public.accept_invitation',
      ]);
    });

    it("roles rank practice manager, urgent publisher, clinical reviewer, editor, auditor; of a practice's members only its manager may grant, and any role", async () => {
      const ranked = await ownerRows<{ role: string }>(
        'select r::text as role from pg_catalog.unnest(enum_range(null::public.member_role)) r order by private.role_rank(r) desc',
      );
      expect(ranked.map((r) => r.role)).toEqual(['practice_manager', 'urgent_publisher', 'clinical_reviewer', 'editor', 'auditor']);
      for (const actor of ['managerA', 'editorA', 'reviewerA', 'publisherA', 'auditorA', 'expiredPublisherA', 'managerB', 'admin'] as const) {
        const grantable = await t.db.asCaller(world.claims(actor), (q) =>
          q.query<{ role: string }>(
            'select r::text as role from pg_catalog.unnest(enum_range(null::public.member_role)) r where private.can_grant($1, r) order by 1',
            [world.practiceA],
          ),
        );
        const expected = actor === 'managerA' ? ['auditor', 'clinical_reviewer', 'editor', 'practice_manager', 'urgent_publisher'] : [];
        expect(grantable.map((g) => g.role), actor).toEqual(expected);
      }
    });
  });

  describe('practice isolation', () => {
    it("a member of practice B asking for practice A's rows gets none, and sees their own", async () => {
      for (const [table, column] of tablesByPractice) {
        expect(await attempt(t.db, world.claims('managerB'), count(table, `${column} = $1`), [world.practiceA]), `A's ${table}`).toBe('rows:0');
      }
      const own: Record<string, number> = { practices: 1, members: 1, invitations: 0, billing: 1, data_requests: 1, membership_log: 1, security_events: 1, practice_freezes: 0 };
      for (const [table, column] of tablesByPractice) {
        expect(await attempt(t.db, world.claims('managerB'), count(table, `${column} = $1`), [world.practiceB]), `B's ${table}`).toBe(`rows:${own[table]}`);
      }
    });

    it('without a filter, a member sees only their own practice and its members', async () => {
      const rows = await t.db.asCaller(world.claims('editorA'), (q) =>
        q.query<{ practice: string; members: number }>(
          'select p.id as practice, (select count(*)::int from public.members m where m.practice_id = p.id) as members from public.practices p',
        ),
      );
      expect(rows).toEqual([{ practice: world.practiceA, members: fixtureCounts.membersInA }]);
    });
  });

  describe('nobody raises their own role', () => {
    it('an editor trying to make themselves practice manager is refused and nothing changes', async () => {
      const w = await seedWorld(t.owner);
      const before = await ownerRows('select * from public.members where practice_id = $1 order by id', [w.practiceA]);
      const logBefore = await logOf(w.practiceA);

      const editor = w.claims('editorA');
      expect(await perform(t.db, editor, counted(`update public.members set role = 'practice_manager' where user_id = $1`), [w.user.editorA])).toBe('rows:0');
      expect(await perform(t.db, editor, counted(`update public.members set expires_at = null, role = 'practice_manager' where id = $1`), [w.member.editorA])).toBe(
        'rows:0',
      );
      expect(
        await perform(t.db, editor, counted(`insert into public.members (practice_id, user_id, email, role) values ($1, $2, $3, 'practice_manager')`), [
          w.practiceA,
          w.user.editorA,
          w.email.editorA,
        ]),
      ).toMatch(/^error:42501 nobody can grant or change their own membership/);
      // Nor in another practice, nor by inviting themselves.
      expect(
        await perform(t.db, editor, counted(`insert into public.members (practice_id, user_id, email, role) values ($1, $2, $3, 'practice_manager')`), [
          w.practiceB,
          w.user.editorA,
          w.email.editorA,
        ]),
      ).toMatch(/^error:42501 nobody can grant or change their own membership/);
      expect(
        await perform(t.db, editor, counted(`insert into public.invitations (practice_id, email, role, token_hash) values ($1, $2, 'practice_manager', $3)`), [
          w.practiceA,
          w.email.editorA,
          tokenHash(newToken()),
        ]),
      ).toBe('rls-refused');

      expect(await ownerRows('select * from public.members where practice_id = $1 order by id', [w.practiceA])).toEqual(before);
      expect(await logOf(w.practiceA)).toEqual(logBefore);
    });

    it('a practice manager cannot change, revoke or delete their own membership, but can change someone else’s', async () => {
      const w = await seedWorld(t.owner);
      const before = await ownerRows('select * from public.members where id = $1', [w.member.managerA]);
      const manager = w.claims('managerA');
      for (const change of [`role = 'auditor'`, `expires_at = now() + interval '1 year'`, 'revoked_at = now()', `name = 'Renamed'`]) {
        expect(await perform(t.db, manager, counted(`update public.members set ${change} where id = $1`), [w.member.managerA]), change).toBe('rows:0');
      }
      expect(await perform(t.db, manager, counted('delete from public.members where id = $1'), [w.member.managerA])).toBe('rows:0');
      expect(await ownerRows('select * from public.members where id = $1', [w.member.managerA])).toEqual(before);

      expect(await perform(t.db, manager, counted(`update public.members set role = 'practice_manager' where id = $1`), [w.member.editorA])).toBe('rows:1');
      const [promoted] = await ownerRows<{ role: string; granted_by: string }>('select role, granted_by from public.members where id = $1', [w.member.editorA]);
      expect(promoted).toEqual({ role: 'practice_manager', granted_by: w.user.managerA });
    });

    it('a platform admin cannot grant themselves a membership either', async () => {
      const w = await seedWorld(t.owner);
      expect(
        await perform(t.db, w.claims('admin'), counted(`insert into public.members (practice_id, user_id, email, role) values ($1, $2, $3, 'practice_manager')`), [
          w.practiceA,
          w.user.admin,
          w.email.admin,
        ]),
      ).toMatch(/^error:42501 nobody can grant or change their own membership/);
    });

    it('a manager cannot forge who granted a role, when, or move a membership to someone else', async () => {
      const w = await seedWorld(t.owner);
      const manager = w.claims('managerA');
      expect(
        await perform(t.db, manager, counted(`insert into public.members (practice_id, user_id, email, role, granted_by) values ($1, $2, 'x@example.nhs.uk', 'editor', $3)`), [
          w.practiceA,
          randomUUID(),
          w.user.managerB,
        ]),
      ).toBe('no-privilege');
      expect(await perform(t.db, manager, counted(`update public.members set granted_at = now() - interval '1 year' where id = $1`), [w.member.editorA])).toBe('no-privilege');
      expect(await perform(t.db, manager, counted('update public.members set user_id = $2 where id = $1'), [w.member.editorA, w.user.managerA])).toBe('no-privilege');
      expect(await perform(t.db, manager, counted('update public.members set practice_id = $2 where id = $1'), [w.member.editorA, w.practiceB])).toBe('no-privilege');
    });
  });

  describe('urgent publishers', () => {
    const grant = (expiry: string) =>
      counted(`insert into public.members (practice_id, user_id, email, role, expires_at) values ($1, $2, 'urgent@example.nhs.uk', 'urgent_publisher', ${expiry})`);
    const tooLong = /^error:23514 .*"members_urgent_publisher_expires_within_72_hours"/;

    it('granting urgent_publisher without an expiry, or with one more than 72 hours away, is refused', async () => {
      const w = await seedWorld(t.owner);
      for (const actor of ['managerA', 'admin'] as const) {
        const who = w.claims(actor);
        expect(await perform(t.db, who, grant('null'), [w.practiceA, randomUUID()]), `${actor}: no expiry`).toMatch(tooLong);
        expect(await perform(t.db, who, grant(`now() + interval '72 hours 1 minute'`), [w.practiceA, randomUUID()]), `${actor}: 72h+1m`).toMatch(tooLong);
        expect(await perform(t.db, who, grant(`now() + interval '30 days'`), [w.practiceA, randomUUID()]), `${actor}: 30 days`).toMatch(tooLong);
        expect(await perform(t.db, who, grant(`now() + interval '72 hours'`), [w.practiceA, randomUUID()]), `${actor}: 72h`).toBe('rows:1');
      }
      const manager = w.claims('managerA');
      const promote = (expiry: string) => counted(`update public.members set role = 'urgent_publisher', expires_at = ${expiry} where id = $1`);
      expect(await perform(t.db, manager, promote('null'), [w.member.editorA])).toMatch(tooLong);
      expect(await perform(t.db, manager, promote(`now() + interval '4 days'`), [w.member.editorA])).toMatch(tooLong);
      expect(await perform(t.db, manager, promote(`now() + interval '24 hours'`), [w.member.editorA])).toBe('rows:1');
      // Lengthening an urgent publisher's expiry is a new grant: at most 72 hours from now.
      expect(await perform(t.db, manager, counted(`update public.members set expires_at = now() + interval '5 days' where id = $1`), [w.member.publisherA])).toMatch(tooLong);
      expect(await perform(t.db, manager, counted(`update public.members set expires_at = now() + interval '70 hours' where id = $1`), [w.member.publisherA])).toBe('rows:1');

      const invite = (expiry: string) =>
        counted(`insert into public.invitations (practice_id, email, role, member_expires_at, token_hash) values ($1, 'urgent@example.nhs.uk', 'urgent_publisher', ${expiry}, $2)`);
      const inviteTooLong = /^error:23514 .*"invitations_urgent_publisher_expires_within_72_hours"/;
      expect(await perform(t.db, manager, invite('null'), [w.practiceA, tokenHash(newToken())])).toMatch(inviteTooLong);
      expect(await perform(t.db, manager, invite(`now() + interval '73 hours'`), [w.practiceA, tokenHash(newToken())])).toMatch(inviteTooLong);
      expect(await perform(t.db, manager, invite(`now() + interval '48 hours'`), [w.practiceA, tokenHash(newToken())])).toBe('rows:1');
    });
  });

  describe('expired and revoked memberships grant nothing', () => {
    it('an expired urgent publisher and a revoked member see nothing', async () => {
      const everything = [
        'practices', 'members', 'platform_admins', 'invitations', 'billing', 'processed_webhook_events', 'data_requests', 'membership_log',
        'security_events', 'practice_freezes', 'session_revocations', 'incidents', 'incident_events',
      ];
      expect(everything.sort()).toEqual(matrixTables);
      for (const actor of ['expiredPublisherA', 'revokedEditorA'] as const) {
        for (const table of everything) {
          expect(await attempt(t.db, world.claims(actor), `select count(*)::int as n from public.${table}`), `${actor} on ${table}`).toBe('rows:0');
        }
      }
    });

    it('a revoked practice manager can manage nothing from the moment of revocation', async () => {
      const w = await seedWorld(t.owner);
      const manager = w.claims('managerA');
      const addEditor = counted(`insert into public.members (practice_id, user_id, email, role) values ($1, $2, 'x@example.nhs.uk', 'editor')`);
      expect(await perform(t.db, manager, addEditor, [w.practiceA, randomUUID()])).toBe('rows:1');
      expect(await perform(t.db, w.claims('admin'), counted('update public.members set revoked_at = now() where id = $1'), [w.member.managerA])).toBe('rows:1');
      expect(await perform(t.db, manager, addEditor, [w.practiceA, randomUUID()])).toBe('rls-refused');
      expect(await perform(t.db, manager, counted(`update public.members set role = 'auditor' where id = $1`), [w.member.editorA])).toBe('rows:0');
      expect(await perform(t.db, manager, count('practices', 'id = $1'), [w.practiceA])).toBe('rows:0');
    });

    it('a practice manager whose membership has expired can manage nothing', async () => {
      const w = await seedWorld(t.owner);
      const lapsed = randomUUID();
      await t.owner.query(
        `insert into public.members (practice_id, user_id, email, role, expires_at, granted_at)
         values ($1, $2, 'lapsed@example.nhs.uk', 'practice_manager', now() - interval '1 day', now() - interval '1 year')`,
        [w.practiceA, lapsed],
      );
      const who = claimsFor(lapsed, 'lapsed@example.nhs.uk');
      expect(await perform(t.db, who, counted(`insert into public.members (practice_id, user_id, email, role) values ($1, $2, 'x@example.nhs.uk', 'editor')`), [w.practiceA, randomUUID()])).toBe(
        'rls-refused',
      );
      expect(await perform(t.db, who, count('members', 'practice_id = $1'), [w.practiceA])).toBe('rows:0');
    });
  });

  describe('soft revocation', () => {
    it('a manager revokes by setting revoked_at; a revocation is final, and the person can be granted afresh', async () => {
      const w = await seedWorld(t.owner);
      const manager = w.claims('managerA');
      expect(await perform(t.db, manager, counted('delete from public.members where id = $1'), [w.member.editorA])).toBe('rows:0');
      expect(await perform(t.db, manager, counted('update public.members set revoked_at = now() where id = $1'), [w.member.editorA])).toBe('rows:1');
      const [revoked] = await ownerRows<{ revoked_by: string; revoked: boolean }>('select revoked_by, revoked_at is not null as revoked from public.members where id = $1', [
        w.member.editorA,
      ]);
      expect(revoked).toEqual({ revoked_by: w.user.managerA, revoked: true });
      expect(await perform(t.db, w.claims('editorA'), count('practices', 'id = $1'), [w.practiceA])).toBe('rows:0');

      expect(await perform(t.db, manager, counted('update public.members set revoked_at = null where id = $1'), [w.member.editorA])).toBe('rows:0');
      expect(await perform(t.db, w.claims('admin'), counted('update public.members set revoked_at = null where id = $1'), [w.member.editorA])).toBe('rows:0');
      expect(await performAsService(t.db, counted('update public.members set revoked_at = null where id = $1'), [w.member.editorA])).toMatch(
        /^error:55000 a revoked membership cannot be changed/,
      );

      expect(
        await perform(t.db, manager, counted(`insert into public.members (practice_id, user_id, email, role) values ($1, $2, $3, 'auditor')`), [
          w.practiceA,
          w.user.editorA,
          w.email.editorA,
        ]),
      ).toBe('rows:1');
      // ...but never two active memberships at once.
      expect(
        await perform(t.db, manager, counted(`insert into public.members (practice_id, user_id, email, role) values ($1, $2, $3, 'editor')`), [
          w.practiceA,
          w.user.editorA,
          w.email.editorA,
        ]),
      ).toMatch(/^error:23505 .*"members_one_active_per_user_and_practice"/);
      expect(await perform(t.db, w.claims('editorA'), count('practices', 'id = $1'), [w.practiceA])).toBe('rows:1');
    });

    it('only a platform admin deletes a membership, and the log records it', async () => {
      const w = await seedWorld(t.owner);
      expect(await perform(t.db, w.claims('admin'), counted('delete from public.members where id = $1'), [w.member.otherEditorA])).toBe('rows:1');
      expect((await logOf(w.practiceA)).at(-1)).toMatchObject({ action: 'deleted', role_before: 'editor', actor: w.user.admin, user_id: w.user.otherEditorA });
    });
  });

  describe('membership log', () => {
    it('gets a row for each grant, change and revocation, and each invitation, saying who did it', async () => {
      const w = await seedWorld(t.owner);
      const [{ n: seeded } = { n: 0 }] = await ownerRows<{ n: number }>('select count(*)::int as n from public.membership_log where practice_id = $1', [w.practiceA]);
      const manager = w.claims('managerA');
      const person = randomUUID();
      const [grantSql, grantParams] = [
        `with w as (insert into public.members (practice_id, user_id, email, role) values ($1, $2, 'person@example.nhs.uk', 'editor') returning id) select id from w`,
        [w.practiceA, person],
      ];
      const [added] = await t.db.asCaller(manager, (q) => q.query<{ id: string }>(grantSql, grantParams));
      const id = added!.id;
      expect(await perform(t.db, manager, counted(`update public.members set role = 'clinical_reviewer' where id = $1`), [id])).toBe('rows:1');
      expect(
        await perform(t.db, manager, counted(`update public.members set role = 'urgent_publisher', expires_at = now() + interval '1 day' where id = $1`), [id]),
      ).toBe('rows:1');
      expect(await perform(t.db, manager, counted('update public.members set revoked_at = now() where id = $1'), [id])).toBe('rows:1');
      expect(
        await perform(t.db, manager, counted(`insert into public.invitations (practice_id, email, role, token_hash) values ($1, 'new@example.nhs.uk', 'auditor', $2)`), [
          w.practiceA,
          tokenHash(newToken()),
        ]),
      ).toBe('rows:1');
      expect(await perform(t.db, manager, counted('update public.invitations set revoked_at = now() where id = $1'), [w.invitationA])).toBe('rows:1');
      expect(
        await performAsService(t.db, counted(`insert into public.members (practice_id, user_id, email, role) values ($1, $2, 'service@example.nhs.uk', 'auditor')`), [
          w.practiceA,
          randomUUID(),
        ]),
      ).toBe('rows:1');

      const log = (await logOf(w.practiceA)).slice(seeded);
      const by = { actor: w.user.managerA, actor_role: 'authenticated' };
      expect(log).toEqual([
        { action: 'granted', role_before: null, role_after: 'editor', user_id: person, ...by },
        { action: 'changed', role_before: 'editor', role_after: 'clinical_reviewer', user_id: person, ...by },
        { action: 'changed', role_before: 'clinical_reviewer', role_after: 'urgent_publisher', user_id: person, ...by },
        { action: 'revoked', role_before: 'urgent_publisher', role_after: 'urgent_publisher', user_id: person, ...by },
        { action: 'invited', role_before: null, role_after: 'auditor', user_id: null, ...by },
        { action: 'invitation_revoked', role_before: null, role_after: 'editor', user_id: null, ...by },
        { action: 'granted', role_before: null, role_after: 'auditor', user_id: expect.any(String), actor: null, actor_role: 'service_role' },
      ]);
      // What the manager sees of it is the same.
      expect(await perform(t.db, manager, count('membership_log', 'practice_id = $1'), [w.practiceA])).toBe(`rows:${seeded + 7}`);
    });

    it('cannot be updated or deleted by anyone: not a member, not the service role, not the owner', async () => {
      const w = await seedWorld(t.owner);
      const before = await ownerRows('select * from public.membership_log where practice_id = $1 order by id', [w.practiceA]);
      expect(before.length).toBe(fixtureCounts.logInA);
      const update = counted(`update public.membership_log set action = 'changed', actor = null where practice_id = $1`);
      const remove = counted('delete from public.membership_log where practice_id = $1');
      for (const actor of ['managerA', 'auditorA', 'admin'] as const) {
        expect(await perform(t.db, w.claims(actor), update, [w.practiceA]), actor).toBe('no-privilege');
        expect(await perform(t.db, w.claims(actor), remove, [w.practiceA]), actor).toBe('no-privilege');
      }
      expect(await performAsService(t.db, update, [w.practiceA])).toBe('no-privilege');
      expect(await performAsService(t.db, remove, [w.practiceA])).toBe('no-privilege');
      expect(await performAsService(t.db, counted(`insert into public.membership_log (practice_id, action) values ($1, 'granted')`), [w.practiceA])).toBe('no-privilege');
      const appendOnly = /^error:42501 the membership log is append-only/;
      expect(await performAsOwner(t.owner, update, [w.practiceA])).toMatch(appendOnly);
      expect(await performAsOwner(t.owner, remove, [w.practiceA])).toMatch(appendOnly);
      expect(await performAsOwner(t.owner, 'truncate public.membership_log')).toMatch(appendOnly);
      expect(await ownerRows('select * from public.membership_log where practice_id = $1 order by id', [w.practiceA])).toEqual(before);
    });
  });

  describe('invitations', () => {
    const accept = 'select count(*)::int as n from (select public.accept_invitation($1)) accepted';

    it('the invitee, signed in with the invited email, becomes a member with the invited role', async () => {
      const w = await seedWorld(t.owner);
      const invitee = randomUUID();
      const claims = claimsFor(invitee, w.inviteeEmail.toUpperCase());
      expect(await perform(t.db, claims, count('practices', 'id = $1'), [w.practiceA])).toBe('rows:0');
      expect(await perform(t.db, claims, accept, [w.invitationToken])).toBe('rows:1');
      expect(await perform(t.db, claims, count('practices', 'id = $1'), [w.practiceA])).toBe('rows:1');

      const [member] = await ownerRows('select role, granted_by, email from public.members where practice_id = $1 and user_id = $2', [w.practiceA, invitee]);
      expect(member).toEqual({ role: 'editor', granted_by: w.user.managerA, email: w.inviteeEmail });
      const log = await logOf(w.practiceA);
      expect(log.slice(-2).map((r) => [r.action, r.role_after, r.user_id, r.actor])).toEqual([
        ['granted', 'editor', invitee, invitee],
        ['invitation_accepted', 'editor', invitee, invitee],
      ]);
      expect(await perform(t.db, claims, accept, [w.invitationToken])).toMatch(/^error:22023 this invitation is not valid/);
    });

    it('is refused for another email, a wrong token, a revoked or expired invitation, or an inviter who can no longer grant', async () => {
      const w = await seedWorld(t.owner);
      const invitee = () => claimsFor(randomUUID(), w.inviteeEmail);
      expect(await perform(t.db, null, accept, [w.invitationToken])).toMatch(/^error:42501 permission denied for function accept_invitation/);
      expect(await perform(t.db, claimsFor(randomUUID(), 'someone.else@example.nhs.uk'), accept, [w.invitationToken])).toMatch(
        /^error:42501 this invitation was sent to a different email address/,
      );
      expect(await perform(t.db, invitee(), accept, [newToken()])).toMatch(/^error:22023 this invitation is not valid/);

      const invitation = async (by: string, extra = '') => {
        const token = newToken();
        await t.owner.query(
          `insert into public.invitations (practice_id, email, role, invited_by, token_hash${extra ? ', created_at, expires_at' : ''})
           values ($1, $2, 'editor', $3, $4${extra})`,
          [w.practiceA, w.inviteeEmail, by, tokenHash(token)],
        );
        return token;
      };
      const expired = await invitation(w.user.managerA, `, now() - interval '8 days', now() - interval '1 day'`);
      expect(await perform(t.db, invitee(), accept, [expired])).toMatch(/^error:22023 this invitation is not valid/);
      const revoked = await invitation(w.user.managerA);
      expect(await perform(t.db, w.claims('managerA'), counted('update public.invitations set revoked_at = now() where token_hash = $1'), [tokenHash(revoked)])).toBe('rows:1');
      expect(await perform(t.db, invitee(), accept, [revoked])).toMatch(/^error:22023 this invitation is not valid/);
      // Sent by someone who has since been demoted: it grants nothing.
      const fromEditor = await invitation(w.user.editorA);
      expect(await perform(t.db, invitee(), accept, [fromEditor])).toMatch(/^error:42501 whoever sent this invitation can no longer grant this role/);
      // A manager cannot use an invitation to grant themselves.
      const own = await invitation(w.user.managerA);
      expect(await perform(t.db, claimsFor(w.user.managerA, w.inviteeEmail), accept, [own])).toMatch(/^error:42501 nobody can grant or change their own membership/);
    });

    it('an accepted or revoked invitation cannot be changed, and a pending one only revoked', async () => {
      const w = await seedWorld(t.owner);
      const manager = w.claims('managerA');
      expect(await perform(t.db, manager, counted(`update public.invitations set role = 'practice_manager' where id = $1`), [w.invitationA])).toBe('no-privilege');
      expect(await performAsService(t.db, counted(`update public.invitations set role = 'practice_manager' where id = $1`), [w.invitationA])).toMatch(
        /^error:42501 an invitation cannot be changed/,
      );
      expect(await perform(t.db, manager, counted('update public.invitations set revoked_at = now() where id = $1'), [w.invitationA])).toBe('rows:1');
      expect(await perform(t.db, manager, counted('update public.invitations set revoked_at = now() where id = $1'), [w.invitationA])).toBe('rows:0');
      expect(await performAsService(t.db, counted('update public.invitations set revoked_at = null where id = $1'), [w.invitationA])).toMatch(
        /^error:55000 an accepted or revoked invitation cannot be changed/,
      );
    });
  });

  describe('service-role writes', () => {
    it('billing and processed webhook events are written by the service role, each event once', async () => {
      const w = await seedWorld(t.owner);
      expect(
        await performAsService(t.db, counted(`update public.billing set mandate_status = 'cancelled', last_payment_id = 'PM123', last_payment_status = 'paid_out' where practice_id = $1`), [
          w.practiceA,
        ]),
      ).toBe('rows:1');
      expect(await perform(t.db, w.claims('auditorA'), count('billing', `practice_id = $1 and mandate_status = 'cancelled'`), [w.practiceA])).toBe('rows:1');
      const event = counted(`insert into public.processed_webhook_events (source, event_id, event_type) values ('gocardless', $1, 'payments.paid_out')`);
      expect(await performAsService(t.db, event, [`${w.webhookEventId}-2`])).toBe('rows:1');
      expect(await performAsService(t.db, event, [`${w.webhookEventId}-2`])).toMatch(/^error:23505 .*"processed_webhook_events_once"/);
    });

    it('a practice manager asks for an export or deletion, one open request of each kind at a time', async () => {
      const w = await seedWorld(t.owner);
      const manager = w.claims('managerA');
      const ask = (kind: string) => counted(`insert into public.data_requests (practice_id, kind) values ($1, '${kind}')`);
      expect(await perform(t.db, manager, ask('export'), [w.practiceA])).toBe('rows:1');
      expect(await perform(t.db, manager, ask('deletion'), [w.practiceA])).toBe('rows:1');
      expect(await perform(t.db, manager, ask('export'), [w.practiceA])).toMatch(/^error:23505 .*"data_requests_one_open_per_kind"/);
      expect(await perform(t.db, manager, ask('archive'), [w.practiceA])).toMatch(/^error:23514 .*"data_requests_kind"/);
      expect(
        await perform(t.db, manager, counted(`insert into public.data_requests (practice_id, kind, status) values ($1, 'export', 'completed')`), [w.practiceB]),
      ).toBe('no-privilege');
      const requests = await ownerRows('select kind, status, requested_by from public.data_requests where practice_id = $1 and status = $2 order by kind', [
        w.practiceA,
        'pending',
      ]);
      expect(requests).toEqual([
        { kind: 'deletion', status: 'pending', requested_by: w.user.managerA },
        { kind: 'export', status: 'pending', requested_by: w.user.managerA },
      ]);
    });
  });

  describe('constraints', () => {
    it('practices keep their slug, ODS code, nation and status to the rules', async () => {
      const insert = (slug: string, ods: string, nation = 'england', status = 'onboarding') =>
        performAsOwner(
          t.owner,
          counted(`insert into public.practices (slug, ods_code, name, nation, contract_start, status) values ($1, $2, 'P', $3, current_date, $4)`),
          [slug, ods, nation, status],
        );
      expect(await insert('Bad Slug', 'A12345')).toMatch(/"practices_slug_format"/);
      expect(await insert('ok-slug-1', 'a12345')).toMatch(/"practices_ods_code_format"/);
      expect(await insert('ok-slug-2', 'A1234')).toMatch(/"practices_ods_code_format"/);
      expect(await insert('ok-slug-3', 'A12345', 'ireland')).toMatch(/"practices_nation"/);
      expect(await insert('ok-slug-4', 'A12345', 'england', 'paused')).toMatch(/"practices_status"/);
      expect(await insert('ok-slug-5', '12345', 'scotland')).toBe('rows:1');
      expect(await insert('ok-slug-5', 'B12345')).toMatch(/^error:23505 .*"practices_slug_unique"/);
      expect(await insert('ok-slug-6', '12345')).toMatch(/^error:23505 .*"practices_ods_code_unique"/);
    });
  });
  describe('incident response', () => {
    const appendOnlyTables: [table: string, where: string, param: (w: World) => string][] = [
      ['security_events', 'practice_id = $1', (w) => w.practiceA],
      ['practice_freezes', 'practice_id = $1', (w) => w.practiceA],
      ['session_revocations', 'id = $1::bigint', (w) => w.revocationId],
      ['incidents', 'id = $1', (w) => w.incidentId],
      ['incident_events', 'incident_id = $1', (w) => w.incidentId],
    ];

    it.each(appendOnlyTables)('%s cannot be changed or deleted by anyone: not the service role, not the owner', async (table, where, param) => {
      const w = await seedWorld(t.owner);
      const before = await ownerRows(`select * from public.${table} where ${where} order by 1`, [param(w)]);
      expect(before.length).toBeGreaterThan(0);
      const update = counted(`update public.${table} set at = now() where ${where}`.replace('set at =', table === 'incidents' ? 'set opened_at =' : 'set at ='));
      const remove = counted(`delete from public.${table} where ${where}`);
      expect(await performAsService(t.db, update, [param(w)])).toBe('no-privilege');
      expect(await performAsService(t.db, remove, [param(w)])).toBe('no-privilege');
      const appendOnly = new RegExp(`^error:42501 ${table} is append-only`);
      expect(await performAsOwner(t.owner, update, [param(w)])).toMatch(appendOnly);
      expect(await performAsOwner(t.owner, remove, [param(w)])).toMatch(appendOnly);
      expect(await performAsOwner(t.owner, `truncate public.${table} cascade`)).toMatch(appendOnly);
      expect(await ownerRows(`select * from public.${table} where ${where} order by 1`, [param(w)])).toEqual(before);
    });

    it('the service role writes each record; a security event outlives its practice, with the practice cleared', async () => {
      const w = await seedWorld(t.owner);
      expect(
        await performAsService(t.db, counted(`insert into public.security_events (kind, practice_id, detail) values ('practice.frozen', $1, '{"by":"cli"}')`), [w.practiceB]),
      ).toBe('rows:1');
      expect(await performAsService(t.db, counted(`insert into public.security_events (kind, detail) values ('Sign In', '{}')`))).toMatch(/"security_events_kind_format"/);
      expect(await performAsService(t.db, counted(`insert into public.security_events (kind, detail) values ('sign_in', $1::jsonb)`), [JSON.stringify({ x: 'y'.repeat(3000) })])).toMatch(
        /"security_events_detail_is_a_small_object"/,
      );
      expect(await performAsService(t.db, counted(`insert into public.session_revocations (scope, practice_id, reason, actor) values ('user', $1, 'r', 'a')`), [w.practiceA])).toMatch(
        /"session_revocations_scope"/,
      );
      expect(await performAsService(t.db, counted(`insert into public.incidents (discovered_at, title, summary, personal_data, opened_by) values (now() + interval '1 hour', 't', 's', true, 'a')`))).toMatch(
        /"incidents_discovered_before_opened"/,
      );
      await t.owner.query('delete from public.practices where id = $1', [w.practiceB]);
      const [kept] = await ownerRows<{ practice_id: string | null; n: number }>(`select practice_id, count(*) over ()::int as n from public.security_events where email = $1`, [w.email.managerB]);
      expect(kept).toEqual({ practice_id: null, n: 1 });
    });

    it('a closed incident takes no more events', async () => {
      const w = await seedWorld(t.owner);
      const event = (kind: string) => counted(`insert into public.incident_events (incident_id, kind, actor) values ($1, '${kind}', 'a')`);
      expect(await performAsService(t.db, event('opened'), [w.incidentId])).toMatch(/^error:55000 .* is already open/);
      expect(await performAsService(t.db, event('closed'), [w.incidentId])).toBe('rows:1');
      expect(await performAsService(t.db, event('note'), [w.incidentId])).toMatch(/^error:55000 .* is closed/);
    });

    it('a practice is frozen when its latest event, or the latest global one, is a freeze; members see the global ones', async () => {
      const w = await seedWorld(t.owner);
      const frozen = async (practice: string) =>
        (await t.db.asService('row-level security tests: whether a practice is frozen', (q) => q.query<{ f: boolean }>('select private.is_frozen($1) as f', [practice])))[0]!.f;
      const event = (practice: string | null, action: string) =>
        performAsService(t.db, counted(`insert into public.practice_freezes (practice_id, action, reason, actor) values ($1, $2, 'test', 'tester')`), [practice, action]);
      expect(await frozen(w.practiceA)).toBe(false);
      expect(await event(w.practiceB, 'freeze')).toBe('rows:1');
      expect([await frozen(w.practiceA), await frozen(w.practiceB)]).toEqual([false, true]);
      expect(await event(null, 'freeze')).toBe('rows:1');
      expect([await frozen(w.practiceA), await frozen(w.practiceB)]).toEqual([true, true]);
      const globals = count('practice_freezes', 'practice_id is null');
      for (const actor of ['editorA', 'managerB', 'admin'] as const) expect(await perform(t.db, w.claims(actor), globals), actor).not.toBe('rows:0');
      for (const actor of ['stranger', 'expiredPublisherA', 'revokedEditorA'] as const) expect(await perform(t.db, w.claims(actor), globals), actor).toBe('rows:0');
      expect(await event(null, 'unfreeze')).toBe('rows:1');
      expect([await frozen(w.practiceA), await frozen(w.practiceB)]).toEqual([false, true]);
      expect(await event(w.practiceB, 'unfreeze')).toBe('rows:1');
      expect(await frozen(w.practiceB)).toBe(false);
      expect(await perform(t.db, w.claims('editorA'), 'select count(*)::int as n from (select private.is_frozen($1) as f) x where x.f is not null', [w.practiceA])).toMatch(/^error:42501 permission denied for function is_frozen/);
    });

    it('only platform admins (and the service role) change whether every member needs a second factor', async () => {
      const w = await seedWorld(t.owner);
      const set = counted('update public.practices set mfa_required_for_all = true where id = $1');
      expect(await perform(t.db, w.claims('managerA'), set, [w.practiceA])).toBe('rows:0');
      expect(await perform(t.db, w.claims('managerA'), counted(`insert into public.practices (slug, ods_code, name, nation, contract_start, mfa_required_for_all) values ('mfa-x', 'Y11111', 'X', 'england', current_date, true)`))).toBe(
        'no-privilege',
      );
      expect(await performAsService(t.db, set, [w.practiceB])).toBe('rows:1');
      expect(await perform(t.db, w.claims('admin'), set, [w.practiceA])).toBe('rows:1');
      expect(await ownerRows('select mfa_required_for_all as m from public.practices where id = any($1::uuid[]) order by 1', [[w.practiceA, w.practiceB]])).toEqual([{ m: true }, { m: true }]);
    });
  });
});
