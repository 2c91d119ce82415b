// The theme's Nunjucks sources for the CMS preview, which renders an entry in the browser with
// the same templates `pd build` uses: every layout, view and partial of the theme,
// templates/pages.njk without its Eleventy front matter, and the nhsuk-frontend templates they
// reach. Names are the ones the templates use, so a loader can hand them out as they are.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { nhsukFrontendDist } from '../eleventy/theme.ts';

/** The theme folders the page layout reaches (files/ holds the text views, not pages). */
const themeFolders = ['layouts', 'partials', 'views'] as const;
/** The template Eleventy renders every HTML page with; the preview renders it too. */
export const pageTemplate = 'templates/pages.njk';

/** A template name inside a `from`, `import`, `include` or `extends` tag. */
const reference = /\{%-?\s*(?:from|import|include|extends)\s+"([^"]+\.njk)"/g;

/** Removes the `---` front matter Eleventy reads (pagination, permalink); Nunjucks would print it. */
export const withoutFrontMatter = (text: string) => text.replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n/, '');

export async function themeTemplates(root: string): Promise<Record<string, string>> {
  const themeDir = path.join(root, 'themes/nhsuk');
  const out: Record<string, string> = {};
  for (const folder of themeFolders) {
    for (const f of (await readdir(path.join(themeDir, folder))).filter((n) => n.endsWith('.njk')).sort()) {
      out[`${folder}/${f}`] = withoutFrontMatter(await readFile(path.join(themeDir, folder, f), 'utf8'));
    }
  }
  out[pageTemplate] = withoutFrontMatter(await readFile(path.join(themeDir, pageTemplate), 'utf8'));
  // The design system's macros, followed from what the theme names (they name each other by
  // full path), rather than all 96 of its templates.
  const dist = nhsukFrontendDist();
  const queue = Object.values(out);
  while (queue.length) {
    for (const [, name] of queue.pop()!.matchAll(reference)) {
      if (!name!.startsWith('nhsuk/') || name! in out) continue;
      out[name!] = await readFile(path.join(dist, name!), 'utf8');
      queue.push(out[name!]!);
    }
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}
