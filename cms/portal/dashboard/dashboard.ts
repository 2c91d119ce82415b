// The practice dashboard: at a glance, whether the website meets what a GP website must publish
// (with what to fix), pages due for review, changes waiting for a reviewer, recent changes and
// published versions with the ways back, the members, and the content download. Built for practice
// managers; other members see the same state without the actions. The gateway checks every right.
import type { ComplianceReport, ItemResult } from '../../../lib/compliance/types.ts';
import type { Invitation, Member } from '../../../lib/members/members.ts';
import { ApiError, type PracticeChoice } from '../shared/api.ts';
import { h, hiddenText, time } from '../shared/dom.ts';
import { problemSlot } from '../shared/page.ts';
import { startPracticePage, type PracticePage } from '../shared/practice-page.ts';
import { reviewsTable, type ReviewDue } from '../shared/reviews.ts';
import { changesTable, exportButton, revisionsOf, revisionsTable, type Change } from '../shared/rollback-controls.ts';
import { roleNames, roles, withArticle } from '../shared/roles.ts';
import { responsiveTable } from '../shared/table.ts';

interface Draft {
  id: string;
  collection: string;
  slug: string;
  status: 'draft' | 'pending_review' | 'pending_publish';
  authors: string[];
  updatedAt: string;
  clinical: boolean;
}

const statusTag: Record<Draft['status'], [string, string]> = {
  pending_review: ['Waiting for review', 'nhsuk-tag--yellow'],
  pending_publish: ['Approved, ready to publish', 'nhsuk-tag--green'],
  draft: ['Draft', 'nhsuk-tag--grey'],
};

function complianceSection(report: ComplianceReport | null, problems: { message: string; fix: string; file: string }[]): Node[] {
  const heading = h('h2', { id: 'compliance-heading' }, 'What the website must publish');
  if (!report)
    return [
      heading,
      h('div', { class: 'nhsuk-warning-callout' }, h('h3', { class: 'nhsuk-warning-callout__label' }, h('span', { role: 'text' }, hiddenText('Important: '), 'The content has errors')), h('p', {}, 'The legal requirements cannot be checked until these are fixed:'), h('ul', {}, problems.map((p) => h('li', {}, `${p.message}: ${p.fix} (${p.file})`)))),
    ];
  const failing = report.results.filter((r) => r.status === 'fail');
  const musts = failing.filter((r) => r.level === 'must');
  const summary = musts.length
    ? h('p', {}, h('strong', { class: 'nhsuk-tag nhsuk-tag--red' }, `${musts.length} legal requirement${musts.length === 1 ? '' : 's'} not met`))
    : h('p', {}, h('strong', { class: 'nhsuk-tag nhsuk-tag--green' }, 'Meets every legal requirement checked'));
  const passed = report.results.filter((r) => r.status !== 'fail');
  return [
    heading,
    summary,
    h('p', {}, `Checked against the live content on `, time(report.checkedAt), '. ', report.blocking ? 'This practice refuses changes that would break a legal requirement.' : 'Changes that break a requirement are not refused (a practice manager can turn this on in the practice profile).'),
    ...failing.map((item) => failingItem(item)),
    h(
      'details',
      { class: 'nhsuk-details' },
      h('summary', { class: 'nhsuk-details__summary' }, h('span', { class: 'nhsuk-details__summary-text' }, `${passed.length} requirements met or not applicable`)),
      h('div', { class: 'nhsuk-details__text' }, h('ul', {}, passed.map((r) => h('li', {}, `${r.title}${r.status === 'not-applicable' ? ` (not applicable: ${r.note ?? ''})` : ''}`)))),
    ),
  ];
}

function failingItem(item: ItemResult): HTMLElement {
  const must = item.level === 'must';
  return h(
    'div',
    { class: 'nhsuk-card nhsuk-card--feature' },
    h(
      'div',
      { class: 'nhsuk-card__content nhsuk-card__content--feature' },
      h('h3', { class: 'nhsuk-card__heading nhsuk-card__heading--feature' }, must ? 'Must fix' : 'Should fix'),
      h('p', { class: 'nhsuk-body' }, h('strong', {}, item.title)),
      h(
        'ul',
        { class: 'nhsuk-list nhsuk-list--bullet' },
        item.findings.map((f) => h('li', {}, `${f.message[0]!.toUpperCase()}${f.message.slice(1)}. `, h('span', {}, `How to fix: ${f.fix}.`), f.file ? h('span', { class: 'nhsuk-body-s nhsuk-u-secondary-text-color' }, ` In ${f.file}${f.field ? `, ${f.field}` : ''}.`) : null)),
      ),
      h('p', { class: 'nhsuk-body-s' }, `Source: ${item.source}`),
    ),
  );
}

