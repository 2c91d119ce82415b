// The members page: sign in, choose a practice, then see who has access and, as a practice
// manager, invite people and revoke access. Every change goes through the portal API, where the
// database's row-level security decides; this page only hides what the API would refuse.
import type { Session, SupabaseClient } from '@supabase/supabase-js';
import { urgentPublisherMaxHours, type Invitation, type Member } from '../../../lib/members/members.ts';
import { ApiError, portalApi, type PortalApi, type PracticeChoice } from '../shared/api.ts';
import { loadConfig, portalClient } from '../shared/client.ts';
import { button, h, hiddenText, sentence, time } from '../shared/dom.ts';
import { emailPattern, selectField, textField } from '../shared/fields.ts';
import { problemSlot, setupPage, successBanner, type Page, type Problem } from '../shared/page.ts';
import { roleDescriptions, roleNames, roles, withArticle, type Role } from '../shared/roles.ts';
import { showSignIn } from '../shared/sign-in.ts';
import { responsiveTable } from '../shared/table.ts';
import { withSecondStep } from '../shared/second-step.ts';

interface Signed {
  session: Session;
  practices: PracticeChoice[];
}

let page: Page;
let client: SupabaseClient;
let api: PortalApi;
let signed: Signed | undefined;

const membersUrl = () => new URL('/members/', location.origin).href;

/**
 * A sign-in link from the email ends here with the session in the fragment (or why it failed).
 * It is taken at once and the address replaced, so neither the address bar nor this entry of the
 * tab's history keeps the tokens: "Back" after signing out must not sign anyone in again.
 */
function takeSignInFromAddress(): { access_token: string; refresh_token: string } | { error: string } | undefined {
  const params = new URLSearchParams(location.hash.slice(1));
  if (!params.has('access_token') && !params.has('error')) return undefined;
  history.replaceState(null, '', location.pathname + location.search);
  const accessToken = params.get('access_token');
  const refreshToken = params.get('refresh_token');
  if (accessToken && refreshToken) return { access_token: accessToken, refresh_token: refreshToken };
  return { error: params.get('error_description') ?? 'the link did not work' };
}

async function start(): Promise<void> {
  const fromLink = takeSignInFromAddress();
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
  if (data.session) await signedIn(data.session);
  else signIn();
}

function fatal(message: string): void {
  page.show('Something went wrong', h('h1', {}, 'Sorry, there is a problem with the portal'), h('p', {}, `${sentence(message)}.`), h('p', {}, 'Try again later.'));
}

function signIn(notice?: string): void {
  signed = undefined;
  showSignIn({
    page,
    client,
    heading: 'Sign in to manage members',
    intro: "Practice managers invite people to work on their practice's website here, and remove their access when they leave. Everyone who works on a practice can see who has access.",
    linkNote: 'The email also has a sign-in link: opening it signs you in to this page as well.',
    redirectTo: membersUrl(),
    notice,
    onSignedIn: signedIn,
  });
}

/** Shows an API refusal: in the step's error summary if it has one, else as the page. A refused sign-in goes back to the first step. */
function handle(e: unknown, problems?: { show(p: readonly Problem[]): void }, field?: string): void {
  // The portal no longer accepts this sign-in: forget it in this tab, and ask for a new one.
  if (e instanceof ApiError && e.status === 401) return void client.auth.signOut({ scope: 'local' }).finally(() => signIn(`${sentence(e.message)}.`));
  const message = sentence(e instanceof Error ? e.message : String(e));
  if (problems) problems.show([{ message, field }]);
  else fatal(message);
}

async function signedInNow(session: Session): Promise<void> {
  let practices: PracticeChoice[];
  try {
    practices = await api.practices();
  } catch (e) {
    return handle(e);
  }
  signed = { session, practices };
  // The practice chosen last is in the address (?practice=<slug>), so a reload or a bookmark keeps it.
  const remembered = practices.find((p) => p.slug === new URLSearchParams(location.search).get('practice'));
  if (remembered) return openPractice(remembered);
  if (practices.length === 1) return openPractice(practices[0]!);
  if (practices.length === 0) return noAccess();
  choosePractice();
}

function rememberPractice(slug: string | undefined): void {
  const url = new URL(location.href);
  if (slug) url.searchParams.set('practice', slug);
  else url.searchParams.delete('practice');
  if (url.href !== location.href) history.replaceState(null, '', url);
}

function signOutButton(): HTMLButtonElement {
  const b = button('Sign out', { variant: 'secondary' });
  b.addEventListener('click', async () => {
    b.disabled = true;
    // Ends the session at the sign-in service too, so its refresh token stops working.
    const { error } = await client.auth.signOut();
    if (error) await client.auth.signOut({ scope: 'local' });
    rememberPractice(undefined);
    signIn('You have signed out.');
    page.announce('You have signed out.');
  });
  return b;
}

