// Two-step sign-in in a real browser: a demo practice manager is refused the dashboard with only
// an email code, sets up an authenticator app on the account page (the QR code drawn in the page,
// the key read from it and fed to a real TOTP generator), then signs in again with the email code
// and the app's code and gets in. axe finds no WCAG 2.2 A/AA violations on the new steps.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Secret, TOTP } from 'otpauth';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings, type Settings } from '../build/node/settings.ts';
import { revisionStore } from '../build/publish/revision-store.ts';
import { demoMembers } from '../build/serve/demo-members.ts';
import { startDevServer, type DevServer } from '../build/serve/dev-server.ts';
import { startLocalPortal, type LocalPortal } from '../build/serve/local-portal.ts';
import { extractCode } from '../lib/email/eml.ts';
import { newestMessageTo } from '../lib/email/outbox-node.ts';
import { contentRepo, type ContentRepo } from './support/content-repo.ts';
import { repo } from './support/demo-site.ts';

const manager = demoMembers.find((m) => m.role === 'practice_manager' && m.practice === 'riverside')!;

let tmp: string;
let content: ContentRepo;
let settings: Settings;
let server: DevServer;
let portal: LocalPortal | undefined;
let browser: Browser;
let origin: string;
let key = '';

async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(await readFile(path.join(repo, 'node_modules/axe-core/axe.min.js'), 'utf8'));
  return page.evaluate(async () => {
    const r = await (globalThis as any).axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return r.violations.map((v: { id: string; help: string }) => `${v.id}: ${v.help}`);
  });
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pd-mfa-portal-'));
  content = await contentRepo(['riverside']);
  server = await startDevServer({
    store: revisionStore(path.join(tmp, 'store')),
    host: '127.0.0.1',
    port: 0,
    practices: () => [],
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
  // The manager signs in three times within a minute; the sign-in service allows one code a minute by default.
  portal = await startLocalPortal(repo, settings, 0, { portalDir: path.join(tmp, 'portal'), demoMembers: true, log: () => {}, authResendIntervalMs: 0 });
  origin = server.origin('portal');
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await portal?.close();
  await server?.close();
  await content?.remove();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function emailCode(page: Page, at: string, heading: string): Promise<void> {
  await page.goto(`${origin}${at}`);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor({ timeout: 30_000 });
  const before = (await newestMessageTo(settings.outboxDir, manager.email))?.file;
  await page.getByLabel('Email address').fill(manager.email);
  await page.getByRole('button', { name: 'Send me a code' }).click();
  let code: string | undefined;
  for (let i = 0; i < 200 && !code; i++) {
    const m = await newestMessageTo(settings.outboxDir, manager.email);
    if (m && m.file !== before) code = extractCode(m.text ?? '') ?? undefined;
    else await new Promise((r) => setTimeout(r, 50));
  }
  await page.getByLabel('Code from the email').fill(code!);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

const totp = (at = Date.now()) => new TOTP({ secret: Secret.fromBase32(key.replace(/\s+/g, '')), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: at });

describe('two-step sign-in for a practice manager', () => {
  it('refuses the dashboard to a session with only the email code, and says where to set it up', async () => {
    const page = await browser.newPage();
    await emailCode(page, '/dashboard/', 'Sign in to see your practice dashboard');
    await page.getByText(/You must sign in with a second step as a practice manager/).waitFor({ timeout: 30_000 });
    expect(await page.locator('main').textContent()).toContain('/account/');
    await page.close();
  }, 90_000);

  it('sets up an authenticator app on the account page, refusing a wrong code first', async () => {
    const page = await browser.newPage();
    await emailCode(page, '/account/', 'Sign in to set up two-step sign-in');
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    await page.getByRole('heading', { level: 1, name: 'Set up your authenticator app' }).waitFor();
    expect(await page.getByRole('img', { name: /QR code/ }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    key = (await page.locator('#totp-key').textContent()) ?? '';
    expect(key.replace(/\s/g, '')).toMatch(/^[A-Z2-7]{16,}$/);
    await page.getByRole('textbox', { name: 'Code from your authenticator app' }).fill(totp(Date.now() + 10 * 60_000));
    await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    await page.locator('.nhsuk-error-summary').waitFor();
    expect(await page.locator('.nhsuk-error-summary').textContent()).toContain('That code is not right');
    await page.getByRole('textbox', { name: 'Code from your authenticator app' }).fill(totp());
    await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    await page.getByText('Two-step sign-in is on').first().waitFor({ timeout: 15_000 });
    await page.close();
  }, 90_000);

  it('then signs in with the email code and the app, and gets into the dashboard', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await emailCode(page, '/dashboard/', 'Sign in to see your practice dashboard');
    await page.getByRole('heading', { level: 1, name: 'Enter the code from your authenticator app' }).waitFor({ timeout: 30_000 });
    expect(await axeViolations(page)).toEqual([]);
    // The next period's code: the one used to set up may not be used twice.
    await page.getByRole('textbox', { name: 'Code from your authenticator app' }).fill(totp(Date.now() + 30_000));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('Meets every legal requirement checked').waitFor({ timeout: 30_000 });
    await context.close();
  }, 90_000);

  it('left a trail in the security log: the refusal, the wrong code, the set-up and the sign-ins, with no secret in it', async () => {
    const rows = await portal!.database.owner.query<{ kind: string; email: string | null; detail: unknown }>('select kind, email, detail from public.security_events order by id');
    const kinds = rows.filter((r) => r.email === manager.email || r.kind === 'mfa.required').map((r) => r.kind);
    for (const kind of ['sign_in', 'mfa.required', 'mfa_failed', 'mfa_factor_enrolled', 'mfa_verified']) expect(kinds, kind).toContain(kind);
    const text = JSON.stringify(rows);
    expect(text).not.toContain(key.replace(/\s/g, ''));
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
  });
});
