// `pd tick`, the scheduled job, on a copy of the demo content with its own revisions, database and
// outbox: it rebuilds only the practice that time has changed, reminds that practice's manager of
// a page due for review once however often it runs, and with --dry-run changes nothing.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../build/db/open-database.ts';
import { registerPractices } from '../build/db/register-practices.ts';
import { buildSites } from '../build/pipeline/build-sites.ts';
import { revisionStore } from '../build/publish/revision-store.ts';
import { loadSettings } from '../build/node/settings.ts';
import { seedDemoMembers } from '../build/serve/demo-members.ts';
import { fsReader } from '../build/node/fs-reader.ts';
import { loadPractice } from '../lib/content/load-practice.ts';
import { readOutbox } from '../lib/email/outbox-node.ts';
import { contentCopy, writeInCopy } from './support/content-copy.ts';
import { demoNow, demoPractices, repo } from './support/demo-site.ts';

const dir = 'content/practices/riverside';
/** Six days after the demo builds: the service's publish time has passed, the page's review is five days off. */
const tickAt = '2026-12-10T10:00:00Z';
let tmp: string;
let contentRoot: string;
let env: Record<string, string>;
let store: ReturnType<typeof revisionStore>;

interface TickJson {
  now: string;
  dryRun: boolean;
  practices: { practice: string; rebuild: boolean; moments: string[]; built?: { ok: boolean; revision?: string }; reminders: { due: { file: string }[]; sentTo: string[] } }[];
}

async function pd(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const r = await promisify(execFile)(process.execPath, ['build/cli/pd.ts', ...args], { cwd: repo, env: { ...process.env, ...env } });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
}

async function setFields(file: string, change: (text: string) => string) {
  const text = await readFile(path.join(contentRoot, dir, file), 'utf8');
  const next = change(text);
  if (next === text) throw new Error(`the test's edit of ${file} changed nothing`);
  await writeInCopy(contentRoot, `${dir}/${file}`, next);
}

const lives = async () => Object.fromEntries(await Promise.all(demoPractices.map(async (p) => [p, await store.live(p)] as const)));
const outbox = () => readOutbox(env.PD_OUTBOX_DIR!);

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pd-tick-'));
  contentRoot = await contentCopy();
  env = {
    PD_CONTENT_ROOT: contentRoot,
    PD_STORE_DIR: path.join(tmp, 'sites'),
    PD_DIST_DIR: path.join(tmp, 'dist'),
    PD_DATABASE_DIR: path.join(tmp, 'db'),
    PD_OUTBOX_DIR: path.join(tmp, 'outbox'),
    DATABASE_URL: '',
    PD_TICK_STATE: '',
    RESEND_API_KEY: '',
  };
  await setFields('services/smoking-support.md', (t) => t.replace(/\n---\n/, '\npublish_at: 2026-12-10T09:00\n---\n'));
  await setFields('pages/appointments.md', (t) => t.replace(/last_reviewed: .*/, 'last_reviewed: 2026-01-10').replace(/review_by: .*/, 'review_by: 2026-12-15'));

  // Every practice built and live as at the demo moment, before the service's publish time.
  const settings = loadSettings(repo, env);
  store = revisionStore(settings.storeDir);
  const report = await buildSites({ root: repo, contentRoot, settings, store, now: demoNow });
  expect(report.practices.map((p) => [p.slug, p.ok])).toEqual(demoPractices.map((p) => [p, true]));

  // The practices and their people, in the embedded database the command opens.
  const opened = await openDatabase({ root: repo, dataDir: env.PD_DATABASE_DIR });
  try {
    const reader = fsReader(contentRoot);
    const loaded = await Promise.all(demoPractices.map(async (slug) => ({ slug, profile: (await loadPractice(reader, slug)).practice!.profile })));
    await registerPractices(opened.db, 'register the demo practices for the scheduled-job test', loaded);
    await seedDemoMembers(opened.owner, async () => randomUUID());
  } finally {
    await opened.close();
  }
}, 180_000);
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
  await rm(contentRoot, { recursive: true, force: true });
});