function noAccess(): void {
  const email = signed?.session.user.email ?? '';
  page.show(
    'No access yet',
    h('h1', {}, 'You do not have access to a practice yet'),
    h('p', {}, 'You are signed in as ', h('strong', {}, email), ', but no practice has given this address access.'),
    h('p', {}, 'If a practice manager has invited you, open the link in your invitation email to accept it. If you expected access, ask your practice manager to invite this address.'),
    h('div', { class: 'nhsuk-button-group' }, signOutButton()),
  );
}

function choosePractice(): void {
  rememberPractice(undefined);
  const practices = signed!.practices;
  const problems = problemSlot();
  const radios = practices.map((p, i) => {
    const id = i === 0 ? 'practice' : `practice-${i + 1}`;
    return h(
      'div',
      { class: 'nhsuk-radios__item' },
      h('input', { class: 'nhsuk-radios__input', id, name: 'practice', type: 'radio', value: p.slug }),
      h('label', { class: 'nhsuk-label nhsuk-radios__label', for: id }, p.name, p.role ? ` (${roleNames[p.role]})` : ' (platform admin)'),
    );
  });
  const group = h(
    'div',
    { class: 'nhsuk-form-group' },
    h(
      'fieldset',
      { class: 'nhsuk-fieldset' },
      h('legend', { class: 'nhsuk-fieldset__legend nhsuk-fieldset__legend--l' }, h('h1', { class: 'nhsuk-fieldset__heading' }, 'Which practice do you want to see?')),
      h('div', { class: 'nhsuk-radios' }, radios),
    ),
  );
  const form = h('form', { novalidate: true }, group, button('Continue', { type: 'submit' }));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const chosen = practices.find((p) => p.slug === form.querySelector<HTMLInputElement>('input[name=practice]:checked')?.value);
    if (chosen) return void openPractice(chosen);
    group.classList.add('nhsuk-form-group--error');
    group.querySelector('.nhsuk-error-message')?.remove();
    group.querySelector('legend')!.after(h('span', { class: 'nhsuk-error-message', id: 'practice-error' }, hiddenText('Error: '), 'Select the practice you want to see'));
    group.querySelector('fieldset')!.setAttribute('aria-describedby', 'practice-error');
    problems.show([{ message: 'Select the practice you want to see', field: 'practice' }]);
  });
  page.show('Choose a practice', problems.element, form, h('div', { class: 'nhsuk-button-group' }, signOutButton()));
}

async function openPractice(practice: PracticeChoice, o: { banner?: HTMLElement; announce?: string } = {}): Promise<void> {
  if (signed!.practices.length > 1) rememberPractice(practice.slug);
  page.show('Loading members', h('h1', {}, `Members of ${practice.name}`), h('p', { 'aria-busy': 'true' }, 'Loading the list of members…'));
  let list: { members: Member[]; invitations: Invitation[] };
  try {
    list = await api.members(practice.slug);
  } catch (e) {
    return handle(e);
  }
  showMembers(practice, list, o.banner);
  if (o.announce) page.announce(o.announce);
}

function showMembers(practice: PracticeChoice, list: { members: Member[]; invitations: Invitation[] }, banner?: HTMLElement): void {
  const me = signed!.session.user;
  // A platform admin who is not a member (role null) may manage any practice.
  const canManage = practice.role === 'practice_manager' || practice.role === null;
  const problems = problemSlot();
  const who = practice.role ? withArticle(practice.role) : 'a platform admin';

  const controls = h('div', { class: 'nhsuk-button-group' }, signOutButton());
  if (signed!.practices.length > 1) {
    const change = button('Choose another practice', { variant: 'secondary' });
    change.addEventListener('click', choosePractice);
    controls.prepend(change);
  }

  page.show(
    `Members of ${practice.name}`,
    problems.element,
    banner,
    h('h1', {}, h('span', { class: 'nhsuk-caption-l' }, practice.name, hiddenText(': ')), 'Members'),
    h('p', {}, 'You are signed in as ', h('strong', {}, me.email ?? ''), `, ${who}.`),
    controls,
    canManage
      ? undefined
      : h(
          'div',
          { class: 'nhsuk-inset-text' },
          hiddenText('Information: '),
          h('p', {}, 'Only practice managers can change who has access to this practice. You can see the list; to invite or remove someone, ask a practice manager.'),
        ),
    h('h2', { id: 'members-heading' }, 'People with access'),
    membersTable(practice, list.members, canManage, me.id),
    // Only practice managers (and platform admins) may see invitations: the API gives others none.
    ...(canManage
      ? [
          h('h2', { id: 'invitations-heading' }, 'Invitations waiting to be accepted'),
          list.invitations.length ? invitationsTable(practice, list.invitations) : h('p', {}, 'There are no invitations waiting to be accepted.'),
          inviteForm(practice, problems),
        ]
      : []),
  );
}

