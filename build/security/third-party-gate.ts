// The build gate: a patient page may load nothing from another origin. Any script, style, font,
// frame, embed, image or form target elsewhere fails the practice's build. Plain links are fine:
// that is how patients reach their NHS suppliers.

export interface GateFinding {
  file: string;
  what: string;
  url: string;
}

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

export function gateCss(file: string, css: string, origin: string): GateFinding[] {
  const found: GateFinding[] = [];
  for (const m of css.matchAll(/url\(\s*["']?([^"')\s]+)["']?\s*\)/gi)) if (isThirdParty(m[1]!, origin)) found.push({ file, what: 'CSS url()', url: m[1]! });
  for (const m of css.matchAll(/@import\s+(?:url\()?\s*["']?([^"')\s;]+)/gi)) if (isThirdParty(m[1]!, origin)) found.push({ file, what: 'CSS @import', url: m[1]! });
  return found;
}
