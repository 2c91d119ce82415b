// Internal links of a built site: every link to the site itself (relative, root-relative or an
// absolute address on its own origin) must reach a file the way Cloudflare Pages would serve it,
// and a `#fragment` must name an id on the page it lands on.
import { resolvePath } from '../pages/static-routing.ts';
import { routeMatches, isSameSite, placeholderOrigin, readSitePages, resolveLink, type LinkProblem, type SiteFiles, type SitePage } from './site-links.ts';

/** Pages redirect `/x` to `/x/` and `/x/index.html` to `/x/`; more than this is a loop. */
const maxRedirects = 3;

export async function checkInternalLinks(site: SiteFiles): Promise<LinkProblem[]> {
  const origin = site.origin ?? placeholderOrigin;
  const { files, pages } = await readSitePages(site);
  const fileSet = new Set(files);
  const exists = async (f: string) => fileSet.has(f);
  const byFile = new Map(pages.map((p) => [p.file, p]));
  const pagePaths = pages.filter((p) => p.file !== '404.html').map((p) => p.path);
  const problems: LinkProblem[] = [];
  // The header and footer repeat on every page: resolve each distinct target once.
  const landed = new Map<string, Landing>();

  for (const page of pages) {
    const seen = new Set<string>();
    for (const { raw, where } of page.links) {
      if (seen.has(raw)) continue;
      seen.add(raw);
      const report = (problem: string, fix: string) => problems.push({ page: page.path, link: raw, problem, fix });
      if (raw === '') {
        report(`the ${where} attribute is empty`, 'give the address of the page or file, or remove the link');
        continue;
      }
      const url = resolveLink(raw, page.path, origin);
      if (!url) {
        report(`"${raw}" is not a valid address`, 'write a path such as /contact/ or a full address starting with https://');
        continue;
      }
      if (!isSameSite(url, origin)) continue;
      if (url.protocol === 'http:' && origin.startsWith('https:')) {
        report('the link goes to the site itself over insecure http', `write it as a path: ${url.pathname}${url.search}${url.hash}`);
        continue;
      }
      if (site.functionRoutes?.some((r) => routeMatches(r, url.pathname))) continue;
      let landing = landed.get(url.pathname);
      if (!landing) landed.set(url.pathname, (landing = await land(url.pathname, exists)));
      if (landing.kind === 'missing') {
        const near = nearest(url.pathname, pagePaths);
        report(`there is no page or file at ${url.pathname}`, near ? `did you mean ${near}? Otherwise link to a page that exists or remove the link` : 'link to a page that exists, or remove the link');
        continue;
      }
      if (landing.kind === 'loop') {
        report(`${url.pathname} redirects more than ${maxRedirects} times`, 'link to the final address of the page');
        continue;
      }
      const fragment = fragmentOf(url);
      if (fragment === undefined) continue;
      const target = byFile.get(landing.file);
      if (!target) continue; // a fragment of a PDF or image is for its viewer, not an id
      if (!target.ids.has(fragment)) report(fragmentProblem(fragment, target, page), fragmentFix(target));
    }
  }
  return problems;
}

type Landing = { kind: 'file'; file: string } | { kind: 'missing' } | { kind: 'loop' };

async function land(pathname: string, exists: (f: string) => Promise<boolean>): Promise<Landing> {
  let current = pathname;
  for (let i = 0; i <= maxRedirects; i++) {
    const r = await resolvePath(current, exists);
    if (r.kind === 'file') return r.status === 200 ? { kind: 'file', file: r.file } : { kind: 'missing' };
    if (r.kind === 'none') return { kind: 'missing' };
    current = r.location;
  }
  return { kind: 'loop' };
}

/** The decoded fragment, or undefined for none and for the top of the page (`#` and `#top` always work). */
function fragmentOf(url: URL): string | undefined {
  if (url.hash.length <= 1) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(url.hash.slice(1));
  } catch {
    id = url.hash.slice(1);
  }
  return id.toLowerCase() === 'top' ? undefined : id;
}

function fragmentProblem(id: string, target: SitePage, from: SitePage): string {
  const onPage = target.file === from.file ? 'this page' : target.path;
  return `there is no element with id "${id}" on ${onPage}`;
}

function fragmentFix(target: SitePage): string {
  const ids = [...target.headingIds];
  const listed = ids.slice(0, 8).map((i) => `#${i}`).join(', ');
  return ids.length
    ? `link to one of its headings (${listed}${ids.length > 8 ? ', …' : ''}) or add the id to the heading the link means`
    : 'its headings have no ids: remove the #part of the link, or add an id to the heading the link means';
}

/** The existing page closest to a missing path, when one is close enough to be a likely typo. */
function nearest(missing: string, paths: readonly string[]): string | undefined {
  const want = missing.endsWith('/') ? missing : `${missing}/`;
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(want.length / 4)) + 1;
  for (const p of paths) {
    const d = distance(want, p);
    if (d < bestDistance) [best, bestDistance] = [p, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}
