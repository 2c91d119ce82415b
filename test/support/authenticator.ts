// An authenticator app for browser tests: sets up a TOTP factor for a signed-in supabase-js
// client, then gives a fresh code whenever the page asks for one (never one already used: the
// sign-in service refuses a code's time step twice), from a real TOTP generator.
import type { SupabaseClient } from '@supabase/supabase-js';
import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { newestMessageTo } from '../../lib/email/outbox-node.ts';
import { signInCode } from './portal-rig.ts';

const period = 30_000;

export class TestAuthenticator {
  private lastStep = -Infinity;
  readonly secret: string;
  /** The sign-in service's clock (tests may shift it). */
  private readonly clock: () => number;
  constructor(secret: string, clock: () => number = Date.now) {
    this.secret = secret;
    this.clock = clock;
  }

  /** A code for a time step not used yet: this one or the next (the service allows one step of drift), else waits. */
  async nextCode(): Promise<string> {
    for (;;) {
      const current = Math.floor(this.clock() / period);
      const step = Math.max(current, this.lastStep + 1);
      if (step <= current + 1) {
        this.lastStep = step;
        return new TOTP({ secret: Secret.fromBase32(this.secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: step * period });
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** Sets up an authenticator for the person `client` is signed in as; their session becomes aal2. */
export async function enrolAuthenticator(client: SupabaseClient, clock: () => number = Date.now): Promise<TestAuthenticator> {
  const { data, error } = await client.auth.mfa.enroll({ factorType: 'totp', friendlyName: 'Test authenticator' });
  if (error || !data) throw new Error(`enrolling a test authenticator failed: ${error?.message}`);
  const app = new TestAuthenticator(data.totp.secret, clock);
  const verified = await client.auth.mfa.challengeAndVerify({ factorId: data.id, code: await app.nextCode() });
  if (verified.error) throw new Error(`verifying a test authenticator failed: ${verified.error.message}`);
  return app;
}

/** Signs `email` in with supabase-js (the code from the outbox) and sets up an authenticator for them. */
export async function enrolByEmail(client: SupabaseClient, outboxDir: string, email: string, clock: () => number = Date.now): Promise<TestAuthenticator> {
  const before = (await newestMessageTo(outboxDir, email))?.file;
  const sent = await client.auth.signInWithOtp({ email, options: { shouldCreateUser: true } });
  if (sent.error) throw new Error(`asking for a sign-in code failed: ${sent.error.message}`);
  const code = await signInCode(outboxDir, email, before);
  const verified = await client.auth.verifyOtp({ email, token: code, type: 'email' });
  if (verified.error) throw new Error(`signing in ${email} failed: ${verified.error.message}`);
  return enrolAuthenticator(client, clock);
}

/** Answers the page's "Enter the code from your authenticator app" step. */
export async function passSecondStep(page: Page, app: TestAuthenticator): Promise<void> {
  await page.getByRole('heading', { level: 1, name: 'Enter the code from your authenticator app' }).waitFor({ timeout: 30_000 });
  await page.getByRole('textbox', { name: 'Code from your authenticator app' }).fill(await app.nextCode());
  await page.getByRole('button', { name: 'Continue' }).click();
}
