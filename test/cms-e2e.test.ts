// From draft to live in a real browser, as a newcomer would with `npm start`: the demo editor
// signs in at /cms/ with the code from the outbox, changes a clinical page and sends it for
// review; the demo clinical reviewer signs in, marks it ready and publishes it; the practice
// rebuilds in process and the site shows the new text; git records the editor as author and the
// reviewer in Reviewed-by. Everything is real: the embedded database, the local sign-in service,
// the gateway committing to a throwaway copy of the content, the build and the local server.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { audit } from '../build/cli/commands/audit.ts';
import { loadSettings, type Settings } from '../build/node/settings.ts';
import { buildSites } from '../build/pipeline/build-sites.ts';
import { revisionStore, type RevisionStore } from '../build/publish/revision-store.ts';
import { demoMembers } from '../build/serve/demo-members.ts';
import { startDevServer, type DevServer } from '../build/serve/dev-server.ts';
import { startLocalPortal, type LocalPortal } from '../build/serve/local-portal.ts';
import { rebuildQueue } from '../build/serve/rebuild-queue.ts';
import { newestMessageTo } from '../lib/email/outbox-node.ts';
import { createClient } from '@supabase/supabase-js';
import { enrolByEmail, passSecondStep, type TestAuthenticator } from './support/authenticator.ts';
import { contentRepo, type ContentRepo } from './support/content-repo.ts';
import { get, repo } from './support/demo-site.ts';
import { axeViolations, launchChromium, signInCode } from './support/portal-rig.ts';

const editor = demoMembers.find((m) => m.role === 'editor' && m.practice === 'riverside')!;
const reviewer = demoMembers.find((m) => m.email === 'reviewer@riverside.example.nhs.uk')!;
const manager = demoMembers.find((m) => m.role === 'practice_manager' && m.practice === 'riverside')!;
const newTitle = 'Flu and COVID-19 vaccination clinic';
const fluPath = 'content/practices/riverside/services/flu-clinic.md';

let tmp: string;
let content: ContentRepo;
let settings: Settings;
let store: RevisionStore;
let server: DevServer;
let portal: LocalPortal | undefined;
let browser: Browser;
let origin: string;
const problems: string[] = [];
let queue: ReturnType<typeof rebuildQueue>;
let managerPage: Page | undefined;
const authenticators = new Map<string, TestAuthenticator>();

const codeFor = (email: string, since?: string): Promise<string> => signInCode(settings.outboxDir, email, since);

