// pd incident against a real embedded database on disk, a real outbox folder and a stand-in for
// the sign-in service's admin API on 127.0.0.1: one practice taken from discovery to closure,
// as an on-call engineer would, and the refusals on the way.
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../build/db/open-database.ts';
import { readOutbox } from '../lib/email/outbox-node.ts';
import { repo } from './support/demo-site.ts';

let tmp: string;
let env: Record<string, string>;
let authServer: http.Server;
const logouts: { path: string; key: string | undefined }[] = [];

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const people = [
  { user: id(1), email: 'manager@riverside.example.nhs.uk', practice: 'riverside', role: 'practice_manager' },
  { user: id(2), email: 'deputy@riverside.example.nhs.uk', practice: 'riverside', role: 'practice_manager' },
  { user: id(3), email: 'editor@riverside.example.nhs.uk', practice: 'riverside', role: 'editor' },
  { user: id(4), email: 'manager@fellside.example.nhs.uk', practice: 'fellside', role: 'practice_manager' },
];

const pd = (...args: string[]) => pdWith({}, ...args);
const pdWith = async (extra: Record<string, string>, ...args: string[]) => {
  try {
    const r = await promisify(execFile)(process.execPath, ['build/cli/pd.ts', 'incident', ...args], { cwd: repo, env: { ...process.env, ...env, ...extra } });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout, err: err.stderr };
  }
};

// Whole minutes, in the past, so the clocks read exactly.
const discovered = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 3 * 3_600_000);
const after = (hours: number) => new Date(discovered.getTime() + hours * 3_600_000).toISOString();
const utc = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
/** The output with runs of spaces as one, so a check does not depend on column widths. */
const flat = (s: string) => s.replace(/ +/g, ' ');

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pd-incident-'));
  authServer = http.createServer((req, res) => {
    logouts.push({ path: `${req.method} ${req.url}`, key: req.headers.apikey as string | undefined });
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => authServer.listen(0, '127.0.0.1', resolve));
  env = {
    PD_DATABASE_DIR: path.join(tmp, 'db'),
    PD_OUTBOX_DIR: path.join(tmp, 'outbox'),
    DATABASE_URL: '',
    RESEND_API_KEY: '',
    EMAIL_FROM: '',
    PD_OPERATOR: 'oncall@practicedigital.example',
    SUPABASE_URL: `http://127.0.0.1:${(authServer.address() as AddressInfo).port}`,
    SUPABASE_SERVICE_ROLE_KEY: 'test-service-role-key',
  };
  const opened = await openDatabase({ root: repo, dataDir: env.PD_DATABASE_DIR });
  await opened.owner.exec(`
    insert into public.practices (slug, ods_code, name, nation, contract_start, status) values
      ('riverside', 'Z99901', 'Riverside Medical Practice', 'england', '2026-01-01', 'active'),
      ('fellside', 'Z99902', 'Fellside Surgery', 'england', '2026-01-01', 'active');
  `);
  for (const p of people)
    await opened.owner.query('insert into public.members (practice_id, user_id, email, role) values ((select id from public.practices where slug = $1), $2, $3, $4)', [
      p.practice,
      p.user,
      p.email,
      p.role,
    ]);
  await opened.close();
}, 60_000);
afterAll(async () => {
  await new Promise((resolve) => authServer?.close(resolve));
  await rm(tmp, { recursive: true, force: true });
});

