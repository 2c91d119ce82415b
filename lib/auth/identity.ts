// Who a request is acting for, as established by a verified Supabase access token, and the
// shapes around verifying one. Types only: the verifier lives in verify-jwt.ts.

import type { JSONWebKeySet } from 'jose';

/** Authenticator assurance level: `aal2` once the session has passed a second factor. */
export type Aal = 'aal1' | 'aal2';

/**
 * The claims of a verified token, exactly as signed and deeply frozen. Assignable to the data
 * layer's `Claims`, so they can be handed straight to `asCaller`.
 *
 * `user_metadata` is in here because Supabase puts it in the token, but the user can edit it:
 * never use it to decide what someone may do.
 */
export type VerifiedClaims = Readonly<Record<string, unknown>> & {
  readonly sub: string;
  readonly role: 'authenticated';
  readonly exp: number;
};

/** A signed-in Supabase user, established by `verify`. */
export interface Identity {
  /** The `sub` claim: the user's id in `auth.users`, a lower-case UUID. */
  readonly userId: string;
  /** The `email` claim, when the user has one (phone sign-ups carry an empty string: absent here). */
  readonly email?: string;
  /** The `session_id` claim, when present. */
  readonly sessionId?: string;
  readonly aal: Aal;
  /** Always `authenticated`: anon and service-role tokens are refused, not identities. */
  readonly role: 'authenticated';
  /** The `is_anonymous` claim: a Supabase anonymous sign-in. Refused unless `allowAnonymous`. */
  readonly isAnonymous: boolean;
  /**
   * The `app_metadata` claim, frozen (`{}` when absent). Only the platform (service role) can
   * write it, so this is where granted roles belong. `user_metadata` is deliberately not here.
   */
  readonly appMetadata: Readonly<Record<string, unknown>>;
  /** From the `exp` claim. */
  readonly expiresAt: Date;
  readonly claims: VerifiedClaims;
}

/**
 * Why a token was refused. HTTP layers answer every one with 401; the reason is for logs, metrics
 * and tests.
 *
 * - `malformed`: not a compact JWS of at most `maxTokenLength` characters with canonical
 *   base64url parts, a JSON-object header and payload; or a required claim (`exp`, `aal`,
 *   `app_metadata`) missing or of the wrong type.
 * - `unsupported-algorithm`: `alg` is not one this verifier is configured for (`none`, HS256
 *   without a shared secret, ES256/RS256 without a key set, anything else).
 * - `unknown-key`: an asymmetric token without a `kid`, or whose `kid` is not in the key set even
 *   after a permitted refetch.
 * - `keys-unavailable`: the key set could not be fetched or read. The token may be fine.
 * - `bad-signature`: the signature does not verify (tampering, wrong key).
 * - `expired`: `exp` has passed, beyond the clock tolerance.
 * - `not-yet-valid`: `nbf` or `iat` is in the future, beyond the clock tolerance.
 * - `wrong-issuer`, `wrong-audience`: `iss` / `aud` are not the configured ones.
 * - `not-a-user`: validly signed but not a signed-in user: `role` is not `authenticated` (the anon
 *   or service-role key), `sub` is missing or not a UUID, or an anonymous sign-in when those are
 *   not allowed.
 */
export type TokenErrorReason =
  | 'malformed'
  | 'unsupported-algorithm'
  | 'unknown-key'
  | 'keys-unavailable'
  | 'bad-signature'
  | 'expired'
  | 'not-yet-valid'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'not-a-user';

/** How the key set is fetched from a URL and cached. */
export interface RemoteJwksConfig {
  /** `<project url>/auth/v1/.well-known/jwks.json`. Must be https, or http on a loopback host. */
  url: string;
  /** After a fetch, how long an unknown `kid` is refused before it may trigger a refetch. Default 30. */
  cooldownSeconds?: number;
  /** How long fetched keys are used before they are fetched again. Default 600. */
  cacheMaxAgeSeconds?: number;
  /** How long a fetch may take. Default 5000. */
  timeoutMs?: number;
}

/** A fixed key set, e.g. pinned in configuration or in tests. */
export interface StaticJwksConfig {
  keys: JSONWebKeySet;
}

/** The subset of `fetch` the key-set loader uses; `globalThis.fetch` fits. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface VerifierConfig {
  /** `<project url>/auth/v1`, compared exactly with `iss`. */
  issuer: string;
  /** Compared with `aud` (a string or an array holding it). Default `authenticated`. */
  audience?: string;
  /** Public keys for ES256 and RS256 tokens (new Supabase projects). */
  jwks?: RemoteJwksConfig | StaticJwksConfig;
  /** The legacy shared JWT secret, used as UTF-8 bytes; enables HS256. At least 32 characters. */
  hs256Secret?: string;
  /** Leeway for `exp`, `nbf` and `iat`, in seconds. Default 5; at most 60. */
  clockToleranceSeconds?: number;
  /** Accept Supabase anonymous sign-ins (`is_anonymous: true`). Default false. */
  allowAnonymous?: boolean;
  /** Longer tokens are refused before any parsing. Default 8192. */
  maxTokenLength?: number;
  /** Used to fetch a remote key set. Default `globalThis.fetch`. */
  fetch?: FetchLike;
  /** The time tokens are checked against. Default the system clock. */
  now?: () => Date;
}

export interface Verifier {
  /** Resolves with the caller's identity, or rejects with a `TokenError`. */
  verify(token: string): Promise<Identity>;
}
