// Verifies Supabase access tokens and turns them into an `Identity`.
//
// The token is checked in this order, and the first failure is the reason given:
//   1. shape, before anything is decoded: at most `maxTokenLength` characters, three canonical
//      base64url parts, a JSON-object header with a string `alg`;
//   2. the algorithm picks the key, and only from what is configured: ES256/RS256 from the key
//      set (by `kid`), HS256 from the shared secret. Nothing else, never `none`, never the other
//      source, so an HS256 token "signed" with the public key has no secret to verify against;
//   3. the payload is a JSON object; the signature verifies (jose, with the one algorithm
//      allowed); `exp` is present and not past and `nbf` not in the future, within the tolerance;
//   4. the claims describe a signed-in user of this project: `role` is `authenticated`, `iss`
//      and `aud` match, `iat` is not in the future, `sub` is a UUID, `aal` is known.
//
// Runtime-neutral (Web Crypto and fetch only): runs in Node and in Cloudflare Workers.

import { base64url, createLocalJWKSet, createRemoteJWKSet, customFetch, errors, jwtVerify } from 'jose';
import type { JSONWebKeySet, JWSHeaderParameters, JWTPayload } from 'jose';
import type { Aal, Identity, TokenErrorReason, Verifier, VerifierConfig, VerifiedClaims } from './identity.ts';

export type { Aal, Identity, TokenErrorReason, Verifier, VerifierConfig, VerifiedClaims } from './identity.ts';
export type { FetchLike, RemoteJwksConfig, StaticJwksConfig } from './identity.ts';

/** Every `TokenErrorReason`, for exhaustive mapping (metrics, tests). */
export const TOKEN_ERROR_REASONS: readonly TokenErrorReason[] = Object.freeze([
  'malformed',
  'unsupported-algorithm',
  'unknown-key',
  'keys-unavailable',
  'bad-signature',
  'expired',
  'not-yet-valid',
  'wrong-issuer',
  'wrong-audience',
  'not-a-user',
]);

/**
 * A refused token. `message` is safe to log or show: it never contains the token or any value
 * taken from it. `cause`, when set, is the underlying library or network error, for server logs;
 * it never carries the token's claims.
 */
export class TokenError extends Error {
  override readonly name = 'TokenError';
  readonly reason: TokenErrorReason;

  constructor(reason: TokenErrorReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}

export function isTokenError(e: unknown): e is TokenError {
  return e instanceof TokenError;
}

export const DEFAULT_AUDIENCE = 'authenticated';
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 5;
export const MAX_CLOCK_TOLERANCE_SECONDS = 60;
export const DEFAULT_MAX_TOKEN_LENGTH = 8192;
/** Supabase requires legacy JWT secrets of at least 32 characters; so do we. */
export const MIN_HS256_SECRET_LENGTH = 32;

/** Algorithms verified with the key set. HS256 is verified only with the shared secret. */
const KEY_SET_ALGORITHMS: ReadonlySet<string> = new Set(['ES256', 'RS256']);
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** Lower case, as Supabase (and Postgres) write them; any version, but not the nil UUID. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const utf8 = new TextDecoder('utf-8', { fatal: true });

type KeyResolver = (header: JWSHeaderParameters) => Promise<CryptoKey>;

/**
 * Makes a verifier for one Supabase project. Throws a `TypeError` at once if the configuration is
 * unusable (no keys, a short secret, a key-set URL over plain http to a remote host, ...).
 * Keep one verifier per process or isolate: the key-set cache lives in it.
 */
export function createVerifier(config: VerifierConfig): Verifier {
  const issuer = checkedIssuer(config.issuer);
  const audience = config.audience ?? DEFAULT_AUDIENCE;
  if (typeof audience !== 'string' || audience === '') throw new TypeError('audience must be a non-empty string');
  const tolerance = config.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  if (!Number.isFinite(tolerance) || tolerance < 0 || tolerance > MAX_CLOCK_TOLERANCE_SECONDS) {
    throw new TypeError(`clockToleranceSeconds must be between 0 and ${MAX_CLOCK_TOLERANCE_SECONDS}`);
  }
  const maxLength = config.maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH;
  if (!Number.isInteger(maxLength) || maxLength < 1) throw new TypeError('maxTokenLength must be a positive integer');
  const allowAnonymous = config.allowAnonymous ?? false;
  const now = config.now ?? (() => new Date());

  const keySet = config.jwks ? keySetResolver(config) : undefined;
  const hmacKey = config.hs256Secret !== undefined ? hmacResolver(config.hs256Secret) : undefined;
  if (!keySet && !hmacKey) throw new TypeError('createVerifier needs jwks, hs256Secret or both');

  async function verify(token: string): Promise<Identity> {
    const { header, alg } = readShape(token, maxLength);

    let key: CryptoKey;
    if (KEY_SET_ALGORITHMS.has(alg)) {
      if (!keySet) throw new TokenError('unsupported-algorithm', `${alg} tokens are not accepted: no key set is configured`);
      if (typeof header.kid !== 'string' || header.kid === '') throw new TokenError('unknown-key', 'Token has no key id (kid)');
      key = await keySet(header);
    } else if (alg === 'HS256') {
      if (!hmacKey) throw new TokenError('unsupported-algorithm', 'HS256 tokens are not accepted: no shared secret is configured');
      key = await hmacKey();
    } else {
      throw new TokenError('unsupported-algorithm', 'Token algorithm is not accepted');
    }

    const at = now();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key, {
        algorithms: [alg],
        clockTolerance: tolerance,
        currentDate: at,
        requiredClaims: ['exp'],
      }));
    } catch (e) {
      throw fromJose(e);
    }
    return identityFrom(payload, { issuer, audience, tolerance, allowAnonymous, nowSeconds: Math.floor(at.getTime() / 1000) });
  }

  return Object.freeze({ verify });
}

