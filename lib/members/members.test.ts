import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../build/db/open-database.ts';
import { repo } from '../../test/support/demo-site.ts';
import type { Claims } from '../db/database.ts';
import { MembersError, membersService, type MembersService } from './members.ts';

let opened: OpenedDatabase;
let members: MembersService;

const person = (n: number, email: string): Claims => ({ sub: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, role: 'authenticated', email });
const manager = person(1, 'manager@riverside.example.nhs.uk');
const editor = person(2, 'editor@riverside.example.nhs.uk');
const newcomer = person(3, 'newcomer@riverside.example.nhs.uk');
const fellsideManager = person(4, 'manager@fellside.example.nhs.uk');

beforeAll(async () => {
  opened = await openDatabase({ root: repo });
  members = membersService(opened.db);
  await opened.owner.exec(`
    insert into public.practices (slug, ods_code, name, nation, contract_start, status) values
      ('riverside', 'Z99901', 'Riverside Medical Practice', 'england', '2026-01-01', 'active'),
      ('fellside', 'Z99902', 'Fellside Surgery', 'england', '2026-01-01', 'active');
    insert into public.members (practice_id, user_id, email, role) values
      ((select id from public.practices where slug = 'riverside'), '${manager.sub}', '${manager.email}', 'practice_manager'),
      ((select id from public.practices where slug = 'riverside'), '${editor.sub}', '${editor.email}', 'editor'),
      ((select id from public.practices where slug = 'fellside'), '${fellsideManager.sub}', '${fellsideManager.email}', 'practice_manager');
  `);
});
afterAll(() => opened?.close());

const refusal = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(MembersError);
  return e as MembersError;
};

