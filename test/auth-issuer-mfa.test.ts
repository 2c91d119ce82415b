// TOTP multi-factor sign-in on the local auth issuer, driven by the real supabase-js client
// (`auth.mfa.*` and `auth.admin.mfa.*`), with codes from an independent TOTP implementation
// (otpauth), the way an authenticator app makes them. Also the admin calls and the security
// events, which must never carry a code, token, secret or link.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClient, type Session, type SupabaseClient } from '@supabase/supabase-js';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MFA_CHALLENGE_VALID_MS, MFA_LOCK_MS, MFA_MAX_ATTEMPTS, startAuthIssuer, type RunningAuthIssuer, type SecurityEvent } from '../build/auth-issuer/index.ts';
import { extractCode } from '../lib/email/eml.ts';
import { newestMessageTo } from '../lib/email/outbox-node.ts';

const ANON_KEY = 'local-development-anon-key';
const SERVICE_KEY = 'local-development-service-role-key';

let tmp: string;
let outbox: string;
let auth: RunningAuthIssuer;
let offsetMs = 0;
const now = () => Date.now() + offsetMs;
const events: SecurityEvent[] = [];
/** Every code, token, secret and link seen, to check none reached an event or a log line. */
const secrets = new Set<string>();
const logged: string[] = [];

beforeAll(async () => {
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const)
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logged.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    });
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pd-auth-mfa-'));
  outbox = path.join(tmp, 'outbox');
  auth = await startAuthIssuer({
    host: '127.0.0.1',
    port: 0,
    outboxDir: outbox,
    anonKey: ANON_KEY,
    serviceRoleKey: SERVICE_KEY,
    now,
    onSecurityEvent: (e) => events.push(e),
  });
});

afterAll(async () => {
  await auth?.close();
  vi.restoreAllMocks();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

function client(key = ANON_KEY): SupabaseClient {
  return createClient(auth.url, key, { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } });
}

let emailCount = 0;
const newEmail = (name: string) => `${name}.${++emailCount}@example.nhs.uk`;

function keep(session: Session): Session {
  secrets.add(session.access_token).add(session.refresh_token);
  return session;
}

async function signIn(sb: SupabaseClient, email: string): Promise<Session> {
  offsetMs += 61_000; // one sign-in email a minute per address
  expect((await sb.auth.signInWithOtp({ email, options: { shouldCreateUser: true } })).error).toBeNull();
  const message = await newestMessageTo(outbox, email);
  const code = extractCode(message!.text ?? '')!;
  secrets.add(code);
  const { data, error } = await sb.auth.verifyOtp({ email, token: code, type: 'email' });
  expect(error).toBeNull();
  return keep(data.session!);
}

/** What an authenticator app shows at the issuer's present moment. */
function appCode(secret: string, shiftMs = 0): string {
  const totp = new OTPAuth.TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) });
  const code = totp.generate({ timestamp: now() + shiftMs });
  secrets.add(code);
  return code;
}

/** Moves the clock into the next 30-second step, so the app shows a new code. */
function nextStep(): void {
  offsetMs += 30_000;
}

async function enrol(sb: SupabaseClient, friendlyName?: string) {
  const { data, error } = await sb.auth.mfa.enroll({ factorType: 'totp', ...(friendlyName === undefined ? {} : { friendlyName }) });
  expect(error).toBeNull();
  secrets.add(data!.totp.secret).add(data!.totp.uri);
  return data!;
}

async function claimsOf(token: string): Promise<JWTPayload> {
  const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(auth.jwksUrl)), { issuer: auth.issuer, audience: 'authenticated' });
  return payload;
}

/** A user signed in, with a verified factor and an aal2 session. */
async function userWithFactor(name: string) {
  const sb = client();
  const email = newEmail(name);
  const first = await signIn(sb, email);
  const factor = await enrol(sb);
  const { data, error } = await sb.auth.mfa.challengeAndVerify({ factorId: factor.id, code: appCode(factor.totp.secret) });
  expect(error).toBeNull();
  keep(data as unknown as Session);
  return { sb, email, userId: first.user.id, factor, session: data as unknown as Session };
}

