// pd audit, pd history and pd show over a repository whose history was made through the real CMS
// gateway (drafts saved, sent for review, noted and published as merges), an urgent notice and a
// developer's direct commit, with revisions published into a real revision store.
import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HtmlValidate, StaticConfigLoader } from 'html-validate';
import { audit } from '../build/cli/commands/audit.ts';
import { history } from '../build/cli/commands/history.ts';
import { serveShown, show, showPractice } from '../build/cli/commands/show.ts';
import { loadSettings } from '../build/node/settings.ts';
import { get, repo } from './support/demo-site.ts';
import { parseCsv, runCommand } from './support/audit-output.ts';
import { appointmentsFile, fellsideFile, fluFile, staff, story, storyRepo, type Story } from './support/audit-repo.ts';

let r: Story;
let env: Record<string, string>;
const pd = (command: typeof audit, ...args: string[]) => runCommand(command, args, env);

beforeAll(async () => {
  r = await storyRepo();
  env = { PD_CONTENT_ROOT: r.dir, PD_STORE_DIR: r.storeDir };
});
afterAll(() => r?.remove());

describe('pd audit', () => {
  it('lists every change on main, a published draft as one, with who, role, entry, approver and review', async () => {
    const { code, stdout } = await pd(audit, '--format', 'json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.branch).toBe('main');
    expect(report.changes.map((c: any) => c.commit)).toEqual([r.commits.seed, r.commits.flu, r.commits.appointments, r.commits.notice, r.commits.developer]);
    const [seed, flu, appointments, notice, dev] = report.changes;

    expect(flu).toMatchObject({
      at: '2026-11-23T10:25:00.000Z',
      author: { name: staff.editor.name, email: staff.editor.email },
      role: 'editor',
      entry: 'services/flu-clinic',
      source: 'cms',
      practices: ['riverside'],
      merge: true,
      clinical: true,
      approval: { trailer: 'Reviewed-by', name: staff.reviewer.name, email: staff.reviewer.email },
      files: [{ path: fluFile, status: 'modified', clinical: true }],
      writers: [{ name: staff.editor.name, email: staff.editor.email }],
    });
    expect(flu.review.map((s: any) => [s.by.email, s.action, s.status ?? null, s.changedFiles])).toEqual([
      [staff.editor.email, 'save', 'draft', true],
      [staff.editor.email, 'status', 'pending_review', false],
      [staff.reviewer.email, 'note', null, false],
      [staff.editor.email, 'save', null, true],
      [staff.reviewer.email, 'status', 'pending_publish', false],
    ]);
    expect(flu.review[2].note).toMatchObject({ action: 'add', text: 'Please check the date against the practice calendar.' });

    expect(appointments).toMatchObject({ clinical: false, approval: { trailer: 'Published-by', email: staff.editor.email } });
    expect(notice).toMatchObject({ merge: false, role: 'practice_manager', files: [{ path: r.noticeFile, status: 'added' }] });
    expect(notice.approval).toBeUndefined();
    expect(dev).toMatchObject({ source: 'developer', practices: ['fellside'], author: { name: 'Dev Eloper' } });
    expect(dev.files.map((f: any) => f.path).sort()).toEqual(['README.md', fellsideFile]);
    expect(seed).toMatchObject({ source: 'developer', practices: ['fellside', 'riverside'], clinical: true });
  });

  it('names the revision that first published each change and how long it was live', async () => {
    const { changes } = JSON.parse((await pd(audit, 'riverside', '--format', 'json')).stdout);
    const byCommit = new Map(changes.map((c: any) => [c.commit, c.published[0]]));
    expect(byCommit.get(r.commits.seed)).toMatchObject({ practice: 'riverside', revision: r.revisions.seed.revision, live: { from: '2026-11-20T09:30:00.000Z', until: '2026-11-23T10:30:00.000Z', stillLive: false, seconds: 3 * 86400 + 3600 } });
    expect(byCommit.get(r.commits.flu)).toMatchObject({ revision: r.revisions.flu.revision, live: { until: '2026-11-27T08:35:00.000Z', stillLive: false } });
    // No revision was built from the appointments change itself: the next one contains it.
    expect(byCommit.get(r.commits.appointments)).toMatchObject({ revision: r.revisions.notice.revision, live: { stillLive: true } });
    expect(byCommit.get(r.commits.notice)).toMatchObject({ revision: r.revisions.notice.revision, live: { stillLive: true } });
    // The developer's commit only changed Fellside, which was never built: not a Riverside change.
    expect(byCommit.has(r.commits.developer)).toBe(false);
    const fellside = JSON.parse((await pd(audit, 'fellside', '--format', 'json')).stdout).changes;
    expect(fellside.map((c: any) => [c.commit, c.published[0].revision])).toEqual([
      [r.commits.seed, null],
      [r.commits.developer, null],
    ]);
  });

  it('prints a table that fits 120 columns, one line per change', async () => {
    const { code, stdout } = await pd(audit);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(120);
    expect(lines[0]).toMatch(/^When \(UK\)\s+Practice\s+Author\s+Role\s+Change\s+Clin\s+Commit\s+Approved by\s+Live for$/);
    const flu = lines.find((l) => l.includes(r.commits.flu.slice(0, 7)))!;
    expect(flu).toMatch(/^2026-11-23 10:25\s+riverside\s+Ed Editor\s+editor\s+services\/flu-cli…\s+yes\s+[0-9a-f]{7}\s+Dr Asha Patel\s+3 d 22 h$/);
    expect(lines.find((l) => l.includes(r.commits.appointments.slice(0, 7)))).toMatch(/self: Ed Edit…\s+still live$/);
    expect(lines.find((l) => l.includes(r.commits.developer.slice(0, 7)))).toMatch(/fellside\s+Dev Eloper\s+developer\s+.*not built$/);
    expect(stdout.replace(/\n/g, ' ')).toMatch(/5 changes on main .* for all practices, all time: 2 clinical \(1 not approved by someone who did not write it\), 2 by developers without the CMS\./);
  });

  it('writes CSV a spreadsheet reads back (RFC 4180: quoted commas and quotes, CRLF)', async () => {
    const { stdout } = await pd(audit, 'riverside', '--format', 'csv');
    expect(stdout.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(stdout);
    const [header, ...body] = rows;
    expect(header).toContain('approver_email');
    expect(body).toHaveLength(4);
    for (const row of body) expect(row).toHaveLength(header!.length);
    const col = (row: string[], name: string) => row[header!.indexOf(name)]!;
    const flu = body.find((row) => col(row, 'commit') === r.commits.flu)!;
    expect(col(flu, 'subject')).toBe('Publish "Flu clinic"');
    expect(stdout).toContain('"Publish ""Flu clinic"""');
    expect(col(flu, 'approver_name')).toBe(staff.reviewer.name);
    expect(col(flu, 'review')).toContain('Dr Asha Patel: added a note: "Please check the date against the practice calendar."');
    expect(col(flu, 'time_uk')).toBe('2026-11-23 10:25');
    expect(col(flu, 'revision')).toBe(`riverside: ${r.revisions.flu.revision}`);
  });

  it('writes a self-contained HTML report that is valid, accessible markup with no external references', async () => {
    const out = path.join(os.tmpdir(), `pd-audit-${process.pid}.html`);
    const { code, stderr } = await pd(audit, '--out', out);
    expect(code).toBe(0);
    expect(stderr).toMatch(/Wrote 5 changes to .* \(html\)/);
    const html = await readFile(out, 'utf8');
    await rm(out, { force: true });
    const validator = new HtmlValidate(new StaticConfigLoader({ root: true, extends: ['html-validate:recommended', 'html-validate:document'] }));
    const result = await validator.validateString(html, 'audit.html');
    expect(result.results.flatMap((x) => x.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.message}`))).toEqual([]);
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en-GB">/);
    expect(html).toMatch(/<table>\s*<caption>Every change to all practices on main/);
    expect(html.match(/<th scope="col">/g)).toHaveLength(7);
    expect(html.match(/<th scope="row">/g)).toHaveLength(5);
    expect(html).toContain('@media print');
    // Offline: nothing is fetched, nothing runs.
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\bsrc=|\bhref=|url\(|@import|https?:\/\//i);
    expect(html).toContain('Dr Asha Patel');
    expect(html).toContain('added a note: &quot;Please check the date against the practice calendar.&quot;');
  });

  it('limits the changes to a period, whole days in UK time', async () => {
    const between = JSON.parse((await pd(audit, '--from', '2026-11-23', '--to', '2026-11-25', '--format', 'json')).stdout);
    expect(between.changes.map((c: any) => c.commit)).toEqual([r.commits.flu, r.commits.appointments]);
    expect(between.period).toEqual({ from: '2026-11-23T00:00:00.000Z', to: '2026-11-26T00:00:00.000Z' });
    const morning = JSON.parse((await pd(audit, '--from', '2026-11-23T10:00', '--to', '2026-11-23T10:30', '--format', 'json')).stdout);
    expect(morning.changes.map((c: any) => c.commit)).toEqual([r.commits.flu]);
  });

  it('refuses an unknown practice, a date that is not a date, a --to before --from and an unknown format', async () => {
    await expect(pd(audit, 'nowhere')).rejects.toThrow(/there is no practice "nowhere" in the history of main \(the practices are fellside, riverside\)/);
    await expect(pd(audit, 'Not A Slug')).rejects.toThrow(/is not a practice name/);
    await expect(pd(audit, '--from', 'last tuesday')).rejects.toThrow(/--from "last tuesday" is not a date: write it like 2026-12-04/);
    await expect(pd(audit, '--to', '2026-02-30')).rejects.toThrow(/--to "2026-02-30" is not a real date/);
    await expect(pd(audit, '--from', '2026-11-25', '--to', '2026-11-23')).rejects.toThrow(/--to 2026-11-23 is before --from 2026-11-25/);
    await expect(pd(audit, '--format', 'pdf')).rejects.toThrow(/--format pdf is not a format: use one of table, csv, json, html/);
    await expect(runCommand(audit, [], { PD_CONTENT_ROOT: os.tmpdir(), PD_STORE_DIR: r.storeDir })).rejects.toThrow(/is not a git repository/);
  });

  it('reads a linked worktree of the content repository as the repository itself', async () => {
    const worktree = path.join(path.dirname(r.dir), 'worktree');
    r.git('worktree', 'add', '-q', '--detach', worktree, r.commits.seed);
    try {
      const { changes } = JSON.parse((await runCommand(audit, ['--format', 'json'], { ...env, PD_CONTENT_ROOT: worktree })).stdout);
      expect(changes.map((c: any) => c.commit)).toEqual([r.commits.seed, r.commits.flu, r.commits.appointments, r.commits.notice, r.commits.developer]);
    } finally {
      r.git('worktree', 'remove', '--force', worktree);
    }
  });

  it('explains itself in --help', () => {
    expect(audit.usage).toMatch(/^audit \[practice\]/);
    for (const word of ['--from', '--to', '--format', '--out', 'verify', '--strict', 'Reviewed-by', 'Examples']) expect(audit.help).toContain(word);
  });
});

describe('pd history', () => {
  it('shows every version of a file, newest first, with who, when, why, approval, review and a diff', async () => {
    const { code, stdout } = await pd(history, fluFile);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^content\/practices\/riverside\/services\/flu-clinic\.md: 2 versions on main, newest first/);
    const newest = stdout.indexOf('Version 2 of 2 (the newest): modified 2026-11-23 10:25 UK time');
    const oldest = stdout.indexOf('Version 1 of 2: added 2026-11-20 09:00 UK time');
    expect(newest).toBeGreaterThan(0);
    expect(oldest).toBeGreaterThan(newest);
    const v2 = stdout.slice(newest, oldest);
    expect(v2).toContain(`Who:       ${staff.editor.name} <${staff.editor.email}>, editor`);
    expect(v2).toContain('Why:       Publish "Flu clinic" (entry services/flu-clinic)');
    expect(v2).toContain(`Approval:  reviewed by ${staff.reviewer.name} <${staff.reviewer.email}> (a clinical change)`);
    expect(v2).toContain('2026-11-23 10:10 Dr Asha Patel: added a note: "Please check the date against the practice calendar."');
    expect(v2).toContain(`--- a/${fluFile}\n+++ b/${fluFile}\n@@ -11,6 +11,8 @@\n last_reviewed: 2026-09-01\n review_by: 2027-08-31\n ---\n+Book your flu jab from 2 December.\n+\n Flu can be serious`);
    const v1 = stdout.slice(oldest);
    expect(v1).toContain('developer (no CMS)');
    expect(v1).toContain(`--- /dev/null\n+++ b/${fluFile}\n@@ -0,0 +1,38 @@\n+---\n+title: Flu clinic\n`);
  });

  it('gives the diff git gives', async () => {
    const { stdout } = await pd(history, appointmentsFile, '--context', '1');
    const ours = stdout.slice(stdout.indexOf('--- a/'), stdout.indexOf('Version 1 of 2'));
    const git = r.git('diff', '-U1', `${r.commits.flu}`, `${r.commits.appointments}`, '--', appointmentsFile);
    // git adds the nearest "function" line after a hunk header; the lines themselves must agree.
    expect(ours.trim()).toBe(git.slice(git.indexOf('--- a/')).replace(/^(@@ [^@]+ @@).*$/gm, '$1').trim());
  });

  it('follows a file through deletion, reads paths on disk, and prints JSON', async () => {
    const gone = r.commit('2026-12-01T09:00:00Z', 'Remove the phones notice', { [r.noticeFile]: null });
    try {
      const { stdout } = await pd(history, path.join(r.dir, r.noticeFile), '--json');
      const json = JSON.parse(stdout);
      expect(json.file).toBe(r.noticeFile);
      expect(json.versions.map((v: any) => [v.status, v.change.commit])).toEqual([
        ['deleted', gone],
        ['added', r.commits.notice],
      ]);
      expect(json.versions[1].diff).toContain('+title: "Phones down this morning"');
      const short = await pd(history, r.noticeFile, '--no-diff');
      expect(short.stdout).not.toContain('@@');
    } finally {
      r.git('reset', '-q', '--hard', r.commits.developer);
    }
  });

  it('refuses a file that was never on main, a path outside the repository and a bad path', async () => {
    await expect(pd(history, 'content/practices/riverside/pages/nope.md')).rejects.toThrow(/content\/practices\/riverside\/pages\/nope\.md has never been on main: check the path/);
    await expect(pd(history, '/etc/passwd')).rejects.toThrow(/is outside the content repository/);
    await expect(pd(history, 'content/../../x.md')).rejects.toThrow(/contains "\.\."/);
    await expect(pd(history)).rejects.toThrow(/name one file/);
  });
});

describe('pd show', () => {
  const fluPage = '/services/flu-clinic/';

  it('builds a practice as it was before and after a change, at that moment, and serves it', async () => {
    const settings = loadSettings(repo, { ...process.env, ...env, PD_PORT: '0' });
    const before = await showPractice({ root: repo, settings, practice: 'riverside', at: new Date('2026-11-23T10:20:00Z') });
    const after = await showPractice({ root: repo, settings, practice: 'riverside', at: new Date('2026-11-27T12:00:00Z') });
    try {
      expect(before.commit.oid).toBe(r.commits.seed);
      expect(after.commit.oid).toBe(r.commits.notice);
      const beforeHtml = await readFile(path.join(before.folder, 'services/flu-clinic/index.html'), 'utf8');
      const afterHtml = await readFile(path.join(after.folder, 'services/flu-clinic/index.html'), 'utf8');
      expect(beforeHtml).not.toContain('Book your flu jab');
      expect(afterHtml).toContain('Book your flu jab from 2 December.');
      // Built for that moment: the urgent notice posted that morning is on the page.
      expect(afterHtml).toContain('Phones down this morning');
      expect(beforeHtml).not.toContain('Phones down this morning');
      const server = await serveShown(after, 0);
      try {
        const page = await get(server, 'riverside', fluPage);
        expect(page.status).toBe(200);
        expect(page.body).toContain('Book your flu jab from 2 December.');
      } finally {
        await server.close();
      }
    } finally {
      await rm(before.tmp, { recursive: true, force: true });
      await rm(after.tmp, { recursive: true, force: true });
    }
  });

  it('with --no-serve, builds and prints the folder', async () => {
    const { code, stdout, stderr } = await pd(show, 'riverside', '--at', '2026-11-24', '--no-serve');
    expect(code).toBe(0);
    const folder = stdout.trim();
    try {
      expect(stderr).toMatch(/Built riverside as at 2026-11-24 23:59 UK time, from commit [0-9a-f]{12} \(2026-11-23 10:25, "Publish "Flu clinic""\)/);
      expect(await readFile(path.join(folder, 'services/flu-clinic/index.html'), 'utf8')).toContain('Book your flu jab from 2 December.');
    } finally {
      await rm(path.resolve(folder, '../../../..'), { recursive: true, force: true });
    }
  });

  it('refuses a date before the first commit, a practice that did not exist yet, an unknown practice and bad dates', async () => {
    await expect(pd(show, 'riverside', '--at', '2026-11-19', '--no-serve')).rejects.toThrow(/2026-11-19 23:59 is before the first commit on main \(2026-11-20 09:00\); riverside first appears at 2026-11-20 09:00/);
    await expect(pd(show, 'nowhere', '--at', '2026-11-24', '--no-serve')).rejects.toThrow(/there is no practice "nowhere" in the history of main/);
    await expect(pd(show, 'riverside', '--at', 'yesterday', '--no-serve')).rejects.toThrow(/--at "yesterday" is not a date/);
    await expect(pd(show, 'riverside', '--at', '2026-11-24T25:00', '--no-serve')).rejects.toThrow(/not a real time of day/);
    await expect(pd(show, 'riverside', '--at', '2999-01-01', '--no-serve')).rejects.toThrow(/is in the future/);
    await expect(pd(show, 'riverside', '--no-serve')).rejects.toThrow(/say which moment with --at/);
  });

  it('says when a practice did not exist yet at the date', async () => {
    const added = r.commit('2026-12-02T09:00:00Z', 'Add Afon Teifi', Object.fromEntries([[`content/practices/afon-teifi/practice.yml`, await readFile(path.join(repo, 'content/practices/afon-teifi/practice.yml'), 'utf8')]]));
    try {
      await expect(pd(show, 'afon-teifi', '--at', '2026-11-30', '--no-serve')).rejects.toThrow(
        new RegExp(`afon-teifi did not exist yet at 2026-11-30 23:59: it first appears on main at 2026-12-02 09:00 \\(commit ${added.slice(0, 7)}\\)`),
      );
    } finally {
      r.git('reset', '-q', '--hard', r.commits.developer);
    }
  });
});

it('keeps to the story the tests assume', () => {
  expect(story.fluPublished < story.appointmentsPublished).toBe(true);
});
