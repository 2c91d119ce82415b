// The website's history for everyone who works on a practice, and the two ways back for its
// practice manager: restore the content as it was after an earlier change (a new change, so the
// history is kept), or put an earlier published version back in front of patients at once. Also
// the download of all the practice's content. The gateway checks every right again.
import type { Session, SupabaseClient } from '@supabase/supabase-js';
import { ApiError, portalApi, type PortalApi, type PracticeChoice } from '../shared/api.ts';
import { loadConfig, portalClient } from '../shared/client.ts';
import { button, h, hiddenText, sentence, time } from '../shared/dom.ts';
import { problemSlot, setupPage, successBanner, type Page } from '../shared/page.ts';
import { withArticle } from '../shared/roles.ts';
import { showSignIn } from '../shared/sign-in.ts';
import { responsiveTable } from '../shared/table.ts';

interface Change {
  commit: string;
  at: string;
  author: string;
  subject: string;
  reviewedBy: string | null;
  rollbackOf: string | null;
}
interface ReviewDue {
  file: string;
  title: string;
  url?: string;
  reviewBy: string;
  daysLeft: number;
}
interface Revision {
  revision: string;
  commit: string;
  builtAt: string;
  live: boolean;
}

let page: Page;
let client: SupabaseClient;
let api: PortalApi;

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
    heading: "Sign in to see your website's history",
    intro: 'Everyone who works on a practice can see what changed on its website, when and by whom. Practice managers can also undo changes and download all the content.',
    linkNote: 'The email also has a sign-in link: it opens the members page.',
    redirectTo: new URL('/members/', location.origin).href,
    notice,
    onSignedIn: signedIn,
  });
}

function refused(e: unknown): string {
  return sentence(e instanceof Error ? e.message : String(e));
}

async function signedIn(_session: Session): Promise<void> {
  let practices: PracticeChoice[];
  try {
    practices = (await api.practices()).filter((p) => p.role !== null);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return signIn(`${refused(e)}.`);
    return fatal(refused(e));
  }
  if (practices.length === 0) return page.show('No practice', h('h1', {}, 'You do not work on a practice yet'), h('p', {}, 'Ask your practice manager to invite you.'));
  if (practices.length === 1) return open(practices[0]!);
  const list = h('ul', { class: 'nhsuk-list' });
  for (const p of practices) {
    const b = button(p.name, { variant: 'secondary' });
    b.addEventListener('click', () => open(p));
    list.append(h('li', {}, b));
  }
  page.show('Choose a practice', h('h1', {}, 'Which practice do you want to see?'), list);
}

const short = (commit: string) => commit.slice(0, 7);

async function open(practice: PracticeChoice, banner?: HTMLElement): Promise<void> {
  page.show('Loading', h('h1', {}, `${practice.name}: website history`), h('p', { 'aria-busy': 'true' }, 'Loading the history…'));
  let changes: Change[];
  let revisions: Revision[] | undefined;
  let reviews: ReviewDue[];
  try {
    changes = (await api.gateway<{ changes: Change[] }>(practice.slug, 'history', { depth: 30 })).changes;
    reviews = (await api.gateway<{ reviews: ReviewDue[] }>(practice.slug, 'reviewsDue')).reviews;
    revisions = await api
      .gateway<{ revisions: Revision[] }>(practice.slug, 'revisions')
      .then((r) => r.revisions.slice(0, 10))
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 404) return undefined; // not offered on this platform
        throw e;
      });
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return signIn(`${refused(e)}.`);
    return fatal(refused(e));
  }
  const manager = practice.role === 'practice_manager';
  const mayExport = manager || practice.role === 'auditor';
  const problems = problemSlot();

  const liveSection = revisions
    ? [
        h('h2', { id: 'live-heading' }, 'What patients see'),
        h('p', {}, 'Each published version of the site. Making an earlier one live takes effect at once and changes no content: the next published change replaces it.'),
        responsiveTable(
          'live-heading',
          ['Published', 'From change', 'Status', ...(manager ? ['Action'] : [])],
          revisions.map((r) => [
            time(r.builtAt),
            short(r.commit),
            r.live ? h('strong', { class: 'nhsuk-tag nhsuk-tag--green' }, 'Live now') : 'Earlier version',
            ...(manager ? [r.live ? '' : switchButton(practice, r)] : []),
          ]),
        ),
      ]
    : [];

  page.show(
    `${practice.name}: website history`,
    problems.element,
    banner,
    h('h1', {}, h('span', { class: 'nhsuk-caption-l' }, practice.name, hiddenText(': ')), 'Website history'),
    h('p', {}, `You are ${practice.role ? withArticle(practice.role) : 'a member'} of this practice.`),
    h('h2', { id: 'reviews-heading' }, 'Due for review'),
    reviews.length
      ? responsiveTable(
          'reviews-heading',
          ['Page', 'Review by', 'When'],
          reviews.map((r) => [r.title, r.reviewBy, r.daysLeft < 0 ? h('strong', { class: 'nhsuk-tag nhsuk-tag--red' }, `Overdue by ${-r.daysLeft} day${r.daysLeft === -1 ? '' : 's'}`) : r.daysLeft === 0 ? 'Due today' : `Due in ${r.daysLeft} day${r.daysLeft === 1 ? '' : 's'}`]),
        )
      : h('p', {}, 'Nothing is due for review in the next 30 days.'),
    ...liveSection,
    h('h2', { id: 'changes-heading' }, 'Changes to the content'),
    h('p', {}, manager ? 'Newest first. Restoring puts all the content back as it was just after that change, as a new change: nothing is lost, and it can itself be undone.' : 'Newest first.'),
    responsiveTable(
      'changes-heading',
      ['When', 'Who', 'What', 'Approved by', ...(manager ? ['Action'] : [])],
      changes.map((c) => [
        time(c.at),
        c.author,
        c.subject,
        c.reviewedBy ? c.reviewedBy.replace(/\s*<.*>$/, '') : '',
        ...(manager ? [restoreButton(practice, c)] : []),
      ]),
    ),
    ...(mayExport ? [h('h2', {}, 'Take your content with you'), h('p', {}, 'All of the practice profile, pages, policies, news, team, notices and media, with a summary of the history, in one JSON file.'), exportButton(practice, problems)] : []),
  );
}