const eventsOf = (userId: string, kind: string) => events.filter((e) => e.userId === userId && e.kind === kind);

describe('TOTP factors through supabase-js', () => {
  it('enrols, challenges and verifies into an aal2 session', async () => {
    const sb = client();
    const email = newEmail('Manager');
    const session = await signIn(sb, email);
    const before = await claimsOf(session.access_token);
    expect(before).toMatchObject({ aal: 'aal1', amr: [{ method: 'otp', timestamp: expect.any(Number) }] });
    expect(before.session_id).toMatch(/^[0-9a-f-]{36}$/);

    const factor = await enrol(sb, 'Phone');
    expect(factor).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), type: 'totp', friendly_name: 'Phone' });
    expect(factor.totp.qr_code).toBe('');
    expect(factor.totp.secret).toMatch(/^[A-Z2-7]{32}$/);
    const fromUri = OTPAuth.URI.parse(factor.totp.uri) as OTPAuth.TOTP;
    expect(fromUri).toMatchObject({ issuer: 'Practice Digital', label: email.toLowerCase(), algorithm: 'SHA1', digits: 6, period: 30 });
    expect(fromUri.secret.base32).toBe(factor.totp.secret);

    // Unverified: listed with its status, but not yet a reason to step up.
    const listed = await sb.auth.mfa.listFactors();
    expect(listed.error).toBeNull();
    expect(listed.data!.all).toEqual([
      { id: factor.id, friendly_name: 'Phone', factor_type: 'totp', status: 'unverified', created_at: expect.any(String), updated_at: expect.any(String), last_challenged_at: null },
    ]);
    expect(listed.data!.totp).toEqual([]);
    expect((await sb.auth.mfa.getAuthenticatorAssuranceLevel()).data).toMatchObject({ currentLevel: 'aal1', nextLevel: 'aal1' });

    const challenge = await sb.auth.mfa.challenge({ factorId: factor.id });
    expect(challenge.error).toBeNull();
    expect(challenge.data).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), type: 'totp', expires_at: Math.floor((now() + MFA_CHALLENGE_VALID_MS) / 1000) });

    const verified = await sb.auth.mfa.verify({ factorId: factor.id, challengeId: challenge.data!.id, code: appCode(factor.totp.secret) });
    expect(verified.error).toBeNull();
    const upgraded = keep(verified.data as unknown as Session);
    expect(upgraded.refresh_token).not.toBe(session.refresh_token);

    const aal = await sb.auth.mfa.getAuthenticatorAssuranceLevel();
    expect(aal.error).toBeNull();
    expect(aal.data!.currentLevel).toBe('aal2');
    expect(aal.data!.nextLevel).toBe('aal2');
    expect(aal.data!.currentAuthenticationMethods.map((m) => (typeof m === 'string' ? m : m.method))).toEqual(['totp', 'otp']);

    const after = await claimsOf(upgraded.access_token);
    expect(after.aal).toBe('aal2');
    expect(after.amr).toEqual([
      { method: 'totp', timestamp: expect.any(Number) },
      { method: 'otp', timestamp: (before.amr as { timestamp: number }[])[0]!.timestamp },
    ]);
    expect(after.session_id).toBe(before.session_id);

    const user = await sb.auth.getUser();
    expect(user.data.user!.factors).toEqual([expect.objectContaining({ id: factor.id, status: 'verified', factor_type: 'totp' })]);
    expect((await sb.auth.mfa.listFactors()).data!.totp.map((f) => f.id)).toEqual([factor.id]);
    // The old refresh token was swapped at the step-up.
    expect((await client().auth.refreshSession({ refresh_token: session.refresh_token })).error?.code).toBe('refresh_token_already_used');
  });

  it('refuses a wrong code, and the same valid code twice', async () => {
    const { sb, userId, factor } = await userWithFactor('replay');
    nextStep();
    const code = appCode(factor.totp.secret);
    const wrong = String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');
    const refused = await sb.auth.mfa.challengeAndVerify({ factorId: factor.id, code: wrong });
    expect(refused.error?.name).toBe('AuthApiError');
    expect(refused.error?.status).toBe(422);
    expect(refused.error?.code).toBe('mfa_verification_failed');

    const first = await sb.auth.mfa.challengeAndVerify({ factorId: factor.id, code });
    expect(first.error).toBeNull();
    keep(first.data as unknown as Session);
    const again = await sb.auth.mfa.challengeAndVerify({ factorId: factor.id, code });
    expect(again.error?.status).toBe(422);
    expect(again.error?.code).toBe('mfa_verification_failed');
    expect(again.error?.message).toMatch(/already been used/);
    // Still refused in the next step, while the code is inside the drift window.
    nextStep();
    expect((await sb.auth.mfa.challengeAndVerify({ factorId: factor.id, code })).error?.message).toMatch(/already been used/);
    // The next code works.
    expect((await sb.auth.mfa.challengeAndVerify({ factorId: factor.id, code: appCode(factor.totp.secret) })).error).toBeNull();

    expect(eventsOf(userId, 'mfa_failed').map((e) => e.detail?.reason)).toEqual(['wrong', 'reused', 'reused']);
  });

  it('keeps aal2 across a refresh', async () => {
    const { sb } = await userWithFactor('refresh');
    const { data, error } = await sb.auth.refreshSession();
    expect(error).toBeNull();
    const claims = await claimsOf(keep(data.session!).access_token);
    expect(claims.aal).toBe('aal2');
    expect((claims.amr as { method: string }[]).map((m) => m.method)).toEqual(['totp', 'otp']);
    expect((await sb.auth.mfa.getAuthenticatorAssuranceLevel()).data?.currentLevel).toBe('aal2');
  });

  it('ends the user’s other aal1 sessions at the step-up, as GoTrue does', async () => {
    const email = newEmail('twodevices');
    const other = await signIn(client(), email);
    const sb = client();
    await signIn(sb, email);
    const factor = await enrol(sb);
    expect((await sb.auth.mfa.challengeAndVerify({ factorId: factor.id, code: appCode(factor.totp.secret) })).error).toBeNull();
    expect((await client().auth.refreshSession({ refresh_token: other.refresh_token })).error?.code).toBe('refresh_token_not_found');
  });

  it('needs aal2 to unenrol a verified factor or add another, and unenrols', async () => {
    const { email, factor, userId } = await userWithFactor('unenrol');
    const sb = client();
    await signIn(sb, email); // a new aal1 session
    expect((await sb.auth.mfa.getAuthenticatorAssuranceLevel()).data).toMatchObject({ currentLevel: 'aal1', nextLevel: 'aal2' });

    const early = await sb.auth.mfa.unenroll({ factorId: factor.id });
    expect(early.error?.status).toBe(422);
    expect(early.error?.code).toBe('insufficient_aal');
    const second = await sb.auth.mfa.enroll({ factorType: 'totp', friendlyName: 'Spare' });
    expect(second.error?.status).toBe(403);
    expect(second.error?.code).toBe('insufficient_aal');

    nextStep();
    expect((await sb.auth.mfa.challengeAndVerify({ factorId: factor.id, code: appCode(factor.totp.secret) })).error).toBeNull();
    const gone = await sb.auth.mfa.unenroll({ factorId: factor.id });
    expect(gone.error).toBeNull();
    expect(gone.data).toEqual({ id: factor.id });
    expect((await sb.auth.getUser()).data.user!.factors).toBeUndefined();
    // The session falls back to aal1 at its next token.
    const { data } = await sb.auth.refreshSession();
    const claims = await claimsOf(keep(data.session!).access_token);
    expect(claims.aal).toBe('aal1');
    expect(claims.amr).toEqual([{ method: 'otp', timestamp: expect.any(Number) }]);
    expect(eventsOf(userId, 'mfa_factor_deleted').map((e) => e.detail)).toEqual([{ factor_id: factor.id, by: 'user', was_verified: true }]);
  });

  it('unenrols an unverified factor at aal1, and refuses a friendly name twice', async () => {
    const sb = client();
    await signIn(sb, newEmail('names'));
    const a = await enrol(sb, 'Work phone');
    const clash = await sb.auth.mfa.enroll({ factorType: 'totp', friendlyName: 'Work phone' });
    expect(clash.error?.status).toBe(422);
    expect(clash.error?.code).toBe('mfa_factor_name_conflict');
    expect((await sb.auth.mfa.unenroll({ factorId: a.id })).error).toBeNull();
    const phone = await sb.auth.mfa.enroll({ factorType: 'phone', phone: '+447700900123' });
    expect(phone.error?.code).toBe('mfa_phone_enroll_not_enabled');
  });

  it('does not let one user touch another user’s factor', async () => {
    const { factor } = await userWithFactor('owner');
    const sb = client();
    await signIn(sb, newEmail('intruder'));
    for (const result of [
      await sb.auth.mfa.challenge({ factorId: factor.id }),
      await sb.auth.mfa.verify({ factorId: factor.id, challengeId: factor.id, code: appCode(factor.totp.secret) }),
      await sb.auth.mfa.unenroll({ factorId: factor.id }),
    ]) {
      expect(result.error?.status).toBe(404);
      expect(result.error?.code).toBe('mfa_factor_not_found');
    }
  });

  it('refuses an unknown challenge, another factor’s challenge and an expired one', async () => {
    const { sb, factor } = await userWithFactor('challenges');
    nextStep();
    const unknown = await sb.auth.mfa.verify({ factorId: factor.id, challengeId: '00000000-0000-4000-8000-000000000000', code: appCode(factor.totp.secret) });
    expect(unknown.error?.status).toBe(422);
    expect(unknown.error?.code).toBe('mfa_factor_not_found');

    const challenge = await sb.auth.mfa.challenge({ factorId: factor.id });
    offsetMs += MFA_CHALLENGE_VALID_MS + 1000;
    const late = await sb.auth.mfa.verify({ factorId: factor.id, challengeId: challenge.data!.id, code: appCode(factor.totp.secret) });
    expect(late.error?.status).toBe(422);
    expect(late.error?.code).toBe('mfa_challenge_expired');
  });

  it(`locks a factor for a while after ${MFA_MAX_ATTEMPTS} wrong codes`, async () => {
    const { sb, factor, userId } = await userWithFactor('lockout');
    nextStep();
    const code = appCode(factor.totp.secret);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const challenge = await sb.auth.mfa.challenge({ factorId: factor.id });
    const statuses: (number | undefined)[] = [];
    for (let i = 0; i < MFA_MAX_ATTEMPTS; i++)
      statuses.push((await sb.auth.mfa.verify({ factorId: factor.id, challengeId: challenge.data!.id, code: wrong })).error?.status);
    expect(statuses).toEqual([422, 422, 422, 422, 429]);
    const locked = await sb.auth.mfa.challengeAndVerify({ factorId: factor.id, code });
    expect(locked.error?.status).toBe(429);
    expect(locked.error?.code).toBe('over_request_rate_limit');

    offsetMs += MFA_LOCK_MS;
    expect((await sb.auth.mfa.challengeAndVerify({ factorId: factor.id, code: appCode(factor.totp.secret) })).error).toBeNull();
    expect(eventsOf(userId, 'mfa_failed').map((e) => [e.detail?.reason, e.detail?.attempts])).toEqual([
      ['wrong', 1],
      ['wrong', 2],
      ['wrong', 3],
      ['wrong', 4],
      ['wrong', 5],
      ['locked', 5],
    ]);
  });
});

