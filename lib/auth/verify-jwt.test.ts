// Supabase access-token verification, with real keys: ES256 and RS256 key pairs made here, a key
// set served over real HTTP (and, where counting or failing fetches is the point, through an
// injected fetch), tokens signed with jose or put together by hand where jose would refuse to.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SignJWT, base64url, exportJWK, exportSPKI, generateKeyPair, type CryptoKey, type JSONWebKeySet, type JWK } from 'jose';
import type { Claims } from '../db/database.ts';
import { TOKEN_ERROR_REASONS, TokenError, createVerifier, type FetchLike, type TokenErrorReason, type Verifier, type VerifierConfig } from './verify-jwt.ts';

const ISSUER = 'https://abcdefghijklmnopqrst.supabase.co/auth/v1';
const USER = '5b0c1a7e-3f5d-4c1a-9d2e-6f7a8b9c0d1e';
const SESSION = 'b7e1d1f0-8a4c-4f57-9a53-2a6f1c0e9d11';
const SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';

interface SigningKey {
  kid: string;
  alg: 'ES256' | 'RS256';
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
}

async function signingKey(kid: string, alg: 'ES256' | 'RS256' = 'ES256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  // As Supabase publishes them: kid, alg, use and key_ops alongside the public key.
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig', key_ops: ['verify'] };
  return { kid, alg, privateKey, publicKey, jwk };
}

const jwks = (...keys: SigningKey[]): JSONWebKeySet => ({ keys: keys.map((k) => k.jwk) });
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The claims of a real Supabase access token for a password sign-in. */
function userClaims(over: Record<string, unknown> = {}): Record<string, unknown> {
  const t = nowSeconds();
  return {
    iss: ISSUER,
    sub: USER,
    aud: 'authenticated',
    exp: t + 3600,
    iat: t,
    email: 'editor@example.org',
    phone: '',
    app_metadata: { provider: 'email', providers: ['email'] },
    user_metadata: { email_verified: true },
    role: 'authenticated',
    aal: 'aal1',
    amr: [{ method: 'password', timestamp: t }],
    session_id: SESSION,
    is_anonymous: false,
    ...over,
  };
}

function without(claims: Record<string, unknown>, ...names: string[]): Record<string, unknown> {
  const copy = { ...claims };
  for (const n of names) delete copy[n];
  return copy;
}

function signWith(key: SigningKey, claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...header }).sign(key.privateKey);
}

function signHs256(claims: Record<string, unknown>, secret: string | Uint8Array = SECRET, header: Record<string, unknown> = {}): Promise<string> {
  const bytes = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...header }).sign(bytes);
}

const b64json = (v: unknown) => base64url.encode(JSON.stringify(v));
/** A token put together by hand, for shapes jose will not produce. */
const craft = (header: unknown, payload: unknown, signature = '') => `${b64json(header)}.${b64json(payload)}.${signature}`;

/** A key set served through an injected fetch: counts fetches, can be changed or broken. */
function fakeKeySet(initial: JSONWebKeySet) {
  const state = { jwks: initial, fetches: 0, fail: undefined as undefined | 'status' | 'network' | 'not-json' };
  const fetch: FetchLike = async () => {
    state.fetches++;
    await Promise.resolve();
    if (state.fail === 'network') throw new TypeError('fetch failed');
    if (state.fail === 'status') return new Response('upstream error', { status: 500 });
    if (state.fail === 'not-json') return new Response('<html>', { status: 200 });
    return Response.json(state.jwks);
  };
  return { state, fetch };
}

/** The refusal, checked to be a TokenError whose message repeats no part of the token. */
async function refusal(verifier: Verifier, token: string): Promise<TokenError> {
  let error: unknown;
  try {
    await verifier.verify(token);
  } catch (e) {
    error = e;
  }
  if (error === undefined) throw new Error('expected the token to be refused');
  expect(error).toBeInstanceOf(TokenError);
  const te = error as TokenError;
  expect(te.name).toBe('TokenError');
  expect(TOKEN_ERROR_REASONS).toContain(te.reason);
  // Nothing from the claims rides along in the cause either.
  expect(JSON.stringify(te.cause ?? {}) + String(te.cause ?? '')).not.toContain('editor@example.org');
  if (typeof token === 'string') {
    for (const part of token.split('.')) if (part.length >= 6) expect(te.message).not.toContain(part);
  }
  return te;
}