describe('pd tick', () => {
  it('with --dry-run says what it would do and changes nothing', async () => {
    const before = await lives();
    const r = await pd('tick', '--now', tickAt, '--dry-run');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/riverside: would rebuild \(1 scheduled change since it was built at 2026-12-04T12:00:00.000Z, the first at 2026-12-10T09:00:00.000Z\)/);
    expect(r.out).toMatch(/fellside: up to date/);
    expect(r.out).toMatch(/afon-teifi: up to date/);
    expect(r.out).toMatch(/riverside: would remind the practice managers about Appointments \(week\)/);
    expect(await lives()).toEqual(before);
    expect(await outbox()).toEqual([]);
    await expect(stat(path.join(tmp, 'reminders-sent.json'))).rejects.toThrow(/ENOENT/);
  });

  it('rebuilds only the practice time has changed, and reminds its manager', async () => {
    const before = await lives();
    const r = await pd('tick', '--now', tickAt, '--json');
    expect(r.code, r.err).toBe(0);
    const result = JSON.parse(r.out) as TickJson;
    expect(result.practices.filter((p) => p.rebuild).map((p) => p.practice)).toEqual(['riverside']);
    expect(r.err).toMatch(/riverside: revision \S+ is live/);

    const after = await lives();
    expect(after.riverside).not.toBe(before.riverside);
    expect(after.riverside).toBe(result.practices.find((p) => p.practice === 'riverside')!.built!.revision);
    expect(after.fellside).toBe(before.fellside);
    expect(after['afon-teifi']).toBe(before['afon-teifi']);
    const manifest = (await store.list('riverside')).find((m) => m.revision === after.riverside)!;
    expect(manifest.builtAt).toBe('2026-12-10T10:00:00.000Z');
    expect(Object.keys(manifest.files)).toContain('services/smoking-support/index.html');

    const mail = await outbox();
    expect(mail.map((m) => m.to)).toEqual(['manager@riverside.example.nhs.uk']);
    expect(mail[0]!.subject).toBe('1 page is due for review on the Riverside Medical Practice website');
    expect(mail[0]!.text).toMatch(/Appointments: due by Tuesday 15 December 2026 \(in 5 days\)/);
    expect(result.practices.find((p) => p.practice === 'riverside')!.reminders.sentTo).toEqual(['manager@riverside.example.nhs.uk']);
    const state = JSON.parse(await readFile(path.join(tmp, 'reminders-sent.json'), 'utf8')) as { sent: Record<string, string> };
    expect(Object.keys(state.sent)).toEqual([`riverside|${dir}/pages/appointments.md|2026-12-15|week`]);
  });

  it('run again, rebuilds nothing and sends nothing more; the next stage is sent once', async () => {
    const before = await lives();
    const again = await pd('tick', '--now', '2026-12-10T11:00:00Z');
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/riverside: up to date/);
    expect(again.out).toMatch(/No review reminders to send/);
    expect(await lives()).toEqual(before);
    expect(await outbox()).toHaveLength(1);

    // On the review date the page reaches its last stage: one more email, then none.
    for (const at of ['2026-12-15T08:00:00Z', '2026-12-15T09:00:00Z', '2026-12-16T09:00:00Z']) expect((await pd('tick', 'riverside', '--now', at)).code).toBe(0);
    const mail = await outbox();
    expect(mail).toHaveLength(2);
    expect(mail[1]!.text).toMatch(/Appointments: due today, Tuesday 15 December 2026/);
  });

  it('refuses a time it cannot read, and an unknown practice', async () => {
    const bad = await pd('tick', '--now', 'tomorrow');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--now "tomorrow" is not a time; write it like 2027-01-04T09:00:00Z/);
    const unknown = await pd('tick', 'nowhere');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/There is no practice "nowhere"/);
  });
});

