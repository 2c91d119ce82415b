// The practice dashboard in a real browser: a practice manager signs in with the code from the
// outbox and sees the compliance state, what is due for review, a change waiting for a reviewer,
// recent changes with the way back, and the members; a broken legal requirement then shows with
// its fix. axe finds no WCAG 2.2 A/AA violations in either state.
import { writeFile } from 'node:fs/promises';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings, type Settings } from '../build/node/settings.ts';
import { demoMembers } from '../build/serve/demo-members.ts';
import { startDevServer, type DevServer } from '../build/serve/dev-server.ts';
import { startLocalPortal, type LocalPortal } from '../build/serve/local-portal.ts';
import { revisionStore } from '../build/publish/revision-store.ts';
import { extractCode } from '../lib/email/eml.ts';
import { newestMessageTo } from '../lib/email/outbox-node.ts';
import { createClient } from '@supabase/supabase-js';
import { enrolByEmail, passSecondStep, type TestAuthenticator } from './support/authenticator.ts';
import { contentRepo, type ContentRepo } from './support/content-repo.ts';
import { repo } from './support/demo-site.ts';

const manager = demoMembers.find((m) => m.role === 'practice_manager' && m.practice === 'riverside')!;
const profile = 'content/practices/riverside/practice.yml';

let tmp: string;
let content: ContentRepo;
let settings: Settings;
let server: DevServer;
let portal: LocalPortal | undefined;
let browser: Browser;
let page: Page;
let managerApp: TestAuthenticator;
let origin: string;
const problems: string[] = [];

async function axeViolations(): Promise<string[]> {
  await page.evaluate(await readFile(path.join(repo, 'node_modules/axe-core/axe.min.js'), 'utf8'));
  return page.evaluate(async () => {
    const r = await (globalThis as any).axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return r.violations.map((v: { id: string; help: string }) => `${v.id}: ${v.help}`);
  });
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pd-dashboard-'));
  content = await contentRepo(['riverside']);
  // A change waiting for review, as the editor's CMS leaves it: a save, then a status commit.
  const carers = 'content/practices/riverside/pages/carers.md';
  content.git('checkout', '-q', '-b', 'cms/riverside/pages/carers');
  await writeFile(path.join(content.dir, carers), content.show('main', carers) + '\nCarers can ask for a longer appointment.\n');
  content.git('-c', 'user.name=Erin Editor', '-c', 'user.email=erin@example.nhs.uk', 'commit', '-q', '-am', 'Update "Carers"\n\nPractice: riverside\nRole: editor\nEntry: pages/carers');
  content.git('commit', '-q', '--allow-empty', '-m', 'Ask for review of "Carers"\n\nPractice: riverside\nRole: editor\nEntry: pages/carers\nDraft-action: status\nStatus: pending_review');
  content.git('checkout', '-q', 'main');
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
  // The manager signs in twice within a minute (setting up the app, then the page).
  portal = await startLocalPortal(repo, settings, 0, { portalDir: path.join(tmp, 'portal'), demoMembers: true, log: () => {}, authResendIntervalMs: 0 });
  // Practice managers must use a second factor: this one has set up an authenticator app.
  const sb = createClient(portal.authUrl, portal.anonKey, { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } });
  managerApp = await enrolByEmail(sb, settings.outboxDir, manager.email);
  origin = server.origin('portal');
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage();
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await portal?.close();
  await server?.close();
  await content?.remove();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function codeFor(email: string, since?: string): Promise<string> {
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    const m = await newestMessageTo(settings.outboxDir, email);
    if (m && m.file !== since && m.subject === 'Your sign-in code for Practice Digital') {
      const code = extractCode(m.text ?? '');
      if (code) return code;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no new sign-in code for ${email} in the outbox`);
}

describe('the practice dashboard', () => {
  it("shows a practice manager the practice's state, with the ways back", async () => {
    await page.goto(`${origin}/dashboard/`);
    await page.getByRole('heading', { level: 1, name: 'Sign in to see your practice dashboard' }).waitFor();
    const before = (await newestMessageTo(settings.outboxDir, manager.email))?.file;
    await page.getByLabel('Email address').fill(manager.email);
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await page.getByLabel('Code from the email').fill(await codeFor(manager.email, before));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await passSecondStep(page, managerApp);
    await page.getByText('Meets every legal requirement checked').waitFor({ timeout: 30_000 });
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Riverside Medical Practice: Practice dashboard');
    const waiting = page.locator('table', { has: page.locator('th', { hasText: 'Last changed' }) });
    expect(await waiting.textContent()).toMatch(/pages\/carers.*Waiting for review.*Erin Editor/);
    const changes = page.locator('table', { has: page.locator('th', { hasText: 'Approved by' }) });
    expect(await changes.getByRole('button', { name: /Restore/ }).count()).toBeGreaterThan(0);
    const members = page.locator('table', { has: page.locator('th', { hasText: 'People' }) });
    expect(await members.textContent()).toContain('Practice manager');
    expect(await page.getByRole('button', { name: 'Download all content (JSON)' }).count()).toBe(1);
    expect(await axeViolations()).toEqual([]);
  }, 90_000);

  it('shows a broken legal requirement with what to fix and where', async () => {
    await writeFile(path.join(content.dir, profile), content.show('main', profile).replace(/leaflet:\n  last_reviewed: [0-9-]+/, 'leaflet:\n  last_reviewed: 2024-01-15'));
    content.git('commit', '-q', '-am', 'An old leaflet date');
    await page.reload();
    // The page's own "Loading" heading comes first; the compliance summary only once it has loaded.
    await page.getByText('1 legal requirement not met').waitFor({ timeout: 30_000 });
    const card = page.locator('.nhsuk-card', { hasText: 'Practice leaflet, reviewed at least every 12 months' });
    expect(await card.textContent()).toMatch(/Must fix.*last reviewed on 2024-01-15, more than 12 months ago.*How to fix: check the leaflet page.*In content\/practices\/riverside\/practice\.yml, leaflet\.last_reviewed/);
    expect(await axeViolations()).toEqual([]);
    expect(problems).toEqual([]);
  }, 60_000);
});