type Problems = ReturnType<typeof problemSlot>;

function switchButton(practice: PracticeChoice, r: Revision): HTMLButtonElement {
  const b = button(['Make this live', hiddenText(` (published ${new Date(r.builtAt).toLocaleString('en-GB')})`)], { variant: 'secondary' });
  b.addEventListener('click', () =>
    confirmStep(
      practice,
      'Make an earlier version live?',
      `Patients will see the site as it was published on ${new Date(r.builtAt).toLocaleString('en-GB')}, straight away. The content is not changed: the next published change replaces this version.`,
      'Yes, make it live',
      () => api.gateway<{ message: string }>(practice.slug, 'rollbackLive', { revision: r.revision }),
    ),
  );
  return b;
}

function restoreButton(practice: PracticeChoice, c: Change): HTMLButtonElement {
  const b = button(['Restore', hiddenText(` the content as it was after "${c.subject}"`)], { variant: 'secondary' });
  b.addEventListener('click', () =>
    confirmStep(
      practice,
      'Restore the content?',
      `All of ${practice.name}'s content will go back to how it was just after "${c.subject}" (${new Date(c.at).toLocaleString('en-GB')}). This is saved as a new change and published at once; later changes stay in the history.`,
      'Yes, restore it',
      () => api.gateway<{ message: string }>(practice.slug, 'rollbackContent', { to: c.commit }),
    ),
  );
  return b;
}

function confirmStep(practice: PracticeChoice, heading: string, text: string, yes: string, act: () => Promise<{ message: string }>): void {
  const problems = problemSlot();
  const go = button(yes, { variant: 'warning' });
  const back = button('No, go back', { variant: 'secondary' });
  back.addEventListener('click', () => void open(practice));
  go.addEventListener('click', async () => {
    go.disabled = true;
    try {
      const { message } = await act();
      page.announce(sentence(message));
      await open(practice, successBanner(sentence(message)));
    } catch (e) {
      go.disabled = false;
      if (e instanceof ApiError && e.status === 401) return signIn(`${refused(e)}.`);
      problems.show([{ message: refused(e) }]);
    }
  });
  page.show(heading, problems.element, h('h1', {}, heading), h('div', { class: 'nhsuk-warning-callout' }, h('h2', { class: 'nhsuk-warning-callout__label' }, h('span', { role: 'text' }, hiddenText('Important: '), 'This changes the live website')), h('p', {}, text)), h('div', { class: 'nhsuk-button-group' }, go, back));
}

function exportButton(practice: PracticeChoice, problems: Problems): HTMLButtonElement {
  const b = button('Download all content (JSON)', { variant: 'secondary' });
  b.addEventListener('click', async () => {
    b.disabled = true;
    try {
      const { blob, filename } = await api.exportFile(practice.slug);
      const url = URL.createObjectURL(blob);
      const a = h('a', { href: url, download: filename, class: 'nhsuk-u-visually-hidden' }, filename);
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      page.announce(`Downloaded ${filename}`);
    } catch (e) {
      problems.show([{ message: refused(e) }]);
    } finally {
      b.disabled = false;
    }
  });
  return b;
}

void start();
