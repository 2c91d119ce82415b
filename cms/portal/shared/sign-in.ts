// Signing in with a one-time code, the same on every portal page: the email address, then the
// 6-digit code from the email. The email also carries a sign-in link (it opens the members page).
import { isAuthRetryableFetchError, type AuthError, type Session, type SupabaseClient } from '@supabase/supabase-js';
import { button, h, sentence } from './dom.ts';
import { emailPattern, textField } from './fields.ts';
import { problemSlot, type Page } from './page.ts';

export interface SignInOptions {
  page: Page;
  client: SupabaseClient;
  /** The page heading of the first step. */
  heading: string;
  /** What signing in is for, in a sentence or two. */
  intro: string;
  /** What the link in the email does, from this page. */
  linkNote: string;
  /** Where the sign-in link in the email leads (an address on the portal). */
  redirectTo: string;
  /** Something to tell the person first, such as "You have signed out." */
  notice?: string;
  email?: string;
  onSignedIn(session: Session): void | Promise<void>;
}

const pageTitle = 'Sign in';

/** The sign-in service's own words (Supabase Auth's messages are written for people), or why it could not be asked. */
export function authMessage(error: AuthError): string {
  if (isAuthRetryableFetchError(error) || error.status === 0) return 'The sign-in service could not be reached: check your connection and try again';
  return sentence(error.message);
}

export function showSignIn(o: SignInOptions): void {
  const problems = problemSlot();
  const email = textField({ id: 'email', label: 'Email address', hint: 'Use the email address your invitation was sent to.', type: 'email', autocomplete: 'email', spellcheck: false, value: o.email });
  const send = button('Send me a code', { type: 'submit' });
  const form = h('form', { novalidate: true, 'aria-labelledby': 'sign-in-heading' }, email.group, send);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const address = email.control.value.trim();
    const message = !address ? 'Enter your email address' : emailPattern.test(address) ? undefined : 'Enter an email address in the correct format, like name@example.nhs.uk';
    email.setError(message);
    if (message) return problems.show([{ message, field: 'email' }]);
    send.disabled = true;
    const { error } = await o.client.auth.signInWithOtp({ email: address, options: { shouldCreateUser: true, emailRedirectTo: o.redirectTo } });
    send.disabled = false;
    if (error) {
      email.setError(authMessage(error));
      return problems.show([{ message: authMessage(error), field: 'email' }]);
    }
    showCode(o, address);
    o.page.announce(`We have sent a 6-digit code to ${address}.`);
  });
  o.page.show(
    pageTitle,
    problems.element,
    h('h1', { id: 'sign-in-heading' }, o.heading),
    o.notice ? h('div', { class: 'nhsuk-inset-text' }, h('span', { class: 'nhsuk-u-visually-hidden' }, 'Information: '), h('p', {}, o.notice)) : undefined,
    h('p', {}, o.intro),
    h('p', {}, 'We will email you a 6-digit code. There is no password.'),
    form,
  );
}

function showCode(o: SignInOptions, address: string): void {
  const problems = problemSlot();
  const code = textField({
    id: 'code',
    label: 'Code from the email',
    hint: 'The 6 digits, like 123456',
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    spellcheck: false,
    widthClass: 'nhsuk-input--width-10',
  });
  const signIn = button('Sign in', { type: 'submit' });
  const form = h('form', { novalidate: true, 'aria-labelledby': 'code-heading' }, code.group, signIn);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const digits = code.control.value.replace(/[\s-]/g, '');
    const message = !digits ? 'Enter the 6-digit code from the email' : /^\d{6}$/.test(digits) ? undefined : 'Enter the code as 6 digits, like 123456';
    code.setError(message);
    if (message) return problems.show([{ message, field: 'code' }]);
    signIn.disabled = true;
    const { data, error } = await o.client.auth.verifyOtp({ email: address, token: digits, type: 'email' });
    signIn.disabled = false;
    if (error || !data.session) {
      const text =
        error?.code === 'otp_expired'
          ? 'That code is not right, or it has expired. Check the code in the newest email, or send a new code'
          : error
            ? authMessage(error)
            : 'Signing in did not work: try again';
      code.setError(text);
      return problems.show([{ message: text, field: 'code' }]);
    }
    o.page.announce(`Signed in as ${address}.`);
    await o.onSignedIn(data.session);
  });

  const again = button('Send a new code', { variant: 'secondary' });
  again.addEventListener('click', async () => {
    again.disabled = true;
    const { error } = await o.client.auth.signInWithOtp({ email: address, options: { shouldCreateUser: true, emailRedirectTo: o.redirectTo } });
    again.disabled = false;
    if (error) return problems.show([{ message: authMessage(error) }]);
    problems.clear();
    code.setError();
    o.page.announce(`We have sent a new code to ${address}. Use the code in the newest email.`);
  });
  const other = button('Use a different email address', { variant: 'secondary' });
  other.addEventListener('click', () => showSignIn({ ...o, notice: undefined, email: address }));

  o.page.show(
    'Check your email',
    problems.element,
    h('h1', { id: 'code-heading' }, 'Check your email'),
    h('p', {}, 'We have sent a 6-digit code to ', h('strong', {}, address), '. The code works for 1 hour.'),
    h('p', {}, o.linkNote),
    form,
    h('h2', { class: 'nhsuk-heading-s' }, 'Not received it?'),
    h('p', {}, 'It can take a few minutes to arrive. Check your junk or spam folder, and that the address is right.'),
    h('div', { class: 'nhsuk-button-group' }, again, other),
  );
}
