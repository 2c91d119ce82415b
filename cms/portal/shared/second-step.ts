// The second sign-in step: someone who has set up an authenticator app enters a code from it
// after the email code, and their session becomes `aal2` (Supabase Auth MFA, through supabase-js).
// Every portal page passes its "signed in" handler through `withSecondStep`, so a restored session
// that has not passed the second step is asked for it too.
import type { AuthError, Session, SupabaseClient } from '@supabase/supabase-js';
import { button, h } from './dom.ts';
import { textField } from './fields.ts';
import { problemSlot, type Page } from './page.ts';
import { authMessage } from './sign-in.ts';

/** True when the person has a verified factor but this session has not used it yet. */
export async function secondStepDue(client: SupabaseClient): Promise<boolean> {
  const { data, error } = await client.auth.mfa.getAuthenticatorAssuranceLevel();
  return !error && data.currentLevel === 'aal1' && data.nextLevel === 'aal2';
}

/** The words for a refused code: Supabase's codes, in plain English. */
export function codeRefusal(error: AuthError): string {
  if (error.code === 'mfa_verification_failed' || /invalid totp|invalid code/i.test(error.message)) return 'That code is not right. Enter the 6 digits your authenticator app shows now';
  if (/already (been )?used|reuse/i.test(error.message)) return 'That code has already been used. Wait for your app to show a new code, then enter it';
  if (error.code === 'mfa_challenge_expired') return 'That took too long. Enter the code your app shows now';
  return authMessage(error);
}

export function authenticatorCodeField(id = 'totp') {
  return textField({
    id,
    label: 'Code from your authenticator app',
    hint: 'The 6 digits it shows for Practice Digital, like 123456',
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    spellcheck: false,
    widthClass: 'nhsuk-input--width-10',
  });
}

export const sixDigits = (value: string): string | undefined => {
  const digits = value.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : undefined;
};

export function showSecondStep(page: Page, client: SupabaseClient, onDone: (session: Session) => void | Promise<void>, onSignOut?: () => void): void {
  const problems = problemSlot();
  const code = authenticatorCodeField();
  const go = button('Continue', { type: 'submit' });
  const form = h('form', { novalidate: true, 'aria-labelledby': 'second-step-heading' }, code.group, go);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const digits = sixDigits(code.control.value);
    const message = code.control.value.trim() ? (digits ? undefined : 'Enter the code as 6 digits, like 123456') : 'Enter the 6-digit code from your authenticator app';
    code.setError(message);
    if (message) return problems.show([{ message, field: 'totp' }]);
    go.disabled = true;
    const factors = await client.auth.mfa.listFactors();
    const factor = factors.data?.totp.find((f) => f.status === 'verified');
    if (!factor) {
      go.disabled = false;
      return problems.show([{ message: 'You have no authenticator app set up any more. Sign out, then sign in again' }]);
    }
    const { error } = await client.auth.mfa.challengeAndVerify({ factorId: factor.id, code: digits! });
    go.disabled = false;
    if (error) {
      const text = codeRefusal(error);
      code.setError(text);
      return problems.show([{ message: text, field: 'totp' }]);
    }
    const { data } = await client.auth.getSession();
    page.announce('Signed in with your authenticator app.');
    if (data.session) await onDone(data.session);
  });
  const out = button('Sign out', { variant: 'secondary' });
  out.addEventListener('click', async () => {
    await client.auth.signOut();
    onSignOut?.();
  });
  page.show(
    'Enter the code from your authenticator app',
    problems.element,
    h('h1', { id: 'second-step-heading' }, 'Enter the code from your authenticator app'),
    h('p', {}, 'You have set up two-step sign-in, so your email code is not enough on its own.'),
    form,
    h('h2', { class: 'nhsuk-heading-s' }, 'Lost your phone or app?'),
    h('p', {}, 'Ask your practice manager (or, if you are the practice manager, the Practice Digital team) to reset your two-step sign-in. You can then sign in with an email code and set it up again.'),
    out,
  );
}

/** Wraps a page's "signed in" handler so it runs only once the second step is done (when it is due). */
export function withSecondStep(page: Page, client: SupabaseClient, next: (session: Session) => void | Promise<void>, onSignOut?: () => void) {
  return async (session: Session): Promise<void> => {
    if (await secondStepDue(client)) return showSecondStep(page, client, next, onSignOut);
    await next(session);
  };
}