describe('admin calls', () => {
  it('list and delete a user’s factors through supabase-js’s admin API', async () => {
    const { sb, userId, factor } = await userWithFactor('lostphone');
    const admin = client(SERVICE_KEY);
    const listed = await admin.auth.admin.mfa.listFactors({ userId });
    expect(listed.error).toBeNull();
    expect(listed.data!.factors).toEqual([expect.objectContaining({ id: factor.id, status: 'verified', factor_type: 'totp' })]);
    expect(JSON.stringify(listed.data)).not.toContain(factor.totp.secret);

    const deleted = await admin.auth.admin.mfa.deleteFactor({ userId, id: factor.id });
    expect(deleted.error).toBeNull();
    // supabase-js 2.x hands back its own { data, error } wrapper here; inside is GoTrue's answer, the factor.
    expect(deleted.data).toMatchObject({ data: { id: factor.id, status: 'verified', factor_type: 'totp' } });
    expect((await admin.auth.admin.mfa.listFactors({ userId })).data!.factors).toEqual([]);
    expect((await sb.auth.mfa.listFactors()).data!.all).toEqual([]);
    expect(eventsOf(userId, 'mfa_factor_deleted').map((e) => e.detail?.by)).toEqual(['admin']);
  });

  it('end all of a user’s sessions, after which their refresh tokens fail', async () => {
    const { sb, userId, email, session } = await userWithFactor('incident');
    const other = await signIn(client(), email);
    const res = await fetch(`${auth.issuer}/admin/users/${userId}/logout`, { method: 'POST', headers: { apikey: SERVICE_KEY, Authorization: `Bearer ${SERVICE_KEY}` } });
    expect(res.status).toBe(204);
    for (const token of [session.refresh_token, other.refresh_token]) {
      const refreshed = await client().auth.refreshSession({ refresh_token: token });
      expect(refreshed.error?.name).toBe('AuthApiError');
      expect(refreshed.error?.status).toBe(400);
      expect(refreshed.error?.code).toBe('refresh_token_not_found');
    }
    expect((await sb.auth.getUser()).error?.name).toBe('AuthSessionMissingError');
    expect(eventsOf(userId, 'sessions_revoked').at(-1)?.detail).toMatchObject({ by: 'admin', scope: 'global', count: 2 });
    expect(events.filter((e) => e.kind === 'refresh_refused').length).toBeGreaterThanOrEqual(2);
  });

  it('refuse anything but the service role key', async () => {
    const { userId, session } = await userWithFactor('guarded');
    const url = `${auth.issuer}/admin/users/${userId}/factors`;
    const call = (headers: Record<string, string>) => fetch(url, { headers: { 'X-Supabase-Api-Version': '2024-01-01', ...headers } });
    const asUser = await call({ apikey: ANON_KEY, Authorization: `Bearer ${session.access_token}` });
    expect(asUser.status).toBe(403);
    expect(await asUser.json()).toEqual({ code: 'not_admin', message: 'User not allowed' });
    expect((await call({ apikey: ANON_KEY, Authorization: `Bearer ${ANON_KEY}` })).status).toBe(403);
    expect((await call({ apikey: ANON_KEY })).status).toBe(401);
    expect((await call({ apikey: 'nonsense', Authorization: `Bearer ${SERVICE_KEY}` })).status).toBe(401);
    const missing = await fetch(`${auth.issuer}/admin/users/00000000-0000-4000-8000-000000000000/factors`, { headers: { apikey: SERVICE_KEY, Authorization: `Bearer ${SERVICE_KEY}` } });
    expect(missing.status).toBe(404);
    const ok = await call({ apikey: SERVICE_KEY, Authorization: `Bearer ${SERVICE_KEY}` });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toHaveLength(1);
  });
});

