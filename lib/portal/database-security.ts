// The portal's security capability on the platform's database: revoked sessions, the caller's
// standing in a practice, and the security log (lib/security). A failure to record an event is
// logged by name and never fails the request: refusing someone must not depend on the log.
import type { Database } from '../db/database.ts';
import { accessOf } from '../members/access.ts';
import { isSessionRevoked } from '../security/revocations.ts';
import { recordSecurityEvent } from '../security/security-events.ts';
import type { PortalSecurity } from './portal-security.ts';

export function databaseSecurity(db: Database): PortalSecurity {
  return {
    isRevoked: (identity) => isSessionRevoked(db, { sub: identity.userId, ...(typeof identity.claims.iat === 'number' ? { iat: identity.claims.iat } : {}) }),
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