function checkedIssuer(issuer: unknown): string {
  if (typeof issuer !== 'string' || !URL.canParse(issuer)) throw new TypeError('issuer must be the project URL followed by /auth/v1');
  return issuer;
}

function keySetResolver(config: VerifierConfig): KeyResolver {
  const jwks = config.jwks!;
  let resolve: (header: JWSHeaderParameters) => Promise<CryptoKey>;
  if ('url' in jwks) {
    const url = URL.canParse(jwks.url) ? new URL(jwks.url) : undefined;
    if (!url) throw new TypeError('jwks.url is not a URL');
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
      throw new TypeError('jwks.url must use https (plain http only to a loopback host)');
    }
    const seconds = (value: number | undefined, fallback: number, name: string): number => {
      const v = value ?? fallback;
      if (!Number.isFinite(v) || v < 0) throw new TypeError(`jwks.${name} must be a non-negative number`);
      return v;
    };
    const remote = createRemoteJWKSet(url, {
      cooldownDuration: seconds(jwks.cooldownSeconds, 30, 'cooldownSeconds') * 1000,
      cacheMaxAge: seconds(jwks.cacheMaxAgeSeconds, 600, 'cacheMaxAgeSeconds') * 1000,
      timeoutDuration: Math.round(seconds(jwks.timeoutMs, 5000, 'timeoutMs')),
      ...(config.fetch ? { [customFetch]: config.fetch } : {}),
    });
    resolve = (header) => remote(header);
  } else {
    const local = createLocalJWKSet(checkedStaticKeys(jwks.keys));
    resolve = (header) => local(header);
  }
  return async (header) => {
    try {
      return await resolve(header);
    } catch (e) {
      throw fromKeySet(e);
    }
  };
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

function checkedStaticKeys(keys: JSONWebKeySet): JSONWebKeySet {
  if (!isObject(keys) || !Array.isArray(keys.keys)) throw new TypeError('jwks.keys must be a JSON Web Key Set ({ keys: [...] })');
  for (const k of keys.keys) {
    if (!isObject(k) || k.kty === 'oct' || 'd' in k) throw new TypeError('jwks.keys must hold only public keys');
  }
  return keys;
}

