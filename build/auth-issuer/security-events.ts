// The security-log hook: the issuer reports sign-ins, MFA and session events to the caller, who
// writes them wherever the platform keeps its security log. Events carry ids, addresses and
// reasons, never a code, token, secret or link.

export type SecurityEventKind =
  | 'sign_in'
  | 'sign_in_failed'
  | 'mfa_factor_enrolled'
  | 'mfa_verified'
  | 'mfa_failed'
  | 'mfa_factor_deleted'
  | 'sessions_revoked'
  | 'refresh_refused';

export interface SecurityEvent {
  kind: SecurityEventKind | (string & {});
  userId?: string;
  email?: string;
  at: Date;
  detail?: Record<string, string | number | boolean>;
}

export type SecurityEventHandler = (e: SecurityEvent) => void;

/** What the service calls; `at` is filled from the issuer's clock. */
export type SecurityEventSink = (e: Omit<SecurityEvent, 'at'> & { kind: SecurityEventKind }) => void;

/**
 * Wraps the caller's handler so a failing one never breaks a sign-in: its error is logged (the
 * kind only) and the request goes on.
 */
export function securityEventSink(handler: SecurityEventHandler | undefined, now: () => number, log: (line: string) => void): SecurityEventSink {
  if (!handler) return () => {};
  return (e) => {
    try {
      handler({ ...e, at: new Date(now()) });
    } catch (error) {
      log(`auth issuer: the security event handler failed on a ${e.kind} event (${(error as Error).name})`);
    }
  };
}
