// Pages past or near their review date, as a table (from the gateway's `reviewsDue`).
import type { ReviewDue } from '../../../lib/content/schedule.ts';
import { h } from './dom.ts';
import { responsiveTable } from './table.ts';

export type { ReviewDue };

export function reviewsTable(headingId: string, reviews: ReviewDue[]): HTMLElement {
  if (!reviews.length) return h('p', {}, 'Nothing is due for review in the next 30 days.');
  return responsiveTable(
    headingId,
    ['Page', 'Review by', 'When'],
    reviews.map((r) => [
      r.title,
      r.reviewBy,
      r.daysLeft < 0 ? h('strong', { class: 'nhsuk-tag nhsuk-tag--red' }, `Overdue by ${-r.daysLeft} day${r.daysLeft === -1 ? '' : 's'}`) : r.daysLeft === 0 ? 'Due today' : `Due in ${r.daysLeft} day${r.daysLeft === 1 ? '' : 's'}`,
    ]),
  );
}
