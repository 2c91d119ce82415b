// What every platform email shares: one plain, accessible HTML document (language, title, one
// heading, real links, no tables, images or tracking) beside a plain-text part saying the same.
// Runtime-neutral: no Node imports here.

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** A subject line is one line: titles typed by people may hold line breaks. */
export const oneLine = (s: string) => s.replace(/[\r\n\t]+/g, ' ').replace(/\s{2,}/g, ' ').trim();

export const link = (href: string, label: string) => `<a href="${escapeHtml(href)}" style="color:#005eb8;font-weight:bold">${escapeHtml(label)}</a>`;

export const paragraph = (html: string) => `<p style="margin:0 0 16px">${html}</p>`;

export const list = (items: string[]) => `<ul style="margin:0 0 16px;padding-left:24px">\n${items.map((i) => `<li style="margin:0 0 8px">${i}</li>`).join('\n')}\n</ul>`;

/** "A", "A and B", "A, B and C". */
export function names(people: readonly string[]): string {
  const list = people.map(oneLine).filter(Boolean);
  if (list.length <= 1) return list[0] ?? 'someone';
  return `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`;
}

/** The portal's address without a trailing slash, for building links. */
export const portalBase = (portalUrl: string) => portalUrl.replace(/\/+$/, '');

export const footerText = 'You get this email because of your role on the practice website in Practice Digital.';

/** A complete HTML document whose heading is the subject; `body` is already-escaped HTML. */
export function htmlDocument(subject: string, body: string[]): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(subject)}</title>
</head>
<body style="margin:0;padding:16px;font-family:Arial,sans-serif;font-size:16px;line-height:1.5;color:#212b32;background:#ffffff">
<h1 style="font-size:24px;line-height:1.25;margin:0 0 16px">${escapeHtml(subject)}</h1>
${body.join('\n')}
<p style="margin:24px 0 0;font-size:14px;color:#4c6272">${escapeHtml(footerText)}</p>
</body>
</html>
`;
}

/** The plain-text part: paragraphs separated by blank lines, ending with the footer. */
export function plainText(paragraphs: string[]): string {
  return [...paragraphs, footerText].join('\n\n') + '\n';
}

const londonDateTime = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });
const plainDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });

/** "Saturday 5 December 2026 at 17:00", UK time. */
export function ukDateTimeWords(instant: Date): string {
  const parts = Object.fromEntries(londonDateTime.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.weekday} ${parts.day} ${parts.month} ${parts.year} at ${parts.hour}:${parts.minute}`;
}

/** "Monday 1 February 2027" for a `YYYY-MM-DD` date. */
export function dateWords(ymd: string): string {
  const t = Date.parse(`${ymd}T12:00:00Z`);
  return Number.isNaN(t) ? ymd : plainDate.format(t).replace(',', '');
}