describe('security events', () => {
  it('reports sign-ins and failed sign-ins', async () => {
    const sb = client();
    const email = newEmail('events');
    const session = await signIn(sb, email);
    const signIns = eventsOf(session.user.id, 'sign_in');
    expect(signIns).toHaveLength(1);
    expect(signIns[0]).toEqual({ kind: 'sign_in', userId: session.user.id, email: email.toLowerCase(), at: expect.any(Date), detail: { method: 'otp' } });

    offsetMs += 61_000;
    await sb.auth.signInWithOtp({ email });
    const code = extractCode((await newestMessageTo(outbox, email))!.text ?? '')!;
    secrets.add(code);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect((await sb.auth.verifyOtp({ email, token: wrong, type: 'email' })).error?.code).toBe('otp_expired');
    expect(eventsOf(session.user.id, 'sign_in_failed').map((e) => e.detail)).toEqual([{ method: 'otp', reason: 'wrong' }]);
  });

  it('covered every kind, and none carries a code, token, secret or link', () => {
    const kinds = new Set(events.map((e) => e.kind));
    for (const kind of ['sign_in', 'sign_in_failed', 'mfa_factor_enrolled', 'mfa_verified', 'mfa_failed', 'mfa_factor_deleted', 'sessions_revoked', 'refresh_refused'])
      expect(kinds, kind).toContain(kind);
    for (const e of events) {
      expect(e.at).toBeInstanceOf(Date);
      for (const value of Object.values(e.detail ?? {})) expect(['string', 'number', 'boolean']).toContain(typeof value);
    }
    const text = JSON.stringify(events);
    expect(secrets.size).toBeGreaterThan(50);
    for (const secret of secrets) expect(text.includes(secret), 'a secret in the security events').toBe(false);
    expect(text).not.toMatch(/otpauth:|eyJ|\/verify\?/);
    const log = logged.join('\n');
    for (const secret of secrets) expect(log.includes(secret), 'a secret in the log').toBe(false);
  });
});

