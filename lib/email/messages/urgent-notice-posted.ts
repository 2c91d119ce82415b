// "An urgent notice was posted": to a practice's managers whenever anyone posts an urgent notice,
// so the practice always knows what its site is telling patients, until when, and who said it.
import type { EmailMessage } from '../mailer.ts';
import { escapeHtml, htmlDocument, link, oneLine, paragraph, plainText, portalBase, ukDateTimeWords } from './layout.ts';

export interface UrgentNoticePosted {
  to: string;
  practiceName: string;
  title: string;
  /** When the notice ends. */
  until: Date;
  postedBy: string;
  portalUrl: string;
}

export function urgentNoticePostedEmail(o: UrgentNoticePosted): EmailMessage {
  const title = oneLine(o.title);
  const practice = oneLine(o.practiceName);
  const by = oneLine(o.postedBy);
  const until = ukDateTimeWords(o.until);
  const subject = oneLine(`Urgent notice posted: ${title}`);
  const portal = `${portalBase(o.portalUrl)}/site/`;
  const text = plainText([
    `${by} posted an urgent notice on the ${practice} website: "${title}".`,
    `It shows until ${until}, then disappears by itself.`,
    `If it should not be there, you can remove it or restore earlier content from the portal:\n${portal}`,
  ]);
  const html = htmlDocument(subject, [
    paragraph(`${escapeHtml(by)} posted an urgent notice on the ${escapeHtml(practice)} website: &ldquo;${escapeHtml(title)}&rdquo;.`),
    paragraph(`It shows until ${escapeHtml(until)}, then disappears by itself.`),
    paragraph(`If it should not be there, you can remove it or restore earlier content: ${link(portal, 'open the website page in the portal')}.`),
  ]);
  return { to: o.to, subject, text, html };
}