async function expectReason(verifier: Verifier, token: string, reason: TokenErrorReason): Promise<TokenError> {
  const e = await refusal(verifier, token);
  expect(e.reason, e.message).toBe(reason);
  return e;
}

let es: SigningKey;
let es2: SigningKey;
let rs: SigningKey;
let stranger: SigningKey;

beforeAll(async () => {
  [es, es2, rs, stranger] = await Promise.all([signingKey('key-a'), signingKey('key-b'), signingKey('rsa-1', 'RS256'), signingKey('key-a')]);
});

afterEach(() => {
  vi.useRealTimers();
});

const staticVerifier = (over: Partial<VerifierConfig> = {}) => createVerifier({ issuer: ISSUER, jwks: { keys: jwks(es, rs) }, ...over });
const hsVerifier = (over: Partial<VerifierConfig> = {}) => createVerifier({ issuer: ISSUER, hs256Secret: SECRET, ...over });

describe('a key set served over HTTP', () => {
  let server: Server;
  let served: JSONWebKeySet;
  let requests = 0;
  let url = '';

  beforeAll(async () => {
    served = jwks(es);
    server = createServer((req, res) => {
      if (req.url !== '/auth/v1/.well-known/jwks.json') {
        res.writeHead(404).end();
        return;
      }
      requests++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(served));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/auth/v1/.well-known/jwks.json`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
  });

  it('verifies an ES256 token into an identity, fetching the keys once', async () => {
    served = jwks(es);
    requests = 0;
    const verifier = createVerifier({ issuer: ISSUER, jwks: { url } });
    const claims = userClaims({ app_metadata: { provider: 'email', providers: ['email'], practice_roles: { riverside: 'editor' } } });
    const identity = await verifier.verify(await signWith(es, claims));

    expect(identity).toMatchObject({
      userId: USER,
      email: 'editor@example.org',
      sessionId: SESSION,
      aal: 'aal1',
      role: 'authenticated',
      isAnonymous: false,
      appMetadata: { provider: 'email', providers: ['email'], practice_roles: { riverside: 'editor' } },
    });
    expect(identity.expiresAt.getTime()).toBe((claims.exp as number) * 1000);
    expect(identity.claims).toEqual(claims);
    // Frozen all the way down: nothing downstream can grant itself a role.
    expect(Object.isFrozen(identity)).toBe(true);
    expect(Object.isFrozen(identity.claims)).toBe(true);
    expect(Object.isFrozen(identity.appMetadata.practice_roles)).toBe(true);
    expect(Object.isFrozen((identity.claims.amr as unknown[])[0])).toBe(true);
    // The claims go straight to the data layer.
    const forDatabase: Claims = identity.claims;
    expect(forDatabase.sub).toBe(USER);

    await verifier.verify(await signWith(es, userClaims()));
    expect(requests).toBe(1);
  });

  it('follows a key rotation: a new kid is fetched after the cooldown, a retired one is dropped after the cache age', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    served = jwks(es);
    requests = 0;
    const verifier = createVerifier({ issuer: ISSUER, jwks: { url, cooldownSeconds: 30, cacheMaxAgeSeconds: 600 } });
    await verifier.verify(await signWith(es, userClaims()));
    expect(requests).toBe(1);

    // Supabase publishes the standby key, then starts signing with it.
    served = jwks(es, es2);
    const rotated = await signWith(es2, userClaims());
    // Within the cooldown the cached set is trusted: the new kid is unknown, and nothing is fetched.
    await expectReason(verifier, rotated, 'unknown-key');
    expect(requests).toBe(1);

    vi.setSystemTime(Date.now() + 31_000);
    const identity = await verifier.verify(await signWith(es2, userClaims()));
    expect(identity.userId).toBe(USER);
    expect(requests).toBe(2);
    // The old key still verifies from the same fetch.
    await verifier.verify(await signWith(es, userClaims()));
    expect(requests).toBe(2);

    // The old key is revoked; once the cache is too old the set is fetched again and it is gone.
    served = jwks(es2);
    vi.setSystemTime(Date.now() + 601_000);
    await expectReason(verifier, await signWith(es, userClaims()), 'unknown-key');
    expect(requests).toBe(3);
    await verifier.verify(await signWith(es2, userClaims()));
    expect(requests).toBe(3);
  });
});

describe('valid tokens', () => {
  it('verifies an HS256 token with the shared secret', async () => {
    const identity = await hsVerifier().verify(await signHs256(userClaims()));
    expect(identity.userId).toBe(USER);
    expect(identity.role).toBe('authenticated');
  });

  it('verifies RS256 from the key set', async () => {
    const identity = await staticVerifier().verify(await signWith(rs, userClaims()));
    expect(identity.userId).toBe(USER);
  });

  it('accepts either source when both are configured', async () => {
    const verifier = staticVerifier({ hs256Secret: SECRET });
    await expect(verifier.verify(await signHs256(userClaims()))).resolves.toMatchObject({ userId: USER });
    await expect(verifier.verify(await signWith(es, userClaims()))).resolves.toMatchObject({ userId: USER });
  });

  it('reads aal2, an audience list, and leaves out an empty email and absent session', async () => {
    const identity = await staticVerifier().verify(await signWith(es, without(userClaims({ aal: 'aal2', aud: ['other', 'authenticated'], email: '' }), 'session_id')));
    expect(identity.aal).toBe('aal2');
    expect('email' in identity).toBe(false);
    expect('sessionId' in identity).toBe(false);
  });

  it('honours a configured audience', async () => {
    const verifier = staticVerifier({ audience: 'cms' });
    await expect(verifier.verify(await signWith(es, userClaims({ aud: 'cms' })))).resolves.toMatchObject({ userId: USER });
    await expectReason(verifier, await signWith(es, userClaims()), 'wrong-audience');
  });
});

describe('time', () => {
  const T = 1_900_000_000;
  const at = (seconds: number) => () => new Date(seconds * 1000);
  const timed = (claims: Record<string, unknown>) => signWith(es, userClaims({ iat: T - 600, exp: T, ...claims }));

  it('refuses an expired token', async () => {
    await expectReason(staticVerifier(), await signWith(es, userClaims({ iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 })), 'expired');
  });

  it('accepts expiry within the clock tolerance and refuses it beyond', async () => {
    const token = await timed({});
    await expect(staticVerifier({ now: at(T + 4) }).verify(token)).resolves.toMatchObject({ userId: USER });
    await expectReason(staticVerifier({ now: at(T + 6) }), token, 'expired');
    await expectReason(staticVerifier({ now: at(T + 2), clockToleranceSeconds: 0 }), token, 'expired');
  });

  it('refuses nbf in the future beyond the tolerance, and accepts it within', async () => {
    const token = await timed({ iat: T - 200, nbf: T - 100, exp: T + 3600 });
    await expectReason(staticVerifier({ now: at(T - 106) }), token, 'not-yet-valid');
    await expect(staticVerifier({ now: at(T - 104) }).verify(token)).resolves.toMatchObject({ userId: USER });
  });

  it('refuses iat in the future beyond the tolerance (Supabase tokens carry no nbf), and accepts it within', async () => {
    const token = await timed({ iat: T, exp: T + 3600 });
    await expectReason(staticVerifier({ now: at(T - 6) }), token, 'not-yet-valid');
    await expect(staticVerifier({ now: at(T - 4) }).verify(token)).resolves.toMatchObject({ userId: USER });
  });

  it('refuses a token without exp, or with time claims of the wrong type', async () => {
    const verifier = staticVerifier();
    await expectReason(verifier, await signWith(es, without(userClaims(), 'exp')), 'malformed');
    await expectReason(verifier, await signWith(es, userClaims({ exp: String(nowSeconds() + 3600) })), 'malformed');
    await expectReason(verifier, await signWith(es, userClaims({ iat: 'yesterday' })), 'malformed');
  });

  it('keeps the tolerance small', () => {
    expect(() => staticVerifier({ clockToleranceSeconds: 3600 })).toThrow(TypeError);
    expect(() => staticVerifier({ clockToleranceSeconds: -1 })).toThrow(TypeError);
  });
});

describe('issuer and audience', () => {
  it('refuses another issuer, including near misses', async () => {
    const verifier = staticVerifier();
    for (const iss of ['https://zyxwvutsrqponmlkjihg.supabase.co/auth/v1', `${ISSUER}/`, 'https://abcdefghijklmnopqrst.supabase.co', 'supabase', ISSUER.toUpperCase()]) {
      await expectReason(verifier, await signWith(es, userClaims({ iss })), 'wrong-issuer');
    }
    await expectReason(verifier, await signWith(es, without(userClaims(), 'iss')), 'wrong-issuer');
    await expectReason(verifier, await signWith(es, userClaims({ iss: [ISSUER] })), 'wrong-issuer');
  });

  it('refuses another audience, a missing one, or one of the wrong type', async () => {
    const verifier = staticVerifier();
    for (const aud of ['anon', 'Authenticated', ['cms'], [], 7]) {
      await expectReason(verifier, await signWith(es, userClaims({ aud })), 'wrong-audience');
    }
    await expectReason(verifier, await signWith(es, without(userClaims(), 'aud')), 'wrong-audience');
  });
});

describe('signatures and keys', () => {
  it('refuses a tampered payload', async () => {
    const verifier = staticVerifier();
    const [h, , s] = (await signWith(es, userClaims())).split('.');
    const otherUser = b64json(userClaims({ sub: '0e6f3a1c-2b4d-4e5f-8a9b-0c1d2e3f4a5b' }));
    await expectReason(verifier, `${h}.${otherUser}.${s}`, 'bad-signature');
    const promoted = b64json(userClaims({ app_metadata: { provider: 'email', practice_roles: { riverside: 'owner' } } }));
    await expectReason(verifier, `${h}.${promoted}.${s}`, 'bad-signature');
  });

  it('refuses a tampered header', async () => {
    const [, p, s] = (await signWith(es, userClaims())).split('.');
    await expectReason(staticVerifier(), `${b64json({ alg: 'ES256', kid: 'key-a' })}.${p}.${s}`, 'bad-signature');
  });

  it('refuses a tampered signature', async () => {
    const verifier = staticVerifier();
    const token = await signWith(es, userClaims());
    const [h, p, s] = token.split('.') as [string, string, string];
    const i = 20;
    const flipped = s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    await expectReason(verifier, `${h}.${p}.${flipped}`, 'bad-signature');
    await expectReason(verifier, `${h}.${p}.${s.slice(0, -2)}`, 'bad-signature');
    // Another token's valid signature.
    const other = (await signWith(es, userClaims({ email: 'someone@example.org' }))).split('.')[2];
    await expectReason(verifier, `${h}.${p}.${other}`, 'bad-signature');
  });

  it('refuses a second spelling of the same signature (non-canonical base64url)', async () => {
    const [h, p, s] = (await signWith(es, userClaims())).split('.') as [string, string, string];
    // 64 bytes make 86 characters; the last carries 2 spare bits. Setting one leaves the bytes alone.
    const last = s.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = alphabet[alphabet.indexOf(last) | 1]!;
    expect(twin).not.toBe(last);
    await expectReason(staticVerifier(), `${h}.${p}.${s.slice(0, -1)}${twin}`, 'malformed');
    await expectReason(staticVerifier(), `${h}.${p}.${s}==`, 'malformed');
  });

  it('refuses a token signed by another key under a known kid', async () => {
    await expectReason(staticVerifier(), await signWith(stranger, userClaims()), 'bad-signature');
  });

  it('refuses HS256 with the wrong secret', async () => {
    await expectReason(hsVerifier(), await signHs256(userClaims(), `${SECRET}-but-not-quite`), 'bad-signature');
  });

  it('refuses an unknown kid, and a missing one', async () => {
    const verifier = staticVerifier();
    await expectReason(verifier, await signWith(es2, userClaims()), 'unknown-key');
    await expectReason(verifier, await new SignJWT(userClaims()).setProtectedHeader({ alg: 'ES256' }).sign(es.privateKey), 'unknown-key');
    // The RSA key's kid with an EC signature: no key of that kid is usable for ES256.
    await expectReason(verifier, await signWith(es, userClaims(), { kid: 'rsa-1' }), 'unknown-key');
  });

  it('does not refetch for a flood of unknown kids within the cooldown, and refetches once after it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const keys = fakeKeySet(jwks(es));
    const verifier = createVerifier({ issuer: ISSUER, jwks: { url: 'https://example.supabase.co/auth/v1/.well-known/jwks.json' }, fetch: keys.fetch });
    await verifier.verify(await signWith(es, userClaims()));
    expect(keys.state.fetches).toBe(1);

    const ghosts = await Promise.all(Array.from({ length: 20 }, (_, i) => signWith(es2, userClaims(), { kid: `ghost-${i}` })));
    const flood = await Promise.all(ghosts.map((t) => refusal(verifier, t)));
    expect(new Set(flood.map((e) => e.reason))).toEqual(new Set(['unknown-key']));
    for (const t of ghosts) await expectReason(verifier, t, 'unknown-key');
    expect(keys.state.fetches).toBe(1);

    vi.setSystemTime(Date.now() + 31_000);
    const after = await Promise.all(ghosts.map((t) => refusal(verifier, t)));
    expect(new Set(after.map((e) => e.reason))).toEqual(new Set(['unknown-key']));
    expect(keys.state.fetches).toBe(2);
    for (const t of ghosts) await expectReason(verifier, t, 'unknown-key');
    expect(keys.state.fetches).toBe(2);
    // Known keys were never in question.
    await verifier.verify(await signWith(es, userClaims()));
    expect(keys.state.fetches).toBe(2);
  });

  it('says the keys are unavailable when the key set cannot be fetched or read', async () => {
    for (const fail of ['status', 'network', 'not-json'] as const) {
      const keys = fakeKeySet(jwks(es));
      keys.state.fail = fail;
      const verifier = createVerifier({ issuer: ISSUER, jwks: { url: 'https://example.supabase.co/auth/v1/.well-known/jwks.json' }, fetch: keys.fetch });
      await expectReason(verifier, await signWith(es, userClaims()), 'keys-unavailable');
      keys.state.fail = undefined;
      await expect(verifier.verify(await signWith(es, userClaims()))).resolves.toMatchObject({ userId: USER });
    }
    const broken = fakeKeySet({ keys: 'nope' } as unknown as JSONWebKeySet);
    const verifier = createVerifier({ issuer: ISSUER, jwks: { url: 'https://example.supabase.co/auth/v1/.well-known/jwks.json' }, fetch: broken.fetch });
    await expectReason(verifier, await signWith(es, userClaims()), 'keys-unavailable');
  });
});

describe('algorithms', () => {
  it('refuses alg none in any spelling, with or without a signature', async () => {
    const verifier = staticVerifier({ hs256Secret: SECRET });
    for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
      await expectReason(verifier, craft({ alg, typ: 'JWT' }, userClaims()), 'unsupported-algorithm');
      await expectReason(verifier, craft({ alg }, userClaims(), 'c2lnbmF0dXJl'), 'unsupported-algorithm');
    }
    // A genuine token's payload under an unsecured header.
    const [, p] = (await signWith(es, userClaims())).split('.');
    await expectReason(verifier, `${b64json({ alg: 'none' })}.${p}.`, 'unsupported-algorithm');
  });

  it('refuses HS256 signed with the public key (algorithm confusion)', async () => {
    const spki = await exportSPKI(es.publicKey);
    const secrets = [spki, spki.trim(), JSON.stringify(es.jwk), JSON.stringify(jwks(es)), base64url.decode(es.jwk.x!)];
    const onlyKeySet = staticVerifier();
    const both = staticVerifier({ hs256Secret: SECRET });
    for (const secret of secrets) {
      const token = await signHs256(userClaims(), secret, { kid: es.kid });
      // With no shared secret configured, HS256 is not even considered.
      await expectReason(onlyKeySet, token, 'unsupported-algorithm');
      // With one, it is checked against the secret, never against a public key.
      await expectReason(both, token, 'bad-signature');
    }
  });

  it('refuses a genuine HS256 token when only the key set is configured', async () => {
    await expectReason(staticVerifier(), await signHs256(userClaims()), 'unsupported-algorithm');
  });

  it('refuses ES256 and RS256 tokens when only the shared secret is configured', async () => {
    await expectReason(hsVerifier(), await signWith(es, userClaims()), 'unsupported-algorithm');
    await expectReason(hsVerifier(), await signWith(rs, userClaims()), 'unsupported-algorithm');
  });

  it('refuses every other algorithm', async () => {
    const verifier = staticVerifier({ hs256Secret: SECRET });
    for (const alg of ['ES384', 'ES512', 'PS256', 'RS512', 'EdDSA', 'Ed25519', 'HS384', 'HS512', 'es256', 'hs256', 'RSA-OAEP', 'dir']) {
      await expectReason(verifier, craft({ alg, kid: 'key-a' }, userClaims(), 'c2lnbmF0dXJl'), 'unsupported-algorithm');
    }
    // A real signature with an algorithm not on the list.
    const { privateKey } = await generateKeyPair('ES384');
    await expectReason(verifier, await new SignJWT(userClaims()).setProtectedHeader({ alg: 'ES384', kid: 'key-a' }).sign(privateKey), 'unsupported-algorithm');
  });

  it('refuses an ES256 signature presented as RS256 under the RSA kid', async () => {
    const [, p, s] = (await signWith(es, userClaims())).split('.');
    await expectReason(staticVerifier(), `${b64json({ alg: 'RS256', kid: 'rsa-1' })}.${p}.${s}`, 'bad-signature');
  });

  it('refuses a missing or non-string alg as malformed', async () => {
    const verifier = staticVerifier();
    await expectReason(verifier, craft({ typ: 'JWT' }, userClaims(), 'c2ln'), 'malformed');
    await expectReason(verifier, craft({ alg: ['ES256'] }, userClaims(), 'c2ln'), 'malformed');
    await expectReason(verifier, craft({ alg: '' }, userClaims(), 'c2ln'), 'malformed');
    await expectReason(verifier, craft({ alg: 'ES256', kid: 7 }, userClaims(), 'c2ln'), 'malformed');
  });

  it('refuses an unknown critical header', async () => {
    // jose signs it only when told the extension is understood; the verifier is told no such thing.
    const token = await new SignJWT(userClaims())
      .setProtectedHeader({ alg: 'ES256', kid: es.kid, crit: ['exp-policy'], 'exp-policy': 1 })
      .sign(es.privateKey, { crit: { 'exp-policy': true } });
    await expectReason(staticVerifier(), token, 'malformed');
  });
});

describe('only signed-in users', () => {
  it('refuses service-role tokens', async () => {
    const t = nowSeconds();
    // A legacy service_role API key, signed with the project secret.
    const legacy = await signHs256({ iss: 'supabase', ref: 'abcdefghijklmnopqrst', role: 'service_role', iat: t, exp: t + 10 * 365 * 86400 });
    const e = await expectReason(hsVerifier(), legacy, 'not-a-user');
    expect(e.message).toMatch(/service-role/);
    // And one with every other claim in order.
    await expectReason(staticVerifier(), await signWith(es, userClaims({ role: 'service_role' })), 'not-a-user');
  });

  it('refuses anon tokens', async () => {
    const t = nowSeconds();
    const legacy = await signHs256({ iss: 'supabase', ref: 'abcdefghijklmnopqrst', role: 'anon', iat: t, exp: t + 10 * 365 * 86400 });
    const e = await expectReason(hsVerifier(), legacy, 'not-a-user');
    expect(e.message).toMatch(/anon key/);
    await expectReason(staticVerifier(), await signWith(es, without(userClaims({ role: 'anon' }), 'sub')), 'not-a-user');
  });

  it('refuses any other role, or none', async () => {
    const verifier = staticVerifier();
    for (const role of ['admin', 'supabase_admin', 'postgres', 'Authenticated', ['authenticated'], null]) {
      await expectReason(verifier, await signWith(es, userClaims({ role })), 'not-a-user');
    }
    await expectReason(verifier, await signWith(es, without(userClaims(), 'role')), 'not-a-user');
  });

  it('refuses a missing subject, or one that is not a user id', async () => {
    const verifier = staticVerifier();
    await expectReason(verifier, await signWith(es, without(userClaims(), 'sub')), 'not-a-user');
    for (const sub of ['', 'admin', 'user-1', USER.toUpperCase(), `${USER} `, `{${USER}}`, USER.replaceAll('-', ''), '00000000-0000-0000-0000-000000000000', 42, [USER], null]) {
      await expectReason(verifier, await signWith(es, userClaims({ sub })), 'not-a-user');
    }
  });

  it('ignores roles claimed in user_metadata', async () => {
    const verifier = staticVerifier();
    const identity = await verifier.verify(
      await signWith(es, userClaims({ user_metadata: { role: 'service_role', roles: ['admin'], is_admin: true, practice_roles: { riverside: 'owner' } } })),
    );
    expect(identity.role).toBe('authenticated');
    expect(identity.appMetadata).toEqual({ provider: 'email', providers: ['email'] });
    expect(identity).not.toHaveProperty('userMetadata');
    // user_metadata cannot stand in for the real claims either.
    await expectReason(verifier, await signWith(es, userClaims({ role: 'anon', user_metadata: { role: 'authenticated' } })), 'not-a-user');
    await expectReason(verifier, await signWith(es, without(userClaims({ user_metadata: { role: 'authenticated', sub: USER } }), 'role')), 'not-a-user');
    await expectReason(verifier, await signWith(es, without(userClaims({ user_metadata: { aal: 'aal2' } }), 'aal')), 'malformed');
  });

  it('refuses anonymous sign-ins unless allowed', async () => {
    const token = await signWith(es, userClaims({ is_anonymous: true, email: '' }));
    await expectReason(staticVerifier(), token, 'not-a-user');
    await expect(staticVerifier({ allowAnonymous: true }).verify(token)).resolves.toMatchObject({ isAnonymous: true, userId: USER });
    await expectReason(staticVerifier(), await signWith(es, userClaims({ is_anonymous: 'true' })), 'malformed');
  });

  it('refuses a missing or unknown assurance level, and app_metadata that is not an object', async () => {
    const verifier = staticVerifier();
    await expectReason(verifier, await signWith(es, without(userClaims(), 'aal')), 'malformed');
    await expectReason(verifier, await signWith(es, userClaims({ aal: 'aal3' })), 'malformed');
    for (const app_metadata of ['admin', ['admin'], null, 1]) {
      await expectReason(verifier, await signWith(es, userClaims({ app_metadata })), 'malformed');
    }
    await expect(verifier.verify(await signWith(es, without(userClaims(), 'app_metadata')))).resolves.toMatchObject({ appMetadata: {} });
  });
});

describe('malformed input', () => {
  it('refuses an oversized token before parsing it, even when validly signed', async () => {
    const verifier = staticVerifier();
    const big = await signWith(es, userClaims({ app_metadata: { provider: 'email', padding: 'x'.repeat(8000) } }));
    expect(big.length).toBeGreaterThan(8192);
    const e = await expectReason(verifier, big, 'malformed');
    expect(e.message).toMatch(/longer than 8192/);
    await expectReason(verifier, `${'a'.repeat(1 << 20)}.b.c`, 'malformed');
    // The cap is configurable.
    await expect(staticVerifier({ maxTokenLength: 16_384 }).verify(big)).resolves.toMatchObject({ userId: USER });
  });

  it('refuses garbage', async () => {
    const verifier = staticVerifier({ hs256Secret: SECRET });
    const good = await signWith(es, userClaims());
    const [h, p, s] = good.split('.') as [string, string, string];
    const b64 = (text: string) => base64url.encode(text);
    const garbage = [
      '',
      'abc',
      'not a token',
      'a.b',
      'a.b.c.d',
      '..',
      '.',
      `${h}.${p}`,
      `${h}.${p}.${s}.`,
      `Bearer ${good}`,
      ` ${good}`,
      `${good}\n`,
      `${h}=.${p}.${s}`,
      `${h.replaceAll('_', '/').replaceAll('-', '+')}x.${p}.${s}`,
      `e${h}.${p}.${s}`,
      `%7B.${p}.${s}`,
      `${b64('{"alg":"ES256"')}.${p}.${s}`,
      `${b64('["ES256"]')}.${p}.${s}`,
      `${b64('"ES256"')}.${p}.${s}`,
      `${b64('null')}.${p}.${s}`,
      `${h}.${b64('not json')}.${s}`,
      `${h}.${b64('[1,2,3]')}.${s}`,
      `${h}.${b64('42')}.${s}`,
      `${h}.${base64url.encode(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))}.${s}`,
      `${h}..${s}`,
      `${h}.${p}.`,
      `${h}.${p}.!!!!`,
      `${h}.${p}.${s.slice(0, 5)}`,
    ];
    for (const token of garbage) await expectReason(verifier, token, 'malformed');
    for (const notAString of [undefined, null, 42, {}, ['a', 'b', 'c']]) {
      await expectReason(verifier, notAString as unknown as string, 'malformed');
    }
  });
});

describe('configuration', () => {
  it('refuses a verifier with no keys, a short secret, a bad issuer or key set', () => {
    expect(() => createVerifier({ issuer: ISSUER })).toThrow(/jwks, hs256Secret or both/);
    expect(() => createVerifier({ issuer: ISSUER, hs256Secret: 'short' })).toThrow(/at least 32/);
    expect(() => createVerifier({ issuer: 'not a url', hs256Secret: SECRET })).toThrow(TypeError);
    expect(() => createVerifier({ issuer: ISSUER, jwks: { url: 'http://example.supabase.co/auth/v1/.well-known/jwks.json' } })).toThrow(/https/);
    expect(() => createVerifier({ issuer: ISSUER, jwks: { url: 'nope' } })).toThrow(TypeError);
    expect(() => createVerifier({ issuer: ISSUER, jwks: { keys: [] as unknown as JSONWebKeySet['keys'] } as never })).toThrow(TypeError);
    expect(() => createVerifier({ issuer: ISSUER, jwks: { keys: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] } } })).toThrow(/public keys/);
    expect(() => createVerifier({ issuer: ISSUER, jwks: { keys: { keys: [{ ...es.jwk, d: 'private' }] } } })).toThrow(/public keys/);
    expect(() => createVerifier({ issuer: ISSUER, jwks: { url: 'http://localhost:54321/auth/v1/.well-known/jwks.json' } })).not.toThrow();
    expect(() => createVerifier({ issuer: ISSUER, jwks: { url: 'http://127.0.0.1:54321/auth/v1/.well-known/jwks.json' } })).not.toThrow();
  });

  it('gives every reason a place in the list', () => {
    const all: Record<TokenErrorReason, true> = {
      malformed: true,
      'unsupported-algorithm': true,
      'unknown-key': true,
      'keys-unavailable': true,
      'bad-signature': true,
      expired: true,
      'not-yet-valid': true,
      'wrong-issuer': true,
      'wrong-audience': true,
      'not-a-user': true,
    };
    expect([...TOKEN_ERROR_REASONS].sort()).toEqual(Object.keys(all).sort());
  });
});
