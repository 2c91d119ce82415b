// The portal's members and invitation pages in a real browser, against the real pieces started
// in-process: the embedded database, the local sign-in service (which the bundled supabase-js
// talks to), the portal API and the local server, each with its own temporary folders. A practice
// manager signs in with the code from the outbox, invites, meets a validation error, revokes a
// leaver; the invited person accepts in another browser. axe-core checks every step against
// WCAG 2.2 A/AA with the portal's CSP in force, and any console error or CSP refusal fails.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClient } from '@supabase/supabase-js';
import type { AxeResults, RunOptions } from 'axe-core';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../build/node/settings.ts';
import { portalCsp } from '../build/portal/build-portal.ts';
import { revisionStore } from '../build/publish/revision-store.ts';
import { startDevServer, type DevServer } from '../build/serve/dev-server.ts';
import { startLocalPortal, type LocalPortal } from '../build/serve/local-portal.ts';
import { extractLinks } from '../lib/email/eml.ts';
import { newestMessageTo, type OutboxMessage } from '../lib/email/outbox-node.ts';
import { enrolAuthenticator, passSecondStep, type TestAuthenticator } from './support/authenticator.ts';
import { get, repo } from './support/demo-site.ts';
import { launchChromium, signInCode } from './support/portal-rig.ts';

/** What axe-core defines on the page once its source has been evaluated there. */
declare const axe: { run(context: Document, options: RunOptions): Promise<AxeResults> };
const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

const manager = 'manager@riverside.example.nhs.uk';
const leaver = 'leaver@riverside.example.nhs.uk';
const newEditor = 'new.editor@riverside.example.nhs.uk';
const locum = 'locum@riverside.example.nhs.uk';
const practiceName = 'Riverside Medical Practice';

let managerApp: TestAuthenticator;
let tmp: string;
let outbox: string;
let server: DevServer;
let portal: LocalPortal | undefined;
let origin: string;
let browser: Browser;
let managerContext: BrowserContext;
let page: Page;
let axeSource: string;
let acceptLink = '';
/** The local sign-in service's clock offset: the seeding sign-in happens "two minutes ago". */
let authOffsetMs = -120_000;

/** Console errors, uncaught exceptions, CSP refusals, failed loads and HTTP errors, with the step they happened in. */
const problems: string[] = [];
/** axe violations, one line per rule and element, with the step they were found in. */
const violations: string[] = [];
let step = 'start';

function watch(p: Page, who: string) {
  p.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${who} / ${step}: console error: ${m.text()}`);
  });
  p.on('pageerror', (e) => problems.push(`${who} / ${step}: uncaught ${e.name}: ${e.message}`));
  p.on('requestfailed', (r) => problems.push(`${who} / ${step}: request failed: ${r.url()} (${r.failure()?.errorText ?? 'unknown'})`));
  p.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${who} / ${step}: HTTP ${r.status()} for ${r.url()}`);
  });
}

