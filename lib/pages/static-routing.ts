// How Cloudflare Pages maps a request path to a file of a static deployment, reduced to what
// our sites use: `/x/` serves x/index.html, `/x` redirects to `/x/` when that is a folder page,
// `/x/index.html` and `/x.html` redirect to their pretty form, and anything else missing gets the
// site's 404.html with status 404.

export type Resolution =
  | { kind: 'file'; file: string; status: 200 | 404 }
  | { kind: 'redirect'; location: string }
  | { kind: 'none' };

export async function resolvePath(path: string, exists: (file: string) => Promise<boolean>): Promise<Resolution> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return notFound(exists);
  }
  if (!decoded.startsWith('/') || decoded.split('/').some((s) => s === '..' || s === '.') || decoded.includes('\0')) return notFound(exists);
  const rel = decoded.slice(1);
  if (decoded.endsWith('/index.html')) return { kind: 'redirect', location: decoded.slice(0, -'index.html'.length) };
  if (decoded.endsWith('/')) {
    if (await exists(`${rel}index.html`)) return { kind: 'file', file: `${rel}index.html`, status: 200 };
    return notFound(exists);
  }
  if (decoded.endsWith('.html') && decoded !== '/404.html' && (await exists(rel))) return { kind: 'redirect', location: decoded.slice(0, -'.html'.length) };
  if (rel !== '_headers' && rel !== '_redirects' && (await exists(rel))) return { kind: 'file', file: rel, status: 200 };
  if (await exists(`${rel}/index.html`)) return { kind: 'redirect', location: `${decoded}/` };
  if (await exists(`${rel}.html`)) return { kind: 'file', file: `${rel}.html`, status: 200 };
  return notFound(exists);
}

async function notFound(exists: (file: string) => Promise<boolean>): Promise<Resolution> {
  return (await exists('404.html')) ? { kind: 'file', file: '404.html', status: 404 } : { kind: 'none' };
}

export const contentTypes: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  json: 'application/json',
  txt: 'text/plain; charset=utf-8',
  xml: 'application/xml',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  ico: 'image/x-icon',
  pdf: 'application/pdf',
  woff2: 'font/woff2',
};

export const contentTypeOf = (file: string): string => contentTypes[file.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
