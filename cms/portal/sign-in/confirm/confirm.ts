// Signing in with the link in the sign-in email: /sign-in/confirm/#token_hash=…&type=email[&next=/path].
// Mail scanners (NHSmail's among them) open every link in an email before the person does, so
// opening this page changes nothing: it signs in only when the "Sign in" button is pressed. The
// token hash is in the fragment, which browsers never send to a server, and is taken out of the
// address at once so it does not stay in the tab's history. See docs/auth-email-hook.md.
import { isAuthRetryableFetchError, type SupabaseClient } from '@supabase/supabase-js';
import { loadConfig, portalClient } from '../../shared/client.ts';
import { button, h, sentence } from '../../shared/dom.ts';
import { problemSlot, setupPage, type Page } from '../../shared/page.ts';
import { authMessage } from '../../shared/sign-in.ts';

/** Where a sign-in goes when the link names nowhere, or somewhere off the portal. */
const home = '/members/';

/** Read once, then removed from the address (and so from the tab's history). */
const params = new URLSearchParams(location.hash.slice(1));
const tokenHash = params.get('token_hash')?.trim() ?? '';
const type = params.get('type') ?? '';
const next = portalPath(params.get('next'));
if (location.hash) history.replaceState(null, '', `${location.pathname}${location.search}`);

let page: Page;
let client: SupabaseClient;

/** A path on this portal (one leading slash, same origin), or the members page. */
function portalPath(value: string | null): string {
  if (!value || !/^\/(?![/\\])/.test(value)) return home;
  try {
    const url = new URL(value, location.origin);
    return url.origin === location.origin ? `${url.pathname}${url.search}${url.hash}` : home;
  } catch {
    return home;
  }
}

const deadLinkMessage = 'This sign-in link has expired or has already been used. Type the code from the email, or ask for a new code.';

async function start(): Promise<void> {
  page = setupPage();
  if (!/^[A-Za-z0-9_-]{20,200}$/.test(tokenHash) || type !== 'email') return deadLink('This sign-in link is not complete');
  try {
    client = portalClient(await loadConfig());
  } catch (e) {
    return problem(`${sentence((e as Error).message)}.`);
  }
  confirm();
}

function problem(text: string): void {
  page.show('Something went wrong', h('h1', {}, 'Sorry, there is a problem with the portal'), h('p', {}, text), h('p', {}, 'Try again later.'));
}

function signInAgainLink(): HTMLElement {
  return h('p', {}, h('a', { href: next }, 'Sign in again with a new code'));
}

/** A link that cannot sign in: used, expired, replaced by a newer one, or not complete. */
function deadLink(heading: string): void {
  const problems = problemSlot();
  page.show(
    heading,
    problems.element,
    h('h1', {}, heading),
    h('p', {}, 'If you still have the email, type its 6-digit code on the sign-in page instead. The code and the link each work once, for 1 hour.'),
    h('p', {}, 'If the code does not work either, ask for a new one.'),
    signInAgainLink(),
  );
  problems.show([{ message: deadLinkMessage }]);
}

function confirm(): void {
  const problems = problemSlot();
  const signIn = button('Sign in', { type: 'submit' });
  const form = h('form', { novalidate: true, 'aria-labelledby': 'confirm-heading' }, signIn);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    signIn.disabled = true;
    const { data, error } = await client.auth.verifyOtp({ token_hash: tokenHash, type: 'email' });
    if (!error && data.session) {
      page.announce('Signed in.');
      location.assign(next);
      return;
    }
    signIn.disabled = false;
    // A connection problem may pass: the button stays. Anything else means the link is dead.
    if (error && (isAuthRetryableFetchError(error) || error.status === 0 || (error.status ?? 0) >= 500))
      return problems.show([{ message: authMessage(error) }]);
    deadLink('This sign-in link cannot be used');
  });
  page.show(
    'Sign in',
    problems.element,
    h('h1', { id: 'confirm-heading' }, 'Sign in to Practice Digital'),
    h('p', {}, 'Select the button to finish signing in with the link from your email.'),
    form,
  );
}

void start();
