// Multi-factor authentication with TOTP, as Supabase Auth (GoTrue) offers it: enrol a factor,
// challenge it, verify a code into an aal2 session, unenrol; and the admin calls that list and
// delete a user's factors. The HTTP routes are in mfa-routes.ts.
import { randomUUID } from 'node:crypto';
import { generateTotpSecret, totpUri, verifyTotp } from '../../lib/auth/totp.ts';
import { errors } from './errors.ts';
import { factorJson, type AuthService, type FactorJson, type SessionJson } from './service.ts';
import type { FactorRecord, SessionRecord, UserRecord } from './store.ts';

/** GoTrue's MFA_CHALLENGE_EXPIRY_DURATION default. */
export const MFA_CHALLENGE_VALID_MS = 300_000;
/** GoTrue's MFA_FACTOR_EXPIRY_DURATION default: an unverified factor older than this is dropped. */
export const MFA_UNVERIFIED_FACTOR_MS = 300_000;
/** GoTrue's MFA_MAX_ENROLLED_FACTORS default. */
export const MFA_MAX_FACTORS = 10;
/** Wrong codes in a row before a factor is locked, and for how long. */
export const MFA_MAX_ATTEMPTS = 5;
export const MFA_LOCK_MS = 300_000;

export interface EnrolResponse {
  id: string;
  type: 'totp';
  friendly_name: string;
  totp: { qr_code: string; secret: string; uri: string };
}

