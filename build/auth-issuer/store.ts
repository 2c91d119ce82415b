// The issuer's state: users, sessions, refresh tokens, pending sign-in codes. Kept in memory and,
// with a data folder, written to `<dataDir>/auth/state.json` after every change (atomically, one
// write at a time). Secrets are stored only as hashes: refresh tokens, link tokens and PKCE codes
// as SHA-256, one-time codes as an HMAC under a per-installation key. TOTP secrets cannot be
// hashed (each check recomputes the code from them), so they rely on the file's owner-only mode,
// as GoTrue's rely on the database unless its column encryption is on.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AuthIssuerConfigError } from './options.ts';

export interface UserRecord {
  id: string;
  identity_id: string;
  email: string;
  created_at: string;
  updated_at: string;
  email_confirmed_at: string | null;
  last_sign_in_at: string | null;
  recovery_sent_at: string | null;
  user_metadata: Record<string, unknown>;
}

export interface AmrEntry {
  method: string;
  /** Seconds since the epoch. */
  timestamp: number;
}

export interface SessionRecord {
  id: string;
  user_id: string;
  created_at: string;
  updated_at: string;
  refreshed_at: string | null;
  /** Most recent first, as GoTrue lists them. */
  amr: AmrEntry[];
  /** Missing in state written before MFA: `aal1`. */
  aal?: 'aal1' | 'aal2';
  /** The factor that raised the session to aal2. */
  factor_id?: string;
}

export interface FactorRecord {
  id: string;
  user_id: string;
  factor_type: 'totp';
  friendly_name: string;
  status: 'unverified' | 'verified';
  /** Base32. */
  secret: string;
  created_at: string;
  updated_at: string;
  last_challenged_at: string | null;
  /** The TOTP time step of the last code accepted: no code of that step or earlier works again. */
  last_used_step: number | null;
  /** Wrong codes since the last right one; at the limit the factor is locked for a while. */
  failed_attempts: number;
  /** Milliseconds since the epoch. */
  locked_until: number | null;
}

export interface ChallengeRecord {
  id: string;
  factor_id: string;
  created_at: number;
  /** Milliseconds since the epoch. */
  expires_at: number;
}

export interface RefreshTokenRecord {
  session_id: string;
  /** Set once the token has been exchanged; presenting it again ends the session. */
  revoked: boolean;
  parent: string | null;
  created_at: string;
}

export interface PkceChallenge {
  challenge: string;
  method: 's256' | 'plain';
}

export interface OtpGrant {
  /** HMAC-SHA256 (hex) of `<email>:<code>`. */
  code_mac: string;
  /** SHA-256 (hex) of the magic link's token. */
  link_hash: string;
  /** Milliseconds since the epoch. */
  sent_at: number;
  expires_at: number;
  failed_attempts: number;
  redirect_to: string;
  pkce: PkceChallenge | null;
}

export interface AuthCodeRecord {
  user_id: string;
  pkce: PkceChallenge;
  expires_at: number;
  auth_method: string;
}

export interface AuthState {
  version: 1;
  /** The HMAC key for one-time codes (base64). */
  secret: string;
  users: Record<string, UserRecord>;
  sessions: Record<string, SessionRecord>;
  /** By SHA-256 (hex) of the refresh token. */
  refresh_tokens: Record<string, RefreshTokenRecord>;
  /** By email address. */
  otps: Record<string, OtpGrant>;
  /** By SHA-256 (hex) of the PKCE authorisation code. */
  auth_codes: Record<string, AuthCodeRecord>;
  /** When a sign-in email last went to each address (milliseconds since the epoch). */
  last_sent: Record<string, number>;
  /** MFA factors by id. */
  factors: Record<string, FactorRecord>;
  /** MFA challenges by id. */
  mfa_challenges: Record<string, ChallengeRecord>;
}

