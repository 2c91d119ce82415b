// The reading age in the content editor's preview, in Chromium against the real portal, sign-in
// service and gateway (on a throwaway copy of the demo content): a page in plain English shows
// its reading age as a notice above the previewed page, and typing dense text turns the notice
// into a warning that names the longest sentence. The same setup as test/cms-ui.test.ts, cut
// down to one person at one practice.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClient } from '@supabase/supabase-js';
import type { AxeResults, RunOptions } from 'axe-core';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../build/node/settings.ts';
import { revisionStore } from '../build/publish/revision-store.ts';
import { startDevServer, type DevServer } from '../build/serve/dev-server.ts';
import { startLocalPortal, type LocalPortal } from '../build/serve/local-portal.ts';
import { newestMessageTo } from '../lib/email/outbox-node.ts';
import { describeReadability, readability, readingAgeTarget } from '../lib/compliance/readability.ts';
import { contentRepo, type ContentRepo } from './support/content-repo.ts';
import { repo } from './support/demo-site.ts';
import { launchChromium, signInCode } from './support/portal-rig.ts';

const editor = 'editor@reading-age.example.nhs.uk';

let tmp: string;
let content: ContentRepo;
let outbox: string;
let server: DevServer;
let portal: LocalPortal | undefined;
let origin: string;
let browser: Browser;
let page: Page;
/** Uncaught exceptions in the page: a notice that breaks the preview must fail the test. */
const pageErrors: string[] = [];
/** The local sign-in service's clock offset: the seeding sign-in happens "two minutes ago", so the page may ask for a code at once. */
let authOffsetMs = -120_000;

const codeFor = (email: string, since?: string): Promise<string> => signInCode(outbox, email, since);

/** The preview pane's document, found afresh on every use (Decap may replace the frame while an entry loads). */
async function previewFrame(p: Page): Promise<FrameLocator> {
  await p.locator('#preview-pane').waitFor({ timeout: 20_000 });
  return p.frameLocator('#preview-pane');
}

/** What axe-core defines on the page once its source has been evaluated there. */
declare const axe: { run(context: { include: string[][] }, options: RunOptions): Promise<AxeResults> };

