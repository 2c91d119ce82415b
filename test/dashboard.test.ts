// The practice dashboard in a real browser: a practice manager signs in with the code from the
// outbox and their authenticator app, and sees the compliance state, what is due for review, a
// change waiting for a reviewer, recent changes with the way back, and the members; a broken
// legal requirement then shows with its fix. axe finds no WCAG 2.2 A/AA violations in either state.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoMembers } from '../build/serve/demo-members.ts';
import { enrolByEmail, passSecondStep, type TestAuthenticator } from './support/authenticator.ts';
import { contentRepo, type ContentRepo } from './support/content-repo.ts';
import { axeViolations, launchChromium, quietClient, signInWithEmail, startPortalRig, type PortalRig } from './support/portal-rig.ts';

const manager = demoMembers.find((m) => m.role === 'practice_manager' && m.practice === 'riverside')!;
const profile = 'content/practices/riverside/practice.yml';

let content: ContentRepo;
let rig: PortalRig;
let browser: Browser;
let page: Page;
let managerApp: TestAuthenticator;
const problems: string[] = [];

beforeAll(async () => {
  content = await contentRepo(['riverside']);
  // A change waiting for review, as the editor's CMS leaves it: a save, then a status commit.
  const carers = 'content/practices/riverside/pages/carers.md';
  content.git('checkout', '-q', '-b', 'cms/riverside/pages/carers');
  await writeFile(path.join(content.dir, carers), content.show('main', carers) + '\nCarers can ask for a longer appointment.\n');
  content.git('-c', 'user.name=Erin Editor', '-c', 'user.email=erin@example.nhs.uk', 'commit', '-q', '-am', 'Update "Carers"\n\nPractice: riverside\nRole: editor\nEntry: pages/carers');
  content.git('commit', '-q', '--allow-empty', '-m', 'Ask for review of "Carers"\n\nPractice: riverside\nRole: editor\nEntry: pages/carers\nDraft-action: status\nStatus: pending_review');
  content.git('checkout', '-q', 'main');
  // The manager signs in twice within a minute (setting up the app, then the page).
  rig = await startPortalRig({ name: 'dashboard', contentRoot: content.dir, portal: { demoMembers: true, authResendIntervalMs: 0 } });
  // Practice managers must use a second factor: this one has set up an authenticator app.
  managerApp = await enrolByEmail(quietClient(rig.portal), rig.settings.outboxDir, manager.email);
  browser = await launchChromium();
  page = await browser.newPage();
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await rig?.close();
  await content?.remove();
});

describe('the practice dashboard', () => {
  it("shows a practice manager the practice's state, with the ways back", async () => {
    await page.goto(`${rig.origin}/dashboard/`);
    await page.getByRole('heading', { level: 1, name: 'Sign in to see your practice dashboard' }).waitFor();
    await signInWithEmail(page, rig.settings.outboxDir, manager.email);
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
    expect(await axeViolations(page)).toEqual([]);
  }, 90_000);

  it('shows a broken legal requirement with what to fix and where', async () => {
    await writeFile(path.join(content.dir, profile), content.show('main', profile).replace(/leaflet:\n  last_reviewed: [0-9-]+/, 'leaflet:\n  last_reviewed: 2024-01-15'));
    content.git('commit', '-q', '-am', 'An old leaflet date');
    await page.reload();
    // The page's own "Loading" heading comes first; the compliance summary only once it has loaded.
    await page.getByText('1 legal requirement not met').waitFor({ timeout: 30_000 });
    const card = page.locator('.nhsuk-card', { hasText: 'Practice leaflet, reviewed at least every 12 months' });
    expect(await card.textContent()).toMatch(/Must fix.*last reviewed on 2024-01-15, more than 12 months ago.*How to fix: check the leaflet page.*In content\/practices\/riverside\/practice\.yml, leaflet\.last_reviewed/);
    expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  }, 60_000);
});
