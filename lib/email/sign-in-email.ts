// The production sign-in email, sent from Supabase Auth's Send Email hook. The code comes first:
// it always works. The link goes to a portal page that signs in only when the person presses a
// button, because mail scanners (NHSmail's among them) open links before people do, and a link
// that signed in on opening would be used up by the scanner. No images, no tracking, no remote
// content. Runtime-neutral: no Node imports here.
import type { EmailMessage } from './mailer.ts';

export const signInSubject = 'Your sign-in code for Practice Digital';

/** The portal page the email links to; the page itself is specified in docs/auth-email-hook.md. */
export const confirmPath = '/sign-in/confirm/';

/**
 * `${portalUrl}/sign-in/confirm/#token_hash=…&type=email[&next=/path]`. The token hash travels in
 * the fragment, so it never reaches a server log or a Referer header; `next` is a portal path only.
 */
export function confirmLink(portalUrl: string, tokenHash: string, next?: string): string {
  const base = new URL(confirmPath, portalUrl.replace(/\/+$/, '') + '/');
  const params = new URLSearchParams({ token_hash: tokenHash, type: 'email' });
  if (next && /^\/(?![/\\])/.test(next)) params.set('next', next);
  base.hash = params.toString();
  return base.toString();
}

const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** `productName` names the service in the email; the local sign-in service passes its own. */
export function signInEmail(o: { to: string; code: string; link: string; productName?: string }): EmailMessage {
  const product = o.productName ?? 'Practice Digital';
  const subject = `Your sign-in code for ${product}`;
  const text = [
    `Your sign-in code for ${product} is:`,
    '',
    o.code,
    '',
    'Type this code on the sign-in page.',
    '',
    'Or open this link and select "Sign in":',
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
<title>${escape(subject)}</title>
</head>
<body style="margin:0;padding:16px;font-family:Arial,sans-serif;font-size:16px;line-height:1.5;color:#212b32;background:#ffffff">
<h1 style="font-size:24px;line-height:1.25;margin:0 0 16px">${escape(subject)}</h1>
<p style="margin:0 0 8px">Your sign-in code is:</p>
<p style="margin:0 0 24px;font-size:32px;font-weight:bold;letter-spacing:4px">${escape(o.code)}</p>
<p style="margin:0 0 16px">Type this code on the sign-in page. Or use this link, then select &ldquo;Sign in&rdquo;:</p>
<p style="margin:0 0 24px"><a href="${escape(o.link)}" style="color:#005eb8;font-weight:bold">Sign in to ${escape(product)}</a></p>
<p style="margin:0 0 16px">The code and the link work once, for 1 hour. Asking for a new code ends this one.</p>
<p style="margin:0">If you did not ask to sign in, you can ignore this email. Nobody can sign in without the code or the link.</p>
</body>
</html>
`;
  return { to: o.to, subject, text, html };
}