async function signIn(page: Page, email: string, at = '/cms/', heading = 'Sign in to edit your website'): Promise<void> {
  page.on('console', (m) => m.type() === 'error' && problems.push(`${email} console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`${email} page error: ${e.message}`));
  page.on('dialog', (d) => void d.accept());
  await page.goto(`${origin}${at}`);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  const before = (await newestMessageTo(settings.outboxDir, email))?.file;
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Send me a code' }).click();
  await page.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor();
  await page.getByLabel('Code from the email').fill(await codeFor(email, before));
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  // Clinical reviewers and practice managers also enter the code from their authenticator app.
  const app = authenticators.get(email);
  if (app) await passSecondStep(page, app);
  if (at === '/cms/') await page.getByRole('region', { name: 'Practice and account' }).waitFor({ timeout: 30_000 });
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pd-cms-e2e-'));
  content = await contentRepo(['riverside']);
  store = revisionStore(path.join(tmp, 'store'));
  server = await startDevServer({
    store,
    host: '127.0.0.1',
    port: 0,
    practices: () => ['riverside'],
    apps: { portal: (req, res) => (portal ? portal.listener(req, res) : res.writeHead(503).end('Starting\n')) },
  });
  settings = loadSettings(repo, {
    PD_PORT: String(server.port),
    PD_CONTENT_ROOT: content.dir,
    PD_STORE_DIR: path.join(tmp, 'store'),
    PD_DIST_DIR: path.join(tmp, 'dist'),
    PD_DATABASE_DIR: path.join(tmp, 'db'),
    PD_OUTBOX_DIR: path.join(tmp, 'outbox'),
  });
  const build = async (which: string[] | 'all') => {
    const report = await buildSites({ root: repo, contentRoot: content.dir, settings, store, practices: which === 'all' ? ['riverside'] : which });
    for (const p of report.practices) if (!p.ok) problems.push(`build of ${p.slug} failed`);
  };
  await build(['riverside']);
  queue = rebuildQueue(build);
  portal = await startLocalPortal(repo, settings, 0, {
    portalDir: path.join(tmp, 'portal'),
    demoMembers: true,
    log: () => {},
    onPublished: ({ practice }) => queue.add(practice),
    // Each person signs in more than once within a minute (setting up their app, then the pages).
    authResendIntervalMs: 0,
  });
  // The reviewer and the manager must use a second factor: each has set up an authenticator app.
  for (const person of [reviewer, manager]) {
    const sb = createClient(portal.authUrl, portal.anonKey, { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } });
    authenticators.set(person.email, await enrolByEmail(sb, settings.outboxDir, person.email));
  }
  origin = server.origin('portal');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await queue?.idle();
  await portal?.close();
  await server?.close();
  await content?.remove();
  await rm(tmp, { recursive: true, force: true });
});

describe('a clinical change from draft to live', () => {
  it('the editor edits a clinical page and sends it for review', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    await signIn(page, editor.email);
    await page.goto(`${origin}/cms/#/collections/services/entries/flu-clinic`);
    const title = page.getByLabel('Title', { exact: true });
    await title.waitFor({ timeout: 30_000 });
    await title.fill(newTitle);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => content.git('branch', '--list', 'cms/riverside/services/flu-clinic'), { timeout: 15_000 }).toContain('cms/riverside/services/flu-clinic');
    await page.getByRole('button', { name: 'Status: Draft' }).click();
    await page.getByText('In review', { exact: true }).click();
    await expect.poll(() => content.git('log', '-1', '--format=%(trailers:key=Status,valueonly)', 'cms/riverside/services/flu-clinic'), { timeout: 15_000 }).toBe('pending_review');
    // Marking it ready is the approval: the gateway refuses the editor, Decap shows why, and git is unchanged.
    const mainBefore = content.git('rev-parse', 'main');
    await page.getByRole('button', { name: 'Status: In review' }).click();
    await page.getByText('Ready', { exact: true }).click();
    await expect.poll(() => page.locator('body').textContent(), { timeout: 15_000 }).toContain('clinical content must be published by a clinical reviewer');
    expect(content.git('log', '-1', '--format=%(trailers:key=Status,valueonly)', 'cms/riverside/services/flu-clinic')).toBe('pending_review');
    expect(content.git('rev-parse', 'main')).toBe(mainBefore);
    await context.close();
  });

  it('the clinical reviewer marks it ready and publishes it', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    await signIn(page, reviewer.email);
    await page.goto(`${origin}/cms/#/workflow`);
    await page.getByText(newTitle).first().waitFor({ timeout: 30_000 });
    await page.getByText(newTitle).first().click();
    await page.getByLabel('Title', { exact: true }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Status: In review' }).click();
    await page.getByText('Ready', { exact: true }).click();
    await expect.poll(() => content.git('log', '-1', '--format=%(trailers:key=Status,valueonly)', 'cms/riverside/services/flu-clinic'), { timeout: 15_000 }).toBe('pending_publish');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByRole('menuitem', { name: 'Publish now' }).click();
    await expect.poll(() => content.show('main', fluPath), { timeout: 15_000 }).toContain(`title: ${newTitle}`);
    await context.close();
  });

  it('the site shows the new text, and git names the editor as author and the reviewer in Reviewed-by', async () => {
    await expect.poll(async () => (await get(server, 'riverside', '/services/flu-clinic/')).body, { timeout: 20_000 }).toContain(newTitle);
    const [author, parents, ...trailers] = content.git('log', '-1', '--format=%an <%ae>%n%P%n%(trailers:only,unfold)', 'main').split('\n');
    expect(author).toBe(`${editor.name} <${editor.email}>`);
    expect(parents!.split(' ')).toHaveLength(2);
    expect(trailers).toEqual(expect.arrayContaining(['Practice: riverside', 'Role: editor', 'Entry: services/flu-clinic', `Reviewed-by: ${reviewer.name} <${reviewer.email}>`]));
    expect(content.git('branch', '--list', 'cms/*')).toBe('');
    // Only the two answers Decap's protocol expects: "no draft yet" (404) when the editor opened the
    // page, and the refusal (403) when they tried to mark their own clinical change ready.
    expect(problems).toEqual([
      `${editor.email} console: Failed to load resource: the server responded with a status of 404 (Not Found)`,
      `${editor.email} console: Failed to load resource: the server responded with a status of 403 (Forbidden)`,
    ]);
  });
});

