// The website's history for everyone who works on a practice, and the two ways back for its
// practice manager: restore the content as it was after an earlier change (a new change, so the
// history is kept), or put an earlier published version back in front of patients at once. Also
// the download of all the practice's content. The gateway checks every right again.
import type { PracticeChoice } from '../shared/api.ts';
import { h, hiddenText } from '../shared/dom.ts';
import { problemSlot } from '../shared/page.ts';
import { startPracticePage, type PracticePage } from '../shared/practice-page.ts';
import { reviewsTable, type ReviewDue } from '../shared/reviews.ts';
import { changesTable, exportButton, revisionsOf, revisionsTable, type Change, type Revision } from '../shared/rollback-controls.ts';
import { withArticle } from '../shared/roles.ts';

async function open(p: PracticePage, practice: PracticeChoice, banner?: HTMLElement): Promise<void> {
  p.page.show('Loading', h('h1', {}, `${practice.name}: website history`), h('p', { 'aria-busy': 'true' }, 'Loading the history…'));
  let changes: Change[];
  let revisions: Revision[] | undefined;
  let reviews: ReviewDue[];
  try {
    changes = (await p.api.gateway<{ changes: Change[] }>(practice.slug, 'history', { depth: 30 })).changes;
    reviews = (await p.api.gateway<{ reviews: ReviewDue[] }>(practice.slug, 'reviewsDue')).reviews;
    revisions = await revisionsOf(p, practice, 10);
  } catch (e) {
    return p.failed(e);
  }
  const manager = practice.role === 'practice_manager';
  const mayExport = manager || practice.role === 'auditor';
  const problems = problemSlot();
  const reopen = (b?: HTMLElement) => open(p, practice, b);
  p.page.show(
    `${practice.name}: website history`,
    problems.element,
    banner,
    h('h1', {}, h('span', { class: 'nhsuk-caption-l' }, practice.name, hiddenText(': ')), 'Website history'),
    h('p', {}, `You are ${practice.role ? withArticle(practice.role) : 'a member'} of this practice.`),
    h('h2', { id: 'reviews-heading' }, 'Due for review'),
    reviewsTable('reviews-heading', reviews),
    ...(revisions
      ? [
          h('h2', { id: 'live-heading' }, 'What patients see'),
          h('p', {}, 'Each published version of the site. Making an earlier one live takes effect at once and changes no content: the next published change replaces it.'),
          revisionsTable(p, practice, revisions, reopen),
        ]
      : []),
    h('h2', { id: 'changes-heading' }, 'Changes to the content'),
    h('p', {}, manager ? 'Newest first. Restoring puts all the content back as it was just after that change, as a new change: nothing is lost, and it can itself be undone.' : 'Newest first.'),
    changesTable(p, practice, changes, reopen),
    ...(mayExport ? [h('h2', {}, 'Take your content with you'), h('p', {}, 'All of the practice profile, pages, policies, news, team, notices and media, with a summary of the history, in one JSON file.'), exportButton(p, practice, problems)] : []),
  );
}

void startPracticePage({
  signInHeading: "Sign in to see your website's history",
  signInIntro: 'Everyone who works on a practice can see what changed on its website, when and by whom. Practice managers can also undo changes and download all the content.',
  chooseHeading: 'Which practice do you want to see?',
  open: (p, practice) => open(p, practice),
});
