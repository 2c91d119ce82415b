// Revoking sessions: every access token issued at or before the revocation stops working for the
// people it covers, from their next request, whatever the token's expiry says. The portal and
// the CMS gateway ask isSessionRevoked on each request; `pd incident revoke` also ends the users'
// refresh sessions in the sign-in service, so they cannot simply get a new token.
import type { Database, Queryable } from '../db/database.ts';
import { insertSecurityEvent, practiceIdOf, SecurityInputError } from './security-events.ts';

export type RevocationScope = { scope: 'user'; email: string } | { scope: 'practice'; practice: string } | { scope: 'all' };

export interface RevocationMeta {
  reason: string;
  actor: string;
}

export async function revokeSessions(db: Database, o: RevocationScope, meta: RevocationMeta): Promise<{ userIds: string[] }> {
  if (!meta.reason?.trim()) throw new SecurityInputError('give a reason (--reason "..."): it is recorded with the revocation');
  if (!meta.actor?.trim()) throw new SecurityInputError('say who is acting: the record names them');
  const what = o.scope === 'user' ? o.email : o.scope === 'practice' ? `every member of ${o.practice}` : 'everyone';
  return db.asService(`revoke the sessions of ${what} during an incident`, async (q) => {
    const insert = (scope: string, userId: string | null, practiceId: string | null) =>
      q.query('insert into public.session_revocations (scope, user_id, practice_id, reason, actor) values ($1, $2, $3, $4, $5)', [
        scope,
        userId,
        practiceId,
        meta.reason.trim(),
        meta.actor.trim(),
      ]);
    let userIds: string[];
    if (o.scope === 'user') {
      userIds = await userIdsByEmail(q, o.email);
      for (const id of userIds) await insert('user', id, null);
    } else if (o.scope === 'practice') {
      const practiceId = await practiceIdOf(q, o.practice);
      await insert('practice', null, practiceId);
      userIds = (await q.query<{ user_id: string }>('select distinct user_id from public.members where practice_id = $1 and revoked_at is null order by 1', [practiceId])).map((r) => r.user_id);
    } else {
      await insert('all', null, null);
      userIds = (
        await q.query<{ user_id: string }>('select user_id from public.members where revoked_at is null union select user_id from public.platform_admins order by 1')
      ).map((r) => r.user_id);
    }
    await insertSecurityEvent(q, {
      kind: 'sessions.revoked',
      ...(o.scope === 'user' ? { email: o.email.trim(), ...(userIds.length === 1 ? { userId: userIds[0] } : {}) } : {}),
      ...(o.scope === 'practice' ? { practice: o.practice } : {}),
      detail: { scope: o.scope, users: userIds.length, reason: meta.reason.trim(), actor: meta.actor.trim() },
    });
    return { userIds };
  });
}

/**
 * Whether a revocation made at or after the token was issued covers this user: one of everyone,
 * of this user, or of a practice they are a member of. A token without `iat` cannot show it came
 * after a revocation, so any revocation covering the user revokes it.
 */
export async function isSessionRevoked(db: Database, claims: { sub: string; iat?: number }): Promise<boolean> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(claims.sub)) return true;
  const issuedAt = typeof claims.iat === 'number' && Number.isFinite(claims.iat) ? new Date(claims.iat * 1000).toISOString() : null;
  const [row] = await db.asService('check whether the caller’s session was revoked during an incident', (q) =>
    q.query<{ revoked: boolean }>(
      `select exists (
         select 1 from public.session_revocations r
          where ($2::timestamptz is null or r.at >= $2)
            and (r.scope = 'all'
                 or (r.scope = 'user' and r.user_id = $1)
                 or (r.scope = 'practice' and r.practice_id in (select m.practice_id from public.members m where m.user_id = $1 and m.revoked_at is null)))
       ) as revoked`,
      [claims.sub, issuedAt],
    ),
  );
  return Boolean(row?.revoked);
}

async function userIdsByEmail(q: Queryable, email: string): Promise<string[]> {
  const wanted = email.trim();
  if (!wanted) throw new SecurityInputError('give the email of the person whose sessions to revoke');
  const rows = await q.query<{ user_id: string }>(
    'select user_id from public.members where lower(email) = lower($1) union select user_id from public.platform_admins where lower(email) = lower($1) order by 1',
    [wanted],
  );
  if (!rows.length)
    throw new SecurityInputError(`nobody with the email ${wanted} is a member of any practice or a platform admin: check the address with "pd members list <practice> --as <you>"`);
  return rows.map((r) => r.user_id);
}