describe('persistence', () => {
  it('keeps factors, aal2 sessions and the last used code across a restart', async () => {
    const dataDir = path.join(tmp, 'data');
    const box = path.join(tmp, 'outbox-persist');
    const start = (port = 0) => startAuthIssuer({ host: '127.0.0.1', port, dataDir, outboxDir: box, anonKey: ANON_KEY, now, log: () => {} });
    const first = await start();
    const sb = createClient(first.url, ANON_KEY, { auth: { persistSession: false, autoRefreshToken: false } });
    const email = newEmail('restart');
    await sb.auth.signInWithOtp({ email });
    const code = extractCode((await newestMessageTo(box, email))!.text ?? '')!;
    expect((await sb.auth.verifyOtp({ email, token: code, type: 'email' })).error).toBeNull();
    const { data: factor } = await sb.auth.mfa.enroll({ factorType: 'totp' });
    secrets.add(factor!.totp.secret).add(factor!.totp.uri);
    const totp = appCode(factor!.totp.secret);
    const verified = await sb.auth.mfa.challengeAndVerify({ factorId: factor!.id, code: totp });
    expect(verified.error).toBeNull();
    const refreshToken = keep(verified.data as unknown as Session).refresh_token;
    await first.close();

    const second = await start(first.port);
    try {
      const again = createClient(second.url, ANON_KEY, { auth: { persistSession: false, autoRefreshToken: false } });
      const { data, error } = await again.auth.refreshSession({ refresh_token: refreshToken });
      expect(error).toBeNull();
      keep(data.session!);
      expect(data.session!.user.factors).toEqual([expect.objectContaining({ id: factor!.id, status: 'verified' })]);
      expect((await again.auth.mfa.getAuthenticatorAssuranceLevel()).data?.currentLevel).toBe('aal2');
      expect((await again.auth.mfa.challengeAndVerify({ factorId: factor!.id, code: totp })).error?.message).toMatch(/already been used/);
    } finally {
      await second.close();
    }
  });
});

