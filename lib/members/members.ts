// Who may work on a practice: list, invite and revoke. Every query runs as the caller, so the
// database's row-level security decides what they may see and change; this module turns its
// answers into results and clear refusals. Runtime-neutral: Web Crypto only.
import type { Claims, Database, Queryable } from '../db/database.ts';

export const roles = ['practice_manager', 'urgent_publisher', 'clinical_reviewer', 'editor', 'auditor'] as const;
export type Role = (typeof roles)[number];

/** Urgent publishers are temporary by design: at most this long after they are granted. */
export const urgentPublisherMaxHours = 72;

export interface Member {
  id: string;
  userId: string;
  email: string;
  name: string;
  role: Role;
  expiresAt: string | null;
  grantedAt: string;
  /** False once revoked or past its expiry. */
  active: boolean;
}

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  memberExpiresAt: string | null;
  expiresAt: string;
  createdAt: string;
}

export type MembersErrorCode = 'not-found' | 'forbidden' | 'invalid' | 'conflict';

/** A refusal the caller can act on; `status` is the HTTP status it maps to. */
export class MembersError extends Error {
  readonly code: MembersErrorCode;
  readonly status: 400 | 403 | 404 | 409;
  constructor(code: MembersErrorCode, message: string) {
    super(message);
    this.name = 'MembersError';
    this.code = code;
    this.status = ({ 'not-found': 404, forbidden: 403, invalid: 400, conflict: 409 } as const)[code];
  }
}

export interface InviteRequest {
  email: string;
  name?: string;
  role: Role;
  /** When the membership will end; required for urgent publishers (at most 72 hours away). */
  memberExpiresAt?: Date;
}

export interface MembersService {
  list(caller: Claims, practice: string): Promise<{ members: Member[]; invitations: Invitation[] }>;
  /** Creates an invitation; the token goes only into the email, the database keeps its hash. */
  invite(caller: Claims, practice: string, request: InviteRequest): Promise<{ invitation: Invitation; token: string }>;
  /** Ends a person's membership (and any invitation pending for them) at once. */
  revoke(caller: Claims, practice: string, email: string): Promise<{ revokedMemberships: number; revokedInvitations: number }>;
  /** The caller's active role in a practice, or null: checked on every request, so revocation is immediate. */
  roleOf(caller: Claims, practice: string): Promise<Role | null>;
  /** The caller's active membership (role, and the name and email git records them by), or null. */
  memberOf(caller: Claims, practice: string): Promise<{ role: Role; name: string; email: string } | null>;
  /** The practices the caller may see, with their role in each (null for a platform admin who is not a member). */
  practicesOf(caller: Claims): Promise<{ slug: string; name: string; role: Role | null }[]>;
  /** Accepts an invitation with the token from its email; the caller's email must be the one invited. */
  accept(caller: Claims, token: string): Promise<{ practice: string; role: Role }>;
  /**
   * The practice's active members (not revoked, not expired) with any of these roles, for the
   * platform's own emails. Runs as the service role: nobody is asking, the platform is telling.
   */
  membersWithRole(practice: string, roles: readonly Role[]): Promise<{ email: string; name: string }[]>;
}

/** The same shape the database checks for every email it stores. */
export const emailPattern = /^[^\s@<>()]+@[^\s@<>()]+\.[A-Za-z]{2,}$/;

