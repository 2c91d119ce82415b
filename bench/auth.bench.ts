// Per-request cost of knowing who is calling: verify the Supabase token and resolve the caller's
// role in a practice through the database (as the caller, under row-level security). The anchor,
// measured in the same run, is a bare jose verification of the same tokens.
// Run: node bench/auth.bench.ts   (add DATABASE_URL=postgres://... for the PostgreSQL figure)
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import path from 'node:path';
import { openDatabase, type OpenedDatabase } from '../build/db/open-database.ts';
import { createVerifier } from '../lib/auth/verify-jwt.ts';
import { membersService } from '../lib/members/members.ts';

const root = path.resolve(import.meta.dirname, '..');
const issuer = 'http://127.0.0.1:54321/auth/v1';
const users = 50;
const rounds = Number(process.env.ROUNDS ?? 2000);

const { privateKey, publicKey } = await generateKeyPair('ES256');
const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] };
const sub = (i: number) => `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`;
const tokens = await Promise.all(
  Array.from({ length: users }, (_, i) =>
    new SignJWT({ role: 'authenticated', aal: 'aal1', email: `user${i}@example.nhs.uk`, session_id: crypto.randomUUID() })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience('authenticated')
      .setSubject(sub(i))
      .setIssuedAt()
      .setExpirationTime('2h')
      .sign(privateKey),
  ),
);

const bareKeys = createLocalJWKSet(jwks);
const verifier = createVerifier({ issuer, jwks: { keys: jwks } });

async function seed(opened: OpenedDatabase) {
  await opened.owner.exec(`insert into public.practices (slug, ods_code, name, nation, contract_start, status)
    values ('bench', 'Z99999', 'Bench Practice', 'england', '2026-01-01', 'active') on conflict (slug) do nothing`);
  for (let i = 0; i < users; i++)
    await opened.owner.query(
      `insert into public.members (practice_id, user_id, email, role) select id, $1, $2, 'editor' from public.practices where slug = 'bench'
       on conflict do nothing`,
      [sub(i), `user${i}@example.nhs.uk`],
    );
}

/** Median per-operation time in ms over `rounds` operations, after a warm-up. */
async function time(label: string, op: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 200; i++) await op(i);
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    await op(i);
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  const p50 = samples[Math.floor(samples.length / 2)]!;
  const p95 = samples[Math.floor(samples.length * 0.95)]!;
  console.log(`${label.padEnd(52)} p50 ${(p50 * 1000).toFixed(0).padStart(6)} µs   p95 ${(p95 * 1000).toFixed(0).padStart(6)} µs`);
  return p50;
}

const result: Record<string, number> = {};
result.bareJoseMs = await time('bare jose verify (anchor)', (i) => jwtVerify(tokens[i % users]!, bareKeys, { issuer, audience: 'authenticated' }));
result.verifyMs = await time('our verify', (i) => verifier.verify(tokens[i % users]!));

for (const target of ['pglite', ...(process.env.DATABASE_URL ? ['postgres'] : [])] as const) {
  const opened = await openDatabase({ root, url: target === 'postgres' ? process.env.DATABASE_URL : undefined });
  try {
    await seed(opened);
    const members = membersService(opened.db);
    const ms = await time(`verify + role in a practice (${target})`, async (i) => {
      const id = await verifier.verify(tokens[i % users]!);
      const role = await members.roleOf(id.claims, 'bench');
      if (role !== 'editor') throw new Error(`expected editor, got ${role}`);
    });
    result[`${target}Ms`] = ms;
    console.log(`  ratio to bare jose verify: ${(ms / result.bareJoseMs!).toFixed(2)}×`);
  } finally {
    await opened.owner.exec("delete from public.members where practice_id in (select id from public.practices where slug = 'bench'); delete from public.practices where slug = 'bench'").catch(() => {});
    await opened.close();
  }
}
console.log(`RESULT json: ${JSON.stringify(Object.fromEntries(Object.entries(result).map(([k, v]) => [k, Number(v.toFixed(4))])))}`);