function personCell(email: string, name: string): Node {
  return name ? h('span', {}, h('strong', {}, name), h('br'), email) : document.createTextNode(email);
}

function membersTable(practice: PracticeChoice, members: Member[], canManage: boolean, myId: string): HTMLElement {
  if (!members.length) return h('p', {}, 'Nobody has access yet.');
  const head = ['Email', 'Role', 'Access ends', ...(canManage ? ['Action'] : [])];
  const rows = members.map((m) => {
    const ends: (Node | string)[] = m.expiresAt
      ? m.active
        ? [time(m.expiresAt)]
        : [h('strong', { class: 'nhsuk-tag nhsuk-tag--grey' }, 'Expired'), ' ', time(m.expiresAt)]
      : ['No end date'];
    const cells: (Node | string)[] = [personCell(m.email, m.name), sentence(roleNames[m.role]), h('span', {}, ...ends)];
    if (canManage) {
      if (m.userId === myId) cells.push('This is you');
      else {
        const revoke = button(['Revoke access', hiddenText(` for ${m.email}`)], { variant: 'secondary', extraClass: 'nhsuk-button--small' });
        revoke.addEventListener('click', () => confirmRevoke(practice, { email: m.email, kind: 'member' }));
        cells.push(revoke);
      }
    }
    return cells;
  });
  return responsiveTable('members-heading', head, rows);
}

function invitationsTable(practice: PracticeChoice, invitations: Invitation[]): HTMLElement {
  const head = ['Email', 'Role', 'Access would end', 'Invitation ends', 'Action'];
  const rows = invitations.map((i) => {
    const withdraw = button(['Withdraw invitation', hiddenText(` for ${i.email}`)], { variant: 'secondary', extraClass: 'nhsuk-button--small' });
    withdraw.addEventListener('click', () => confirmRevoke(practice, { email: i.email, kind: 'invitation' }));
    return [i.email, sentence(roleNames[i.role]), i.memberExpiresAt ? time(i.memberExpiresAt) : 'No end date', time(i.expiresAt), withdraw];
  });
  return responsiveTable('invitations-heading', head, rows);
}

/** The "are you sure" step before revoking: revocation cannot be undone, only replaced by a new invitation. */
function confirmRevoke(practice: PracticeChoice, target: { email: string; kind: 'member' | 'invitation' }): void {
  const problems = problemSlot();
  const member = target.kind === 'member';
  const yes = button(member ? 'Yes, revoke access' : 'Yes, withdraw the invitation', { variant: 'warning', type: 'submit' });
  const no = button('No, go back', { variant: 'secondary' });
  no.addEventListener('click', () => void openPractice(practice));
  const form = h('form', { novalidate: true }, h('div', { class: 'nhsuk-button-group' }, yes, no));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    yes.disabled = true;
    try {
      await api.revoke(practice.slug, target.email);
    } catch (err) {
      yes.disabled = false;
      return handle(err, problems);
    }
    const done = member ? `${target.email} no longer has access to ${practice.name}.` : `The invitation to ${target.email} has been withdrawn.`;
    await openPractice(practice, { banner: successBanner(done), announce: done });
  });
  page.show(
    member ? 'Revoke access' : 'Withdraw invitation',
    problems.element,
    h('h1', {}, h('span', { class: 'nhsuk-caption-l' }, practice.name, hiddenText(': ')), member ? `Revoke access for ${target.email}?` : `Withdraw the invitation to ${target.email}?`),
    ...(member
      ? [
          h('p', {}, `They will lose access to ${practice.name} straight away: their very next request is refused, even if they are signed in now.`),
          h('p', {}, 'To give them access again later, send them a new invitation.'),
        ]
      : [h('p', {}, 'The link in their invitation email will stop working. You can invite them again later.')]),
    form,
  );
}

