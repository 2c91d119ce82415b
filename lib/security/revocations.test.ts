import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../build/db/open-database.ts';
import { repo } from '../../test/support/demo-site.ts';
import { isSessionRevoked, revokeSessions } from './revocations.ts';
import { securityEvents } from './security-events.ts';

let opened: OpenedDatabase;
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const riversideManager = id(1);
const riversideEditor = id(2);
const fellsideManager = id(3);
const admin = id(4);
const meta = { reason: 'phishing report', actor: 'oncall@practicedigital.co.uk' };

beforeAll(async () => {
  opened = await openDatabase({ root: repo });
  await opened.owner.exec(`
    insert into public.practices (slug, ods_code, name, nation, contract_start) values
      ('riverside', 'Z99901', 'Riverside', 'england', '2026-01-01'),
      ('fellside', 'Z99902', 'Fellside', 'england', '2026-01-01');
    insert into public.members (practice_id, user_id, email, role) values
      ((select id from public.practices where slug = 'riverside'), '${riversideManager}', 'manager@riverside.example.nhs.uk', 'practice_manager'),
      ((select id from public.practices where slug = 'riverside'), '${riversideEditor}', 'editor@riverside.example.nhs.uk', 'editor'),
      ((select id from public.practices where slug = 'fellside'), '${fellsideManager}', 'manager@fellside.example.nhs.uk', 'practice_manager');
    insert into public.platform_admins (user_id, email) values ('${admin}', 'admin@practicedigital.co.uk');
  `);
});
afterAll(() => opened?.close());

/** A token issued `secondsAgo` before the database's clock. */
const issued = async (secondsAgo: number) => {
  const [row] = await opened.owner.query<{ t: number }>('select extract(epoch from now())::float8 as t');
  return Math.floor(row!.t) - secondsAgo;
};
const revoked = async (sub: string, iat?: number) => isSessionRevoked(opened.db, iat === undefined ? { sub } : { sub, iat });

describe('revoking sessions', () => {
  it('revokes one user: their earlier tokens, not later ones, and nobody else', async () => {
    const before = await issued(60);
    expect(await revoked(riversideEditor, before)).toBe(false);
    expect(await revokeSessions(opened.db, { scope: 'user', email: 'Editor@Riverside.example.nhs.uk' }, meta)).toEqual({ userIds: [riversideEditor] });
    expect(await revoked(riversideEditor, before)).toBe(true);
    // No iat: it cannot show it was issued after the revocation.
    expect(await revoked(riversideEditor)).toBe(true);
    expect(await revoked(riversideEditor, (await issued(0)) + 2)).toBe(false);
    expect(await revoked(riversideManager, before)).toBe(false);
  });

  it('revokes every member of a practice, and not the members of another', async () => {
    const before = await issued(60);
    const { userIds } = await revokeSessions(opened.db, { scope: 'practice', practice: 'riverside' }, meta);
    expect(userIds.sort()).toEqual([riversideManager, riversideEditor].sort());
    expect(await revoked(riversideManager, before)).toBe(true);
    expect(await revoked(fellsideManager, before)).toBe(false);
    expect(await revoked(admin, before)).toBe(false);
  });

  it('revokes everyone, platform admins too, and records each revocation as a security event', async () => {
    const before = await issued(60);
    const { userIds } = await revokeSessions(opened.db, { scope: 'all' }, meta);
    expect(userIds.sort()).toEqual([riversideManager, riversideEditor, fellsideManager, admin].sort());
    for (const u of userIds) expect(await revoked(u, before), u).toBe(true);
    expect(await revoked(fellsideManager, (await issued(0)) + 2)).toBe(false);

    const events = await securityEvents(opened.db, { kinds: ['sessions.revoked'] });
    expect(events.map((e) => [e.detail?.scope, e.practice ?? null, e.email ?? null, e.detail?.users, e.detail?.reason])).toEqual([
      ['user', null, 'Editor@Riverside.example.nhs.uk', 1, 'phishing report'],
      ['practice', 'riverside', null, 2, 'phishing report'],
      ['all', null, null, 4, 'phishing report'],
    ]);
    const rows = await opened.owner.query('select scope, reason, actor from public.session_revocations order by id');
    expect(rows).toEqual(['user', 'practice', 'all'].map((scope) => ({ scope, reason: meta.reason, actor: meta.actor })));
  });

  it('refuses an unknown email or practice, or no reason, naming what to fix', async () => {
    await expect(revokeSessions(opened.db, { scope: 'user', email: 'nobody@example.nhs.uk' }, meta)).rejects.toThrow(/nobody with the email nobody@example.nhs.uk/);
    await expect(revokeSessions(opened.db, { scope: 'practice', practice: 'nowhere' }, meta)).rejects.toThrow(/no practice "nowhere"/);
    await expect(revokeSessions(opened.db, { scope: 'all' }, { reason: '', actor: 'x' })).rejects.toThrow(/give a reason/);
    expect(await revoked('not-a-uuid', 0)).toBe(true);
  });
});
