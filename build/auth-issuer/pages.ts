// The issuer's few HTML pages. They load nothing: one style block, allowed by its hash, and no
// script. Opening a magic link shows a page with a button; only pressing it (a POST) signs in,
// because mail scanners (NHSmail's among them) open links before the person does.
import { createHash } from 'node:crypto';

const STYLE = [
  'body{margin:0;background:#f0f4f5;color:#212b32;font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;font-size:1.1875rem;line-height:1.5}',
  'main{max-width:36rem;margin:2rem auto;padding:1.5rem 2rem;background:#fff}',
  'h1{font-size:2rem;line-height:1.25;margin:0 0 1rem}',
  'button{font:inherit;font-weight:600;color:#fff;background:#007f3b;border:0;border-radius:4px;padding:.75rem 1.25rem;box-shadow:0 4px 0 #00401e;cursor:pointer}',
  'button:hover{background:#00662f}',
  'button:focus-visible{outline:3px solid transparent;color:#212b32;background:#ffeb3b;box-shadow:0 -2px #ffeb3b,0 4px #212b32}',
  '.note{color:#4c6272;font-size:1rem}',
].join('');

const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

/** The CSP every issuer response carries. */
export const BASE_CSP = "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/**
 * The CSP of an HTML page: the base policy, the style block by hash, and, for the confirmation
 * page, the origin its form's redirect goes to (browsers check form-action on redirects too).
 */
export function pageCsp(formTarget?: string): string {
  const formAction = formTarget ? `form-action 'self' ${formTarget}` : "form-action 'self'";
  return `default-src 'none'; style-src ${STYLE_HASH}; ${formAction}; frame-ancestors 'none'; base-uri 'none'`;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
<p class="note">This is the local development sign-in service. It never runs in production.</p>
</main>
</body>
</html>
`;
}

export function confirmPage(o: { productName: string; action: string; token: string; type: string; redirectTo: string }): string {
  const title = `Sign in to ${o.productName}`;
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1>
<p>You asked to sign in. Select the button to finish signing in.</p>
<form method="post" action="${escapeHtml(o.action)}">
<input type="hidden" name="token" value="${escapeHtml(o.token)}">
<input type="hidden" name="type" value="${escapeHtml(o.type)}">
<input type="hidden" name="redirect_to" value="${escapeHtml(o.redirectTo)}">
<button type="submit">Sign in</button>
</form>
<p>The link works once, for 1 hour after it was sent.</p>
<p>If you did not ask to sign in, close this page. Nobody can sign in without this link or the code in the same email.</p>`,
  );
}

export function messagePage(o: { title: string; paragraphs: string[] }): string {
  return page(o.title, `<h1>${escapeHtml(o.title)}</h1>\n${o.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}`);
}

export function deadLinkPage(productName: string): string {
  return messagePage({
    title: 'This sign-in link has expired or has been used',
    paragraphs: [
      'Sign-in links work once, for 1 hour. Asking for a new code also ends the previous link.',
      `Go back to ${productName} and ask for a new sign-in code, or type the code from your most recent email.`,
    ],
  });
}

export function indexPage(productName: string): string {
  return messagePage({
    title: `${productName}: local sign-in service`,
    paragraphs: [
      'This service stands in for Supabase Auth on a development machine. Sign-in codes and links are written to the local outbox folder as .eml files instead of being emailed.',
      'If you have just signed in, go back to the page you started from.',
    ],
  });
}