function emptyState(): AuthState {
  return {
    version: 1,
    secret: randomBytes(32).toString('base64'),
    users: {},
    sessions: {},
    refresh_tokens: {},
    otps: {},
    auth_codes: {},
    last_sent: {},
    factors: {},
    mfa_challenges: {},
  };
}

export class AuthStore {
  readonly state: AuthState;
  readonly file: string | undefined;
  private writing: Promise<void> = Promise.resolve();

  private constructor(state: AuthState, file: string | undefined) {
    this.state = state;
    this.file = file;
  }

  static async open(authDir: string | undefined): Promise<AuthStore> {
    if (!authDir) return new AuthStore(emptyState(), undefined);
    const file = path.join(authDir, 'state.json');
    await mkdir(authDir, { recursive: true, mode: 0o700 });
    const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
    if (text === undefined) return new AuthStore(emptyState(), file);
    let state: AuthState;
    try {
      state = JSON.parse(text) as AuthState;
      if (state.version !== 1 || typeof state.secret !== 'string') throw new Error('unknown format');
    } catch (e) {
      throw new AuthIssuerConfigError(
        `The auth issuer's state in ${file} could not be read (${(e as Error).message}). Delete the file to start afresh; everyone will have to sign in again.`,
      );
    }
    return new AuthStore({ ...emptyState(), ...state }, file);
  }

  userByEmail(email: string): UserRecord | undefined {
    return Object.values(this.state.users).find((u) => u.email === email);
  }

  newUser(email: string, metadata: Record<string, unknown>, at: string): UserRecord {
    const user: UserRecord = {
      id: randomUUID(),
      identity_id: randomUUID(),
      email,
      created_at: at,
      updated_at: at,
      email_confirmed_at: null,
      last_sign_in_at: null,
      recovery_sent_at: null,
      user_metadata: metadata,
    };
    this.state.users[user.id] = user;
    return user;
  }

  factorsOf(userId: string): FactorRecord[] {
    return Object.values(this.state.factors)
      .filter((f) => f.user_id === userId)
      .sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0));
  }

  /** Removes a factor and its challenges. */
  deleteFactor(id: string): void {
    delete this.state.factors[id];
    for (const [cid, c] of Object.entries(this.state.mfa_challenges)) if (c.factor_id === id) delete this.state.mfa_challenges[cid];
  }

  /** Ends sessions and forgets their refresh tokens. */
  deleteSessions(ids: Iterable<string>): void {
    const gone = new Set(ids);
    for (const id of gone) delete this.state.sessions[id];
    for (const [hash, token] of Object.entries(this.state.refresh_tokens)) if (gone.has(token.session_id)) delete this.state.refresh_tokens[hash];
  }

  /** Drops what has expired, then writes the state (when there is a data folder). */
  commit(now: number): Promise<void> {
    const s = this.state;
    for (const [email, grant] of Object.entries(s.otps)) if (grant.expires_at <= now) delete s.otps[email];
    for (const [hash, code] of Object.entries(s.auth_codes)) if (code.expires_at <= now) delete s.auth_codes[hash];
    for (const [email, at] of Object.entries(s.last_sent)) if (now - at >= 60_000) delete s.last_sent[email];
    // Kept an hour past expiry, so a late verify is told the challenge expired rather than unknown.
    for (const [id, c] of Object.entries(s.mfa_challenges)) if (c.expires_at + 3_600_000 <= now) delete s.mfa_challenges[id];
    if (!this.file) return Promise.resolve();
    const file = this.file;
    const snapshot = `${JSON.stringify(s, null, 1)}\n`;
    this.writing = this.writing.catch(() => undefined).then(() => writeFileAtomic(file, snapshot));
    return this.writing;
  }

  /** Waits for the last write. */
  flush(): Promise<void> {
    return this.writing.catch(() => undefined);
  }
}

/** Writes under a temporary name and renames, so a crash never leaves half a file. Owner-only. */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  await writeFile(temporary, content, { mode: 0o600 });
  await rename(temporary, file);
}
