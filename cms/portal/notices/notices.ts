// Posting an urgent notice ("the surgery is closed this afternoon"): for a practice manager or an
// urgent publisher, straight to the live site without review, so it must end within 14 days. The
// gateway (POST /api/cms, postUrgentNotice) checks all of that again; this page only guides.
import type { Session, SupabaseClient } from '@supabase/supabase-js';
import { urgentNoticeMaxDays } from '../../../lib/cms/permissions.ts';
import { ApiError, portalApi, type PortalApi, type PracticeChoice } from '../shared/api.ts';
import { loadConfig, portalClient } from '../shared/client.ts';
import { button, h, sentence } from '../shared/dom.ts';
import { textField } from '../shared/fields.ts';
import { problemSlot, setupPage, successBanner, type Page, type Problem } from '../shared/page.ts';
import { showSignIn } from '../shared/sign-in.ts';
import { withSecondStep } from '../shared/second-step.ts';

let page: Page;
let client: SupabaseClient;
let api: PortalApi;

const mayPost = (p: PracticeChoice) => p.role === 'practice_manager' || p.role === 'urgent_publisher';

async function start(): Promise<void> {
  page = setupPage();
  try {
    client = portalClient(await loadConfig());
  } catch (e) {
    return fatal((e as Error).message);
  }
  api = portalApi(client);
  const { data } = await client.auth.getSession();
  if (data.session) await signedIn(data.session);
  else signIn();
}

function fatal(message: string): void {
  page.show('Something went wrong', h('h1', {}, 'Sorry, there is a problem with the portal'), h('p', {}, `${sentence(message)}.`), h('p', {}, 'Try again later.'));
}

function signIn(notice?: string): void {
  showSignIn({
    page,
    client,
    heading: 'Sign in to post an urgent notice',
    intro: `Practice managers and urgent publishers can put an urgent notice on their practice's website at once, without review. It must end within ${urgentNoticeMaxDays} days.`,
    linkNote: 'The email also has a sign-in link: it opens the members page.',
    redirectTo: new URL('/members/', location.origin).href,
    notice,
    onSignedIn: signedIn,
  });
}

async function signedInNow(_session: Session): Promise<void> {
  let practices: PracticeChoice[];
  try {
    practices = (await api.practices()).filter(mayPost);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return signIn(`${sentence(e.message)}.`);
    return fatal(e instanceof Error ? e.message : String(e));
  }
  if (practices.length === 0)
    return page.show(
      'You cannot post urgent notices',
      h('h1', {}, 'You cannot post urgent notices'),
      h('p', {}, 'Only a practice manager or an urgent publisher can post an urgent notice. Ask your practice manager.'),
    );
  if (practices.length === 1) return showForm(practices[0]!);
  const list = h('ul', { class: 'nhsuk-list' });
  for (const p of practices) {
    const b = button(p.name, { variant: 'secondary' });
    b.addEventListener('click', () => showForm(p));
    list.append(h('li', {}, b));
  }
  page.show('Choose a practice', h('h1', {}, 'Which practice is the notice for?'), list);
}

/** `YYYY-MM-DDTHH:mm` in the browser's local time (the UK, for practice staff). */
const localDateTime = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}T${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;

function showForm(practice: PracticeChoice, banner?: HTMLElement): void {
  const problems = problemSlot();
  const title = textField({ id: 'notice-title', label: 'Title', hint: 'Short and plain, for example "Closed this afternoon for staff training"' });
  const bodyId = 'notice-body';
  const body = h('textarea', { class: 'nhsuk-textarea', id: bodyId, name: bodyId, rows: '5', 'aria-describedby': `${bodyId}-hint` });
  const bodyGroup = h(
    'div',
    { class: 'nhsuk-form-group' },
    h('label', { class: 'nhsuk-label', for: bodyId }, 'What patients need to know'),
    h('div', { class: 'nhsuk-hint', id: `${bodyId}-hint` }, 'Say what has changed, until when, and what to do instead (for example, call 111).'),
    body,
  );
  const tomorrow = new Date(Date.now() + 86_400_000);
  tomorrow.setHours(17, 0, 0, 0);
  const ends = textField({
    id: 'notice-expires',
    label: 'Remove the notice at',
    hint: `A date and time within ${urgentNoticeMaxDays} days, as year-month-day and 24-hour time, for example ${localDateTime(tomorrow).replace('T', ' ')}`,
    value: localDateTime(tomorrow).replace('T', ' '),
    widthClass: 'nhsuk-input--width-10',
  });
  const everywhere = h('input', { class: 'nhsuk-radios__input', id: 'placement-all', name: 'placement', type: 'radio', value: 'all', checked: true });
  const homeOnly = h('input', { class: 'nhsuk-radios__input', id: 'placement-home', name: 'placement', type: 'radio', value: 'home' });
  const placement = h(
    'fieldset',
    { class: 'nhsuk-fieldset' },
    h('legend', { class: 'nhsuk-fieldset__legend nhsuk-fieldset__legend--s' }, 'Where it shows'),
    h(
      'div',
      { class: 'nhsuk-radios' },
      h('div', { class: 'nhsuk-radios__item' }, everywhere, h('label', { class: 'nhsuk-label nhsuk-radios__label', for: 'placement-all' }, 'At the top of every page')),
      h('div', { class: 'nhsuk-radios__item' }, homeOnly, h('label', { class: 'nhsuk-label nhsuk-radios__label', for: 'placement-home' }, 'On the home page only')),
    ),
  );
  const post = button('Post the notice now', { type: 'submit', variant: 'warning' });
  const form = h('form', { novalidate: true }, title.group, bodyGroup, ends.group, h('div', { class: 'nhsuk-form-group' }, placement), post);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const found: Problem[] = [];
    const titleText = title.control.value.trim();
    const bodyText = body.value.trim();
    const expires = ends.control.value.trim().replace(' ', 'T');
    title.setError(titleText ? undefined : 'Enter a title');
    if (!titleText) found.push({ message: 'Enter a title', field: 'notice-title' });
    if (!bodyText) found.push({ message: 'Enter what patients need to know', field: bodyId });
    const valid = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(expires);
    ends.setError(valid ? undefined : 'Enter the date and time as year-month-day hour:minute, for example 2026-12-10 17:00');
    if (!valid) found.push({ message: 'Enter when to remove the notice, as year-month-day hour:minute', field: 'notice-expires' });
    if (found.length) return problems.show(found);
    post.disabled = true;
    try {
      const result = await api.urgentNotice(practice.slug, { title: titleText, body: bodyText, expires, placement: homeOnly.checked ? 'home' : 'all' });
      page.announce(sentence(result.message));
      showForm(practice, successBanner(`"${titleText}" is on ${practice.name}'s website`, h('p', {}, `${sentence(result.message)}. The site is updating now.`)));
    } catch (err) {
      post.disabled = false;
      if (err instanceof ApiError && err.status === 401) return signIn(`${sentence(err.message)}.`);
      problems.show([{ message: sentence(err instanceof Error ? err.message : String(err)) }]);
    }
  });
  page.show(
    'Post an urgent notice',
    banner,
    problems.element,
    h('span', { class: 'nhsuk-caption-l' }, practice.name),
    h('h1', {}, 'Post an urgent notice'),
    h('p', {}, `The notice goes on the website at once, without review. It must end within ${urgentNoticeMaxDays} days; post a new one if it still applies then.`),
    form,
  );
}

/** Signed in: the second step first, when it is due. */
const signedIn = (session: Session): Promise<void> => withSecondStep(page, client, signedInNow, () => signIn('You have signed out.'))(session);

void start();
