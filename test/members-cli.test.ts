// pd practices and pd members against a real embedded database on disk, as an operator uses them.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repo } from './support/demo-site.ts';

let tmp: string;
let env: Record<string, string>;
const admin = { email: 'admin@practicedigital.example', id: '00000000-0000-4000-8000-00000000a001' };

const pd = async (...args: string[]) => {
  try {
    const r = await promisify(execFile)(process.execPath, ['build/cli/pd.ts', ...args], { cwd: repo, env: { ...process.env, ...env } });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
};

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pd-members-'));
  env = { PD_DATABASE_DIR: path.join(tmp, 'db'), PD_OUTBOX_DIR: path.join(tmp, 'outbox'), DATABASE_URL: '' };
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('pd members', () => {
  it('registers the demo practices and a platform admin', async () => {
    const sync = await pd('practices', 'sync');
    expect(sync.out).toMatch(/Registered 3 practices: afon-teifi, fellside, riverside/);
    expect((await pd('members', 'add-admin', admin.email, '--user-id', admin.id)).out).toMatch(/is a platform admin/);
  });

  it('invites a manager by email, lists them, and revokes them', async () => {
    const invite = await pd('members', 'invite', 'riverside', 'pm@riverside.example.nhs.uk', '--role', 'practice_manager', '--as', admin.email);
    expect(invite.code).toBe(0);
    const mail = (await readdir(env.PD_OUTBOX_DIR!)).filter((f) => f.endsWith('.eml'));
    expect(mail).toHaveLength(1);
    const eml = await readFile(path.join(env.PD_OUTBOX_DIR!, mail[0]!), 'utf8');
    expect(eml).toMatch(/^To: pm@riverside\.example\.nhs\.uk/m);
    expect(eml).toMatch(/accept\/#token=/);
    const list = await pd('members', 'list', 'riverside', '--as', admin.email);
    expect(list.out).toMatch(/Invited:[\s\S]*pm@riverside\.example\.nhs\.uk\s+practice_manager/);
    const revoke = await pd('members', 'revoke', 'riverside', 'pm@riverside.example.nhs.uk', '--as', admin.email);
    expect(revoke.out).toMatch(/0 membership\(s\), 1 invitation\(s\)/);
  });

  it('refuses an urgent publisher for longer than 72 hours, and an unknown operator', async () => {
    const r = await pd('members', 'invite', 'riverside', 'locum@example.nhs.uk', '--role', 'urgent_publisher', '--hours', '96', '--as', admin.email);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/must end within 72 hours/);
    const who = await pd('members', 'list', 'riverside', '--as', 'stranger@example.com');
    expect(who.code).toBe(1);
    expect(who.out).toMatch(/stranger@example\.com is neither a platform admin nor a member/);
  });

  it("sets whether a practice asks every member for a second factor, logging the change", async () => {
    const on = await pd('practices', 'second-factor', 'fellside', 'everyone');
    expect(on).toMatchObject({ code: 0, out: expect.stringContaining('Every member of fellside must now sign in with a second factor.') });
    const off = await pd('practices', 'second-factor', 'fellside', 'by-role');
    expect(off.code).toBe(0);
    expect((await pd('practices', 'second-factor', 'nowhere', 'everyone')).out).toContain('There is no practice "nowhere" in the database');
    expect((await pd('practices', 'second-factor', 'fellside', 'sometimes')).code).toBe(2);
    const events = await pd('incident', 'events', '--practice', 'fellside', '--json');
    expect(events.out).toContain('mfa.rule_changed');
  });
});
