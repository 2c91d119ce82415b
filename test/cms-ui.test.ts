// The content editor (/cms/) in a real browser, against the real pieces started in-process: the
// embedded database, the local sign-in service, the portal API with the CMS gateway committing
// to a throwaway copy of the demo content, and the local server. Someone who works on two
// practices signs in with the code from the outbox, chooses one, and meets Decap with that
// practice's collections only; the preview is the theme's own page with its stylesheet; the
// three custom widgets check what is typed; a saved change becomes a draft in git. Any console
// error, CSP refusal or request to another origin (bar the sign-in service) fails.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClient } from '@supabase/supabase-js';
import type { AxeResults, RunOptions } from 'axe-core';
import { type Browser, type BrowserContext, type FrameLocator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../build/node/settings.ts';
import { cmsCsp, portalCsp } from '../build/portal/build-portal.ts';
import { revisionStore } from '../build/publish/revision-store.ts';
import { startDevServer, type DevServer } from '../build/serve/dev-server.ts';
import { startLocalPortal, type LocalPortal } from '../build/serve/local-portal.ts';
import { extractLinks } from '../lib/email/eml.ts';
import { newestMessageTo } from '../lib/email/outbox-node.ts';
import { enrolAuthenticator, passSecondStep, type TestAuthenticator } from './support/authenticator.ts';
import { collections as model } from '../schemas/model.ts';
import { contentRepo, type ContentRepo } from './support/content-repo.ts';
import { get, repo } from './support/demo-site.ts';
import { launchChromium, signInCode } from './support/portal-rig.ts';

/** What axe-core defines on the page once its source has been evaluated there. */
declare const axe: { run(context: Document | { include: string[][] }, options: RunOptions): Promise<AxeResults> };
const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

const editor = 'editor@two-practices.example.nhs.uk';
const single = 'editor@one-practice.example.nhs.uk';
const newcomer = 'newcomer@example.nhs.uk';

let singleApp: TestAuthenticator;
let tmp: string;
let content: ContentRepo;
let outbox: string;
let server: DevServer;
let portal: LocalPortal | undefined;
let origin: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;

/** Console errors, uncaught exceptions, CSP refusals, failed loads and HTTP errors, with the step they happened in. */
const problems: string[] = [];
/**
 * Decap asks the gateway for the draft of every entry it opens; "no draft" is a 404 in its proxy
 * protocol, which Chromium logs as a failed load. Those, and only those, are expected.
 */
const noDraftAnswers: string[] = [];
/** Set while the test makes the gateway refuse the sign-in on purpose. */
let refusingSignIn = false;
/** Every request the page made to the gateway: its Authorization header and JSON body. */
const gatewayCalls: { authorization: string | undefined; body: Record<string, unknown> }[] = [];
const origins = new Set<string>();
let step = 'start';
let axeSource: string;
/** axe violations in the page's own parts (the sign-in steps, the bar, the widgets), with the step they were found in. */
const violations: string[] = [];

/**
 * Runs axe-core (injected through the DevTools protocol, so the CSP stays in force) on the whole
 * page, or on the parts this project draws inside Decap: Decap's own screens are not ours to fix.
 */
async function checkAccessibility(p: Page, label: string, include?: string[]) {
  await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 100))));
  await p.evaluate(axeSource);
  const found = await p.evaluate(
    async ({ values, include }) => {
      const r = await axe.run(include ? { include: include.map((s) => [s]) } : document, { runOnly: { type: 'tag', values } });
      return r.violations.flatMap((v) => v.nodes.map((n) => `[${v.impact ?? ''}] ${v.id}: ${v.help}\n    ${n.target.join(' ')}  ${n.html.slice(0, 160)}`));
    },
    { values: wcagTags, include },
  );
  for (const v of found) violations.push(`${label}: ${v}`);
}
/** The local sign-in service's clock offset: the seeding sign-in happens "two minutes ago", so the page may ask for a code at once. */
let authOffsetMs = -120_000;

const codeFor = (email: string, since?: string): Promise<string> => signInCode(outbox, email, since);

/**
 * The preview pane's document, found afresh on every use: Decap may replace the pane's frame
 * while an entry loads, and a handle to the old one would wait forever.
 */
