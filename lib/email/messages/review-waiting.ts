// "A change is waiting for your review": to each of a practice's clinical reviewers (except the
// draft's authors) when a clinical draft is moved to review. It names the entry and who wrote it,
// never the change itself: the reviewer reads that in the CMS, signed in.
import type { EmailMessage } from '../mailer.ts';
import { escapeHtml, htmlDocument, link, names, oneLine, paragraph, plainText, portalBase } from './layout.ts';

export interface ReviewWaiting {
  to: string;
  practiceName: string;
  /** The entry's title. */
  title: string;
  /** Everyone who saved the draft. */
  savedBy: string[];
  /** Who moved it to review. */
  requestedBy: string;
  portalUrl: string;
}

export const workflowLink = (portalUrl: string) => `${portalBase(portalUrl)}/cms/#/workflow`;

export function reviewWaitingEmail(o: ReviewWaiting): EmailMessage {
  const title = oneLine(o.title);
  const practice = oneLine(o.practiceName);
  const subject = oneLine(`A change is waiting for your review: ${title}`);
  const href = workflowLink(o.portalUrl);
  const who = names(o.savedBy);
  const asked = oneLine(o.requestedBy);
  const text = plainText([
    `A change to "${title}" on the ${practice} website is waiting for a clinical review.`,
    `Saved by: ${who}\nSent for review by: ${asked}`,
    `It is not live yet. Patients will see it only after a clinical reviewer who did not write it approves and publishes it.`,
    `To review it, open the Workflow page in the CMS and sign in:\n${href}`,
  ]);
  const html = htmlDocument(subject, [
    paragraph(`A change to &ldquo;${escapeHtml(title)}&rdquo; on the ${escapeHtml(practice)} website is waiting for a clinical review.`),
    paragraph(`Saved by: ${escapeHtml(who)}<br>Sent for review by: ${escapeHtml(asked)}`),
    paragraph('It is not live yet. Patients will see it only after a clinical reviewer who did not write it approves and publishes it.'),
    paragraph(`${link(href, 'Review the change in the CMS')} (you will be asked to sign in).`),
  ]);
  return { to: o.to, subject, text, html };
}
