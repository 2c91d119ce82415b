// The local auth issuer against the real @supabase/supabase-js client: the sign-in flows staff
// use (a typed code, a magic link), sessions, and the safety rules of a development-only issuer.
import { createHash } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuthIssuerConfigError, authIssuerApp, startAuthIssuer, type RunningAuthIssuer } from '../build/auth-issuer/index.ts';
import { extractCode, extractLinks } from '../lib/email/eml.ts';
import { newestMessageTo, readOutbox } from '../lib/email/outbox-node.ts';

const ANON_KEY = 'local-development-anon-key';

let tmp: string;
let outbox: string;
let auth: RunningAuthIssuer;
let offsetMs = 0;
const now = () => Date.now() + offsetMs;
/** Every code, link and token seen, to check none reached a log line. */
const secrets = new Set<string>();
const logged: string[] = [];

beforeAll(async () => {
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const)
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logged.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    });
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pd-auth-'));
  outbox = path.join(tmp, 'outbox');
  auth = await startAuthIssuer({ host: '127.0.0.1', port: 0, outboxDir: outbox, anonKey: ANON_KEY, now });
});

afterAll(async () => {
  await auth?.close();
  vi.restoreAllMocks();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const portal = () => `http://portal.localhost:${auth.port}/admin/`;

function client(o: { flowType?: 'implicit' | 'pkce'; url?: string } = {}): SupabaseClient {
  return createClient(o.url ?? auth.url, ANON_KEY, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false, flowType: o.flowType ?? 'implicit' },
  });
}

let emailCount = 0;
const newEmail = (name: string) => `${name}.${++emailCount}@example.nhs.uk`;

async function requestSignIn(sb: SupabaseClient, email: string, redirectTo?: string, dir = outbox) {
  const { data, error } = await sb.auth.signInWithOtp({ email, options: { shouldCreateUser: true, emailRedirectTo: redirectTo } });
  expect(error).toBeNull();
  expect(data).toEqual({ user: null, session: null });
  const message = await newestMessageTo(dir, email);
  expect(message, `an email to ${email} in the outbox`).toBeDefined();
  const code = extractCode(message!.text ?? '');
  const link = extractLinks(message!.text ?? '').find((l) => l.includes('/auth/v1/verify?'));
  expect(code).toMatch(/^\d{6}$/);
  expect(link).toBeDefined();
  const token = new URL(link!).searchParams.get('token')!;
  secrets.add(code!).add(link!).add(token);
  return { message: message!, code: code!, link: link!, token };
}

async function signIn(sb: SupabaseClient, email: string) {
  const { code } = await requestSignIn(sb, email);
  const { data, error } = await sb.auth.verifyOtp({ email, token: code, type: 'email' });
  expect(error).toBeNull();
  const session = data.session!;
  secrets.add(session.access_token).add(session.refresh_token);
  return session;
}

function fragmentOf(location: string): URLSearchParams {
  return new URLSearchParams(location.slice(location.indexOf('#') + 1));
}

async function pressSignIn(link: string, headers: Record<string, string> = {}) {
  const u = new URL(link);
  const body = new URLSearchParams({ token: u.searchParams.get('token')!, type: u.searchParams.get('type')!, redirect_to: u.searchParams.get('redirect_to')! });
  return fetch(new URL('/auth/v1/verify', auth.url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body,
    redirect: 'manual',
  });
}