function hmacResolver(secret: string): () => Promise<CryptoKey> {
  if (typeof secret !== 'string' || secret.length < MIN_HS256_SECRET_LENGTH) {
    throw new TypeError(`hs256Secret must be at least ${MIN_HS256_SECRET_LENGTH} characters`);
  }
  // Supabase (GoTrue) signs with the secret's UTF-8 bytes as given; it is not base64-decoded.
  const bytes = new TextEncoder().encode(secret);
  let imported: Promise<CryptoKey> | undefined;
  return () => {
    imported ??= crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    return imported;
  };
}

/** Step 1: the token's shape, before any cryptography. Returns the decoded header. */
function readShape(token: unknown, maxLength: number): { header: JWSHeaderParameters; alg: string } {
  if (typeof token !== 'string' || token === '') throw new TokenError('malformed', 'Token is missing');
  if (token.length > maxLength) throw new TokenError('malformed', `Token is longer than ${maxLength} characters`);
  const parts = token.split('.');
  if (parts.length !== 3) throw new TokenError('malformed', 'Token is not three dot-separated parts');
  const [h, p, s] = parts as [string, string, string];

  const header = jsonObject(h, 'header');
  const { alg } = header;
  if (typeof alg !== 'string' || alg === '') throw new TokenError('malformed', 'Token header has no algorithm');
  if (header.kid !== undefined && typeof header.kid !== 'string') throw new TokenError('malformed', 'Token key id is not a string');
  // `none` and its case variants fall through to `unsupported-algorithm` here, before the
  // (empty) signature of an unsecured token is looked at.
  if (!KEY_SET_ALGORITHMS.has(alg) && alg !== 'HS256') throw new TokenError('unsupported-algorithm', 'Token algorithm is not accepted');
  jsonObject(p, 'payload');
  base64urlBytes(s, 'signature');
  return { header: header as JWSHeaderParameters, alg };
}

function base64urlBytes(part: string, what: string): Uint8Array {
  // Canonical only: no padding, no stray bits in the last character. Otherwise several strings
  // would be the same token, which matters to anything that keys on the token's text.
  if (!BASE64URL.test(part) || part.length % 4 === 1) throw new TokenError('malformed', `Token ${what} is not base64url`);
  let bytes: Uint8Array;
  try {
    bytes = base64url.decode(part);
  } catch (cause) {
    throw new TokenError('malformed', `Token ${what} is not base64url`, { cause });
  }
  if (base64url.encode(bytes) !== part) throw new TokenError('malformed', `Token ${what} is not canonical base64url`);
  return bytes;
}

function jsonObject(part: string, what: string): Record<string, unknown> {
  const bytes = base64urlBytes(part, what);
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(bytes));
  } catch (cause) {
    throw new TokenError('malformed', `Token ${what} is not JSON`, { cause });
  }
  if (!isObject(value)) throw new TokenError('malformed', `Token ${what} is not a JSON object`);
  return value;
}

function fromKeySet(e: unknown): TokenError {
  if (e instanceof TokenError) return e;
  if (e instanceof errors.JWKSNoMatchingKey) return new TokenError('unknown-key', 'Token was signed with a key that is not in the key set', { cause: e });
  if (e instanceof errors.JWKSMultipleMatchingKeys) return new TokenError('unknown-key', 'Token key id matches more than one key in the key set', { cause: e });
  if (e instanceof errors.JOSENotSupported) return new TokenError('unsupported-algorithm', 'Token algorithm is not accepted', { cause: e });
  return new TokenError('keys-unavailable', 'The signing keys could not be loaded', { cause: e });
}