async function newContext(): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Evaluated through the DevTools protocol, so the page's CSP does not apply to this listener.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline code'}`);
    });
  });
  return context;
}

/** Runs axe-core in the page (injected through the DevTools protocol, so the CSP stays in force). */
async function checkAccessibility(p: Page, label: string) {
  // Results of a step are announced after a short delay; let the page settle first.
  await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 100))));
  await p.evaluate(axeSource);
  const found = await p.evaluate(async (values) => {
    const r = await axe.run(document, { runOnly: { type: 'tag', values } });
    return r.violations.flatMap((v) => v.nodes.map((n) => `[${v.impact ?? ''}] ${v.id}: ${v.help}\n    ${n.target.join(' ')}  ${n.html.slice(0, 160)}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`));
  }, wcagTags);
  for (const v of found) violations.push(`${label}: ${v}`);
}

/** The newest sign-in code sent to an address after `since` (the file name of the newest message before). */
const codeFor = (email: string, since?: string): Promise<string> => signInCode(outbox, email, since);

/** The sign-in steps as a person does them: email, "Send me a code", the code from the outbox, "Sign in". */
async function signInThroughPage(p: Page, email: string) {
  const before = (await newestMessageTo(outbox, email))?.file;
  await p.getByRole('heading', { level: 1, name: /^Sign in/ }).waitFor();
  await p.getByLabel('Email address').fill(email);
  await p.getByRole('button', { name: 'Send me a code' }).click();
  await p.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor();
  await expect.poll(() => p.locator('main').textContent()).toContain('We have sent a 6-digit code to');
  expect(await p.locator('main').textContent()).toContain('The email also has a sign-in link');
  await p.getByLabel('Code from the email').fill(await codeFor(email, before));
  await p.getByRole('button', { name: 'Sign in', exact: true }).click();
  // A practice manager also enters the code from their authenticator app.
  if (email === manager) await passSecondStep(p, managerApp);
}

const membersTable = (p: Page) => p.locator('table[aria-labelledby="members-heading"]');
const invitationsTable = (p: Page) => p.locator('table[aria-labelledby="invitations-heading"]');
/** The live region that announces results (they are also shown in the success banner). */
const status = (p: Page) => p.locator('#status');
const banner = (p: Page) => p.locator('.nhsuk-notification-banner');

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pd-portal-ui-'));
  outbox = path.join(tmp, 'outbox');
  // The server first (port 0), so the portal knows its own address for links and CORS.
  server = await startDevServer({
    store: revisionStore(path.join(tmp, 'store')),
    host: '127.0.0.1',
    port: 0,
    practices: () => [],
    apps: { portal: (req, res) => (portal ? portal.listener(req, res) : res.writeHead(503).end('Starting\n')) },
  });
  const settings = loadSettings(repo, {
    PD_PORT: String(server.port),
    PD_STORE_DIR: path.join(tmp, 'store'),
    PD_DIST_DIR: path.join(tmp, 'dist'),
    PD_DATABASE_DIR: path.join(tmp, 'db'),
    PD_OUTBOX_DIR: outbox,
  });
  portal = await startLocalPortal(repo, settings, 0, { portalDir: path.join(tmp, 'portal'), authNow: () => Date.now() + authOffsetMs });
  origin = server.origin('portal');

  // The manager's user id is the sign-in service's: sign them in once (two minutes "ago", so the
  // page may ask for a new code at once), then, as the database owner, make them riverside's
  // manager (and fellside's auditor, so they choose a practice first).
  const sb = createClient(portal.authUrl, portal.anonKey, { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } });
  expect((await sb.auth.signInWithOtp({ email: manager })).error).toBeNull();
  const verified = await sb.auth.verifyOtp({ email: manager, token: await codeFor(manager), type: 'email' });
  expect(verified.error).toBeNull();
  // Practice managers must sign in with a second factor: Mina has set up an authenticator app.
  managerApp = await enrolAuthenticator(sb, () => Date.now() + authOffsetMs);
  authOffsetMs = 0;
  await portal.database.owner.query(
    `insert into public.members (practice_id, user_id, email, name, role)
     select id, $1, $2, 'Mina Manager', 'practice_manager'::public.member_role from public.practices where slug = 'riverside'
     union all
     select id, gen_random_uuid(), $3, 'Lee Leaver', 'editor'::public.member_role from public.practices where slug = 'riverside'
     union all
     select id, $1, $2, 'Mina Manager', 'auditor'::public.member_role from public.practices where slug = 'fellside'`,
    [verified.data.user!.id, manager, leaver],
  );

  axeSource = await readFile(path.join(repo, 'node_modules/axe-core/axe.min.js'), 'utf8');
  browser = await launchChromium();
  managerContext = await newContext();
  page = await managerContext.newPage();
  watch(page, 'manager');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await portal?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('the portal on its own origin', () => {
  it('serves its pages with its own CSP and headers, redirects / to the members page, and keeps the API under /api/', async () => {
    const members = await get(server, 'portal', '/members/');
    expect(members.status).toBe(200);
    const csp = `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self' ${portal!.authUrl}; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;
    expect(portalCsp(portal!.authUrl)).toBe(csp);
    expect(members.headers['content-security-policy']).toBe(csp);
    expect(members.headers['x-content-type-options']).toBe('nosniff');
    expect(members.headers['referrer-policy']).toBe('no-referrer');
    expect(members.headers['x-frame-options']).toBe('DENY');
    expect(members.headers['permissions-policy']).toContain('camera=()');
    expect(members.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(members.headers['strict-transport-security']).toContain('max-age=63072000');
    // Nothing inline: every script and stylesheet is a file on the portal's own origin.
    expect(members.body).toMatch(/<script type="module" src="\/assets\/js\/members-[A-Z0-9]+\.js"><\/script>/);
    expect(members.body).not.toMatch(/<script>|<style|\sstyle=/);

    const root = await get(server, 'portal', '/');
    expect(root.status).toBe(302);
    expect(root.headers.location).toBe('/members/');
    expect((await get(server, 'portal', '/accept/')).headers['content-security-policy']).toBe(csp);
    const config = await get(server, 'portal', '/portal-config.json');
    expect(JSON.parse(config.body)).toEqual({ authUrl: portal!.authUrl, anonKey: portal!.anonKey });
    expect(config.headers['cache-control']).toBe('no-store');
    expect((await get(server, 'portal', '/nowhere')).status).toBe(404);

    const api = await get(server, 'portal', '/api/practices');
    expect(api.status).toBe(401);
    expect(JSON.parse(api.body)).toMatchObject({ error: 'unauthorised' });
  });
});

