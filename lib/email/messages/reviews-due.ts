// "Pages due for review": to a practice manager, listing the pages, services and policies whose
// review date has passed or is close (lib/content/schedule.ts `reviewsDue`), most urgent first.
import type { ReviewDue } from '../../content/schedule.ts';
import type { EmailMessage } from '../mailer.ts';
import { dateWords, escapeHtml, htmlDocument, link, list, oneLine, paragraph, plainText, portalBase } from './layout.ts';

export interface ReviewsDueMessage {
  to: string;
  practiceName: string;
  due: readonly ReviewDue[];
  portalUrl: string;
  /** `https://<domain>` of the practice's site, to link each page; optional. */
  siteUrl?: string;
}

function when(r: ReviewDue): string {
  const date = dateWords(r.reviewBy);
  if (r.daysLeft < 0) return `overdue: review date was ${date} (${-r.daysLeft} day${r.daysLeft === -1 ? '' : 's'} ago)`;
  if (r.daysLeft === 0) return `due today, ${date}`;
  return `due by ${date} (in ${r.daysLeft} day${r.daysLeft === 1 ? '' : 's'})`;
}

export function reviewsDueEmail(o: ReviewsDueMessage): EmailMessage {
  const practice = oneLine(o.practiceName);
  const count = o.due.length;
  const overdue = o.due.filter((r) => r.daysLeft < 0).length;
  const subject = oneLine(`${count} page${count === 1 ? ' is' : 's are'} due for review on the ${practice} website`);
  const siteHref = (r: ReviewDue) => (o.siteUrl && r.url ? `${o.siteUrl.replace(/\/+$/, '')}${r.url}` : undefined);
  const portal = `${portalBase(o.portalUrl)}/site/`;
  const intro = overdue
    ? `${overdue} of them ${overdue === 1 ? 'is' : 'are'} past the review date. Check each one is still correct, update it if needed, and set a new review date.`
    : 'Check each one is still correct, update it if needed, and set a new review date.';
  const text = plainText([
    `These pages on the ${practice} website are due for review:`,
    o.due.map((r) => `- ${oneLine(r.title)}: ${when(r)}${siteHref(r) ? `\n  ${siteHref(r)}` : ''}`).join('\n'),
    intro,
    `The full list is on the website page of the portal:\n${portal}`,
  ]);
  const html = htmlDocument(subject, [
    paragraph(`These pages on the ${escapeHtml(practice)} website are due for review:`),
    list(o.due.map((r) => `${siteHref(r) ? link(siteHref(r)!, oneLine(r.title)) : escapeHtml(oneLine(r.title))}: ${escapeHtml(when(r))}`)),
    paragraph(escapeHtml(intro)),
    paragraph(`${link(portal, 'See the full list in the portal')} (you will be asked to sign in).`),
  ]);
  return { to: o.to, subject, text, html };
}