async function previewFrame(p: Page): Promise<FrameLocator> {
  await p.locator('#preview-pane').waitFor({ timeout: 20_000 });
  return p.frameLocator('#preview-pane');
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pd-cms-ui-'));
  outbox = path.join(tmp, 'outbox');
  content = await contentRepo(['riverside', 'fellside']);
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
  expect(portal.cms).toEqual({ repository: content.dir });
  origin = server.origin('portal');

  // The sign-in service gives the user ids (their first sign-ins two minutes "ago", so the page
  // may ask for new codes at once); then, as the database owner, make one person an editor at
  // both Riverside and Fellside, so they choose a practice first, and another at Fellside only.
  const sb = createClient(portal.authUrl, portal.anonKey, { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } });
  const userId = async (email: string) => {
    expect((await sb.auth.signInWithOtp({ email })).error).toBeNull();
    const verified = await sb.auth.verifyOtp({ email, token: await codeFor(email), type: 'email' });
    expect(verified.error).toBeNull();
    return verified.data.user!.id;
  };
  const editorId = await userId(editor);
  const singleId = await userId(single);
  // Sol is a practice manager, so signs in with a second factor: an authenticator app set up now.
  singleApp = await enrolAuthenticator(sb, () => Date.now() + authOffsetMs);
  authOffsetMs = 0;
  await portal.database.owner.query(
    `insert into public.members (practice_id, user_id, email, name, role)
     select id, $1::uuid, $2, 'Eve Editor', 'editor'::public.member_role from public.practices where slug in ('riverside', 'fellside')
     union all
     select id, $3::uuid, $4, 'Sol Single', 'practice_manager'::public.member_role from public.practices where slug = 'fellside'`,
    [editorId, editor, singleId, single],
  );

  axeSource = await readFile(path.join(repo, 'node_modules/axe-core/axe.min.js'), 'utf8');
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  // Evaluated through the DevTools protocol, so the page's CSP does not apply to this listener.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline code'}`);
    });
  });
  page = await context.newPage();
  // Decap asks before leaving unsaved changes; the test leaves on purpose.
  page.on('dialog', (d) => void d.accept());
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (m.location().url === `${origin}/api/cms` && m.text().includes('status of 404') && noDraftAnswers.length) return;
    if (m.location().url === `${origin}/api/cms` && m.text().includes('status of 401') && refusingSignIn) return;
    problems.push(`${step}: console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${step}: uncaught ${e.name}: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`${step}: request failed: ${r.url()} (${r.failure()?.errorText ?? 'unknown'})`));
  page.on('response', (r) => {
    const body = r.request().postData() ?? '';
    if (r.status() === 404 && r.url() === `${origin}/api/cms` && JSON.parse(body).action === 'unpublishedEntry') noDraftAnswers.push(body);
    else if (r.status() === 401 && r.url() === `${origin}/api/cms` && refusingSignIn) return;
    else if (r.status() >= 400) problems.push(`${step}: HTTP ${r.status()} for ${r.url()} ${body.slice(0, 300)}`);
  });
  page.on('request', (r) => {
    if (!r.url().startsWith('data:') && !r.url().startsWith('blob:') && !r.url().startsWith('about:')) origins.add(new URL(r.url()).origin);
    if (r.url() === `${origin}/api/cms`) gatewayCalls.push({ authorization: r.headers().authorization, body: JSON.parse(r.postData() ?? '{}') });
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await portal?.close();
  await content?.remove();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('the content editor page', () => {
  it('has its own CSP on /cms/ only, with the rest of the portal as strict as before', async () => {
    const cms = await get(server, 'portal', '/cms/');
    expect(cms.status).toBe(200);
    expect(cms.headers['content-security-policy']).toBe(cmsCsp(portal!.authUrl));
    expect(cms.headers['content-security-policy']).toBe(
      `default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; connect-src 'self' blob: ${portal!.authUrl}; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    );
    expect(cms.headers['x-frame-options']).toBe('DENY');
    expect(cms.body).toMatch(/<script type="module" src="\/cms\/assets\/cms-[A-Z0-9]+\.js"><\/script>/);
    expect(cms.body).not.toMatch(/<script>|<style|\sstyle=/);
    for (const other of ['/members/', '/accept/', '/nowhere']) expect((await get(server, 'portal', other)).headers['content-security-policy']).toBe(portalCsp(portal!.authUrl));
  });
});

