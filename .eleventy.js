// Eleventy's configuration, kept to a table of contents: each part lives in build/eleventy/.
// `pd build` runs Eleventy with this file; `npx @11ty/eleventy` works too (it builds every
// practice into _site/ with no checks or revisions, which is handy when working on the theme).
import path from 'node:path';
import theme from './build/eleventy/theme.ts';
import filters from './build/eleventy/filters.ts';
import siteData from './build/eleventy/site-data.ts';
import { standaloneSiteData } from './build/pipeline/standalone-data.ts';

export default function (eleventyConfig) {
  // Absolute, so the build works from any working directory.
  eleventyConfig.addPlugin(theme, { themeDir: path.join(import.meta.dirname, 'themes/nhsuk') });
  eleventyConfig.addPlugin(filters);
  eleventyConfig.addPlugin(siteData, { loadAll: standaloneSiteData });
  return {
    // Relative to the working directory, as Eleventy expects, wherever that is.
    dir: {
      input: path.relative(process.cwd(), path.join(import.meta.dirname, 'themes/nhsuk/templates')) || '.',
      includes: '../partials',
      layouts: '../layouts',
      data: '_data',
    },
    templateFormats: ['njk'],
  };
}
