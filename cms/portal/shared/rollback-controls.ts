// The practice manager's ways back, shared by the dashboard and the history page: restore the
// content as it was after a change (a new change, so nothing is lost), make an earlier published
// version live, and download all the content. Each asks for confirmation on its own step; the
// gateway checks every right again.
import { ApiError, type PracticeChoice } from './api.ts';
import { button, h, hiddenText, sentence, time } from './dom.ts';
import { problemSlot, successBanner } from './page.ts';
import type { PracticePage } from './practice-page.ts';
import { responsiveTable } from './table.ts';

export interface Change {
  commit: string;
  at: string;
  author: string;
  subject: string;
  reviewedBy: string | null;
  rollbackOf: string | null;
}
export interface Revision {
  revision: string;
  commit: string;
  builtAt: string;
  live: boolean;
}

/** Reopens the page after an action, with its success banner. */
type Reopen = (banner?: HTMLElement) => void | Promise<void>;

const short = (commit: string) => commit.slice(0, 7);

/** The published versions, newest first, or undefined where this platform does not offer them. */
export async function revisionsOf(p: PracticePage, practice: PracticeChoice, count: number): Promise<Revision[] | undefined> {
  return p.api
    .gateway<{ revisions: Revision[] }>(practice.slug, 'revisions')
    .then((r) => r.revisions.slice(0, count))
    .catch((e: unknown) => {
      if (e instanceof ApiError && e.status === 404) return undefined;
      throw e;
    });
}

export function revisionsTable(p: PracticePage, practice: PracticeChoice, revisions: Revision[], reopen: Reopen): HTMLElement {
  const manager = practice.role === 'practice_manager';
  return responsiveTable(
    'live-heading',
    ['Published', 'From change', 'Status', ...(manager ? ['Action'] : [])],
    revisions.map((r) => [
      time(r.builtAt),
      short(r.commit),
      r.live ? h('strong', { class: 'nhsuk-tag nhsuk-tag--green' }, 'Live now') : 'Earlier version',
      ...(manager ? [r.live ? '' : switchButton(p, practice, r, reopen)] : []),
    ]),
  );
}

export function changesTable(p: PracticePage, practice: PracticeChoice, changes: Change[], reopen: Reopen): HTMLElement {
  const manager = practice.role === 'practice_manager';
  return responsiveTable(
    'changes-heading',
    ['When', 'Who', 'What', 'Approved by', ...(manager ? ['Action'] : [])],
    changes.map((c) => [time(c.at), c.author, c.subject, c.reviewedBy ? c.reviewedBy.replace(/\s*<.*>$/, '') : '', ...(manager ? [restoreButton(p, practice, c, reopen)] : [])]),
  );
}

function switchButton(p: PracticePage, practice: PracticeChoice, r: Revision, reopen: Reopen): HTMLButtonElement {
  const b = button(['Make this live', hiddenText(` (published ${new Date(r.builtAt).toLocaleString('en-GB')})`)], { variant: 'secondary' });
  b.addEventListener('click', () =>
    confirmStep(
      p,
      reopen,
      'Make an earlier version live?',
      `Patients will see the site as it was published on ${new Date(r.builtAt).toLocaleString('en-GB')}, straight away. The content is not changed: the next published change replaces this version.`,
      'Yes, make it live',
      () => p.api.gateway<{ message: string }>(practice.slug, 'rollbackLive', { revision: r.revision }),
    ),
  );
  return b;
}

function restoreButton(p: PracticePage, practice: PracticeChoice, c: Change, reopen: Reopen): HTMLButtonElement {
  const b = button(['Restore', hiddenText(` the content as it was after "${c.subject}"`)], { variant: 'secondary' });
  b.addEventListener('click', () =>
    confirmStep(
      p,
      reopen,
      'Restore the content?',
      `All of ${practice.name}'s content will go back to how it was just after "${c.subject}" (${new Date(c.at).toLocaleString('en-GB')}). This is saved as a new change and published at once; later changes stay in the history.`,
      'Yes, restore it',
      () => p.api.gateway<{ message: string }>(practice.slug, 'rollbackContent', { to: c.commit }),
    ),
  );
  return b;
}

function confirmStep(p: PracticePage, reopen: Reopen, heading: string, text: string, yes: string, act: () => Promise<{ message: string }>): void {
  const problems = problemSlot();
  const go = button(yes, { variant: 'warning' });
  const back = button('No, go back', { variant: 'secondary' });
  back.addEventListener('click', () => void reopen());
  go.addEventListener('click', async () => {
    go.disabled = true;
    try {
      const { message } = await act();
      p.page.announce(sentence(message));
      await reopen(successBanner(sentence(message)));
    } catch (e) {
      go.disabled = false;
      if (e instanceof ApiError && e.status === 401) return p.signIn(`${p.refused(e)}.`);
      problems.show([{ message: p.refused(e) }]);
    }
  });
  p.page.show(
    heading,
    problems.element,
    h('h1', {}, heading),
    h('div', { class: 'nhsuk-warning-callout' }, h('h2', { class: 'nhsuk-warning-callout__label' }, h('span', { role: 'text' }, hiddenText('Important: '), 'This changes the live website')), h('p', {}, text)),
    h('div', { class: 'nhsuk-button-group' }, go, back),
  );
}

export function exportButton(p: PracticePage, practice: PracticeChoice, problems: ReturnType<typeof problemSlot>): HTMLButtonElement {
  const b = button('Download all content (JSON)', { variant: 'secondary' });
  b.addEventListener('click', async () => {
    b.disabled = true;
    try {
      const { blob, filename } = await p.api.exportFile(practice.slug);
      const url = URL.createObjectURL(blob);
      const a = h('a', { href: url, download: filename, class: 'nhsuk-u-visually-hidden' }, filename);
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      p.page.announce(`Downloaded ${filename}`);
    } catch (e) {
      problems.show([{ message: p.refused(e) }]);
    } finally {
      b.disabled = false;
    }
  });
  return b;
}