export function membersService(db: Database, o: { now?: () => Date } = {}): MembersService {
  const now = o.now ?? (() => new Date());

  const practiceId = async (q: Queryable, slug: string): Promise<string> => {
    const rows = await q.query<{ id: string }>('select id from public.practices where slug = $1', [slug]);
    // Row-level security hides practices the caller does not belong to: to them it does not exist.
    if (!rows[0]) throw new MembersError('not-found', `there is no practice "${slug}" that you can see`);
    return rows[0].id;
  };

  async function activeMember(caller: Claims, practice: string): Promise<{ role: Role; name: string; email: string } | null> {
    return db.asCaller(caller, async (q) => {
      const rows = await q.query<{ role: Role; name: string; email: string }>(
        `select m.role, m.name, m.email from public.members m join public.practices p on p.id = m.practice_id
          where p.slug = $1 and m.user_id = $2 and m.revoked_at is null and (m.expires_at is null or m.expires_at > now())`,
        [practice, caller.sub],
      );
      return rows[0] ?? null;
    });
  }

  return {
    list: (caller, practice) =>
      db.asCaller(caller, async (q) => {
        const id = await practiceId(q, practice);
        const members = await q.query<Record<string, unknown>>(
          `select id, user_id, email, name, role, expires_at, granted_at,
                  (revoked_at is null and (expires_at is null or expires_at > now())) as active
             from public.members where practice_id = $1 and revoked_at is null
            order by role, lower(email)`,
          [id],
        );
        const invitations = await q.query<Record<string, unknown>>(
          `select id, email, role, member_expires_at, expires_at, created_at from public.invitations
            where practice_id = $1 and accepted_at is null and revoked_at is null and expires_at > now()
            order by created_at`,
          [id],
        );
        return { members: members.map(toMember), invitations: invitations.map(toInvitation) };
      }),

    async invite(caller, practice, r) {
      const email = r.email.trim();
      if (!emailPattern.test(email)) throw new MembersError('invalid', `"${r.email}" is not an email address`);
      if (!roles.includes(r.role)) throw new MembersError('invalid', `"${r.role}" is not a role; use one of ${roles.join(', ')}`);
      if (r.role === 'urgent_publisher') {
        const limit = now().getTime() + urgentPublisherMaxHours * 3_600_000;
        if (!r.memberExpiresAt || r.memberExpiresAt.getTime() > limit || r.memberExpiresAt.getTime() <= now().getTime())
          throw new MembersError('invalid', `an urgent publisher's access must end within ${urgentPublisherMaxHours} hours: give an expiry no later than ${new Date(limit).toISOString()}`);
      }
      const token = randomToken();
      const tokenHash = await sha256Hex(token);
      return db.asCaller(caller, async (q) => {
        const id = await practiceId(q, practice);
        const rows = await guarded(() =>
          q.query<Record<string, unknown>>(
            `insert into public.invitations (practice_id, email, name, role, member_expires_at, token_hash)
             values ($1, $2, $3, $4, $5, $6)
             returning id, email, role, member_expires_at, expires_at, created_at`,
            [id, email, r.name ?? '', r.role, r.memberExpiresAt?.toISOString() ?? null, tokenHash],
          ),
        );
        return { invitation: toInvitation(rows[0]!), token };
      });
    },

    revoke: (caller, practice, email) =>
      db.asCaller(caller, async (q) => {
        const id = await practiceId(q, practice);
        const members = await guarded(() =>
          q.query('update public.members set revoked_at = now() where practice_id = $1 and lower(email) = lower($2) and revoked_at is null returning id', [id, email.trim()]),
        );
        const invitations = await guarded(() =>
          q.query(
            'update public.invitations set revoked_at = now() where practice_id = $1 and lower(email) = lower($2) and accepted_at is null and revoked_at is null returning id',
            [id, email.trim()],
          ),
        );
        if (!members.length && !invitations.length)
          throw new MembersError('not-found', `nobody with the email ${email.trim()} has access to ${practice} that you can revoke`);
        return { revokedMemberships: members.length, revokedInvitations: invitations.length };
      }),

    practicesOf: (caller) =>
      db.asCaller(caller, (q) =>
        q.query<{ slug: string; name: string; role: Role | null }>(
          `select p.slug, p.name, m.role from public.practices p
             left join public.members m on m.practice_id = p.id and m.user_id = $1
                   and m.revoked_at is null and (m.expires_at is null or m.expires_at > now())
            order by p.name`,
          [caller.sub],
        ),
      ),

    accept: (caller, token) =>
      db.asCaller(caller, async (q) => {
        const [row] = await guarded(() => q.query<{ member: string }>('select public.accept_invitation($1) as member', [token]));
        const [m] = await q.query<{ slug: string; role: Role }>(
          'select p.slug, m.role from public.members m join public.practices p on p.id = m.practice_id where m.id = $1',
          [row!.member],
        );
        return { practice: m!.slug, role: m!.role };
      }),

    membersWithRole: async (practice, wanted) => {
      const list = wanted.filter((r) => roles.includes(r));
      if (list.length === 0) return [];
      return db.asService(`find the ${list.join(', ')} members of ${practice} to email them about a change to its website`, (q) =>
        q.query<{ email: string; name: string }>(
          `select m.email, coalesce(m.name, '') as name from public.members m join public.practices p on p.id = m.practice_id
            where p.slug = $1 and m.role::text = any($2::text[]) and m.revoked_at is null and (m.expires_at is null or m.expires_at > now())
            order by lower(m.email)`,
          [practice, list],
        ),
      );
    },

    roleOf: async (caller, practice) => (await activeMember(caller, practice))?.role ?? null,
    memberOf: activeMember,
  };
}

/** Turns the database's refusals into errors a person can act on. */
async function guarded<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    const err = e as { code?: string; message?: string };
    const message = err.message ?? 'the database refused the change';
    if (err.code === '42501') throw new MembersError('forbidden', /row-level security/.test(message) ? 'your role does not allow this in this practice' : message);
    if (err.code === '23505') throw new MembersError('conflict', 'that person already has access or a pending invitation');
    if (err.code === '23514' || err.code === '22023' || err.code === '55000') throw new MembersError('invalid', message);
    throw e;
  }
}

function toMember(r: Record<string, unknown>): Member {
  return {
    id: String(r.id),
    userId: String(r.user_id),
    email: String(r.email),
    name: String(r.name ?? ''),
    role: r.role as Role,
    expiresAt: iso(r.expires_at),
    grantedAt: iso(r.granted_at)!,
    active: Boolean(r.active),
  };
}

function toInvitation(r: Record<string, unknown>): Invitation {
  return {
    id: String(r.id),
    email: String(r.email),
    role: r.role as Role,
    memberExpiresAt: iso(r.member_expires_at),
    expiresAt: iso(r.expires_at)!,
    createdAt: iso(r.created_at)!,
  };
}

const iso = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(v as string | Date).toISOString());

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
