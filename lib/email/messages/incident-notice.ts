// "A security incident affects your practice": to each practice manager of a practice affected by
// an incident, within 24 hours of its discovery (the promise on the security page). It says what
// happened, what we have done, what the practice should do, and whom to contact. It never holds
// a secret, a sign-in link or anyone's personal data: the practice asks us for detail.
import type { EmailMessage } from '../mailer.ts';
import { escapeHtml, htmlDocument, link, list, oneLine, paragraph, plainText, ukDateTimeWords } from './layout.ts';

export interface IncidentNotice {
  to: string;
  practiceName: string;
  /** The incident's title, as shown in the subject. */
  title: string;
  /** What happened, in plain words. */
  happened: string;
  discoveredAt: Date;
  /** What we have done so far, one step each. */
  done: string[];
  /** What the practice should do, one step each. */
  toDo: string[];
  /** `mailto:` or `https://`: where to reply with questions (the security contact). */
  contact: string;
  /** Whether personal data may be involved; if so, the practice's own duties are mentioned. */
  personalData: boolean;
  /** The incident's id, quoted so the practice can refer to it. */
  reference: string;
  idempotencyKey?: string;
}

export const defaultIncidentAdvice = [
  'Sign in to the portal again when asked: we have ended every session that might have been affected.',
  'Check the recent changes on your dashboard and tell us about any you do not recognise.',
  'Do not reply to or act on any email asking for a sign-in code: we will never ask for one.',
];

export function incidentNoticeEmail(o: IncidentNotice): EmailMessage {
  const title = oneLine(o.title);
  const practice = oneLine(o.practiceName);
  const subject = oneLine(`Security incident affecting ${practice}: ${title}`);
  const when = ukDateTimeWords(o.discoveredAt);
  const contactAddress = o.contact.replace(/^mailto:/, '');
  const done = o.done.map(oneLine).filter(Boolean);
  const toDo = (o.toDo.length ? o.toDo : defaultIncidentAdvice).map(oneLine).filter(Boolean);
  const personal = o.personalData
    ? 'Personal data may be involved. We will notify the Information Commissioner’s Office within 72 hours of discovery. As data controller for your practice’s data, you may have your own duties: your data protection officer can advise.'
    : 'We have no evidence that personal data is involved. If that changes, we will tell you at once.';
  const text = plainText([
    `We are writing to tell you about a security incident that affects the ${practice} website in Practice Digital. We discovered it on ${when}.`,
    `What happened\n${oneLine(o.happened)}`,
    `What we have done\n${done.length ? done.map((d) => `- ${d}`).join('\n') : '- We are investigating and will write again when it is contained.'}`,
    `What you should do\n${toDo.map((d) => `- ${d}`).join('\n')}`,
    personal,
    `Who to contact\nReply to ${contactAddress} with any questions, quoting reference ${o.reference}. We will also phone you.`,
  ]);
  const contactLink = o.contact.startsWith('mailto:') ? link(o.contact, contactAddress) : link(o.contact, 'our security contact page');
  const heading = (s: string) => `<h2 style="font-size:19px;line-height:1.3;margin:24px 0 8px">${escapeHtml(s)}</h2>`;
  const html = htmlDocument(subject, [
    paragraph(`We are writing to tell you about a security incident that affects the ${escapeHtml(practice)} website in Practice Digital. We discovered it on ${escapeHtml(when)}.`),
    heading('What happened'),
    paragraph(escapeHtml(oneLine(o.happened))),
    heading('What we have done'),
    done.length ? list(done.map(escapeHtml)) : paragraph('We are investigating and will write again when it is contained.'),
    heading('What you should do'),
    list(toDo.map(escapeHtml)),
    paragraph(escapeHtml(personal)),
    heading('Who to contact'),
    paragraph(`Reply to ${contactLink} with any questions, quoting reference ${escapeHtml(o.reference)}. We will also phone you.`),
  ]);
  return { to: o.to, subject, text, html, ...(o.idempotencyKey ? { idempotencyKey: o.idempotencyKey } : {}) };
}