export interface ChallengeResponse {
  id: string;
  type: 'totp';
  /** Seconds since the epoch. */
  expires_at: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class MfaService {
  private readonly auth: AuthService;
  /** The issuer named in the authenticator app ("Practice Digital"), unless the request names one. */
  private readonly defaultIssuer: string;

  constructor(auth: AuthService, defaultIssuer: string) {
    this.auth = auth;
    this.defaultIssuer = defaultIssuer;
  }

  private get state() {
    return this.auth.store.state;
  }

  private iso(ms = this.auth.now()): string {
    return new Date(ms).toISOString();
  }

  /** The user's own factor; another user's answers exactly as a missing one, so it is not confirmed to exist. */
  ownFactor(user: UserRecord, factorId: string): FactorRecord {
    if (!UUID.test(factorId)) throw errors.factorIdNotUuid();
    const factor = this.state.factors[factorId.toLowerCase()];
    if (!factor || factor.user_id !== user.id) throw errors.factorNotFound();
    return factor;
  }

  async enrol(user: UserRecord, session: SessionRecord, body: { factor_type?: unknown; friendly_name?: unknown; issuer?: unknown }): Promise<EnrolResponse> {
    const type = body.factor_type;
    if (type === 'phone' || type === 'webauthn') throw errors.factorTypeDisabled(type);
    if (type !== 'totp') throw errors.validation('factor_type needs to be totp, phone, or webauthn');
    const friendlyName = typeof body.friendly_name === 'string' ? body.friendly_name : '';
    const issuer = typeof body.issuer === 'string' && body.issuer ? body.issuer : this.defaultIssuer;
    if (issuer.includes(':')) throw errors.validation('issuer must not contain ":"');
    const now = this.auth.now();
    // GoTrue's checks, in its order: stale unverified factors go, names are unique per user
    // (an empty name included), ten factors at most, and aal2 to add to a verified one.
    for (const f of this.auth.store.factorsOf(user.id))
      if (f.status === 'unverified' && Date.parse(f.created_at) + MFA_UNVERIFIED_FACTOR_MS <= now) this.auth.store.deleteFactor(f.id);
    const factors = this.auth.store.factorsOf(user.id);
    if (factors.some((f) => f.friendly_name === friendlyName)) throw errors.factorNameConflict(friendlyName);
    if (factors.length >= MFA_MAX_FACTORS) throw errors.tooManyFactors();
    if (factors.some((f) => f.status === 'verified') && (session.aal ?? 'aal1') !== 'aal2') throw errors.aal2ToEnrol();
    const secret = generateTotpSecret();
    const at = this.iso(now);
    const factor: FactorRecord = {
      id: randomUUID(),
      user_id: user.id,
      factor_type: 'totp',
      friendly_name: friendlyName,
      status: 'unverified',
      secret,
      created_at: at,
      updated_at: at,
      last_challenged_at: null,
      last_used_step: null,
      failed_attempts: 0,
      locked_until: null,
    };
    this.state.factors[factor.id] = factor;
    await this.auth.store.commit(now);
    this.auth.events({ kind: 'mfa_factor_enrolled', userId: user.id, email: user.email, detail: { factor_id: factor.id, factor_type: 'totp' } });
    return {
      id: factor.id,
      type: 'totp',
      friendly_name: friendlyName,
      // No QR image: the portal draws one from `uri` (supabase-js passes an empty string through).
      totp: { qr_code: '', secret, uri: totpUri({ secret, accountName: user.email, issuer }) },
    };
  }

  async challenge(user: UserRecord, factorId: string): Promise<ChallengeResponse> {
    const factor = this.ownFactor(user, factorId);
    const now = this.auth.now();
    const id = randomUUID();
    const expiresAt = now + MFA_CHALLENGE_VALID_MS;
    this.state.mfa_challenges[id] = { id, factor_id: factor.id, created_at: now, expires_at: expiresAt };
    factor.last_challenged_at = this.iso(now);
    await this.auth.store.commit(now);
    return { id, type: 'totp', expires_at: Math.floor(expiresAt / 1000) };
  }

  async verify(user: UserRecord, session: SessionRecord, factorId: string, body: { challenge_id?: unknown; code?: unknown }): Promise<SessionJson> {
    const factor = this.ownFactor(user, factorId);
    const code = typeof body.code === 'string' ? body.code : '';
    if (!code) throw errors.validation('Code needs to be non-empty');
    const challengeId = typeof body.challenge_id === 'string' ? body.challenge_id.toLowerCase() : '';
    const challenge = this.state.mfa_challenges[challengeId];
    if (!challenge || challenge.factor_id !== factor.id) throw errors.challengeNotFound();
    const now = this.auth.now();
    if (challenge.expires_at <= now) {
      delete this.state.mfa_challenges[challengeId];
      await this.auth.store.commit(now);
      throw errors.challengeExpired(challengeId);
    }
    const failed = (reason: string, attempts: number) =>
      this.auth.events({ kind: 'mfa_failed', userId: user.id, email: user.email, detail: { factor_id: factor.id, reason, attempts } });
    if (factor.locked_until !== null && factor.locked_until > now) {
      failed('locked', MFA_MAX_ATTEMPTS);
      throw errors.mfaTooManyAttempts(Math.ceil((factor.locked_until - now) / 1000));
    }
    const result = await verifyTotp(factor.secret, code, now, factor.last_used_step ?? undefined);
    if (!result.ok) {
      factor.failed_attempts += 1;
      const attempts = factor.failed_attempts;
      const lock = attempts >= MFA_MAX_ATTEMPTS;
      if (lock) {
        factor.locked_until = now + MFA_LOCK_MS;
        factor.failed_attempts = 0;
        // A locked factor's open challenges end with it: the next try starts afresh.
        for (const [id, c] of Object.entries(this.state.mfa_challenges)) if (c.factor_id === factor.id) delete this.state.mfa_challenges[id];
      }
      await this.auth.store.commit(now);
      failed(result.reason, attempts);
      if (lock) throw errors.mfaTooManyAttempts(Math.ceil(MFA_LOCK_MS / 1000));
      throw result.reason === 'reused' ? errors.totpReused() : errors.totpWrong();
    }
    delete this.state.mfa_challenges[challengeId];
    const firstVerify = factor.status === 'unverified';
    factor.status = 'verified';
    factor.last_used_step = result.step;
    factor.failed_attempts = 0;
    factor.locked_until = null;
    factor.updated_at = this.iso(now);
    // As GoTrue: once one TOTP factor is verified, the user's other unverified ones go.
    for (const f of this.auth.store.factorsOf(user.id)) if (f.status === 'unverified') this.auth.store.deleteFactor(f.id);
    const session2 = await this.auth.raiseToAal2(user, session, factor);
    this.auth.events({ kind: 'mfa_verified', userId: user.id, email: user.email, detail: { factor_id: factor.id, first_verification: firstVerify } });
    return session2;
  }

  /** DELETE /factors/:id: a verified factor needs an aal2 session, as GoTrue requires. */
  async unenrol(user: UserRecord, session: SessionRecord, factorId: string): Promise<{ id: string }> {
    const factor = this.ownFactor(user, factorId);
    if (factor.status === 'verified' && (session.aal ?? 'aal1') !== 'aal2') throw errors.aal2ToUnenrol();
    await this.remove(user, factor, 'user');
    return { id: factor.id };
  }

  /** GET /admin/users/:id/factors. */
  adminList(user: UserRecord): FactorJson[] {
    return this.auth.store.factorsOf(user.id).map(factorJson);
  }

  /** DELETE /admin/users/:id/factors/:factorId: answers with the deleted factor, as GoTrue does. */
  async adminDelete(user: UserRecord, factorId: string): Promise<FactorJson> {
    const factor = this.ownFactor(user, factorId);
    await this.remove(user, factor, 'admin');
    return factorJson(factor);
  }

  private async remove(user: UserRecord, factor: FactorRecord, by: 'user' | 'admin'): Promise<void> {
    this.auth.store.deleteFactor(factor.id);
    this.auth.lowerSessionsOf(factor.id);
    await this.auth.store.commit(this.auth.now());
    this.auth.events({ kind: 'mfa_factor_deleted', userId: user.id, email: user.email, detail: { factor_id: factor.id, by, was_verified: factor.status === 'verified' } });
  }
}
