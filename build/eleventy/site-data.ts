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

let current: SiteData | undefined;

export function setSiteData(data: SiteData | undefined): void {
  current = data;
}

export default function siteData(config: UserConfig, o: { loadAll: () => Promise<SiteData> }): void {
  config.addGlobalData('pd', async () => current ?? (current = await o.loadAll()));
}
