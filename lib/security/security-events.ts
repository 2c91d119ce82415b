// The security event log: sign-ins, second factors, role changes, the gateway's refusals,
// freezes and revocations, for an incident's report. Written as the service role (nobody is
// asking; the platform is recording), read back for `pd incident events`. A credential must never
// reach it: keys that sound like one are refused, not silently dropped, so the caller's bug shows.
import type { Database, Queryable } from '../db/database.ts';

export type SecurityDetail = Record<string, string | number | boolean | null>;

export interface SecurityEvent {
  kind: string;
  userId?: string;
  email?: string;
  /** The practice's slug. */
  practice?: string;
  detail?: SecurityDetail;
}

export interface SecurityEventsQuery {
  practice?: string;
  since?: Date;
  until?: Date;
  kinds?: string[];
  limit?: number;
}

/** A request the stores refuse, with what was wrong and how to put it right. */
export class SecurityInputError extends Error {
  override name = 'SecurityInputError';
}

export const securityEventKindPattern = /^[a-z][a-z_]*(\.[a-z][a-z_]*)*$/;
/** Key names that could hold a credential: a sign-in code, a token, a link carrying one. */
export const forbiddenDetailKey = /token|code|secret|password|passwd|link|otp|jwt|cookie|api_?key|private_?key/i;
const maxDetailBytes = 2048;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function recordSecurityEvent(db: Database, e: SecurityEvent, reason?: string): Promise<void> {
  checkEvent(e);
  await db.asService(reason ?? `record a ${e.kind} security event`, async (q) => {
    await insertSecurityEvent(q, e);
  });
}

/** Records an event inside a transaction the caller already holds (so it commits with their change). */
export async function insertSecurityEvent(q: Queryable, e: SecurityEvent): Promise<void> {
  checkEvent(e);
  const practiceId = e.practice === undefined ? null : await practiceIdOf(q, e.practice);
  await q.query('insert into public.security_events (kind, user_id, email, practice_id, detail) values ($1, $2, $3, $4, $5::jsonb)', [
    e.kind,
    e.userId ?? null,
    e.email ?? null,
    practiceId,
    JSON.stringify(e.detail ?? {}),
  ]);
}

export async function securityEvents(db: Database, query: SecurityEventsQuery): Promise<(SecurityEvent & { id: number; at: string })[]> {
  const limit = query.limit ?? 1000;
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new SecurityInputError(`the limit must be a whole number from 1 to 10000, not ${limit}`);
  for (const k of query.kinds ?? []) if (!securityEventKindPattern.test(k)) throw new SecurityInputError(`"${k}" is not a security event kind: use lower-case words like sign_in or mfa.failed`);
  for (const [name, d] of [['since', query.since], ['until', query.until]] as const)
    if (d && Number.isNaN(d.getTime())) throw new SecurityInputError(`"${name}" is not a valid time: give an ISO time like 2026-12-05T09:00:00Z`);
  return db.asService('list security events for an incident report', async (q) => {
    const practiceId = query.practice === undefined ? null : await practiceIdOf(q, query.practice);
    const rows = await q.query<{ id: string | number; at: Date | string; kind: string; user_id: string | null; email: string | null; slug: string | null; detail: unknown }>(
      `select e.id, e.at, e.kind, e.user_id, e.email, p.slug, e.detail
         from public.security_events e left join public.practices p on p.id = e.practice_id
        where ($1::uuid is null or e.practice_id = $1)
          and ($2::timestamptz is null or e.at >= $2)
          and ($3::timestamptz is null or e.at < $3)
          and ($4::text[] is null or e.kind = any($4))
        order by e.id limit $5`,
      [practiceId, query.since?.toISOString() ?? null, query.until?.toISOString() ?? null, query.kinds?.length ? query.kinds : null, limit],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      at: new Date(r.at).toISOString(),
      kind: r.kind,
      ...(r.user_id ? { userId: r.user_id } : {}),
      ...(r.email ? { email: r.email } : {}),
      ...(r.slug ? { practice: r.slug } : {}),
      detail: (typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail) as SecurityDetail,
    }));
  });
}

/** The practice's id, or an error naming the slug and how to find the right one. */
export async function practiceIdOf(q: Queryable, slug: string): Promise<string> {
  const rows = await q.query<{ id: string }>('select id from public.practices where slug = $1', [slug]);
  if (!rows[0]) throw new SecurityInputError(`there is no practice "${slug}" in the database: check the slug with "pd practices" (it is the folder name under content/practices/)`);
  return rows[0].id;
}

function checkEvent(e: SecurityEvent): void {
  if (!securityEventKindPattern.test(e.kind) || e.kind.length > 64)
    throw new SecurityInputError(`"${e.kind}" is not a security event kind: use lower-case words joined by _ and dots, like sign_in_failed or mfa.verified`);
  if (e.userId !== undefined && !uuidPattern.test(e.userId)) throw new SecurityInputError(`the user id of a security event must be a UUID, not "${e.userId}"`);
  for (const [key, value] of Object.entries(e.detail ?? {})) {
    if (forbiddenDetailKey.test(key))
      throw new SecurityInputError(`a security event's detail may not have a key named "${key}": it sounds like a credential, which must never be logged; record what happened, not the secret`);
    if (value !== null && !['string', 'number', 'boolean'].includes(typeof value))
      throw new SecurityInputError(`the detail "${key}" of a security event must be a string, number, boolean or null`);
  }
  const bytes = new TextEncoder().encode(JSON.stringify(e.detail ?? {})).length;
  if (bytes > maxDetailBytes) throw new SecurityInputError(`a security event's detail is ${bytes} bytes; keep it under ${maxDetailBytes} (summarise rather than copy)`);
}