describe('an urgent notice', () => {
  it('a practice manager posts one from the portal, it goes straight to main and onto every page', async () => {
    const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
    const page = await context.newPage();
    await signIn(page, manager.email, '/notices/', 'Sign in to post an urgent notice');
    await page.getByRole('heading', { level: 1, name: 'Post an urgent notice' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    // Nothing typed: each missing answer is named, and nothing is posted.
    const mainBefore = content.git('rev-parse', 'main');
    await page.getByRole('button', { name: 'Post the notice now' }).click();
    await expect.poll(() => page.locator('.nhsuk-error-summary').textContent()).toContain('Enter a title');
    expect(content.git('rev-parse', 'main')).toBe(mainBefore);
    // Beyond 14 days: the gateway refuses, in words.
    await page.getByLabel('Title').fill('Closed this afternoon');
    await page.getByLabel('What patients need to know').fill('The surgery is closed from 13:00 for staff training. Call 111 if you need help.');
    const far = new Date(Date.now() + 20 * 86_400_000);
    const stamp = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')} 17:00`;
    await page.getByLabel('Remove the notice at').fill(stamp(far));
    await page.getByRole('button', { name: 'Post the notice now' }).click();
    await expect.poll(() => page.locator('.nhsuk-error-summary').textContent()).toContain('at most 14 days');
    expect(content.git('rev-parse', 'main')).toBe(mainBefore);
    await page.getByLabel('Remove the notice at').fill(stamp(new Date(Date.now() + 2 * 86_400_000)));
    await page.getByRole('button', { name: 'Post the notice now' }).click();
    await page.getByText("\"Closed this afternoon\" is on Riverside Medical Practice's website").waitFor({ timeout: 15_000 });
    expect(await axeViolations(page)).toEqual([]);
    expect(content.git('log', '-1', '--format=%an|%(trailers:key=Role,valueonly)', 'main')).toBe(`${manager.name}|practice_manager`);
    await expect.poll(async () => (await get(server, 'riverside', '/contact/')).body, { timeout: 20_000 }).toContain('Closed this afternoon');
    expect(problems.filter((p) => p.startsWith(manager.email))).toEqual([`${manager.email} console: Failed to load resource: the server responded with a status of 403 (Forbidden)`]);
    // The manager stays signed in, in this tab, for the history page.
    managerPage = page;
  });
});

describe("the website's history", () => {
  it('a practice manager restores earlier content, then puts an earlier published version live', async () => {
    const page = managerPage!;
    await page.goto(`${origin}/site/`);
    await page.getByRole('heading', { level: 1, name: /Website history/ }).waitFor({ timeout: 15_000 });
    expect(await axeViolations(page)).toEqual([]);
    const changes = page.locator('table', { has: page.locator('th', { hasText: 'Approved by' }) });
    expect(await changes.textContent()).toContain(`Publish "${newTitle}"`);
    expect(await changes.textContent()).toContain(reviewer.name);
    // Restore the content as it was after the clinical change: the urgent notice posted since goes.
    const afterPublish = content.git('log', '--format=%H', '--grep', `^Publish "${newTitle}"`, 'main');
    const row = changes.locator('tr', { hasText: `Publish "${newTitle}"` });
    await row.getByRole('button', { name: /Restore/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Restore the content?' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Yes, restore it' }).click();
    await page.locator('.nhsuk-notification-banner--success').waitFor({ timeout: 15_000 });
    expect(content.git('log', '-1', '--format=%(trailers:key=Rollback-of,valueonly)', 'main')).toBe(afterPublish);
    await expect.poll(async () => (await get(server, 'riverside', '/contact/')).body, { timeout: 20_000 }).not.toContain('Closed this afternoon');
    // Put the very first published version back in front of patients: the old title returns.
    await queue.idle();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: /Website history/ }).waitFor({ timeout: 15_000 });
    const versions = page.locator('table', { has: page.locator('th', { hasText: 'From change' }) });
    await versions.locator('tr').last().getByRole('button', { name: /Make this live/ }).click();
    await page.getByRole('button', { name: 'Yes, make it live' }).click();
    await page.locator('.nhsuk-notification-banner--success').waitFor({ timeout: 15_000 });
    const served = (await get(server, 'riverside', '/services/flu-clinic/')).body;
    expect(served).not.toContain(newTitle);
    expect(served).toContain('Flu clinic');
    expect((await store.liveHistory('riverside')).at(-1)?.reason).toBe('rollback');
    // All the content, as one JSON file, saved by the browser.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download all content (JSON)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^riverside-\d{4}-\d{2}-\d{2}\.json$/);
    const exported = JSON.parse(await readFile((await download.path())!, 'utf8'));
    expect(exported.practice).toBe('riverside');
    expect(exported.commit.oid).toBe(content.git('rev-parse', 'main'));
    await page.context().close();
  });
});

describe('the audit after all of that', () => {
  it('pd audit verify passes on the history the CMS wrote, and the HTML report names the editor, the reviewer and the rollbacks', async () => {
    await queue.idle();
    vi.stubEnv('PD_CONTENT_ROOT', content.dir);
    vi.stubEnv('PD_STORE_DIR', path.join(tmp, 'store'));
    vi.stubEnv('PD_DIST_DIR', path.join(tmp, 'dist'));
    const out: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
    const err = vi.spyOn(console, 'error').mockImplementation((...a) => void out.push(a.join(' ')));
    try {
      expect(await audit.run(['verify', 'riverside']), out.join('\n')).toBe(0);
      const report = path.join(tmp, 'audit.html');
      expect(await audit.run(['riverside', '--out', report])).toBe(0);
      const html = await readFile(report, 'utf8');
      expect(html).toContain(editor.name);
      expect(html).toContain(reviewer.name);
      expect(html).toContain('Roll back riverside');
      expect(html).not.toMatch(/<script|<link|src="http/);
    } finally {
      log.mockRestore();
      err.mockRestore();
      vi.unstubAllEnvs();
    }
  });
});