function inviteForm(practice: PracticeChoice, problems: ReturnType<typeof problemSlot>): HTMLElement {
  const email = textField({
    id: 'invite-email',
    label: 'Email address',
    hint: 'Their own work address, such as their NHS.net address. The invitation goes to this address, and they sign in with it.',
    type: 'email',
    autocomplete: 'off',
    spellcheck: false,
  });
  const name = textField({ id: 'invite-name', label: 'Name (optional)', autocomplete: 'off', spellcheck: false });
  const role = selectField({
    id: 'invite-role',
    label: 'Role',
    options: [{ value: '', text: 'Choose a role' }, ...roles.map((r) => ({ value: r, text: sentence(roleNames[r]) }))],
  });
  const hours = textField({
    id: 'invite-hours',
    label: 'How many hours should their access last?',
    hint: `An urgent publisher's access always ends. Enter a whole number of hours from 1 to ${urgentPublisherMaxHours}.`,
    inputmode: 'numeric',
    spellcheck: false,
    widthClass: 'nhsuk-input--width-3',
    suffix: 'hours',
  });
  hours.group.hidden = true;
  role.control.addEventListener('change', () => {
    hours.group.hidden = role.control.value !== 'urgent_publisher';
    if (hours.group.hidden) hours.setError();
  });

  const roleHelp = h(
    'details',
    { class: 'nhsuk-details' },
    h('summary', { class: 'nhsuk-details__summary' }, h('span', { class: 'nhsuk-details__summary-text' }, 'What each role can do')),
    h('div', { class: 'nhsuk-details__text' }, h('ul', { class: 'nhsuk-list nhsuk-list--bullet' }, roles.map((r) => h('li', {}, h('strong', {}, sentence(roleNames[r])), ` ${roleDescriptions[r]}`)))),
  );

  const send = button('Send invitation', { type: 'submit' });
  const form = h('form', { novalidate: true, 'aria-labelledby': 'invite-heading' }, email.group, name.group, role.group, roleHelp, hours.group, send);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const found: Problem[] = [];
    const address = email.control.value.trim();
    const emailError = !address
      ? 'Enter the email address of the person you want to invite'
      : emailPattern.test(address)
        ? undefined
        : 'Enter an email address in the correct format, like name@example.nhs.uk';
    email.setError(emailError);
    if (emailError) found.push({ message: emailError, field: 'invite-email' });
    const chosen = role.control.value as Role | '';
    const roleError = chosen ? undefined : 'Select a role for the person you are inviting';
    role.setError(roleError);
    if (roleError) found.push({ message: roleError, field: 'invite-role' });
    let expires: string | undefined;
    if (chosen === 'urgent_publisher') {
      const raw = hours.control.value.trim();
      const n = Number(raw);
      const hoursError = !raw
        ? `Enter how many hours their access should last, from 1 to ${urgentPublisherMaxHours}`
        : !/^\d+$/.test(raw)
          ? `Enter the number of hours as a whole number from 1 to ${urgentPublisherMaxHours}, like 24`
          : n < 1
            ? `Their access must last at least 1 hour: enter a number from 1 to ${urgentPublisherMaxHours}`
            : n > urgentPublisherMaxHours
              ? `An urgent publisher's access can last at most ${urgentPublisherMaxHours} hours: enter a number from 1 to ${urgentPublisherMaxHours}`
              : undefined;
      hours.setError(hoursError);
      if (hoursError) found.push({ message: hoursError, field: 'invite-hours' });
      else expires = new Date(Date.now() + n * 3_600_000).toISOString();
    }
    if (found.length) return problems.show(found);
    problems.clear();
    page.view.querySelector('.nhsuk-notification-banner')?.remove();
    send.disabled = true;
    try {
      const person = name.control.value.trim();
      const { invitation } = await api.invite(practice.slug, {
        email: address,
        role: chosen as Role,
        ...(person ? { name: person } : {}),
        ...(expires ? { member_expires_at: expires } : {}),
      });
      const done = `Invitation sent to ${invitation.email}.`;
      const banner = successBanner(
        done,
        h('p', {}, `They will be ${withArticle(invitation.role)} once they accept it. The link in the email works until `, time(invitation.expiresAt), '.'),
      );
      await openPractice(practice, { banner, announce: `${done} They will be ${withArticle(invitation.role)} once they accept it.` });
    } catch (err) {
      send.disabled = false;
      handle(err, problems, err instanceof ApiError && err.code === 'conflict' ? 'invite-email' : undefined);
    }
  });

  return h(
    'section',
    { 'aria-labelledby': 'invite-heading' },
    h('h2', { id: 'invite-heading' }, 'Invite someone'),
    h('p', {}, `We will email them a link to accept. The invitation works for 7 days. An urgent publisher's access ends after at most ${urgentPublisherMaxHours} hours.`),
    form,
  );
}

/** Signed in: the second step first, when it is due. */
const signedIn = (session: Session): Promise<void> => withSecondStep(page, client, signedInNow, () => signIn('You have signed out.'))(session);

void start();