function fromJose(e: unknown): TokenError {
  if (e instanceof TokenError) return e;
  // jose's claim errors carry the whole payload (emails and all), so they are not kept as `cause`:
  // a refusal logged with its cause must not put personal data in the logs.
  if (e instanceof errors.JWTExpired) return new TokenError('expired', 'Token has expired');
  if (e instanceof errors.JWTClaimValidationFailed) {
    if (e.claim === 'nbf' && e.reason === 'check_failed') return new TokenError('not-yet-valid', 'Token is not valid yet (nbf)');
    return new TokenError('malformed', 'Token time claims (exp, nbf, iat) are missing or invalid');
  }
  if (e instanceof errors.JWSSignatureVerificationFailed) return new TokenError('bad-signature', 'Token signature does not verify', { cause: e });
  if (e instanceof errors.JOSEAlgNotAllowed) return new TokenError('unsupported-algorithm', 'Token algorithm is not accepted', { cause: e });
  // The algorithm was settled in step 2, so what jose does not support here is a header
  // extension (`crit`), which a Supabase token never has.
  if (e instanceof errors.JOSENotSupported) return new TokenError('malformed', 'Token uses an unsupported header extension (crit)', { cause: e });
  if (e instanceof errors.JWSInvalid || e instanceof errors.JWTInvalid) return new TokenError('malformed', 'Token is not a valid JWT', { cause: e });
  // Anything else (a key of the wrong type or size in the key set, a crypto failure) means the
  // signature could not be checked, which is a refusal all the same.
  return new TokenError('bad-signature', 'Token signature could not be verified', { cause: e });
}

interface ClaimRules {
  issuer: string;
  audience: string;
  tolerance: number;
  allowAnonymous: boolean;
  nowSeconds: number;
}

/** Step 4: the verified claims must describe a signed-in user of this project. */
function identityFrom(payload: JWTPayload, r: ClaimRules): Identity {
  const c = deepFreeze(payload as Record<string, unknown>);

  if (c.role !== 'authenticated') {
    const which = c.role === 'anon' ? "the project's anon key" : c.role === 'service_role' ? 'a service-role key' : 'not a user token';
    throw new TokenError('not-a-user', `Token role is not "authenticated" (${which})`);
  }
  if (c.iss !== r.issuer) throw new TokenError('wrong-issuer', 'Token was not issued by this project');
  const aud = c.aud;
  const audOk = aud === r.audience || (Array.isArray(aud) && aud.includes(r.audience));
  if (!audOk) throw new TokenError('wrong-audience', `Token audience is not "${r.audience}"`);
  if (typeof c.iat === 'number' && c.iat > r.nowSeconds + r.tolerance) throw new TokenError('not-yet-valid', 'Token is not valid yet (iat)');

  const sub = c.sub;
  if (sub === undefined || sub === '') throw new TokenError('not-a-user', 'Token has no subject (sub)');
  if (typeof sub !== 'string' || !UUID.test(sub) || sub === NIL_UUID) throw new TokenError('not-a-user', 'Token subject is not a user id');

  const isAnonymous = optional(c, 'is_anonymous', 'boolean') ?? false;
  if (isAnonymous && !r.allowAnonymous) throw new TokenError('not-a-user', 'Anonymous sign-ins are not accepted');

  const aal = c.aal;
  if (aal !== 'aal1' && aal !== 'aal2') throw new TokenError('malformed', 'Token has no valid assurance level (aal)');

  const appMetadata = c.app_metadata === undefined ? Object.freeze({}) : c.app_metadata;
  if (!isObject(appMetadata)) throw new TokenError('malformed', 'Token app_metadata is not an object');

  const email = optional(c, 'email', 'string');
  const sessionId = optional(c, 'session_id', 'string');
  const identity: Identity = {
    userId: sub,
    ...(email ? { email } : {}),
    ...(sessionId ? { sessionId } : {}),
    aal: aal satisfies Aal,
    role: 'authenticated',
    isAnonymous,
    appMetadata,
    expiresAt: new Date((c.exp as number) * 1000),
    claims: c as VerifiedClaims,
  };
  return Object.freeze(identity);
}

function optional(c: Readonly<Record<string, unknown>>, name: string, type: 'string'): string | undefined;
function optional(c: Readonly<Record<string, unknown>>, name: string, type: 'boolean'): boolean | undefined;
function optional(c: Readonly<Record<string, unknown>>, name: string, type: 'string' | 'boolean'): unknown {
  const v = c[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== type) throw new TokenError('malformed', `Token ${name} claim is not a ${type}`);
  return v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Freezes parsed JSON all the way down, without recursion (nesting depth is the token's to choose). */
function deepFreeze<T extends object>(root: T): Readonly<T> {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const v = pending.pop();
    if (typeof v !== 'object' || v === null || Object.isFrozen(v)) continue;
    Object.freeze(v);
    for (const child of Object.values(v)) pending.push(child);
  }
  return root;
}