describe('members of a practice', () => {
  it('lists the members a practice manager can see', async () => {
    const { members: list } = await members.list(manager, 'riverside');
    expect(list.map((m) => [m.email, m.role, m.active])).toEqual([
      [manager.email, 'practice_manager', true],
      [editor.email, 'editor', true],
    ]);
  });

  it('hides another practice entirely', async () => {
    expect((await refusal(members.list(fellsideManager, 'riverside'))).status).toBe(404);
    expect((await refusal(members.revoke(fellsideManager, 'riverside', editor.email as string))).status).toBe(404);
  });

  it('lets a manager invite someone, who becomes a member by accepting with the emailed token', async () => {
    const { invitation, token } = await members.invite(manager, 'riverside', { email: newcomer.email as string, role: 'clinical_reviewer' });
    expect(invitation.role).toBe('clinical_reviewer');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await members.list(manager, 'riverside')).invitations.map((i) => i.email)).toEqual([newcomer.email]);
    // The token is never stored: only its hash is.
    const stored = await opened.owner.query<{ token_hash: string }>('select token_hash from public.invitations where id = $1', [invitation.id]);
    expect(stored[0]!.token_hash).not.toContain(token);
    await opened.db.asCaller(newcomer, (q) => q.query('select public.accept_invitation($1)', [token]));
    expect(await members.roleOf(newcomer, 'riverside')).toBe('clinical_reviewer');
  });

  it('refuses an urgent publisher without an expiry, or for longer than 72 hours', async () => {
    const e = await refusal(members.invite(manager, 'riverside', { email: 'locum@example.nhs.uk', role: 'urgent_publisher' }));
    expect(e.status).toBe(400);
    expect(e.message).toMatch(/must end within 72 hours/);
    const tooLong = new Date(Date.now() + 73 * 3_600_000);
    expect((await refusal(members.invite(manager, 'riverside', { email: 'locum@example.nhs.uk', role: 'urgent_publisher', memberExpiresAt: tooLong }))).status).toBe(400);
    const ok = await members.invite(manager, 'riverside', { email: 'locum@example.nhs.uk', role: 'urgent_publisher', memberExpiresAt: new Date(Date.now() + 48 * 3_600_000) });
    expect(ok.invitation.memberExpiresAt).not.toBeNull();
  });

  it('refuses an editor who tries to invite or revoke', async () => {
    expect((await refusal(members.invite(editor, 'riverside', { email: 'friend@example.nhs.uk', role: 'practice_manager' }))).status).toBe(403);
    const e = await refusal(members.revoke(editor, 'riverside', manager.email as string));
    // Row-level security leaves the editor no row to change, so to them there is nobody to revoke.
    expect(e.status).toBe(404);
    expect(await members.roleOf(manager, 'riverside')).toBe('practice_manager');
  });

  it('revokes a leaver, whose very next request finds no role', async () => {
    expect(await members.roleOf(editor, 'riverside')).toBe('editor');
    expect(await members.revoke(manager, 'riverside', editor.email as string)).toEqual({ revokedMemberships: 1, revokedInvitations: 0 });
    expect(await members.roleOf(editor, 'riverside')).toBeNull();
    expect((await refusal(members.list(editor, 'riverside'))).status).toBe(404);
    const log = await opened.owner.query<{ action: string }>("select action from public.membership_log where email = $1 order by id", [editor.email]);
    expect(log.map((l) => l.action).at(-1)).toMatch(/revok/);
  });

  it('says clearly what is wrong with a bad request', async () => {
    expect((await refusal(members.invite(manager, 'riverside', { email: 'not an email', role: 'editor' }))).message).toMatch(/is not an email address/);
    expect((await refusal(members.invite(manager, 'riverside', { email: 'a@example.nhs.uk', role: 'owner' as never }))).message).toMatch(/is not a role/);
  });

  it('finds the active members with given roles for the platform\'s emails, and nobody else', async () => {
    const who = (n: number) => `00000000-0000-4000-8000-${String(100 + n).padStart(12, '0')}`;
    await opened.owner.exec(`
      insert into public.practices (slug, ods_code, name, nation, contract_start, status) values
        ('hillside', 'Z99903', 'Hillside Surgery', 'england', '2026-01-01', 'active');
      insert into public.members (practice_id, user_id, email, name, role, expires_at, granted_at, revoked_at) values
        ((select id from public.practices where slug = 'hillside'), '${who(1)}', 'GP@hillside.example.nhs.uk', 'Dr Gee', 'clinical_reviewer', null, now(), null),
        ((select id from public.practices where slug = 'hillside'), '${who(2)}', 'nurse@hillside.example.nhs.uk', 'Nurse Lead', 'clinical_reviewer', now() + interval '30 days', now(), null),
        ((select id from public.practices where slug = 'hillside'), '${who(3)}', 'left@hillside.example.nhs.uk', 'Left Already', 'clinical_reviewer', null, now() - interval '10 days', now()),
        ((select id from public.practices where slug = 'hillside'), '${who(4)}', 'locum@hillside.example.nhs.uk', 'Ex Locum', 'clinical_reviewer', now() - interval '1 day', now() - interval '10 days', null),
        ((select id from public.practices where slug = 'hillside'), '${who(5)}', 'manager@hillside.example.nhs.uk', 'Hill Manager', 'practice_manager', null, now(), null),
        ((select id from public.practices where slug = 'hillside'), '${who(6)}', 'editor@hillside.example.nhs.uk', 'Hill Editor', 'editor', null, now(), null);
    `);
    expect(await members.membersWithRole('hillside', ['clinical_reviewer'])).toEqual([
      { email: 'GP@hillside.example.nhs.uk', name: 'Dr Gee' },
      { email: 'nurse@hillside.example.nhs.uk', name: 'Nurse Lead' },
    ]);
    expect((await members.membersWithRole('hillside', ['practice_manager', 'editor'])).map((m) => m.email)).toEqual(['editor@hillside.example.nhs.uk', 'manager@hillside.example.nhs.uk']);
    // Another practice's people never appear, and no roles (or an unknown practice) means nobody.
    expect((await members.membersWithRole('riverside', ['practice_manager'])).map((m) => m.email)).toEqual([manager.email]);
    expect(await members.membersWithRole('hillside', [])).toEqual([]);
    expect(await members.membersWithRole('nowhere', ['practice_manager'])).toEqual([]);
  });
});
