// The portal's security capability on the platform's database: revoked sessions, the caller's
// standing in a practice, and the security log (lib/security). A failure to record an event is
// logged by name and never fails the request: refusing someone must not depend on the log.
import type { Database } from '../db/database.ts';
import { accessOf } from '../members/access.ts';
import { isSessionRevoked } from '../security/revocations.ts';
import { recordSecurityEvent } from '../security/security-events.ts';
import type { PortalSecurity } from './portal-security.ts';

/**
 * When the session behind a token began: the earliest `amr` time (Supabase keeps a session's
 * sign-in times in every token refreshed from it), else the token's `iat`. So a token refreshed
 * after a revocation, from a session that began before it, is refused too.
 */
export function sessionStartedAt(claims: Readonly<Record<string, unknown>>): number | undefined {
  const amr = Array.isArray(claims.amr) ? (claims.amr as { timestamp?: unknown }[]) : [];
  const times = amr.map((a) => a?.timestamp).filter((t): t is number => typeof t === 'number' && Number.isFinite(t));
  if (times.length) return Math.min(...times);
  return typeof claims.iat === 'number' ? claims.iat : undefined;
}

export function databaseSecurity(db: Database): PortalSecurity {
  return {
    isRevoked: (identity) => {
      const started = sessionStartedAt(identity.claims);
      return isSessionRevoked(db, { sub: identity.userId, ...(started === undefined ? {} : { iat: started }) });
    },
    accessOf: (identity, practice) => accessOf(db, identity.claims, practice),
    async record(e) {
      try {
        await recordSecurityEvent(
          db,
          {
            kind: e.kind,
            ...(e.identity ? { userId: e.identity.userId, ...(e.identity.email ? { email: e.identity.email } : {}) } : {}),
            ...(e.practice ? { practice: e.practice } : {}),
            detail: e.detail,
          },
          `portal: record a ${e.kind} security event`,
        );
      } catch (err) {
        // An unknown practice slug in a refused request, say: the refusal still stands.
        if (e.practice) return this.record({ ...e, practice: undefined, detail: { ...e.detail, practice: e.practice.slice(0, 100) } });
        console.error(`security log: ${(err as Error).name}`);
      }
    },
  };
}
