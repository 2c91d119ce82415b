// What the portal API asks of the security layer on each request: is this session revoked, is the
// practice frozen, and a place to record what it refused. Each is optional, so the API runs
// without them in tests of other things; production and `npm start` pass all three.
import type { Identity } from '../auth/identity.ts';
import type { PracticeAccess } from '../members/access.ts';

export interface RefusalEvent {
  kind: 'gateway.refused' | 'mfa.required' | 'session.refused' | 'mfa.reset' | 'role.changed';
  identity?: Identity;
  practice?: string;
  detail: Record<string, string | number | boolean | null>;
}

export interface PortalSecurity {
  /** True when the platform ended this session (an incident): the token is refused though valid. */
  isRevoked(identity: Identity): Promise<boolean>;
  /** Recorded without patient data or tokens; a failure to record is logged, never fatal. */
  record(e: RefusalEvent): Promise<void>;
  /** The caller's standing in the practice (role, admin, the practice's second-factor setting). */
  accessOf(identity: Identity, practice: string): Promise<PracticeAccess>;
}