describe('the issuer’s MFA options', () => {
  it('turns the admin API off without a service role key, and survives a handler that throws', async () => {
    const lines: string[] = [];
    const other = await startAuthIssuer({
      host: '127.0.0.1',
      port: 0,
      outboxDir: outbox,
      anonKey: ANON_KEY,
      log: (l) => lines.push(l),
      onSecurityEvent: () => {
        throw new Error('the log is down');
      },
    });
    try {
      const sb = createClient(other.url, ANON_KEY, { auth: { persistSession: false, autoRefreshToken: false } });
      const email = newEmail('robust');
      await sb.auth.signInWithOtp({ email });
      const code = extractCode((await newestMessageTo(outbox, email))!.text ?? '')!;
      const { data, error } = await sb.auth.verifyOtp({ email, token: code, type: 'email' });
      expect(error).toBeNull();
      expect(lines.some((l) => /security event handler failed on a sign_in event/.test(l))).toBe(true);
      const res = await fetch(`${other.url}/auth/v1/admin/users/${data.user!.id}/factors`, {
        headers: { apikey: ANON_KEY, Authorization: `Bearer ${SERVICE_KEY}`, 'X-Supabase-Api-Version': '2024-01-01' },
      });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { message: string }).message).toMatch(/serviceRoleKey/);
    } finally {
      await other.close();
    }
    await expect(startAuthIssuer({ host: '127.0.0.1', port: 0, outboxDir: outbox, anonKey: ANON_KEY, serviceRoleKey: ANON_KEY })).rejects.toThrow(/differ from the anon key/);
  });
});
