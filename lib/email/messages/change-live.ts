// "Your change is live": to the authors of a draft when it is published. It says who approved (or
// published) it and, where the site's address is known, links to the page patients now see.
import type { EmailMessage } from '../mailer.ts';
import { escapeHtml, htmlDocument, link, oneLine, paragraph, plainText } from './layout.ts';

export interface ChangeLive {
  to: string;
  practiceName: string;
  title: string;
  /** Who published it. */
  publishedBy: string;
  /** True when the publisher reviewed it (wrote none of it); false when an author published it. */
  reviewed: boolean;
  /** The page's address on the practice's site, when known. */
  pageUrl?: string;
}

export function changeLiveEmail(o: ChangeLive): EmailMessage {
  const title = oneLine(o.title);
  const practice = oneLine(o.practiceName);
  const by = oneLine(o.publishedBy);
  const subject = oneLine(`Your change is live: ${title}`);
  const approval = o.reviewed ? `${by} reviewed and approved it.` : `${by} published it.`;
  const text = plainText([
    `Your change to "${title}" is now on the ${practice} website.`,
    approval,
    o.pageUrl ? `See the page:\n${o.pageUrl}` : 'It can take a few minutes to appear on the site.',
  ]);
  const html = htmlDocument(subject, [
    paragraph(`Your change to &ldquo;${escapeHtml(title)}&rdquo; is now on the ${escapeHtml(practice)} website.`),
    paragraph(escapeHtml(approval)),
    paragraph(o.pageUrl ? link(o.pageUrl, `See "${title}" on the website`) : 'It can take a few minutes to appear on the site.'),
  ]);
  return { to: o.to, subject, text, html };
}
