// What the link checks share: a built site read through a small capability (so the same checks
// run on a folder, in memory or in a Worker), the problem they report, and one pass over each
// page that finds every link and every fragment target.
import { Parser } from 'htmlparser2';

/** A built site: one practice's revision. Paths are relative to its root, with `/` separators. */
export interface SiteFiles {
  listFiles(): Promise<string[]>;
  readText(file: string): Promise<string>;
  /** The site's own origin, like `https://riverside-medical.example`: absolute links to it are internal. */
  origin?: string;
  /**
   * Paths answered by the site's Pages Functions rather than by a file, like `/api/chat`. A
   * `[name]` segment matches any one segment, `[[name]]` any rest of the path.
   */
  functionRoutes?: readonly string[];
}

export interface LinkProblem {
  /** The URL path of the page holding the link, like `/appointments/`. */
  page: string;
  /** The link as written in the page. */
  link: string;
  problem: string;
  fix: string;
}

export interface FoundLink {
  /** The attribute value as written. */
  raw: string;
  /** The element and attribute it came from, like `a href` or `script src`. */
  where: string;
  tag: string;
}

export interface SitePage {
  file: string;
  /** The URL path the page is served at. */
  path: string;
  links: FoundLink[];
  /** Every `id` (and `<a name>`) a fragment may target. */
  ids: Set<string>;
  /** The ids of headings: what a fragment link almost always means, so what is worth suggesting. */
  headingIds: Set<string>;
}

/** An origin that cannot be anybody's, for sites read without their own. */
export const placeholderOrigin = 'https://site.invalid';

/** The attributes that hold a URL, by element (`*` for any element). */
const urlAttributes: Readonly<Record<string, readonly string[]>> = {
  a: ['href'],
  area: ['href'],
  link: ['href'],
  base: ['href'],
  script: ['src'],
  img: ['src', 'srcset'],
  source: ['src', 'srcset'],
  video: ['src', 'poster'],
  audio: ['src'],
  track: ['src'],
  iframe: ['src'],
  frame: ['src'],
  embed: ['src'],
  object: ['data'],
  form: ['action'],
  button: ['formaction'],
  input: ['src', 'formaction'],
  use: ['href', 'xlink:href'],
  image: ['href', 'xlink:href'],
  blockquote: ['cite'],
  q: ['cite'],
};

/** The URL path a file of the site is served at, the way Cloudflare Pages serves it. */
export function pagePath(file: string): string {
  if (file === 'index.html') return '/';
  if (file.endsWith('/index.html')) return `/${file.slice(0, -'index.html'.length)}`;
  if (file === '404.html') return '/404.html';
  if (file.endsWith('.html')) return `/${file.slice(0, -'.html'.length)}`;
  return `/${file}`;
}

export function findLinks(html: string): { links: FoundLink[]; ids: Set<string>; headingIds: Set<string> } {
  const links: FoundLink[] = [];
  const ids = new Set<string>();
  const headingIds = new Set<string>();
  const parser = new Parser(
    {
      onopentag(tag, attrs) {
        const id = attrs.id ?? (tag === 'a' ? attrs.name : undefined);
        if (id) {
          ids.add(id);
          if (/^h[1-6]$/.test(tag)) headingIds.add(id);
        }
        for (const attr of urlAttributes[tag] ?? []) {
          const value = attrs[attr];
          if (value === undefined) continue;
          // A srcset names several images, each followed by its width or density.
          const values = attr === 'srcset' ? value.split(',').map((s) => s.trim().split(/\s+/)[0] ?? '').filter(Boolean) : [value.trim()];
          for (const raw of values) links.push({ raw, where: `${tag} ${attr}`, tag });
        }
      },
    },
    { decodeEntities: true, lowerCaseAttributeNames: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  return { links, ids, headingIds };
}

/** Every HTML page of the site with its links and fragment targets, in file order. */
export async function readSitePages(site: SiteFiles): Promise<{ files: string[]; pages: SitePage[] }> {
  const files = (await site.listFiles()).slice().sort();
  const pages = await Promise.all(
    files
      .filter((f) => f.endsWith('.html'))
      .map(async (file) => ({ file, path: pagePath(file), ...findLinks(await site.readText(file)) })),
  );
  return { files, pages };
}

/** The link resolved against the page it is on, or undefined when it is not a valid address. */
export function resolveLink(raw: string, pagePath: string, origin: string): URL | undefined {
  try {
    return new URL(raw, new URL(pagePath, origin));
  } catch {
    return undefined;
  }
}

export function isWebUrl(url: URL): boolean {
  return url.protocol === 'https:' || url.protocol === 'http:';
}

/** Same host as the site (either scheme: an http link to the site itself is still the site's). */
export function isSameSite(url: URL, origin: string): boolean {
  return isWebUrl(url) && url.host.toLowerCase() === new URL(origin).host.toLowerCase();
}

/** Whether a Pages Functions route pattern answers this path. */
export function routeMatches(route: string, pathname: string): boolean {
  const want = route.replace(/\/+$/, '').split('/');
  const have = pathname.replace(/\/+$/, '').split('/');
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    if (/^\[\[.+\]\]$/.test(w)) return have.length > i;
    if (have[i] === undefined) return false;
    if (!/^\[.+\]$/.test(w) && w !== have[i]) return false;
  }
  return want.length === have.length;
}