describe('the content editor in Chromium', () => {
  it('signs in with the code, offers both practices, and opens Decap on the chosen one only', async () => {
    step = 'sign in';
    await page.goto(`${origin}/cms/`);
    await page.getByRole('heading', { level: 1, name: 'Sign in to edit your website' }).waitFor();
    await checkAccessibility(page, 'sign-in step');
    await page.getByLabel('Email address').fill(editor);
    const before = (await newestMessageTo(outbox, editor))?.file;
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await page.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor();
    await page.getByLabel('Code from the email').fill(await codeFor(editor, before));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();

    step = 'choose a practice';
    await page.getByRole('heading', { level: 1, name: /Which practice.s website do you want to edit\?/ }).waitFor();
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.locator('.nhsuk-error-summary').textContent()).toContain('Select the practice whose website you want to edit');
    await checkAccessibility(page, 'practice choice with an error');
    await page.getByLabel('Riverside Medical Practice (editor)').check();
    await page.getByRole('button', { name: 'Continue' }).click();

    step = 'decap';
    await page.getByRole('region', { name: 'Practice and account' }).waitFor();
    expect(await page.getByRole('region', { name: 'Practice and account' }).textContent()).toMatch(/Editing Riverside Medical Practice as editor[\s\S]*Signed in as editor@two-practices/);
    expect(page.url()).toMatch(new RegExp(`^${origin}/cms/\\?practice=riverside#/`));
    // Decap's collection list: every collection of the model, and nothing of Fellside's.
    const sidebar = page.locator('li > a[data-testid][href^="#/collections/"]');
    await sidebar.first().waitFor({ timeout: 20_000 });
    expect((await sidebar.allTextContents()).map((t) => t.trim())).toEqual(model.map((c) => c.label));
    await expect.poll(() => gatewayCalls.length).toBeGreaterThan(0);
    for (const call of gatewayCalls) {
      expect(call.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
      expect(call.body).toMatchObject({ practice: 'riverside', branch: 'main' });
      expect(JSON.stringify(call.body)).not.toContain('fellside');
    }
  });

  it('opens a page and shows it in the preview as patients will see it, drawn by the theme', async () => {
    step = 'preview';
    await page.evaluate(() => (location.hash = '#/collections/pages/entries/appointments'));
    const frame = await previewFrame(page);
    await frame.locator('h1').waitFor({ timeout: 20_000 });
    expect(await frame.locator('h1').textContent()).toBe('Appointments');
    // The site's own chrome, from the published content: the practice's header and footer.
    expect(await frame.locator('.nhsuk-header').textContent()).toContain('Riverside Medical Practice');
    expect(await frame.locator('.nhsuk-footer').textContent()).toContain('Accessibility statement');
    // Styled by the practice sites' stylesheet, the only one in the frame.
    const sheets = await frame.locator('link[rel=stylesheet]').evaluateAll((links) => links.map((l) => new URL((l as HTMLLinkElement).href).pathname));
    expect(sheets).toEqual([expect.stringMatching(/^\/assets\/theme-[0-9a-f]{10}\.css$/)]);
    expect(await frame.locator('.nhsuk-header').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(0, 94, 184)');
    expect(await frame.locator('body').getAttribute('class')).toBe('nhsuk-template__body');

    // Typing changes the page at once.
    await page.getByLabel('Title', { exact: true }).fill('Appointments and bookings');
    await expect.poll(() => frame.locator('h1').textContent()).toBe('Appointments and bookings');
  });

  it('checks the review date against the last review and says when it is due', async () => {
    step = 'review-date widget';
    const reviewBy = page.getByLabel('Review by');
    await reviewBy.fill('2099-01-01');
    await reviewBy.blur();
    const error = page.locator('.pd-review-date .pd-widget__error');
    await expect.poll(() => error.textContent()).toMatch(/The review date must be at most 12 months after the last review: choose \d+ \w+ \d{4} or earlier/);
    expect(await reviewBy.getAttribute('aria-invalid')).toBe('true');
    expect((await reviewBy.getAttribute('aria-describedby'))!.split(' ')).toContain((await error.getAttribute('id'))!);
    await checkAccessibility(page, 'review-date widget with an error', ['.pd-review-date', '.pd-cms-bar']);
    await page.getByRole('button', { name: /^Set to 12 months after the last review/ }).click();
    await expect.poll(() => error.count()).toBe(0);
    expect(await page.locator('.pd-review-date__due').textContent()).toMatch(/^(Due in \d+ days|Due tomorrow|Due today|Overdue by \d+ days?) \(\d+ \w+ \d{4}\)$/);
  });

  it('saves the change as a draft in git, through the gateway', async () => {
    step = 'save';
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const draft = () => content.show('cms/riverside/pages/appointments', 'content/practices/riverside/pages/appointments.md');
    await expect.poll(() => content.git('branch', '--list', 'cms/*'), { timeout: 15_000 }).toContain('cms/riverside/pages/appointments');
    await expect.poll(draft).toContain('title: Appointments and bookings');
    // The review date the widget set: 12 months after the last review.
    expect(draft()).toMatch(/last_reviewed: 2026-10-12\nreview_by: 2027-10-12\n/);
    expect(content.git('log', '-1', '--format=%ae', 'cms/riverside/pages/appointments')).toBe(editor);
    // Decap finishes its own work after the save (reloading the draft, replacing the address);
    // leaving before it has settled can leave the next entry's editor empty.
    await page.getByText('Changes saved', { exact: false }).waitFor({ timeout: 15_000 });
  });

  it('edits opening hours day by day, refusing a session that closes before it opens', async () => {
    step = 'opening-hours widget';
    // As a person would: back to the collections, then the profile.
    await page.evaluate(() => (location.hash = '#/collections/practice'));
    await page.locator('a[href="#/collections/practice/entries/profile"]').click();
    await page.getByLabel('ODS code').waitFor();
    await expect.poll(() => page.getByLabel('ODS code').inputValue(), { timeout: 15_000 }).toBe('Z99901');
    const frame = await previewFrame(page);
    await frame.locator('h1').waitFor({ timeout: 20_000 });
    expect(await frame.locator('h1').textContent()).toBe('Contact us and opening hours');
    // The online consultation's hours (each premises' hours are inside a folded list item).
    const hours = page.locator('.pd-hours:visible').first();
    await hours.waitFor();
    const closes = hours.getByLabel('Closes on Monday', { exact: true });
    await closes.fill('07:00');
    await closes.blur();
    const error = hours.locator('.pd-widget__error');
    await expect.poll(() => error.textContent()).toContain('Monday: the closing time (07:00) must be after the opening time (08:00)');
    expect(await closes.getAttribute('aria-invalid')).toBe('true');
    expect((await closes.getAttribute('aria-describedby'))!.split(' ')).toContain((await error.getAttribute('id'))!);
    await closes.fill('18:30');
    await expect.poll(() => error.count()).toBe(0);

    // Closing a day with the keyboard: the preview's hours table says so at once.
    const table = frame.locator('table', { has: frame.locator('caption', { hasText: 'When online consultation is open' }) });
    const mondayRow = table.locator('tr', { has: frame.locator('th', { hasText: 'Monday' }) });
    expect(await mondayRow.textContent()).toContain('8am to 6:30pm');
    await hours.getByLabel('Open on Monday').focus();
    await page.keyboard.press('Space');
    await expect.poll(() => mondayRow.textContent()).toContain('Closed');
    expect(await hours.getByLabel('Closes on Monday', { exact: true }).count()).toBe(0);
    await page.keyboard.press('Space');
    await expect.poll(() => mondayRow.textContent()).toContain('8am to 6:30pm');
    // A second session on Tuesday, which may not start before the first ends.
    await hours.getByRole('button', { name: 'Add a session on Tuesday' }).click();
    await hours.getByLabel('Opens on Tuesday, session 2').fill('13:00');
    await hours.getByLabel('Closes on Tuesday, session 2').fill('20:00');
    await hours.getByLabel('Closes on Tuesday, session 2').blur();
    await hours.getByLabel('Opens on Tuesday, session 2').focus();
    await hours.getByLabel('Opens on Tuesday, session 2').blur();
    await expect.poll(() => error.textContent()).toContain('Tuesday, session 2: it opens at 13:00, before the session before it closes (18:30)');
    await checkAccessibility(page, 'opening-hours widget with an error', ['.pd-hours']);
    await hours.getByRole('button', { name: 'Remove Tuesday session 2' }).click();
    await expect.poll(() => error.count()).toBe(0);
  });

  it('accepts an online service address only on its supplier\'s own hosts, and says why not', async () => {
    step = 'supplier-link widget';
    const link = page.locator('.pd-supplier-link__item').first();
    expect(await link.locator('legend').textContent()).toBe('Online service 1: Book or cancel an appointment in the NHS App');
    const supplier = link.getByLabel('Supplier');
    expect(await supplier.inputValue()).toBe('nhs-app');
    const address = link.getByLabel('Web address');
    const good = await address.inputValue();
    await address.fill('https://nhs-app.example.com/login');
    await address.blur();
    const error = link.locator('.pd-widget__error');
    await expect.poll(() => error.textContent()).toContain('"nhs-app.example.com" is not an address of NHS App: use an address on www.nhsapp.service.nhs.uk, access.login.nhs.uk');
    expect(await address.getAttribute('aria-invalid')).toBe('true');
    // The hint names the hosts allowed for the chosen supplier.
    expect(await link.locator(`#${await address.getAttribute('id')}-hint`).textContent()).toContain('addresses on www.nhsapp.service.nhs.uk or access.login.nhs.uk');
    await checkAccessibility(page, 'supplier-link widget with an error', ['.pd-supplier-link']);
    await address.fill('http://www.nhsapp.service.nhs.uk/login');
    await expect.poll(() => error.textContent()).toContain('Enter a secure web address starting with https://');
    await address.fill(good);
    await expect.poll(() => error.count()).toBe(0);
  });

  it('offers to switch practice, and signs out', async () => {
    step = 'switch and sign out';
    // Decap keeps its backups of unsaved changes in this browser (its database exists once it has run).
    await expect.poll(() => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).toContain('localforage');
    await page.getByRole('button', { name: 'Switch practice' }).click();
    await page.getByRole('heading', { level: 1, name: /Which practice.s website do you want to edit\?/ }).waitFor();
    expect(page.url()).toBe(`${origin}/cms/`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in to edit your website' }).waitFor();
    expect(await page.locator('main').textContent()).toContain('You have signed out.');
    // Nothing of the session, nor Decap's backups of unsaved changes, is left for the next person.
    await expect
      .poll(() => page.evaluate(async () => ({ session: sessionStorage.getItem('pd-portal-session'), decap: localStorage.getItem('decap-cms-user'), databases: (await indexedDB.databases()).map((d) => d.name) })))
      .toEqual({ session: null, decap: null, databases: [] });
  });

  it('takes someone who works on one practice straight to it', async () => {
    step = 'one practice';
    await page.getByLabel('Email address').fill(single);
    const before = (await newestMessageTo(outbox, single))?.file;
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await page.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor();
    await page.getByLabel('Code from the email').fill(await codeFor(single, before));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await passSecondStep(page, singleApp);
    const bar = page.getByRole('region', { name: 'Practice and account' });
    await bar.waitFor();
    expect(await bar.textContent()).toContain('Editing Fellside Surgery as practice manager');
    expect(await bar.getByRole('button', { name: 'Switch practice' }).count()).toBe(0);
    await page.locator('li > a[data-testid][href^="#/collections/"]').first().waitFor({ timeout: 20_000 });
    expect(gatewayCalls.at(-1)!.body.practice).toBe('fellside');

    // When the gateway stops accepting the sign-in, the page says so and offers to sign in again.
    refusingSignIn = true;
    await page.route(`${origin}/api/cms`, (route) =>
      route.fulfill({ status: 401, contentType: 'application/json', body: JSON.stringify({ error: 'unauthorised', message: 'your sign-in is not valid (expired); please sign in again' }) }),
    );
    await page.locator('li > a[data-testid="pages"]').click();
    const alert = bar.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Your sign-in has ended, sign in again.');
    // Decap's own message about the failed load carries the same words.
    await expect.poll(() => page.locator('.Toastify').textContent()).toContain('your sign-in has ended, sign in again');
    await checkAccessibility(page, 'the bar above Decap, sign-in ended', ['.pd-cms-bar']);
    await page.unroute(`${origin}/api/cms`);
    refusingSignIn = false;
    await bar.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in to edit your website' }).waitFor();
  });

  it('signs in with the link in the email, back on the content editor, and tells someone without a practice how to get access', async () => {
    step = 'sign-in link';
    await page.getByLabel('Email address').fill(newcomer);
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await page.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor();
    expect(await page.locator('main').textContent()).toContain('opening it signs you in to the content editor as well');
    await codeFor(newcomer);
    const mail = await newestMessageTo(outbox, newcomer);
    const link = extractLinks(mail!.text ?? '').find((l) => l.includes('/auth/v1/verify?'));
    expect(new URL(link!).searchParams.get('redirect_to')).toBe(`${origin}/cms/`);
    // The sign-in service's page asks for a press of its button (mail scanners open links too).
    await page.goto(link!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'You do not have access to a practice’s website yet' }).waitFor();
    expect(await page.locator('main').textContent()).toContain(`You are signed in as ${newcomer}`);
    // The tokens came in the address's fragment, and have left it.
    expect(page.url()).toBe(`${origin}/cms/`);
    await checkAccessibility(page, 'no access yet');
  });
});

describe('across every step', () => {
  it('found no WCAG 2.2 A/AA violations in our parts, console errors, CSP refusals or requests to another origin', () => {
    expect.soft(violations, `axe violations:\n${violations.join('\n')}`).toEqual([]);
    expect(problems, `browser problems:\n${problems.join('\n')}`).toEqual([]);
    expect([...origins].sort()).toEqual([origin, new URL(portal!.authUrl).origin].sort());
  });
});
