// Accepting an invitation. The link in the invitation email is /accept/#token=<token>: the token
// is in the fragment, which browsers never send to a server, so it reaches the portal only in the
// body of POST /api/invitations/accept once the invited person has signed in.
import type { Session, SupabaseClient } from '@supabase/supabase-js';
import { ApiError, portalApi, type PortalApi } from '../shared/api.ts';
import { loadConfig, portalClient } from '../shared/client.ts';
import { button, h, sentence } from '../shared/dom.ts';
import { problemSlot, setupPage, type Page } from '../shared/page.ts';
import { roleDescriptions, withArticle, type Role } from '../shared/roles.ts';
import { showSignIn } from '../shared/sign-in.ts';

let page: Page;
let client: SupabaseClient;
let api: PortalApi;

/** Read once: the skip link and error links never change the fragment, but nothing else needs it. */
const token = new URLSearchParams(location.hash.slice(1)).get('token')?.trim() ?? '';

async function start(): Promise<void> {
  page = setupPage();
  if (!/^[A-Za-z0-9_-]{20,200}$/.test(token)) return incompleteLink();
  try {
    client = portalClient(await loadConfig());
  } catch (e) {
    return problem(`${sentence((e as Error).message)}.`);
  }
  api = portalApi(client);
  const { data } = await client.auth.getSession();
  if (data.session) confirm(data.session);
  else signIn();
}

function problem(text: string): void {
  page.show('Something went wrong', h('h1', {}, 'Sorry, there is a problem with the portal'), h('p', {}, text), h('p', {}, 'Try again later.'));
}

function incompleteLink(): void {
  page.show(
    'Invitation link not complete',
    h('h1', {}, 'This invitation link is not complete'),
    h('p', {}, 'Open the link in your invitation email again. If you copied it, check you copied all of it.'),
    h('p', {}, 'If the invitation has expired, ask your practice manager to invite you again.'),
  );
}

function signIn(notice?: string): void {
  showSignIn({
    page,
    client,
    heading: 'Sign in to accept your invitation',
    intro: 'You have been invited to work on a practice website. Sign in with the email address the invitation was sent to.',
    linkNote: 'The email also has a sign-in link, but it opens the members page instead of this invitation: type the code here to accept it.',
    redirectTo: new URL('/members/', location.origin).href,
    notice,
    onSignedIn: confirm,
  });
}

function otherPersonButton(): HTMLButtonElement {
  const b = button('Sign in with a different email address', { variant: 'secondary' });
  b.addEventListener('click', async () => {
    b.disabled = true;
    const { error } = await client.auth.signOut();
    if (error) await client.auth.signOut({ scope: 'local' });
    signIn('You have signed out. Sign in with the address the invitation was sent to.');
  });
  return b;
}

function confirm(session: Session): void {
  const problems = problemSlot();
  const accept = button('Accept the invitation', { type: 'submit' });
  const form = h('form', { novalidate: true, 'aria-labelledby': 'accept-heading' }, h('div', { class: 'nhsuk-button-group' }, accept, otherPersonButton()));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    accept.disabled = true;
    let result: { practice: string; role: Role };
    try {
      result = await api.accept(token);
    } catch (err) {
      accept.disabled = false;
      if (err instanceof ApiError && err.status === 401) {
        await client.auth.signOut({ scope: 'local' });
        return signIn(`${sentence(err.message)}.`);
      }
      return problems.show([{ message: sentence(err instanceof Error ? err.message : String(err)) }]);
    }
    // The token has done its job: take it out of the address bar and the tab's history.
    history.replaceState(null, '', location.pathname);
    const name = (await api.practices().catch(() => [])).find((p) => p.slug === result.practice)?.name ?? result.practice;
    accepted(name, result.role);
  });
  page.show(
    'Accept your invitation',
    problems.element,
    h('h1', { id: 'accept-heading' }, 'Accept your invitation'),
    h('p', {}, 'You are signed in as ', h('strong', {}, session.user.email ?? ''), '.'),
    h('p', {}, 'Accepting gives this address the role the invitation offers. The invitation must have been sent to this address.'),
    form,
  );
}

function accepted(practiceName: string, role: Role): void {
  const text = `You are now ${withArticle(role)} at ${practiceName}.`;
  page.show(
    'Invitation accepted',
    h('div', { class: 'nhsuk-panel' }, h('h1', { class: 'nhsuk-panel__heading' }, 'Invitation accepted'), h('div', { class: 'nhsuk-panel__body' }, text)),
    h('p', {}, `As ${withArticle(role)}, you ${roleDescriptions[role]}.`),
    h('p', {}, h('a', { href: '/members/' }, `See who works on ${practiceName}`)),
  );
  page.announce(text);
}

void start();
