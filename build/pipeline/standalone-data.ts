// Data for a bare `npx @11ty/eleventy` run: every valid practice, as of now, without revisions.
import type { SiteData } from '../eleventy/site-data.ts';
import { repoRoot } from '../node/paths.ts';
import { loadSettings } from '../node/settings.ts';
import { routesFor, siteView } from '../site/routes.ts';
import { validateContent } from './validate-content.ts';

export async function standaloneSiteData(): Promise<SiteData> {
  const root = repoRoot();
  const settings = loadSettings(root);
  const sites = (await validateContent(root)).filter((r) => r.practice).map((r) => siteView(r.practice!, { now: new Date(), revision: 'preview' }));
  const routesBySite = Object.fromEntries(sites.map((s) => [s.slug, routesFor(s)]));
  const all = Object.values(routesBySite).flat();
  const files = ['sitemap', 'robots', 'security-txt'];
  return {
    htmlRoutes: all.filter((r) => !files.includes(r.view)),
    fileRoutes: all.filter((r) => files.includes(r.view)),
    routesBySite,
    cssPath: '/assets/theme.css',
    security: settings.security,
  };
}
