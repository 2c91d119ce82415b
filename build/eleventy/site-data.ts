// Hands the prepared routes to the templates as the global `pd`. `pd build` sets them for each
// run; a bare `npx @11ty/eleventy` loads every practice itself so the theme can be worked on alone.
import type { UserConfig } from '@11ty/eleventy';
import type { Route } from '../site/routes.ts';

export interface SiteData {
  htmlRoutes: Route[];
  fileRoutes: Route[];
  routesBySite: Record<string, Route[]>;
  cssPath: string;
  security: { contact: string; policy: string };
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