describe('signing in with supabase-js', () => {
  it('sends a code by email and verifies it into a Supabase-shaped session', async () => {
    const sb = client();
    const email = newEmail('Editor');
    const { message, code } = await requestSignIn(sb, email, portal());

    expect(message.subject).toBe('Your sign-in code for Practice Digital');
    expect(message.to).toBe(email.toLowerCase());
    expect(message.headers['content-type']).toMatch(/^multipart\/alternative; boundary=/);
    expect(message.headers['mime-version']).toBe('1.0');
    expect(message.headers['message-id']).toMatch(/^<[0-9a-f]+@outbox\.localhost>$/);
    expect(message.html).toContain('<html lang="en">');
    expect(message.html).toContain('<title>Your sign-in code for Practice Digital</title>');
    expect(message.html).toContain(code);
    expect(path.basename(message.file)).toMatch(/^\d{8}T\d{6}\.\d{3}Z-\d{6}-[0-9a-f]{16}\.eml$/);

    const { data, error } = await sb.auth.verifyOtp({ email, token: code, type: 'email' });
    expect(error).toBeNull();
    const session = data.session!;
    secrets.add(session.access_token).add(session.refresh_token);
    expect(session.token_type).toBe('bearer');
    expect(session.expires_in).toBe(3600);
    expect(session.expires_at).toBeGreaterThan(Date.now() / 1000 + 3500);
    expect(session.user.email).toBe(email.toLowerCase());
    expect(session.user.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(session.user.aud).toBe('authenticated');
    expect(session.user.role).toBe('authenticated');
    expect(session.user.app_metadata).toEqual({ provider: 'email', providers: ['email'] });
    expect(session.user.email_confirmed_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(session.user.is_anonymous).toBe(false);

    const { data: userData, error: userError } = await sb.auth.getUser();
    expect(userError).toBeNull();
    expect(userData.user?.id).toBe(session.user.id);
    expect(userData.user?.email).toBe(email.toLowerCase());

    // getClaims verifies the signature itself against the issuer's JWKS.
    const { data: claimsData, error: claimsError } = await sb.auth.getClaims();
    expect(claimsError).toBeNull();
    expect(claimsData?.claims.sub).toBe(session.user.id);
    expect(claimsData?.header.alg).toBe('ES256');
  });

  it('issues tokens that verify against its JWKS, with the claims Supabase Auth puts in them', async () => {
    const sb = client();
    const email = newEmail('claims');
    const session = await signIn(sb, email);
    const jwks = createRemoteJWKSet(new URL(auth.jwksUrl));
    const { payload, protectedHeader } = await jwtVerify(session.access_token, jwks, { issuer: auth.issuer, audience: 'authenticated' });
    expect(auth.issuer).toBe(`${auth.url}/auth/v1`);
    expect(protectedHeader.alg).toBe('ES256');
    expect(protectedHeader.kid).toMatch(/^[0-9a-f-]{36}$/);
    expect(payload.iss).toBe(auth.issuer);
    expect(payload.aud).toBe('authenticated');
    expect(payload.sub).toBe(session.user.id);
    expect(payload.exp! - payload.iat!).toBe(3600);
    expect(payload).toMatchObject({
      role: 'authenticated',
      aal: 'aal1',
      email: email.toLowerCase(),
      phone: '',
      app_metadata: { provider: 'email', providers: ['email'] },
      user_metadata: {},
      is_anonymous: false,
    });
    expect(payload.session_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(payload.amr).toEqual([{ method: 'otp', timestamp: expect.any(Number) }]);

    const keys = (await (await fetch(auth.jwksUrl)).json()) as { keys: Record<string, unknown>[] };
    expect(keys.keys).toHaveLength(1);
    expect(keys.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: protectedHeader.kid, key_ops: ['verify'] });
    expect(keys.keys[0]).not.toHaveProperty('d');

    // The same address signs in as the same user.
    offsetMs += 61_000;
    const again = await signIn(client(), email);
    expect(again.user.id).toBe(session.user.id);
  });

  it('rotates refresh tokens, and a reused refresh token ends the session', async () => {
    const sb = client();
    const first = await signIn(sb, newEmail('rotate'));
    const { data, error } = await sb.auth.refreshSession();
    expect(error).toBeNull();
    const second = data.session!;
    secrets.add(second.access_token).add(second.refresh_token);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    expect(decodeProtectedHeader(second.access_token).kid).toBe(decodeProtectedHeader(first.access_token).kid);
    expect((await sb.auth.getUser()).data.user?.id).toBe(first.user.id);

    // The old token again: refused, and the whole session with it.
    const reuse = await client().auth.refreshSession({ refresh_token: first.refresh_token });
    expect(reuse.error?.name).toBe('AuthApiError');
    expect(reuse.error?.status).toBe(400);
    expect(reuse.error?.code).toBe('refresh_token_already_used');
    const next = await client().auth.refreshSession({ refresh_token: second.refresh_token });
    expect(next.error?.status).toBe(400);
    expect(next.error?.code).toBe('refresh_token_not_found');
    const user = await client().auth.getUser(second.access_token);
    expect(user.error?.name).toBe('AuthSessionMissingError');
  });

  it('signs out: the refresh token stops working and the access token is refused', async () => {
    const sb = client();
    const session = await signIn(sb, newEmail('signout'));
    expect((await sb.auth.signOut()).error).toBeNull();
    const refreshed = await client().auth.refreshSession({ refresh_token: session.refresh_token });
    expect(refreshed.error?.name).toBe('AuthApiError');
    expect(refreshed.error?.status).toBe(400);
    expect(refreshed.error?.code).toBe('refresh_token_not_found');
    expect((await client().auth.getUser(session.access_token)).error?.name).toBe('AuthSessionMissingError');
  });

  it('signs out with the local and others scopes', async () => {
    const email = newEmail('scopes');
    const a = client();
    const sessionA = await signIn(a, email);
    offsetMs += 61_000;
    const b = client();
    const sessionB = await signIn(b, email);
    offsetMs += 61_000;
    const c = client();
    const sessionC = await signIn(c, email);
    expect(new Set([sessionA.user.id, sessionB.user.id, sessionC.user.id]).size).toBe(1);

    // "others" from A ends B and C; A goes on.
    expect((await a.auth.signOut({ scope: 'others' })).error).toBeNull();
    expect((await client().auth.refreshSession({ refresh_token: sessionB.refresh_token })).error?.code).toBe('refresh_token_not_found');
    expect((await client().auth.refreshSession({ refresh_token: sessionC.refresh_token })).error?.code).toBe('refresh_token_not_found');
    const stillA = await a.auth.refreshSession();
    expect(stillA.error).toBeNull();
    secrets.add(stillA.data.session!.access_token).add(stillA.data.session!.refresh_token);

    // "local" ends A itself.
    expect((await a.auth.signOut({ scope: 'local' })).error).toBeNull();
    expect((await client().auth.refreshSession({ refresh_token: stillA.data.session!.refresh_token })).error?.code).toBe('refresh_token_not_found');
  });
});

describe('magic links', () => {
  it('show a page on GET and sign in only when its button is pressed', async () => {
    const sb = client();
    const email = newEmail('link');
    const { link, code } = await requestSignIn(sb, email, portal());
    const u = new URL(link);
    expect(u.origin + u.pathname).toBe(`${auth.issuer}/verify`);
    expect(u.searchParams.get('type')).toBe('magiclink');
    expect(u.searchParams.get('redirect_to')).toBe(portal());

    // A mail scanner opens the link (twice): it only ever sees the page.
    for (let i = 0; i < 2; i++) {
      const res = await fetch(link, { redirect: 'manual' });
      expect(res.status).toBe(200);
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const page = await res.text();
      expect(page).toContain('<html lang="en">');
      expect(page).toContain('<form method="post" action="/auth/v1/verify">');
      expect(page).toContain('<button type="submit">Sign in</button>');
      expect(page).not.toContain('access_token');
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain(`form-action 'self' http://portal.localhost:${auth.port};`);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("base-uri 'none'");
      // The one style block is allowed by its hash, nothing else.
      const style = /<style>([\s\S]*?)<\/style>/.exec(page)![1]!;
      expect(csp).toContain(`style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`);
      expect(page).not.toMatch(/ style=/);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('cache-control')).toBe('no-store');
    }

    // The button: a same-origin POST signs in and redirects with the session in the fragment.
    const pressed = await pressSignIn(link, { 'Sec-Fetch-Site': 'same-origin' });
    expect(pressed.status).toBe(303);
    const location = pressed.headers.get('location')!;
    expect(location.startsWith(`${portal()}#`)).toBe(true);
    const fragment = fragmentOf(location);
    secrets.add(fragment.get('access_token')!).add(fragment.get('refresh_token')!);
    expect(fragment.get('token_type')).toBe('bearer');
    expect(fragment.get('type')).toBe('magiclink');
    expect(fragment.get('expires_in')).toBe('3600');
    expect(Number(fragment.get('expires_at'))).toBeGreaterThan(Date.now() / 1000);
    const { data, error } = await client().auth.getUser(fragment.get('access_token')!);
    expect(error).toBeNull();
    expect(data.user?.email).toBe(email);
    expect((await client().auth.refreshSession({ refresh_token: fragment.get('refresh_token')! })).error).toBeNull();

    // Single use: the button again, the link again, and the code from the same email are all dead.
    const again = await pressSignIn(link);
    expect(again.status).toBe(303);
    expect(fragmentOf(again.headers.get('location')!).get('error_code')).toBe('otp_expired');
    expect(fragmentOf(again.headers.get('location')!).get('access_token')).toBeNull();
    expect((await fetch(link)).status).toBe(403);
    const viaCode = await client().auth.verifyOtp({ email, token: code, type: 'email' });
    expect(viaCode.error?.status).toBe(403);
  });

  it('refuses a cross-site POST of the sign-in form', async () => {
    const { link } = await requestSignIn(client(), newEmail('csrf'), portal());
    const res = await pressSignIn(link, { 'Sec-Fetch-Site': 'cross-site' });
    expect(res.status).toBe(403);
    // The link is still good for the real person.
    expect((await pressSignIn(link, { 'Sec-Fetch-Site': 'same-origin' })).status).toBe(303);
  });

  it('sends a redirect to an origin that is not allowed to the site URL instead', async () => {
    const { link } = await requestSignIn(client(), newEmail('redirect'), 'https://attacker.example/steal');
    expect(new URL(link).searchParams.get('redirect_to')).toBe(`${auth.url}/`);
    const tampered = new URL(link);
    tampered.searchParams.set('redirect_to', 'https://attacker.example/steal');
    const res = await pressSignIn(tampered.href);
    expect(res.headers.get('location')!.startsWith(`${auth.url}/#access_token=`)).toBe(true);
    secrets.add(fragmentOf(res.headers.get('location')!).get('access_token')!);
  });

  it('signs in with token_hash through verifyOtp', async () => {
    const email = newEmail('hash');
    const { token } = await requestSignIn(client(), email);
    const { data, error } = await client().auth.verifyOtp({ token_hash: token, type: 'magiclink' });
    expect(error).toBeNull();
    expect(data.session?.user.email).toBe(email);
    secrets.add(data.session!.access_token).add(data.session!.refresh_token);
  });

  it('supports the PKCE flow: the link gives a code that supabase-js exchanges', async () => {
    const sb = client({ flowType: 'pkce' });
    const email = newEmail('pkce');
    const { link } = await requestSignIn(sb, email, portal());
    expect((await fetch(link)).status).toBe(200);
    const res = await pressSignIn(link);
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(portal());
    const authCode = location.searchParams.get('code')!;
    secrets.add(authCode);
    expect(authCode).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const { data, error } = await sb.auth.exchangeCodeForSession(authCode);
    expect(error).toBeNull();
    expect(data.session?.user.email).toBe(email);
    secrets.add(data.session!.access_token).add(data.session!.refresh_token);
    // A code is exchanged once.
    const twice = await client({ flowType: 'implicit' }).auth.exchangeCodeForSession(authCode);
    expect(twice.error).not.toBeNull();
  });
});

describe('codes', () => {
  it('refuses a wrong code, and five wrong codes end the code', async () => {
    const sb = client();
    const email = newEmail('wrong');
    const { code } = await requestSignIn(sb, email);
    const wrong = code === '000000' ? '111111' : '000000';
    const first = await sb.auth.verifyOtp({ email, token: wrong, type: 'email' });
    expect(first.error?.name).toBe('AuthApiError');
    expect(first.error?.status).toBe(403);
    expect(first.error?.code).toBe('otp_expired');
    expect(first.error?.message).toBe('Token has expired or is invalid');
    for (let i = 0; i < 4; i++) expect((await sb.auth.verifyOtp({ email, token: wrong, type: 'email' })).error?.status).toBe(403);
    const right = await sb.auth.verifyOtp({ email, token: code, type: 'email' });
    expect(right.error?.status).toBe(403);
    expect(right.data.session).toBeNull();
  });

  it('accepts a code after fewer than five wrong tries', async () => {
    const sb = client();
    const email = newEmail('typo');
    const { code } = await requestSignIn(sb, email);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i++) await sb.auth.verifyOtp({ email, token: wrong, type: 'email' });
    const { data, error } = await sb.auth.verifyOtp({ email, token: code, type: 'email' });
    expect(error).toBeNull();
    secrets.add(data.session!.access_token).add(data.session!.refresh_token);
  });

  it('refuses an expired code (valid for one hour)', async () => {
    const sb = client();
    const email = newEmail('expired');
    const { code, link } = await requestSignIn(sb, email, portal());
    offsetMs += 60 * 60_000 + 1_000;
    const late = await sb.auth.verifyOtp({ email, token: code, type: 'email' });
    expect(late.error?.status).toBe(403);
    expect(late.error?.code).toBe('otp_expired');
    expect((await fetch(link)).status).toBe(403);
  });

  it('refuses a second request within 60 seconds with 429', async () => {
    const sb = client();
    const email = newEmail('ratelimit');
    await requestSignIn(sb, email);
    const again = await sb.auth.signInWithOtp({ email });
    expect(again.error?.name).toBe('AuthApiError');
    expect(again.error?.status).toBe(429);
    expect(again.error?.code).toBe('over_email_send_rate_limit');
    expect(again.error?.message).toMatch(/^For security purposes, you can only request this after \d+ seconds\.$/);
    offsetMs += 61_000;
    const { code } = await requestSignIn(sb, email);
    expect((await sb.auth.verifyOtp({ email, token: code, type: 'email' })).error).toBeNull();
  });

  it('does not create a user when shouldCreateUser is false', async () => {
    const { error } = await client().auth.signInWithOtp({ email: newEmail('nobody'), options: { shouldCreateUser: false } });
    expect(error?.status).toBe(422);
    expect(error?.code).toBe('otp_disabled');
  });

  it('writes one .eml file per message', async () => {
    const before = (await readOutbox(outbox)).length;
    await requestSignIn(client(), newEmail('count'));
    expect((await readOutbox(outbox)).length).toBe(before + 1);
  });
});