describe('the members page in Chromium', () => {
  it('signs a practice manager in with the code from the outbox and lists the members', async () => {
    step = 'members: sign in';
    await page.goto(`${origin}/`);
    expect(page.url()).toBe(`${origin}/members/`);
    await page.getByRole('heading', { level: 1, name: 'Sign in to manage members' }).waitFor();
    await checkAccessibility(page, 'members: sign-in step');

    // A wrong address format is caught before anything is sent.
    await page.getByLabel('Email address').fill('manager.riverside');
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await expect.poll(() => page.locator('.nhsuk-error-summary').textContent()).toContain('Enter an email address in the correct format, like name@example.nhs.uk');
    expect(await page.title()).toMatch(/^Error: /);
    await checkAccessibility(page, 'members: sign-in step with an error');

    await signInThroughPage(page, manager);
    step = 'members: choose a practice';
    await page.getByRole('heading', { level: 1, name: 'Which practice do you want to see?' }).waitFor();
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.locator('.nhsuk-error-summary').textContent()).toContain('Select the practice you want to see');
    await checkAccessibility(page, 'members: practice choice with an error');
    await page.getByLabel(`${practiceName} (practice manager)`).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    step = 'members: list';
    await expect.poll(() => page.url()).toBe(`${origin}/members/?practice=riverside`);
    await membersTable(page).waitFor();
    expect(await page.locator('h1').textContent()).toContain('Members');
    const rows = await membersTable(page).locator('tbody tr').allTextContents();
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.includes(manager))).toMatch(/Practice manager[\s\S]*No end date[\s\S]*This is you/);
    expect(rows.find((r) => r.includes(leaver))).toMatch(/Editor[\s\S]*No end date/);
    expect(await page.getByRole('button', { name: `Revoke access for ${leaver}` }).isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: 'Invite someone' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Choose another practice' }).isVisible()).toBe(true);
    // The session lives in this tab's sessionStorage only.
    expect(await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.getItem('pd-portal-session') !== null }))).toEqual({ local: 0, session: true });
    await checkAccessibility(page, 'members: list (manager)');
  });

  it('invites an editor, whose email carries the accept link', async () => {
    step = 'members: invite an editor';
    const hours = page.getByLabel('How many hours should their access last?');
    expect(await hours.isVisible()).toBe(false);
    await page.getByLabel('Email address').fill(newEditor);
    await page.getByLabel('Role').selectOption('editor');
    expect(await hours.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await banner(page).getByText(`Invitation sent to ${newEditor}.`).waitFor();
    expect(await banner(page).textContent()).toContain('They will be an editor once they accept it.');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('nhsuk-notification-banner'))).toBe(true);
    await expect.poll(() => status(page).textContent()).toContain(`Invitation sent to ${newEditor}.`);
    expect(await invitationsTable(page).textContent()).toMatch(new RegExp(`${newEditor.replace(/\./g, '\\.')}[\\s\\S]*Editor`));

    const mail: OutboxMessage | undefined = await newestMessageTo(outbox, newEditor);
    expect(mail?.subject).toBe('You have been invited to work on the riverside website');
    acceptLink = extractLinks(mail!.text ?? '').find((l) => l.startsWith(`${origin}/accept/#token=`)) ?? '';
    expect(acceptLink, mail?.text).toMatch(/#token=[A-Za-z0-9_-]{40,}$/);
    await checkAccessibility(page, 'members: after inviting');
  });

  it('refuses an urgent publisher for 96 hours with a message that says how to fix it, then invites for 24', async () => {
    step = 'members: urgent publisher';
    await page.getByLabel('Email address').fill(locum);
    await page.getByLabel('Role').selectOption('urgent_publisher');
    const hours = page.getByLabel('How many hours should their access last?');
    expect(await hours.isVisible()).toBe(true);
    await hours.fill('96');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    const message = "An urgent publisher's access can last at most 72 hours: enter a number from 1 to 72";
    expect(await summary.textContent()).toContain(message);
    expect(await page.evaluate(() => document.activeElement?.classList.contains('nhsuk-error-summary'))).toBe(true);
    expect(await page.locator('#invite-hours-error').textContent()).toContain(message);
    expect(await hours.getAttribute('aria-describedby')).toBe('invite-hours-hint invite-hours-error');
    expect(await newestMessageTo(outbox, locum)).toBeUndefined();
    await checkAccessibility(page, 'members: invite form with an error');

    // The summary's link takes the keyboard to the field to fix.
    await summary.getByRole('link').click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('invite-hours');
    await hours.fill('24');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await banner(page).getByText(`Invitation sent to ${locum}.`).waitFor();
    expect(await page.locator('.nhsuk-error-summary').count()).toBe(0);
    expect(await invitationsTable(page).textContent()).toContain(locum);
  });

  it('reflows at 320 CSS pixels wide (400% zoom) without scrolling sideways', async () => {
    step = 'members: reflow';
    await page.setViewportSize({ width: 320, height: 640 });
    try {
      const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
      expect(scroll, `scrollWidth ${scroll} > clientWidth ${client}`).toBeLessThanOrEqual(client + 1);
      await checkAccessibility(page, 'members: list at 320 pixels');
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('revokes a leaver, after a confirmation, with the keyboard only', async () => {
    step = 'members: revoke';
    await page.getByRole('button', { name: `Revoke access for ${leaver}` }).focus();
    await page.keyboard.press('Enter');
    const heading = page.getByRole('heading', { level: 1, name: `Revoke access for ${leaver}?` });
    await heading.waitFor();
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    expect(await page.locator('main').textContent()).toContain('their very next request is refused');
    await checkAccessibility(page, 'members: revoke confirmation');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Yes, revoke access');
    await page.keyboard.press('Enter');
    await banner(page).getByText(`${leaver} no longer has access to ${practiceName}.`).waitFor();
    await expect.poll(() => status(page).textContent()).toBe(`${leaver} no longer has access to ${practiceName}.`);
    expect(await membersTable(page).textContent()).not.toContain(leaver);
    expect(await membersTable(page).locator('tbody tr').count()).toBe(1);
  });
});

describe('the invitation page in Chromium', () => {
  let invited: BrowserContext;
  let p: Page;
  const requests: { url: string; body: string | null }[] = [];

  it('signs the invited person in, accepts with the token from the fragment, and says what they now are', async () => {
    step = 'accept';
    invited = await newContext();
    p = await invited.newPage();
    watch(p, 'invited');
    p.on('request', (r) => requests.push({ url: r.url(), body: r.postData() }));
    await p.goto(acceptLink);
    await p.getByRole('heading', { level: 1, name: 'Sign in to accept your invitation' }).waitFor();
    await checkAccessibility(p, 'accept: sign-in step');
    await signInThroughPage(p, newEditor);
    await p.getByRole('heading', { level: 1, name: 'Accept your invitation' }).waitFor();
    expect(await p.locator('main').textContent()).toContain(`You are signed in as ${newEditor}.`);
    await checkAccessibility(p, 'accept: confirm step');
    await p.getByRole('button', { name: 'Accept the invitation' }).click();
    await p.getByRole('heading', { level: 1, name: 'Invitation accepted' }).waitFor();
    expect(await p.locator('.nhsuk-panel').textContent()).toContain(`You are now an editor at ${practiceName}.`);
    await expect.poll(() => status(p).textContent()).toContain('editor at Riverside');
    await checkAccessibility(p, 'accept: accepted');

    // The token went to a server only in the body of the accept request, and has left the address bar.
    const token = new URL(acceptLink).hash.slice('#token='.length);
    expect(requests.filter((r) => r.url.includes(token))).toEqual([]);
    const posts = requests.filter((r) => r.body?.includes(token));
    expect(posts.map((r) => r.url)).toEqual([`${origin}/api/invitations/accept`]);
    expect(p.url()).toBe(`${origin}/accept/`);
  });

  it('shows the members read-only to someone who is not a practice manager', async () => {
    step = 'members: read-only';
    await p.getByRole('link', { name: `See who works on ${practiceName}` }).click();
    await membersTable(p).waitFor();
    expect(await p.locator('main').textContent()).toContain('Only practice managers can change who has access to this practice.');
    expect(await membersTable(p).textContent()).toMatch(new RegExp(`${newEditor.replace(/\./g, '\\.')}[\\s\\S]*Editor`));
    expect(await p.getByRole('button', { name: /^Revoke access/ }).count()).toBe(0);
    expect(await p.getByRole('heading', { name: 'Invite someone' }).count()).toBe(0);
    // Invitations are for practice managers' eyes only (the API gives others none).
    expect(await p.getByRole('heading', { name: 'Invitations waiting to be accepted' }).count()).toBe(0);
    await checkAccessibility(p, 'members: list (editor, read-only)');
    await invited.close();
  });

  it("shows the manager the new editor after a reload (the tab's session survives it), and signs out", async () => {
    step = 'members: reload and sign out';
    await page.reload();
    await membersTable(page).waitFor();
    expect(await membersTable(page).textContent()).toContain(newEditor);
    expect(await invitationsTable(page).textContent()).not.toContain(newEditor);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in to manage members' }).waitFor();
    expect(await page.locator('main').textContent()).toContain('You have signed out.');
    expect(await page.evaluate(() => sessionStorage.getItem('pd-portal-session'))).toBeNull();
    expect(page.url()).toBe(`${origin}/members/`);
  });
});

describe('the sign-in link in the email', () => {
  it('signs in on the members page too, and someone only invited is told how to get access', async () => {
    step = 'members: sign-in link';
    const context = await newContext();
    const p = await context.newPage();
    watch(p, 'locum');
    await p.goto(`${origin}/members/`);
    await p.getByLabel('Email address').fill(locum);
    await p.getByRole('button', { name: 'Send me a code' }).click();
    await p.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor();
    const mail = await newestMessageTo(outbox, locum);
    expect(mail?.subject).toBe('Your sign-in code for Practice Digital');
    const link = extractLinks(mail!.text ?? '').find((l) => l.includes('/auth/v1/verify?'));
    expect(new URL(link!).searchParams.get('redirect_to')).toBe(`${origin}/members/`);
    // The sign-in service's page asks for a press of its button (mail scanners open links too).
    await p.goto(link!);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('heading', { level: 1, name: 'You do not have access to a practice yet' }).waitFor();
    expect(await p.locator('main').textContent()).toContain('open the link in your invitation email to accept it');
    // supabase-js took the tokens from the fragment and cleared it.
    expect(p.url()).toBe(`${origin}/members/`);
    await checkAccessibility(p, 'members: signed in, no access yet');
    await context.close();
  });
});

describe('across every step', () => {
  it('found no WCAG 2.2 A/AA violations, console errors or CSP refusals', () => {
    expect.soft(violations, `axe violations:\n${violations.join('\n')}`).toEqual([]);
    expect(problems, `browser problems:\n${problems.join('\n')}`).toEqual([]);
  });
});
