// The content editor's page (/cms/): sign in with a code (or the link in the email), choose a
// practice when you work on several, then Decap CMS opens on that practice's files only. The
// editor itself is a separate, much larger script, loaded only once someone has signed in.
import type { Session, SupabaseClient } from '@supabase/supabase-js';
import { ApiError, portalApi, type PortalApi, type PracticeChoice } from '../portal/shared/api.ts';
import { loadConfig, portalClient } from '../portal/shared/client.ts';
import { button, h, sentence } from '../portal/shared/dom.ts';
import { setupPage, type Page } from '../portal/shared/page.ts';
import { showSignIn } from '../portal/shared/sign-in.ts';
import { showPracticeChoice } from './choose-practice.ts';
import { forgetDecapBackups, forgetDecapUser } from './decap/decap-user.ts';
import { takeFlag, takeSignInFromAddress } from './sign-in-link.ts';
import { withSecondStep } from '../portal/shared/second-step.ts';

let page: Page;
let client: SupabaseClient;
let api: PortalApi;

const cmsUrl = () => new URL('/cms/', location.origin).href;

async function start(): Promise<void> {
  const fromLink = takeSignInFromAddress();
  const signedOut = takeFlag('signed-out');
  const ended = takeFlag('sign-in-ended');
  page = setupPage();
  try {
    client = portalClient(await loadConfig());
  } catch (e) {
    return fatal((e as Error).message);
  }
  api = portalApi(client);
  if (fromLink && 'error' in fromLink) return signIn(`That sign-in link did not work: ${fromLink.error.replace(/\.$/, '')}. Links work once, for 1 hour. Ask for a new code below.`);
  if (fromLink) {
    const { data, error } = await client.auth.setSession(fromLink);
    if (error || !data.session) return signIn('That sign-in link did not work. Ask for a new code below.');
    return signedIn(data.session);
  }
  const { data } = await client.auth.getSession();
  if (data.session && !ended) return signedIn(data.session);
  if (data.session) await client.auth.signOut({ scope: 'local' });
  // Signed out from the editor: its backups of unsaved changes go too (Decap has stopped now).
  if (signedOut) forgetDecapBackups();
  signIn(signedOut ? 'You have signed out.' : ended ? 'Your sign-in has ended. Sign in again to carry on editing.' : undefined);
}

function fatal(message: string): void {
  page.show('Something went wrong', h('h1', {}, 'Sorry, there is a problem with the content editor'), h('p', {}, `${sentence(message)}.`), h('p', {}, 'Try again later.'));
}

function signIn(notice?: string): void {
  // Decap remembers who was signed in (in this browser's localStorage); nobody is, now.
  forgetDecapUser();
  showSignIn({
    page,
    client,
    heading: 'Sign in to edit your website',
    intro: "Practice staff edit their practice's website here: pages, news, services, the team, notices and policies. Changes wait for review before they go live.",
    linkNote: 'The email also has a sign-in link: opening it signs you in to the content editor as well.',
    redirectTo: cmsUrl(),
    notice,
    onSignedIn: signedIn,
  });
  if (notice) page.announce(notice);
}

function signOutButton(): HTMLButtonElement {
  const b = button('Sign out', { variant: 'secondary' });
  b.addEventListener('click', async () => {
    b.disabled = true;
    await signOut();
    forgetDecapBackups();
    signIn('You have signed out.');
  });
  return b;
}

/** Ends the session at the sign-in service too (its refresh token stops working), and forgets it here. */
async function signOut(): Promise<void> {
  const { error } = await client.auth.signOut();
  if (error) await client.auth.signOut({ scope: 'local' });
  forgetDecapUser();
  rememberPractice(undefined);
}

function rememberPractice(slug: string | undefined): void {
  const url = new URL(location.href);
  if (slug) url.searchParams.set('practice', slug);
  else url.searchParams.delete('practice');
  if (url.href !== location.href) history.replaceState(null, '', url);
}

async function signedInNow(session: Session): Promise<void> {
  page.show('Loading', h('h1', {}, 'Edit your practice’s website'), h('p', { 'aria-busy': 'true' }, 'Finding the practices you work on…'));
  let practices: PracticeChoice[];
  try {
    practices = await api.practices();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      await client.auth.signOut({ scope: 'local' });
      return signIn(`${sentence(e.message)}.`);
    }
    return fatal(e instanceof Error ? e.message : String(e));
  }
  const email = session.user.email ?? '';
  // The practice chosen last is in the address (?practice=<slug>), so a reload keeps it.
  const remembered = practices.find((p) => p.slug === new URLSearchParams(location.search).get('practice'));
  const open = (p: PracticeChoice) => void openEditor(session, p, practices);
  if (remembered) return open(remembered);
  if (practices.length === 1) return open(practices[0]!);
  if (practices.length === 0) return noAccess(email);
  rememberPractice(undefined);
  showPracticeChoice(page, practices, { email, onChosen: open, signOut: signOutButton() });
}

function noAccess(email: string): void {
  page.show(
    'No access yet',
    h('h1', {}, 'You do not have access to a practice’s website yet'),
    h('p', {}, 'You are signed in as ', h('strong', {}, email), ', but no practice has given this address access.'),
    h('p', {}, 'If a practice manager has invited you, open the link in your invitation email to accept it. If you expected access, ask your practice manager to invite this address.'),
    h('div', { class: 'nhsuk-button-group' }, signOutButton()),
  );
}

async function openEditor(session: Session, practice: PracticeChoice, practices: readonly PracticeChoice[]): Promise<void> {
  rememberPractice(practices.length > 1 ? practice.slug : undefined);
  page.show(`Loading ${practice.name}`, h('h1', {}, `Edit ${practice.name}`), h('p', { 'aria-busy': 'true' }, 'Loading the content editor…'));
  const settings = document.getElementById('view')!.dataset;
  try {
    const { startEditor } = await import('./decap/start-editor.ts');
    startEditor({
      practice,
      canSwitch: practices.length > 1,
      email: session.user.email ?? '',
      client,
      signOut,
      assets: { editorStylesheet: settings.cmsStylesheet!, previewStylesheet: settings.previewStylesheet!, themeTemplates: settings.themeTemplates! },
    });
  } catch (e) {
    fatal(`the content editor could not be loaded (${(e as Error).message})`);
  }
}

/** Signed in: the second step first, when it is due. */
const signedIn = (session: Session): Promise<void> => withSecondStep(page, client, signedInNow, () => signIn('You have signed out.'))(session);

void start();
