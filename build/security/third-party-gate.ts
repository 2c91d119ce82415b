// The build gate: a patient page may load nothing from another origin. Any script, style, font,
// frame, embed, image or form target elsewhere fails the practice's build. Plain links are fine:
// that is how patients reach their NHS suppliers.
import { Parser } from 'htmlparser2';

export interface GateFinding {
  file: string;
  what: string;
  url: string;
}

const embedding = new Set(['iframe', 'frame', 'object', 'embed', 'applet', 'portal', 'fencedframe']);

/** Is `url` on another origin than the site's own (relative URLs are the site's own)? */
export function isThirdParty(url: string, origin: string): boolean {
  const u = url.trim();
  if (/^(data|blob|javascript):/i.test(u)) return true;
  if (!/^([a-z][a-z0-9+.-]*:)?\/\//i.test(u)) return false;
  try {
    return new URL(u, origin).origin !== new URL(origin).origin;
  } catch {
    return true;
  }
}

export function gateHtml(file: string, html: string, origin: string): GateFinding[] {
  const found: GateFinding[] = [];
  const check = (what: string, url: string | undefined) => {
    if (url && isThirdParty(url, origin)) found.push({ file, what, url });
  };
  let inStyle = false;
  const parser = new Parser(
    {
      onopentag(name, a) {
        if (embedding.has(name)) found.push({ file, what: `<${name}> frame or embed`, url: a.src ?? a.data ?? '' });
        if (name === 'script') check('script', a.src);
        if (name === 'link') check(`<link rel="${a.rel ?? ''}">`, a.href);
        if (['img', 'source', 'video', 'audio', 'track', 'input'].includes(name)) {
          check(`<${name}>`, a.src);
          for (const s of (a.srcset ?? '').split(',')) check(`<${name}> srcset`, s.trim().split(/\s+/)[0]);
        }
        if (name === 'form') check('form target', a.action);
        if (name === 'button' || name === 'input') check('form target', a.formaction);
        if (name === 'meta' && /refresh/i.test(a['http-equiv'] ?? '')) found.push({ file, what: 'meta refresh', url: a.content ?? '' });
        if (a.style) for (const f of gateCss(file, a.style, origin)) found.push(f);
        if (name === 'style') inStyle = true;
      },
      ontext(text) {
        if (inStyle) found.push(...gateCss(file, text, origin));
      },
      onclosetag(name) {
        if (name === 'style') inStyle = false;
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return found;
}

export function gateCss(file: string, css: string, origin: string): GateFinding[] {
  const found: GateFinding[] = [];
  for (const m of css.matchAll(/url\(\s*["']?([^"')\s]+)["']?\s*\)/gi)) if (isThirdParty(m[1]!, origin)) found.push({ file, what: 'CSS url()', url: m[1]! });
  for (const m of css.matchAll(/@import\s+(?:url\()?\s*["']?([^"')\s;]+)/gi)) if (isThirdParty(m[1]!, origin)) found.push({ file, what: 'CSS @import', url: m[1]! });
  return found;
}
