// Two-step sign-in for the signed-in person: set up an authenticator app (a QR code drawn here,
// and the key written out for typing in), or see that it is on and remove it. Practice managers,
// clinical reviewers and platform admins need it for anything in the portal or the editor.
import type { Session, SupabaseClient } from '@supabase/supabase-js';
import { loadConfig, portalClient } from '../shared/client.ts';
import { button, h, sentence, time } from '../shared/dom.ts';
import { problemSlot, setupPage, successBanner, type Page } from '../shared/page.ts';
import { qrCode } from '../shared/qr-code.ts';
import { authenticatorCodeField, codeRefusal, sixDigits, withSecondStep } from '../shared/second-step.ts';
import { authMessage, showSignIn } from '../shared/sign-in.ts';

let page: Page;
let client: SupabaseClient;

async function start(): Promise<void> {
  page = setupPage();
  try {
    client = portalClient(await loadConfig());
  } catch (e) {
    page.show('Something went wrong', h('h1', {}, 'Sorry, there is a problem with the portal'), h('p', {}, `${sentence((e as Error).message)}.`));
    return;
  }
  const { data } = await client.auth.getSession();
  if (data.session) await signedIn(data.session);
  else signIn();
}

function signIn(notice?: string): void {
  showSignIn({
    page,
    client,
    heading: 'Sign in to set up two-step sign-in',
    intro: 'Two-step sign-in asks for a code from an app on your phone as well as the code we email you. Practice managers and clinical reviewers must use it.',
    linkNote: 'The email also has a sign-in link: it opens the members page.',
    redirectTo: new URL('/members/', location.origin).href,
    notice,
    onSignedIn: signedIn,
  });
}

const signedIn = (session: Session): Promise<void> => withSecondStep(page, client, () => overview(), () => signIn('You have signed out.'))(session);

async function overview(banner?: HTMLElement): Promise<void> {
  const { data, error } = await client.auth.mfa.listFactors();
  if (error) return signIn(`${authMessage(error)}.`);
  const factor = data.totp.find((f) => f.status === 'verified');
  const problems = problemSlot();
  if (!factor) {
    const setUp = button('Set up an authenticator app');
    setUp.addEventListener('click', () => void enrol());
    page.show(
      'Two-step sign-in',
      problems.element,
      banner,
      h('h1', {}, 'Two-step sign-in'),
      h('p', {}, h('strong', { class: 'nhsuk-tag nhsuk-tag--grey' }, 'Off')),
      h('p', {}, 'With two-step sign-in, you sign in with the code we email you and then a code from an authenticator app on your phone. Someone who gets into your email still cannot sign in as you.'),
      h('p', {}, 'Practice managers, clinical reviewers and platform admins must use it, and a practice can ask it of everyone. Any authenticator app works, such as Microsoft Authenticator or Google Authenticator.'),
      setUp,
    );
    return;
  }
  const remove = button('Remove two-step sign-in', { variant: 'secondary' });
  remove.addEventListener('click', async () => {
    remove.disabled = true;
    const { error: e } = await client.auth.mfa.unenroll({ factorId: factor.id });
    remove.disabled = false;
    if (e) return problems.show([{ message: authMessage(e) }]);
    page.announce('Two-step sign-in is off.');
    await overview(successBanner('Two-step sign-in is off'));
  });
  page.show(
    'Two-step sign-in',
    problems.element,
    banner,
    h('h1', {}, 'Two-step sign-in'),
    h('p', {}, h('strong', { class: 'nhsuk-tag nhsuk-tag--green' }, 'On')),
    h('p', {}, 'Set up on ', time(factor.created_at), '. When you sign in, you will be asked for a code from your authenticator app after the email code.'),
    h('p', {}, 'If your role needs it, removing it stops you doing anything in the portal until you set it up again.'),
    remove,
  );
}

async function enrol(): Promise<void> {
  // A set-up started before and never finished would block a new one: it goes first.
  const existing = await client.auth.mfa.listFactors();
  for (const f of existing.data?.all ?? []) if (f.status === 'unverified') await client.auth.mfa.unenroll({ factorId: f.id });
  const { data, error } = await client.auth.mfa.enroll({ factorType: 'totp', friendlyName: 'Authenticator app' });
  const problems = problemSlot();
  if (error || !data) return page.show('Two-step sign-in', problems.element, h('h1', {}, 'Two-step sign-in'), h('p', {}, `${error ? authMessage(error) : 'Setting up did not work'}. Try again.`));
  const code = authenticatorCodeField();
  const finish = button('Turn on two-step sign-in', { type: 'submit' });
  const form = h('form', { novalidate: true, 'aria-labelledby': 'enrol-heading' }, code.group, finish);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const digits = sixDigits(code.control.value);
    const message = digits ? undefined : 'Enter the 6-digit code your authenticator app shows, like 123456';
    code.setError(message);
    if (message) return problems.show([{ message, field: 'totp' }]);
    finish.disabled = true;
    const { error: e2 } = await client.auth.mfa.challengeAndVerify({ factorId: data.id, code: digits! });
    finish.disabled = false;
    if (e2) {
      const text = codeRefusal(e2);
      code.setError(text);
      return problems.show([{ message: text, field: 'totp' }]);
    }
    page.announce('Two-step sign-in is on.');
    await overview(successBanner('Two-step sign-in is on', h('p', {}, 'From now on you will be asked for a code from your app when you sign in.')));
  });
  // The key in groups of four, for typing into an app by hand.
  const key = data.totp.secret.replace(/(.{4})/g, '$1 ').trim();
  page.show(
    'Set up your authenticator app',
    problems.element,
    h('h1', { id: 'enrol-heading' }, 'Set up your authenticator app'),
    h('ol', { class: 'nhsuk-list nhsuk-list--number' }, h('li', {}, 'Open your authenticator app and choose to add an account.'), h('li', {}, 'Scan this QR code with it, or type in the key below.'), h('li', {}, 'Enter the 6-digit code the app then shows.')),
    h('div', { class: 'nhsuk-u-margin-bottom-4' }, qrCode(data.totp.uri, 'QR code to add Practice Digital to your authenticator app')),
    h('p', {}, 'Key: ', h('code', { id: 'totp-key' }, key)),
    form,
  );
}

void start();