function draftsSection(drafts: Draft[]): Node[] {
  const waiting = drafts.filter((d) => d.status !== 'draft');
  return [
    h('h2', { id: 'drafts-heading' }, 'Changes waiting for review'),
    waiting.length
      ? responsiveTable(
          'drafts-heading',
          ['Change', 'Status', 'By', 'Last changed'],
          waiting.map((d) => [`${d.collection}/${d.slug}${d.clinical ? ' (clinical)' : ''}`, h('strong', { class: `nhsuk-tag ${statusTag[d.status][1]}` }, statusTag[d.status][0]), d.authors.join(', '), time(d.updatedAt)]),
        )
      : h('p', {}, 'Nothing is waiting for review.'),
    h('p', {}, `${drafts.length - waiting.length} other draft${drafts.length - waiting.length === 1 ? '' : 's'} in progress. `, h('a', { href: '/cms/#/workflow' }, 'Open the editor to review them')),
  ];
}

function membersSection(list: { members: Member[]; invitations: Invitation[] } | undefined): Node[] {
  if (!list) return [];
  const active = list.members.filter((m) => m.active);
  return [
    h('h2', { id: 'members-heading' }, 'Members'),
    responsiveTable('members-heading', ['Role', 'People'], roles.filter((r) => active.some((m) => m.role === r)).map((r) => [roleNames[r][0]!.toUpperCase() + roleNames[r].slice(1), String(active.filter((m) => m.role === r).length)])),
    // The API lists only invitations still open.
    h('p', {}, `${list.invitations.length === 1 ? '1 invitation' : `${list.invitations.length} invitations`} not yet accepted. `, h('a', { href: '/members/' }, 'Manage members')),
  ];
}

async function open(p: PracticePage, practice: PracticeChoice, banner?: HTMLElement): Promise<void> {
  p.page.show('Loading', h('h1', {}, `${practice.name}: dashboard`), h('p', { 'aria-busy': 'true' }, 'Loading the dashboard…'));
  const manager = practice.role === 'practice_manager';
  let state;
  try {
    const [compliance, reviews, drafts, changes, revisions, members] = await Promise.all([
      p.api.gateway<{ report: ComplianceReport | null; problems: { message: string; fix: string; file: string }[] }>(practice.slug, 'compliance'),
      p.api.gateway<{ reviews: ReviewDue[] }>(practice.slug, 'reviewsDue'),
      p.api.gateway<{ drafts: Draft[] }>(practice.slug, 'drafts'),
      p.api.gateway<{ changes: Change[] }>(practice.slug, 'history', { depth: 10 }),
      revisionsOf(p, practice, 5),
      // Only those who may see the members list get one; for the others the section is left out.
      p.api.members(practice.slug).catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 403) return undefined;
        throw e;
      }),
    ]);
    state = { compliance, reviews: reviews.reviews, drafts: drafts.drafts, changes: changes.changes, revisions, members };
  } catch (e) {
    return p.failed(e);
  }
  const problems = problemSlot();
  const reopen = (b?: HTMLElement) => open(p, practice, b);
  p.page.show(
    `${practice.name}: dashboard`,
    problems.element,
    banner,
    h('h1', {}, h('span', { class: 'nhsuk-caption-l' }, practice.name, hiddenText(': ')), 'Practice dashboard'),
    h('p', {}, `You are ${practice.role ? withArticle(practice.role) : 'a member'} of this practice.`),
    ...complianceSection(state.compliance.report, state.compliance.problems),
    h('h2', { id: 'reviews-heading' }, 'Due for review'),
    reviewsTable('reviews-heading', state.reviews),
    ...draftsSection(state.drafts),
    h('h2', { id: 'changes-heading' }, 'Recent changes'),
    changesTable(p, practice, state.changes, reopen),
    h('p', {}, h('a', { href: '/site/' }, 'See the full history')),
    ...(state.revisions ? [h('h2', { id: 'live-heading' }, 'What patients see'), revisionsTable(p, practice, state.revisions, reopen)] : []),
    ...membersSection(state.members),
    ...(manager || practice.role === 'auditor' ? [h('h2', {}, 'Take your content with you'), exportButton(p, practice, problems)] : []),
  );
}

void startPracticePage({
  signInHeading: 'Sign in to see your practice dashboard',
  signInIntro: "See whether your website meets what a GP website must publish, what is due for review, what waits for a reviewer, and your website's recent changes.",
  chooseHeading: 'Which practice do you want to see?',
  open: (p, practice) => open(p, practice),
});
