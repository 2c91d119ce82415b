// Data for a bare `npx @11ty/eleventy` run: every valid practice, as of now, without revisions.
import { siteDataFor, type SiteData } from '../eleventy/site-data.ts';
import { repoRoot } from '../node/paths.ts';
import { loadSettings } from '../node/settings.ts';
import { siteView } from '../site/routes.ts';
import { validateContent } from './validate-content.ts';

export async function standaloneSiteData(): Promise<SiteData> {
  const settings = loadSettings(repoRoot());
  const sites = (await validateContent(settings.contentRoot)).filter((r) => r.practice).map((r) => siteView(r.practice!, { now: new Date(), revision: 'preview' }));
  return siteDataFor(sites, '/assets/theme.css', settings.security);
}