describe('pd incident, from discovery to closure', () => {
  let incident = '';

  it('opens an incident and shows its clocks running from discovery', async () => {
    const r = await pd('open', '--title', 'Phished practice manager', '--summary', 'A manager entered a sign-in code on a fake page.', '--discovered', discovered.toISOString(), '--personal-data', '--practice', 'riverside', '--now', after(1));
    expect(r.code, r.err).toBe(0);
    incident = /Opened incident ([0-9a-f-]{36})/.exec(r.out)![1]!;
    expect(flat(r.out)).toContain(`Containment: due in 3 h (by ${utc(after(4))})`);
    expect(flat(r.out)).toContain(`Notice to practices: due in 23 h (by ${utc(after(24))})`);
    expect(flat(r.out)).toContain(`Notice to the ICO: due in 2 days 23 h (by ${utc(after(72))})`);
  });

  it("revokes the practice's sessions, ends them in the sign-in service, and lists the secrets to rotate", async () => {
    const r = await pd('revoke', '--practice', 'riverside', '--reason', 'manager phished', '--incident', incident);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('Revoked the sessions of every member of riverside (3 users)');
    expect(r.out).toContain('Ended the refresh sessions of 3 of 3 users');
    expect(logouts.map((l) => l.path).sort()).toEqual([id(1), id(2), id(3)].map((u) => `POST /auth/v1/admin/users/${u}/logout`));
    expect(logouts.every((l) => l.key === 'test-service-role-key')).toBe(true);
    for (const name of ['SEND_EMAIL_HOOK_SECRET', 'RESEND_API_KEY', 'GOCARDLESS_WEBHOOK_SECRET', 'DB_WEBHOOK_SECRET'])
      expect(r.out).toContain(`wrangler pages secret put ${name} --project-name pd-portal`);
    expect(r.out).toMatch(/JWT signing key/);
    expect(r.out).toMatch(/Service role key/);
    expect(r.out).toMatch(/Database password[\s\S]*wrangler hyperdrive update/);
    expect(r.out).toMatch(/GoCardless[\s\S]*Access token/);
  });

  it('freezes the practice, and the clocks show containment overdue until it is recorded', async () => {
    const frozen = await pd('freeze', 'riverside', '--reason', 'until the account is secured', '--incident', incident);
    expect(frozen.code, frozen.err).toBe(0);
    expect(frozen.out).toMatch(/Froze riverside/);
    const late = await pd('status', incident, '--now', after(5));
    expect(flat(late.out)).toContain(`Containment: overdue by 1 h (was due by ${utc(after(4))})`);

    const contained = await pd('contained', incident, '--detail', 'sessions revoked and practice frozen', '--at', after(2));
    expect(contained.code, contained.err).toBe(0);
    expect(flat(contained.out)).toContain(`Containment: met at ${utc(after(2))}, 2 h after discovery`);
  });

  it("emails each of the practice's managers, and nobody else, then records the notice", async () => {
    const dry = await pd('notify', incident, '--dry-run');
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toMatch(/Would email manager@riverside\.example\.nhs\.uk \(riverside\)/);
    expect(dry.out).toMatch(/Would email deputy@riverside\.example\.nhs\.uk \(riverside\)/);
    expect(dry.out).toMatch(/Dry run: 2 email\(s\) would be sent/);
    expect(await readOutbox(env.PD_OUTBOX_DIR!)).toEqual([]);

    const r = await pd('notify', incident);
    expect(r.code, r.err).toBe(0);
    const mail = await readOutbox(env.PD_OUTBOX_DIR!);
    expect(mail.map((m) => m.to).sort()).toEqual(['deputy@riverside.example.nhs.uk', 'manager@riverside.example.nhs.uk']);
    const m = mail[0]!;
    expect(m.subject).toBe('Security incident affecting Riverside Medical Practice: Phished practice manager');
    for (const part of ['A manager entered a sign-in code on a fake page.', 'We contained the incident on', 'What you should do', 'security@practicedigital.co.uk', incident, 'Information Commissioner'])
      expect(m.text, part).toContain(part);
    expect(m.html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(r.out).toMatch(/Notice to practices:\s+met at/);
  });

  it('records the ICO notice, closes the incident, and shows the whole timeline', async () => {
    const ico = await pd('ico', incident, '--reference', 'ICO/00123');
    expect(ico.code, ico.err).toBe(0);
    expect(ico.out).toMatch(/Notice to the ICO:\s+met at/);
    const close = await pd('close', incident, '--detail', 'post-incident review booked');
    expect(close.code, close.err).toBe(0);

    const status = await pd('status', incident);
    expect(status.out).toMatch(/Personal data: yes\. Practices: riverside\./);
    const kinds = [...status.out.matchAll(/^ {2}\d{4}-\d\d-\d\d \d\d:\d\d UTC {2}(\w+)/gm)].map((x) => x[1]);
    // In the order things happened: containment, recorded afterwards, came before the opening.
    expect(kinds).toEqual(['contained', 'opened', 'practice_added', 'note', 'note', 'practices_notified', 'ico_notified', 'closed']);
    expect(status.out).toContain('Sessions revoked: every member of riverside (3 users). manager phished (oncall@practicedigital.example)');

    const json = JSON.parse((await pd('status', incident, '--json')).out);
    expect(json.clocks.map((c: { state: string }) => c.state)).toEqual(['met', 'met', 'met']);
    expect((await pd('status')).out).toMatch(/No open incidents/);
    expect((await pd('status', '--all')).out).toContain(`${incident}  closed`);
  });

  it('lists the security events for the report', async () => {
    const r = await pd('events', '--practice', 'riverside', '--json');
    expect(r.code, r.err).toBe(0);
    const events = JSON.parse(r.out) as { kind: string; practice?: string; detail: Record<string, unknown> }[];
    expect(events.map((e) => e.kind)).toEqual(['sessions.revoked', 'practice.frozen']);
    expect(events[0]!.detail).toMatchObject({ scope: 'practice', users: 3, reason: 'manager phished', actor: 'oncall@practicedigital.example' });
    const text = await pd('events', '--kind', 'incident.opened');
    expect(text.out).toMatch(/incident\.opened .*incident=/);
  });
});

describe('pd incident refuses', () => {
  it('steps on a closed incident, and unknown practices, people and incidents (exit 1)', async () => {
    const [closed] = JSON.parse((await pd('status', '--all', '--json')).out) as { id: string }[];
    const again = await pd('close', closed!.id);
    expect([again.code, again.err]).toEqual([1, expect.stringMatching(/was closed at .*open a new incident/)]);
    const revoke = await pd('revoke', '--user', 'nobody@example.nhs.uk', '--reason', 'x');
    expect([revoke.code, revoke.err]).toEqual([1, expect.stringMatching(/nobody with the email nobody@example\.nhs\.uk/)]);
    const freeze = await pd('freeze', 'nowhere', '--reason', 'x');
    expect([freeze.code, freeze.err]).toEqual([1, expect.stringMatching(/no practice "nowhere"/)]);
    const future = await pd('open', '--title', 't', '--summary', 's', '--discovered', new Date(Date.now() + 7_200_000).toISOString());
    expect([future.code, future.err]).toEqual([1, expect.stringMatching(/in the future/)]);
    const missing = await pd('contained', '00000000-0000-4000-8000-000000000000');
    expect([missing.code, missing.err]).toEqual([1, expect.stringMatching(/there is no incident/)]);
  });

  it('bad usage (exit 2)', async () => {
    for (const args of [['open', '--title', 't'], ['revoke', '--all', '--user', 'a@example.nhs.uk', '--reason', 'x'], ['freeze', 'riverside'], ['launch'], ['status', '--bogus'], ['ico', 'x']]) {
      const r = await pd(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(/Run "pd incident --help"/);
    }
  });

  it('warns, but records, an ICO notice for an incident without personal data; unfreezes all', async () => {
    const open = await pd('open', '--title', 'Leaked token', '--summary', 'Seen in a log', '--discovered', after(0));
    const id2 = /Opened incident ([0-9a-f-]{36})/.exec(open.out)![1]!;
    const ico = await pd('ico', id2, '--reference', 'ICO/9');
    expect(ico.code).toBe(0);
    expect(ico.err).toMatch(/Warning: this incident is recorded as not involving personal data/);
    const before = logouts.length;
    const revoke = await pdWith({ SUPABASE_URL: '', SUPABASE_SERVICE_ROLE_KEY: '' }, 'revoke', '--user', 'editor@riverside.example.nhs.uk', '--reason', 'precaution');
    expect(revoke.code, revoke.err).toBe(0);
    expect(revoke.out).toMatch(/Refresh sessions were not ended: no sign-in service admin is configured/);
    expect(logouts.length).toBe(before);
    const unfreeze = await pd('unfreeze', '--all', '--reason', 'resolved');
    expect([unfreeze.code, unfreeze.out]).toEqual([0, expect.stringMatching(/Lifted the freeze of every practice/)]);
  });
});
