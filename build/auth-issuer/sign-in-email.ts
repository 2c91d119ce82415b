// The sign-in email: the 6-digit code first (it always works, even when a mail scanner has opened
// the link), then the magic link. Plain text and an accessible HTML part say the same thing.
import type { EmailMessage } from '../../lib/email/mailer.ts';
import { escapeHtml } from './pages.ts';

export function signInEmail(o: { to: string; code: string; link: string; productName: string }): EmailMessage {
  const subject = `Your sign-in code for ${o.productName}`;
  const text = [
    `Your sign-in code for ${o.productName} is:`,
    '',
    o.code,
    '',
    'Type this code on the sign-in page. Or open this link and select "Sign in":',
    '',
    o.link,
    '',
    'The code and the link work once, for 1 hour. Asking for a new code ends this one.',
    '',
    'If you did not ask to sign in, you can ignore this email. Nobody can sign in without the code or the link.',
    '',
  ].join('\n');
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(subject)}</title>
</head>
<body style="margin:0;padding:16px;font-family:Arial,sans-serif;font-size:16px;line-height:1.5;color:#212b32;background:#ffffff">
<h1 style="font-size:24px;line-height:1.25;margin:0 0 16px">${escapeHtml(subject)}</h1>
<p style="margin:0 0 8px">Your sign-in code is:</p>
<p style="margin:0 0 24px;font-size:32px;font-weight:bold;letter-spacing:4px">${escapeHtml(o.code)}</p>
<p style="margin:0 0 16px">Type this code on the sign-in page. Or use this link, then select &ldquo;Sign in&rdquo;:</p>
<p style="margin:0 0 24px"><a href="${escapeHtml(o.link)}" style="color:#005eb8;font-weight:bold">Sign in to ${escapeHtml(o.productName)}</a></p>
<p style="margin:0 0 16px">The code and the link work once, for 1 hour. Asking for a new code ends this one.</p>
<p style="margin:0">If you did not ask to sign in, you can ignore this email. Nobody can sign in without the code or the link.</p>
</body>
</html>
`;
  return { to: o.to, subject, text, html };
}
