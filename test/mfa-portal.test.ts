// Two-step sign-in in a real browser: a demo practice manager is refused the dashboard with only
// an email code, sets up an authenticator app on the account page (the QR code drawn in the page,
// the key read from it and fed to a real TOTP generator), then signs in again with the email code
// and the app's code and gets in. axe finds no WCAG 2.2 A/AA violations on the new steps.
import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoMembers } from '../build/serve/demo-members.ts';
import { contentRepo, type ContentRepo } from './support/content-repo.ts';
import { axeViolations, launchChromium, signInWithEmail, startPortalRig, type PortalRig } from './support/portal-rig.ts';

const manager = demoMembers.find((m) => m.role === 'practice_manager' && m.practice === 'riverside')!;

let content: ContentRepo;
let rig: PortalRig;
let browser: Browser;
let key = '';

beforeAll(async () => {
  content = await contentRepo(['riverside']);
  // The manager signs in three times within a minute; the sign-in service allows one code a minute by default.
  rig = await startPortalRig({ name: 'mfa-portal', contentRoot: content.dir, portal: { demoMembers: true, authResendIntervalMs: 0 } });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await rig?.close();
  await content?.remove();
});

async function emailCode(page: Page, at: string, heading: string): Promise<void> {
  await page.goto(`${rig.origin}${at}`);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor({ timeout: 30_000 });
  await signInWithEmail(page, rig.settings.outboxDir, manager.email);
}

const totp = (at = Date.now()) => new TOTP({ secret: Secret.fromBase32(key.replace(/\s+/g, '')), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: at });
const codeField = (page: Page) => page.getByRole('textbox', { name: 'Code from your authenticator app' });

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
    await codeField(page).fill(totp(Date.now() + 10 * 60_000));
    await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    await page.locator('.nhsuk-error-summary').waitFor();
    expect(await page.locator('.nhsuk-error-summary').textContent()).toContain('That code is not right');
    await codeField(page).fill(totp());
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
    await codeField(page).fill(totp(Date.now() + 30_000));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('Meets every legal requirement checked').waitFor({ timeout: 30_000 });
    await context.close();
  }, 90_000);

  it('left a trail in the security log: the refusal, the wrong code, the set-up and the sign-ins, with no secret in it', async () => {
    const rows = await rig.portal.database.owner.query<{ kind: string; email: string | null; detail: unknown }>('select kind, email, detail from public.security_events order by id');
    const kinds = rows.filter((r) => r.email === manager.email || r.kind === 'mfa.required').map((r) => r.kind);
    for (const kind of ['sign_in', 'mfa.required', 'mfa_failed', 'mfa_factor_enrolled', 'mfa_verified']) expect(kinds, kind).toContain(kind);
    const text = JSON.stringify(rows);
    expect(text).not.toContain(key.replace(/\s/g, ''));
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
  });
});
