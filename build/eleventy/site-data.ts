// Hands the prepared routes to the templates as the global `pd`. `pd build` sets them for each
// run; a bare `npx @11ty/eleventy` loads every practice itself so the theme can be worked on alone.
import type { UserConfig } from '@11ty/eleventy';
import type { Route, SiteView } from '../site/routes.ts';
import { routesFor } from '../site/routes.ts';

export interface SiteData {
  htmlRoutes: Route[];
  fileRoutes: Route[];
  routesBySite: Record<string, Route[]>;
  cssPath: string;
  security: { contact: string; policy: string };
}

/** Views written as text files (no HTML layout). */
const textViews: readonly string[] = ['sitemap', 'robots', 'security-txt'];

/** Everything the templates need to render these sites. */
export function siteDataFor(sites: readonly SiteView[], cssPath: string, security: SiteData['security']): SiteData {
  const routesBySite: Record<string, Route[]> = Object.fromEntries(sites.map((s) => [s.slug, routesFor(s)]));
  const all = Object.values(routesBySite).flat();
  return {
    htmlRoutes: all.filter((r) => !textViews.includes(r.view)),
    fileRoutes: all.filter((r) => textViews.includes(r.view)),
    routesBySite,
    cssPath,
    security,
  };
}

// Kept on globalThis, not in a module variable: Eleventy imports its configuration with Node's own
// loader, and a test runner may load this module through its own, giving two module instances.
const slot = Symbol.for('practice-digital.site-data');
const holder = globalThis as unknown as Record<symbol, SiteData | undefined>;

export function setSiteData(data: SiteData | undefined): void {
  holder[slot] = data;
}

export default function siteData(config: UserConfig, o: { loadAll: () => Promise<SiteData> }): void {
  config.addGlobalData('pd', async () => holder[slot] ?? o.loadAll());
}