describe('the HTTP surface', () => {
  const api = (p: string, init: RequestInit = {}) =>
    fetch(`${auth.issuer}${p}`, { ...init, headers: { apikey: ANON_KEY, 'Content-Type': 'application/json', ...(init.headers as Record<string, string>) } });

  it("answers errors in GoTrue's shapes, by API version", async () => {
    const body = JSON.stringify({ email: 'someone@example.nhs.uk', token: '123456', type: 'email' });
    const legacy = await api('/verify', { method: 'POST', body });
    expect(legacy.status).toBe(403);
    expect(await legacy.json()).toEqual({ code: 403, error_code: 'otp_expired', msg: 'Token has expired or is invalid' });
    const current = await api('/verify', { method: 'POST', body, headers: { 'X-Supabase-Api-Version': '2024-01-01' } });
    expect(current.headers.get('x-supabase-api-version')).toBe('2024-01-01');
    expect(await current.json()).toEqual({ code: 'otp_expired', message: 'Token has expired or is invalid' });
    const grant = await api('/token?grant_type=password', { method: 'POST', body: '{}' });
    expect(grant.status).toBe(400);
    expect(await grant.json()).toMatchObject({ error: 'unsupported_grant_type', error_description: expect.any(String) });
    const noBearer = await api('/user');
    expect(noBearer.status).toBe(401);
    expect(await noBearer.json()).toMatchObject({ error_code: 'no_authorization' });
    const badBearer = await api('/user', { headers: { Authorization: 'Bearer not.a.jwt' } });
    expect(badBearer.status).toBe(403);
    expect(await badBearer.json()).toMatchObject({ error_code: 'bad_jwt' });
    const badJson = await api('/otp', { method: 'POST', body: '{nope' });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ error_code: 'bad_json' });
  });

  it('requires the API key when one is configured', async () => {
    const res = await fetch(`${auth.issuer}/otp`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'x@example.nhs.uk' }) });
    expect(res.status).toBe(401);
    const wrong = await client({ url: auth.url }).auth.getUser('x');
    expect(wrong.error).not.toBeNull();
    const other = createClient(auth.url, 'not-the-key', { auth: { persistSession: false, autoRefreshToken: false } });
    const { error } = await other.auth.signInWithOtp({ email: newEmail('nokey') });
    expect(error?.status).toBe(401);
  });

  it('serves health, settings and the JWKS', async () => {
    const health = await fetch(`${auth.issuer}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ name: 'GoTrue' });
    const settings = (await (await fetch(`${auth.issuer}/settings`)).json()) as { external: { email: boolean } };
    expect(settings.external.email).toBe(true);
    const jwks = await fetch(auth.jwksUrl);
    expect(jwks.headers.get('cache-control')).toBe('public, max-age=600');
  });

  it('puts security headers on its JSON responses', async () => {
    const res = await api('/user');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('allows CORS from local origins only', async () => {
    const preflight = (origin: string) =>
      fetch(`${auth.issuer}/otp`, {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'apikey, authorization, content-type, x-client-info, x-supabase-api-version' },
      });
    const allowed = await preflight(`http://portal.localhost:${auth.port}`);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(`http://portal.localhost:${auth.port}`);
    expect(allowed.headers.get('access-control-allow-headers')).toContain('x-supabase-api-version');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('apikey');
    const refused = await preflight('https://attacker.example');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const otherPort = await preflight(`http://portal.localhost:${auth.port + 1}`);
    expect(otherPort.headers.get('access-control-allow-origin')).toBeNull();

    const real = await fetch(auth.jwksUrl, { headers: { Origin: `http://riverside.localhost:${auth.port}` } });
    expect(real.headers.get('access-control-allow-origin')).toBe(`http://riverside.localhost:${auth.port}`);
    expect(real.headers.get('access-control-expose-headers')).toContain('X-Supabase-Api-Version');
    const noCors = await fetch(auth.jwksUrl, { headers: { Origin: 'https://attacker.example' } });
    expect(noCors.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses requests addressed to a name that is not local (DNS rebinding)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: auth.port, path: '/auth/v1/health', headers: { Host: `attacker.example:${auth.port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });

  it('works without a socket through authIssuerApp', async () => {
    const app = await authIssuerApp({ publicUrl: 'http://127.0.0.1:54321', mailer: { send: async () => ({ id: 'x' }) } });
    const res = await app.request('/auth/v1/.well-known/jwks.json');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { keys: unknown[] }).keys).toHaveLength(1);
  });
});

describe('persistence', () => {
  it('keeps the signing key, users and sessions in the data folder across restarts', async () => {
    const dataDir = path.join(tmp, 'data');
    const box = path.join(tmp, 'outbox-persist');
    const first = await startAuthIssuer({ host: '127.0.0.1', port: 0, dataDir, outboxDir: box, anonKey: ANON_KEY });
    const email = newEmail('persist');
    const sb = client({ url: first.url });
    const { code } = await requestSignIn(sb, email, undefined, box);
    const { data } = await sb.auth.verifyOtp({ email, token: code, type: 'email' });
    const session = data.session!;
    secrets.add(session.access_token).add(session.refresh_token);
    const kid = decodeProtectedHeader(session.access_token).kid;
    await first.close();

    const keyFile = await stat(path.join(dataDir, 'auth', 'signing-key.json'));
    expect(keyFile.mode & 0o077).toBe(0);
    expect((await stat(path.join(dataDir, 'auth', 'state.json'))).mode & 0o077).toBe(0);

    const second = await startAuthIssuer({ host: '127.0.0.1', port: first.port, dataDir, outboxDir: box, anonKey: ANON_KEY });
    try {
      const keys = (await (await fetch(second.jwksUrl)).json()) as { keys: { kid: string }[] };
      expect(keys.keys[0]!.kid).toBe(kid);
      const later = client({ url: second.url });
      expect((await later.auth.getUser(session.access_token)).data.user?.id).toBe(session.user.id);
      const refreshed = await later.auth.refreshSession({ refresh_token: session.refresh_token });
      expect(refreshed.error).toBeNull();
      secrets.add(refreshed.data.session!.access_token).add(refreshed.data.session!.refresh_token);
      expect(refreshed.data.session!.user.id).toBe(session.user.id);
    } finally {
      await second.close();
    }
  });
});

describe('safety', () => {
  it('refuses to start in production', async () => {
    const base = { host: '127.0.0.1', port: 0, outboxDir: outbox };
    await expect(startAuthIssuer({ ...base, env: { NODE_ENV: 'production' } })).rejects.toThrow(/refuses to start in production[\s\S]*Supabase Auth/);
    await expect(startAuthIssuer({ ...base, env: { PD_ENV: 'production' } })).rejects.toThrow(AuthIssuerConfigError);
    await expect(authIssuerApp({ publicUrl: 'http://127.0.0.1:1', outboxDir: outbox, env: { NODE_ENV: 'production' } })).rejects.toThrow(/Supabase Auth/);
    vi.stubEnv('NODE_ENV', 'production');
    try {
      await expect(startAuthIssuer(base)).rejects.toThrow(/NODE_ENV=production/);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('refuses a host that is not loopback', async () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'example.com'])
      await expect(startAuthIssuer({ host, port: 0, outboxDir: outbox })).rejects.toThrow(/loopback/);
    await expect(startAuthIssuer({ host: '127.0.0.1', port: 0, outboxDir: outbox, publicUrl: 'https://auth.example.com' })).rejects.toThrow(/loopback/);
  });

  it('logs no code, link or token', () => {
    expect(secrets.size).toBeGreaterThan(20);
    expect(logged.some((l) => l.includes('auth issuer: sign-in email'))).toBe(true);
    for (const line of logged) for (const secret of secrets) expect(line.includes(secret), `a log line holds a secret: ${line.slice(0, 60)}`).toBe(false);
  });
});