/** WCAG 2.2 A/AA violations in the notice, by axe-core injected into the preview's document. */
async function noticeViolations(p: Page): Promise<string[]> {
  const frame = await (await p.locator('#preview-pane').elementHandle())!.contentFrame();
  await frame!.evaluate(await readFile(path.join(repo, 'node_modules/axe-core/axe.min.js'), 'utf8'));
  return frame!.evaluate(async () => {
    const r = await axe.run({ include: [['.pd-preview__reading-age']] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return r.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${v.help} ${n.target.join(' ')}`));
  });
}

/** Replaces the page text in Decap's editor, as someone selecting all of it and typing would. */
async function replaceBody(p: Page, text: string) {
  const body = p.locator('[data-slate-editor="true"]').first();
  const typed = async () => (await body.textContent())!.replace(/\uFEFF/g, '').trim();
  await body.click();
  // The editor takes the keyboard only once it has focus.
  await expect.poll(() => body.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  // The editor may still be settling from the last change, and then ignores a select-all: try again.
  await expect
    .poll(async () => {
      await p.keyboard.press('ControlOrMeta+A');
      await p.keyboard.press('Backspace');
      return typed();
    })
    .toBe('');
  await p.keyboard.insertText(text);
  await expect.poll(typed).toBe(text);
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pd-cms-readability-'));
  outbox = path.join(tmp, 'outbox');
  content = await contentRepo(['riverside']);
  server = await startDevServer({
    store: revisionStore(path.join(tmp, 'store')),
    host: '127.0.0.1',
    port: 0,
    practices: () => [],
    apps: { portal: (req, res) => (portal ? portal.listener(req, res) : res.writeHead(503).end('Starting\n')) },
  });
  const settings = loadSettings(repo, {
    PD_PORT: String(server.port),
    PD_CONTENT_ROOT: content.dir,
    PD_STORE_DIR: path.join(tmp, 'store'),
    PD_DIST_DIR: path.join(tmp, 'dist'),
    PD_DATABASE_DIR: path.join(tmp, 'db'),
    PD_OUTBOX_DIR: outbox,
  });
  portal = await startLocalPortal(repo, settings, 0, { portalDir: path.join(tmp, 'portal'), authNow: () => Date.now() + authOffsetMs });
  origin = server.origin('portal');

  // The sign-in service gives the user id; then, as the database owner, make them an editor at Riverside.
  const sb = createClient(portal.authUrl, portal.anonKey, { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } });
  expect((await sb.auth.signInWithOtp({ email: editor })).error).toBeNull();
  const verified = await sb.auth.verifyOtp({ email: editor, token: await codeFor(editor), type: 'email' });
  expect(verified.error).toBeNull();
  authOffsetMs = 0;
  await portal.database.owner.query(
    `insert into public.members (practice_id, user_id, email, name, role)
     select id, $1::uuid, $2, 'Rita Reader', 'editor'::public.member_role from public.practices where slug = 'riverside'`,
    [verified.data.user!.id, editor],
  );

  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
  page.on('dialog', (d) => void d.accept());
  page.on('pageerror', (e) => pageErrors.push(`uncaught ${e.name}: ${e.message}`));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await portal?.close();
  await content?.remove();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

// Long sentences of long words, as a contract might put it.
const dense =
  'Notwithstanding the aforementioned considerations, the administrative procedures of the practice necessitate that prospective registrants demonstrate eligibility through documentation substantiating residential occupancy within the designated catchment boundaries. ' +
  'Correspondingly, individuals experiencing difficulties obtaining documentation should communicate with administrative personnel, who will determine alternative verification arrangements.';

describe('the reading age in the content editor preview', () => {
  it('shows the reading age of a plain page above the previewed page, and a warning once the text is hard to read', async () => {
    await page.goto(`${origin}/cms/`);
    await page.getByLabel('Email address').fill(editor);
    const before = (await newestMessageTo(outbox, editor))?.file;
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await page.getByLabel('Code from the email').fill(await codeFor(editor, before));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.locator('li > a[data-testid][href^="#/collections/"]').first().waitFor({ timeout: 20_000 });

    await page.evaluate(() => (location.hash = '#/collections/pages/entries/appointments'));
    const frame = await previewFrame(page);
    await frame.locator('h1').waitFor({ timeout: 20_000 });

    // The number the library gives the published text is the one the notice shows.
    const published = readability(await readFile(path.join(content.dir, 'content/practices/riverside/pages/appointments.md'), 'utf8'));
    expect(published.verdict).toBe('ok');
    const notice = frame.getByRole('region', { name: /^Reading age \d+/ });
    await notice.waitFor({ timeout: 10_000 });
    expect(await notice.getByRole('heading', { level: 2 }).textContent()).toBe(`Reading age ${published.readingAge}: within the target of ${readingAgeTarget} or under`);
    expect(await notice.locator('.nhsuk-inset-text').count()).toBe(1);
    expect(await notice.locator('.nhsuk-warning-callout').count()).toBe(0);
    expect(await noticeViolations(page)).toEqual([]);
    // Above the page, not inside the patient page's own markup.
    expect(await frame.locator('header.nhsuk-header .pd-preview__reading-age, main .pd-preview__reading-age').count()).toBe(0);
    expect(await notice.evaluate((el) => !!(el.compareDocumentPosition(document.querySelector('header.nhsuk-header')!) & Node.DOCUMENT_POSITION_FOLLOWING))).toBe(true);

    // Dense text in place of the page's: the notice becomes a warning, naming the longest sentence.
    const expected = readability(dense);
    expect(expected.verdict).toBe('above-target');
    // The editor's Markdown view: plain paragraphs, which select and delete as plain text does.
    await page.getByText('Markdown', { exact: true }).click();
    await replaceBody(page, dense);
    const warning = frame.getByRole('region', { name: /^Important: Reading age \d+(?: or over)?: above the target/ });
    await warning.waitFor({ timeout: 10_000 });
    // Decap passes the text on after a pause in typing, so the notice may first show part of it.
    await expect.poll(() => warning.getByRole('heading', { level: 2 }).textContent(), { timeout: 10_000 }).toBe(`Important: ${describeReadability(expected).message}`);
    expect(describeReadability(expected).message).toMatch(/^Reading age 21 or over: above the target of 11$/);
    expect(await warning.locator('.nhsuk-warning-callout').count()).toBe(1);
    expect(await noticeViolations(page)).toEqual([]);
    expect(await warning.textContent()).toContain('Start with the longest sentence, "Notwithstanding the aforementioned considerations');
    // The warning's colours are the design system's, from the theme's stylesheet in the frame.
    expect(await warning.locator('.nhsuk-warning-callout').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(255, 249, 196)');

    // Too little text to score: no notice at all.
    await replaceBody(page, 'Call us to book.');
    await expect.poll(() => frame.locator('.pd-preview__reading-age').count(), { timeout: 10_000 }).toBe(0);
    expect(await frame.locator('h1').textContent()).toBe('Appointments');
    expect(pageErrors).toEqual([]);
  });
});
