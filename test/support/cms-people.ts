// The people CMS tests act as, their memberships in the embedded database, signed tokens for
// them, and a client for POST /api/cms through the portal app.
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { ScriptRunner } from '../../build/db/migrate.ts';

export const testIssuer = 'http://127.0.0.1:54321/auth/v1';

export const people = {
  manager: { n: 1, role: 'practice_manager', name: 'Maya Manager' },
  editor: { n: 2, role: 'editor', name: 'Ed Editor' },
  other: { n: 3, role: 'practice_manager', name: 'Fell Manager' },
  reviewer: { n: 4, role: 'clinical_reviewer', name: 'Dr Asha Patel' },
  reviewer2: { n: 5, role: 'clinical_reviewer', name: 'Dr Ben Okafor' },
  auditor: { n: 6, role: 'auditor', name: 'Aud Itor' },
  urgent: { n: 7, role: 'urgent_publisher', name: 'Una Urgent' },
  leaver: { n: 8, role: 'editor', name: 'Lee Leaver' },
} as const;
export type Who = keyof typeof people;

export const userId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
export const emailOf = (who: Who) => `${who}@${who === 'other' ? 'fellside' : 'riverside'}.example.nhs.uk`;

/** Riverside and Fellside, with everyone above a member (`other` at Fellside, the rest at Riverside). */
export async function seedPeople(owner: ScriptRunner): Promise<void> {
  const rows = (Object.keys(people) as Who[]).map((who) => {
    const p = people[who];
    const practice = who === 'other' ? 'fellside' : 'riverside';
    const expires = p.role === 'urgent_publisher' ? "now() + interval '1 day'" : 'null';
    return `((select id from public.practices where slug = '${practice}'), '${userId(p.n)}', '${emailOf(who)}', '${p.name}', '${p.role}', ${expires})`;
  });
  await owner.exec(`
    insert into public.practices (slug, ods_code, name, nation, contract_start, status) values
      ('riverside', 'Z99901', 'Riverside Medical Practice', 'england', '2026-01-01', 'active'),
      ('fellside', 'Z99902', 'Fellside Surgery', 'england', '2026-01-01', 'active');
    insert into public.members (practice_id, user_id, email, name, role, expires_at) values ${rows.join(',\n')};
  `);
}

export interface Signer {
  jwks: { keys: JWK[] };
  /** A token at `aal1` unless said; `iat` in seconds, now unless said. */
  token(who: Who, o?: { aal?: 'aal1' | 'aal2'; iat?: number; signedInAt?: number }): Promise<string>;
}

/** Signs test tokens; `issuer` is the sign-in service's `<url>/auth/v1`. */
export async function signer(issuer = testIssuer): Promise<Signer> {
  const pair = await generateKeyPair('ES256');
  const key: CryptoKey = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  return {
    jwks: { keys: [jwk] },
    token: (who, o = {}) =>
      new SignJWT({
        role: 'authenticated',
        aal: o.aal ?? 'aal1',
        email: emailOf(who),
        session_id: crypto.randomUUID(),
        // As Supabase: when each sign-in method was used, kept in every token refreshed from the session.
        ...(o.signedInAt === undefined ? {} : { amr: [{ method: 'otp', timestamp: o.signedInAt }] }),
      })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setIssuer(issuer)
        .setAudience('authenticated')
        .setSubject(userId(people[who].n))
        .setIssuedAt(o.iat)
        .setExpirationTime('1h')
        .sign(key),
  };
}

export interface Reply {
  status: number;
  json: any;
}

type RequestApp = { request(path: string, init: RequestInit): Response | Promise<Response> };

/** Calls POST /api/cms as `who` (null: no token) on the practice, with Decap's `branch` added. */
export function cmsClient(app: () => RequestApp, sign: () => Signer) {
  return async (who: Who | null, action: string, params: Record<string, unknown> = {}, o: { practice?: string; raw?: string; type?: string; auth?: string } = {}): Promise<Reply> => {
    const headers: Record<string, string> = { 'content-type': o.type ?? 'application/json' };
    if (o.auth !== undefined) headers.authorization = o.auth;
    else if (who) headers.authorization = `Bearer ${await sign().token(who)}`;
    const body = o.raw ?? JSON.stringify({ practice: o.practice ?? 'riverside', action, params: { branch: 'main', ...params } });
    const res = await app().request('/api/cms', { method: 'POST', headers, body });
    return { status: res.status, json: await res.json() };
  };
}
