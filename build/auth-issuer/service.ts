// What the issuer does, apart from HTTP: one-time codes and magic links, sessions with rotating
// refresh tokens, and access tokens shaped like Supabase Auth's.
import { createHash, createHmac, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { SignJWT, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { isEmailAddress } from '../../lib/email/mailer.ts';
import { errors } from './errors.ts';
import type { SigningKey } from './keys.ts';
import type { SecurityEventSink } from './security-events.ts';
import type { AmrEntry, AuthStore, FactorRecord, OtpGrant, PkceChallenge, SessionRecord, UserRecord } from './store.ts';

export const ACCESS_TOKEN_SECONDS = 3600;
export const OTP_VALID_MS = 60 * 60_000;
export const RESEND_INTERVAL_MS = 60_000;
export const MAX_CODE_ATTEMPTS = 5;
export const AUTH_CODE_VALID_MS = 5 * 60_000;

export interface UserJson {
  id: string;
  aud: 'authenticated';
  role: 'authenticated';
  email: string;
  email_confirmed_at?: string;
  phone: '';
  confirmed_at?: string;
  recovery_sent_at?: string;
  last_sign_in_at?: string;
  app_metadata: { provider: 'email'; providers: ['email'] };
  user_metadata: Record<string, unknown>;
  identities: unknown[];
  /** Present when the user has enrolled at least one factor, as GoTrue omits an empty list. */
  factors?: FactorJson[];
  created_at: string;
  updated_at: string;
  is_anonymous: false;
}

/** A factor as GoTrue lists it (on the user, and from the admin API). The secret never appears. */
export interface FactorJson {
  id: string;
  friendly_name?: string;
  factor_type: 'totp';
  status: 'unverified' | 'verified';
  created_at: string;
  updated_at: string;
  last_challenged_at: string | null;
}

export interface SessionJson {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  expires_at: number;
  refresh_token: string;
  user: UserJson;
}

export interface AccessClaims extends JWTPayload {
  sub: string;
  email: string;
  session_id: string;
}

export type LogoutScope = 'global' | 'local' | 'others';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const opaqueToken = () => randomBytes(32).toString('base64url');

export interface AuthServiceOptions {
  store: AuthStore;
  key: SigningKey;
  /** `<public url>/auth/v1`: the JWT `iss`. */
  issuer: string;
  now: () => number;
  /** The security log; nothing is reported without it. */
  events?: SecurityEventSink;
  resendIntervalMs?: number;
}

export class AuthService {
  readonly store: AuthStore;
  readonly key: SigningKey;
  readonly issuer: string;
  readonly now: () => number;
  readonly events: SecurityEventSink;
  readonly resendIntervalMs: number;
  private readonly codeKey: Buffer;

  constructor(o: AuthServiceOptions) {
    this.store = o.store;
    this.key = o.key;
    this.issuer = o.issuer;
    this.now = o.now;
    this.events = o.events ?? (() => {});
    this.resendIntervalMs = o.resendIntervalMs ?? RESEND_INTERVAL_MS;
    this.codeKey = Buffer.from(o.store.state.secret, 'base64');
  }

  private get state() {
    return this.store.state;
  }

  private iso(ms = this.now()): string {
    return new Date(ms).toISOString();
  }

  normaliseEmail(raw: unknown): string {
    const email = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
    if (!isEmailAddress(email)) throw errors.invalidEmail();
    return email;
  }

  private codeMac(email: string, code: string): Buffer {
    return createHmac('sha256', this.codeKey).update(`${email}:${code}`).digest();
  }

  // --- one-time codes and magic links ---------------------------------------------------------

  /**
   * Starts a sign-in: a new 6-digit code and magic-link token for the address (replacing any
   * earlier ones). Returns them for the email; they are stored only as hashes.
   */
  async requestOtp(o: {
    email: string;
    createUser: boolean;
    metadata: Record<string, unknown>;
    redirectTo: string;
    pkce: PkceChallenge | null;
  }): Promise<{ code: string; linkToken: string }> {
    const now = this.now();
    const last = this.state.last_sent[o.email];
    if (last !== undefined && now - last < this.resendIntervalMs && now >= last)
      throw errors.emailRateLimit(Math.ceil((this.resendIntervalMs - (now - last)) / 1000));
    let user = this.store.userByEmail(o.email);
    if (!user) {
      if (!o.createUser) throw errors.signupsDisabled();
      user = this.store.newUser(o.email, o.metadata, this.iso(now));
    }
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const linkToken = opaqueToken();
    this.state.otps[o.email] = {
      code_mac: this.codeMac(o.email, code).toString('hex'),
      link_hash: sha256(linkToken),
      sent_at: now,
      expires_at: now + OTP_VALID_MS,
      failed_attempts: 0,
      redirect_to: o.redirectTo,
      pkce: o.pkce,
    };
    user.recovery_sent_at = this.iso(now);
    this.state.last_sent[o.email] = now;
    await this.store.commit(now);
    return { code, linkToken };
  }

  /** The user with this address, created if new (for seeding local demo accounts); returns their id. */
  async ensureUser(email: string): Promise<string> {
    const now = this.now();
    const user = this.store.userByEmail(email) ?? this.store.newUser(email, {}, this.iso(now));
    await this.store.commit(now);
    return user.id;
  }

  /** Undoes `requestOtp` when the email could not be sent, so the address can try again at once. */
  async cancelOtp(email: string): Promise<void> {
    delete this.state.otps[email];
    delete this.state.last_sent[email];
    await this.store.commit(this.now());
  }

  /** Checks a typed code (in constant time); five wrong tries end the code. */
  async verifyCode(rawEmail: unknown, rawToken: unknown): Promise<SessionJson> {
    const email = this.normaliseEmail(rawEmail);
    const token = typeof rawToken === 'string' ? rawToken.replace(/[\s-]/g, '') : '';
    const now = this.now();
    const grant = this.state.otps[email];
    const expected = grant ? Buffer.from(grant.code_mac, 'hex') : this.codeMac(email, 'no code was requested');
    const matches = timingSafeEqual(this.codeMac(email, token), expected) && /^\d{6}$/.test(token);
    const failed = (reason: string) => this.events({ kind: 'sign_in_failed', userId: this.store.userByEmail(email)?.id, email, detail: { method: 'otp', reason } });
    if (!grant || grant.expires_at <= now) {
      if (grant) {
        delete this.state.otps[email];
        await this.store.commit(now);
      }
      failed('expired');
      throw errors.otpExpired();
    }
    if (!matches) {
      grant.failed_attempts += 1;
      const last = grant.failed_attempts >= MAX_CODE_ATTEMPTS;
      if (last) delete this.state.otps[email];
      await this.store.commit(now);
      failed(last ? 'too_many_attempts' : 'wrong');
      throw errors.otpExpired();
    }
    delete this.state.otps[email];
    const user = this.store.userByEmail(email);
    if (!user) throw errors.otpExpired();
    return this.signIn(user, 'otp');
  }

  private grantForLink(linkToken: string): { email: string; grant: OtpGrant } | undefined {
    if (!/^[A-Za-z0-9_-]{20,200}$/.test(linkToken)) return undefined;
    const hash = Buffer.from(sha256(linkToken), 'hex');
    const now = this.now();
    for (const [email, grant] of Object.entries(this.state.otps))
      if (grant.expires_at > now && timingSafeEqual(Buffer.from(grant.link_hash, 'hex'), hash)) return { email, grant };
    return undefined;
  }

  /** Whether a magic-link token is live, without using it (what GET /verify may do). */
  linkIsLive(linkToken: string): boolean {
    return this.grantForLink(linkToken) !== undefined;
  }

  /**
   * Uses a magic-link token (or `token_hash`). A link requested with a PKCE challenge gives an
   * authorisation code to exchange at /token?grant_type=pkce; otherwise it signs in at once.
   */
  async useLink(linkToken: string, o: { allowPkceCode: boolean }): Promise<{ session: SessionJson } | { authCode: string }> {
    const found = this.grantForLink(linkToken);
    if (!found) {
      this.events({ kind: 'sign_in_failed', detail: { method: 'magiclink', reason: 'expired' } });
      throw errors.otpExpired();
    }
    const { email, grant } = found;
    delete this.state.otps[email];
    const user = this.store.userByEmail(email);
    if (!user) throw errors.otpExpired();
    if (grant.pkce && o.allowPkceCode) {
      const authCode = opaqueToken();
      const now = this.now();
      this.state.auth_codes[sha256(authCode)] = { user_id: user.id, pkce: grant.pkce, expires_at: now + AUTH_CODE_VALID_MS, auth_method: 'magiclink' };
      user.email_confirmed_at ??= this.iso(now);
      await this.store.commit(now);
      return { authCode };
    }
    return { session: await this.signIn(user, 'magiclink') };
  }

  /** POST /token?grant_type=pkce: an authorisation code and the verifier whose challenge it was issued for. */
  async exchangeAuthCode(rawCode: unknown, rawVerifier: unknown): Promise<SessionJson> {
    const code = typeof rawCode === 'string' ? rawCode : '';
    const verifier = typeof rawVerifier === 'string' ? rawVerifier : '';
    if (!code || !verifier) throw errors.validation('invalid request: both auth code and code verifier should be non-empty');
    const hash = sha256(code);
    const record = this.state.auth_codes[hash];
    if (!record) throw errors.flowStateNotFound();
    delete this.state.auth_codes[hash];
    const now = this.now();
    if (record.expires_at <= now) {
      await this.store.commit(now);
      throw errors.flowStateExpired();
    }
    const challenge = record.pkce.method === 's256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
    const a = Buffer.from(challenge);
    const b = Buffer.from(record.pkce.challenge);
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      await this.store.commit(now);
      throw errors.badCodeVerifier();
    }
    const user = this.state.users[record.user_id];
    if (!user) throw errors.flowStateNotFound();
    return this.signIn(user, 'magiclink_pkce');
  }

  // --- sessions -------------------------------------------------------------------------------

  private async signIn(user: UserRecord, method: 'otp' | 'magiclink' | 'magiclink_pkce'): Promise<SessionJson> {
    const now = this.now();
    const at = this.iso(now);
    user.email_confirmed_at ??= at;
    user.last_sign_in_at = at;
    user.updated_at = at;
    const session: SessionRecord = {
      id: randomUUID(),
      user_id: user.id,
      created_at: at,
      updated_at: at,
      refreshed_at: null,
      amr: [{ method: 'otp', timestamp: Math.floor(now / 1000) }],
      aal: 'aal1',
    };
    this.state.sessions[session.id] = session;
    const refreshToken = this.newRefreshToken(session.id, null, at);
    await this.store.commit(now);
    this.events({ kind: 'sign_in', userId: user.id, email: user.email, detail: { method } });
    return this.sessionJson(user, session, refreshToken);
  }

  private newRefreshToken(sessionId: string, parent: string | null, at: string): string {
    const token = opaqueToken();
    this.state.refresh_tokens[sha256(token)] = { session_id: sessionId, revoked: false, parent, created_at: at };
    return token;
  }

  /** Rotates a refresh token. Presenting one that was already exchanged ends its whole session. */
  async refresh(rawToken: unknown): Promise<SessionJson> {
    const token = typeof rawToken === 'string' ? rawToken : '';
    if (!token) throw errors.refreshNotFound();
    const hash = sha256(token);
    const record = this.state.refresh_tokens[hash];
    const now = this.now();
    if (!record) {
      this.events({ kind: 'refresh_refused', detail: { reason: 'not_found' } });
      throw errors.refreshNotFound();
    }
    const session = this.state.sessions[record.session_id];
    const user = session ? this.state.users[session.user_id] : undefined;
    if (!session || !user) {
      delete this.state.refresh_tokens[hash];
      await this.store.commit(now);
      this.events({ kind: 'refresh_refused', detail: { reason: 'session_ended' } });
      throw errors.refreshNotFound();
    }
    if (record.revoked) {
      // Reuse: someone else may hold the newer token. End the session family.
      this.store.deleteSessions([session.id]);
      await this.store.commit(now);
      this.events({ kind: 'refresh_refused', userId: user.id, email: user.email, detail: { reason: 'already_used', session_ended: true } });
      throw errors.refreshAlreadyUsed();
    }
    record.revoked = true;
    const at = this.iso(now);
    session.refreshed_at = at;
    session.updated_at = at;
    const next = this.newRefreshToken(session.id, hash, at);
    await this.store.commit(now);
    return this.sessionJson(user, session, next);
  }

  /** A Bearer access token's user and session; GoTrue's errors when it is missing, bad or ended. */
  async authenticate(authorization: string | undefined): Promise<{ user: UserRecord; session: SessionRecord; claims: AccessClaims }> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) throw errors.noAuthorization();
    let claims: AccessClaims;
    try {
      const verified = await jwtVerify(match[1]!, this.key.publicKey, {
        issuer: this.issuer,
        audience: 'authenticated',
        algorithms: ['ES256'],
        currentDate: new Date(this.now()),
      });
      claims = verified.payload as AccessClaims;
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) throw errors.badJwt('token has invalid claims: token is expired');
      throw errors.badJwt(e instanceof joseErrors.JOSEError ? e.code : 'token is malformed');
    }
    const user = typeof claims.sub === 'string' ? this.state.users[claims.sub] : undefined;
    if (!user) throw errors.userNotFound();
    const session = typeof claims.session_id === 'string' ? this.state.sessions[claims.session_id] : undefined;
    if (!session || session.user_id !== user.id) throw errors.sessionNotFound();
    return { user, session, claims };
  }

  /** Ends this session (`local`), every other session of the user (`others`) or all of them (`global`). */
  async logout(user: UserRecord, session: SessionRecord, scope: LogoutScope): Promise<void> {
    const ofUser = Object.values(this.state.sessions).filter((s) => s.user_id === user.id).map((s) => s.id);
    const ending = scope === 'local' ? [session.id] : scope === 'others' ? ofUser.filter((id) => id !== session.id) : ofUser;
    this.store.deleteSessions(ending);
    await this.store.commit(this.now());
    this.events({ kind: 'sessions_revoked', userId: user.id, email: user.email, detail: { by: 'user', scope, count: ending.length } });
  }

  /** Ends every session of a user (the admin "global sign-out"); returns how many there were. */
  async endAllSessions(user: UserRecord, reason: string): Promise<number> {
    const ending = Object.values(this.state.sessions).filter((s) => s.user_id === user.id).map((s) => s.id);
    this.store.deleteSessions(ending);
    await this.store.commit(this.now());
    this.events({ kind: 'sessions_revoked', userId: user.id, email: user.email, detail: { by: 'admin', scope: 'global', count: ending.length, reason } });
    return ending.length;
  }

  /**
   * Raises a session to aal2 after a verified factor, as GoTrue does: the same session, the
   * factor's method added to `amr` (most recent first), its refresh token swapped for a new one,
   * and the user's other sessions still below aal2 ended.
   */
  async raiseToAal2(user: UserRecord, session: SessionRecord, factor: FactorRecord): Promise<SessionJson> {
    const now = this.now();
    const at = this.iso(now);
    session.aal = 'aal2';
    session.factor_id = factor.id;
    session.amr = [{ method: 'totp', timestamp: Math.floor(now / 1000) }, ...session.amr.filter((a) => a.method !== 'totp')];
    session.updated_at = at;
    let parent: string | null = null;
    for (const [hash, token] of Object.entries(this.state.refresh_tokens))
      if (token.session_id === session.id && !token.revoked) {
        token.revoked = true;
        parent = hash;
      }
    const refreshToken = this.newRefreshToken(session.id, parent, at);
    const below = Object.values(this.state.sessions).filter((s) => s.user_id === user.id && s.id !== session.id && (s.aal ?? 'aal1') !== 'aal2');
    this.store.deleteSessions(below.map((s) => s.id));
    await this.store.commit(now);
    if (below.length)
      this.events({ kind: 'sessions_revoked', userId: user.id, email: user.email, detail: { by: 'mfa', scope: 'aal1', count: below.length } });
    return this.sessionJson(user, session, refreshToken);
  }

  /** A factor is gone: the sessions it raised fall back to aal1 (their next token says so), as in GoTrue. */
  lowerSessionsOf(factorId: string): void {
    for (const s of Object.values(this.state.sessions))
      if (s.factor_id === factorId) {
        s.aal = 'aal1';
        delete s.factor_id;
        s.amr = s.amr.filter((a) => a.method !== 'totp');
      }
  }

  // --- shapes ---------------------------------------------------------------------------------

  private async sessionJson(user: UserRecord, session: SessionRecord, refreshToken: string): Promise<SessionJson> {
    const iat = Math.floor(this.now() / 1000);
    const exp = iat + ACCESS_TOKEN_SECONDS;
    return {
      access_token: await this.accessToken(user, session, iat, exp),
      token_type: 'bearer',
      expires_in: ACCESS_TOKEN_SECONDS,
      expires_at: exp,
      refresh_token: refreshToken,
      user: this.userJson(user),
    };
  }

  private accessToken(user: UserRecord, session: SessionRecord, iat: number, exp: number): Promise<string> {
    // The claims and their order as Supabase Auth issues them.
    const claims = {
      iss: this.issuer,
      sub: user.id,
      aud: 'authenticated',
      exp,
      iat,
      email: user.email,
      phone: '',
      app_metadata: { provider: 'email', providers: ['email'] },
      user_metadata: user.user_metadata,
      role: 'authenticated',
      aal: session.aal ?? 'aal1',
      amr: session.amr satisfies AmrEntry[],
      session_id: session.id,
      is_anonymous: false,
    };
    return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: this.key.kid, typ: 'JWT' }).sign(this.key.privateKey);
  }

  userJson(user: UserRecord): UserJson {
    const identityData = { email: user.email, email_verified: user.email_confirmed_at !== null, phone_verified: false, sub: user.id };
    const optional = <K extends string>(key: K, value: string | null) => (value === null ? {} : ({ [key]: value } as Record<K, string>));
    return {
      id: user.id,
      aud: 'authenticated',
      role: 'authenticated',
      email: user.email,
      ...optional('email_confirmed_at', user.email_confirmed_at),
      phone: '',
      ...optional('confirmed_at', user.email_confirmed_at),
      ...optional('recovery_sent_at', user.recovery_sent_at),
      ...optional('last_sign_in_at', user.last_sign_in_at),
      app_metadata: { provider: 'email', providers: ['email'] },
      user_metadata: user.user_metadata,
      identities: [
        {
          identity_id: user.identity_id,
          id: user.id,
          user_id: user.id,
          identity_data: identityData,
          provider: 'email',
          last_sign_in_at: user.last_sign_in_at ?? user.created_at,
          created_at: user.created_at,
          updated_at: user.updated_at,
          email: user.email,
        },
      ],
      ...this.factorsField(user),
      created_at: user.created_at,
      updated_at: user.updated_at,
      is_anonymous: false,
    };
  }

  private factorsField(user: UserRecord): { factors?: FactorJson[] } {
    const factors = this.store.factorsOf(user.id);
    return factors.length ? { factors: factors.map(factorJson) } : {};
  }
}

export function factorJson(f: FactorRecord): FactorJson {
  return {
    id: f.id,
    ...(f.friendly_name ? { friendly_name: f.friendly_name } : {}),
    factor_type: f.factor_type,
    status: f.status,
    created_at: f.created_at,
    updated_at: f.updated_at,
    last_challenged_at: f.last_challenged_at,
  };
}
