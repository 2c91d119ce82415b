// The practice site's link graph, from the same prepared routes the theme renders (no build
// needed): the header menu, the footer and the breadcrumbs on every page, the links each view adds
// (the home page's top tasks and news, the services and news lists), and the links in each body.
// test/compliance.test.ts checks that every link here is really in the built pages.
import type { Practice } from '../../lib/content/practice.ts';
import type { SiteGraph } from '../../lib/compliance/types.ts';
import { routesFor, siteView } from '../site/routes.ts';

const hrefs = (html: string | undefined): string[] =>
  [...(html ?? '').matchAll(/\bhref="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));

/** A same-site path without query or fragment, or undefined for a link elsewhere. */
function sitePath(href: string, origin: string): string | undefined {
  if (href.startsWith('#') || /^(mailto|tel|sms):/i.test(href)) return undefined;
  let url: URL;
  try {
    url = new URL(href, `${origin}/`);
  } catch {
    return undefined;
  }
  return url.origin === origin ? url.pathname : undefined;
}

export function siteGraph(practice: Practice, now: Date): SiteGraph {
  const site = siteView(practice, { now, revision: 'compliance-check' });
  const routes = routesFor(site).filter((r) => !r.unlisted);
  const everyPage = [...site.nav, ...site.footerNav].map((n) => n.href).concat(['/accessibility-statement/', '/privacy/', '/cookies/']);
  const byView: Record<string, string[]> = {
    home: [...site.tasks.map((t) => t.href), '/contact/', '/news/'],
    services: site.practice.services.map((s) => s.url!),
    news: site.practice.news.map((n) => n.url!),
  };
  // Every page repeats the menu, footer and breadcrumbs, and parsing a URL is most of the graph's
  // cost: each distinct link is resolved once.
  const resolved = new Map<string, string | undefined>();
  const resolve = (href: string): string | undefined => {
    if (resolved.has(href)) return resolved.get(href);
    const to = sitePath(href, site.origin);
    resolved.set(href, to);
    return to;
  };
  const links = new Map<string, string[]>();
  for (const r of routes) {
    const all = [...everyPage, ...r.breadcrumbs.map((b) => b.href), ...(byView[r.view] ?? []), ...hrefs(r.html)];
    links.set(r.url, [...new Set(all.flatMap((h) => resolve(h) ?? []))]);
  }
  return { urls: new Set(routes.map((r) => r.url)), linksFrom: (url) => links.get(url) ?? [] };
}
