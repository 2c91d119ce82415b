// The theme's Nunjucks environment, built from template sources held in memory (the browser
// has no file system): the same options, filters and `memo` tag as the build's
// (build/eleventy/theme.ts, build/eleventy/filters.ts), so a template renders as it does there.
import type { UserConfig } from '@11ty/eleventy';
import nunjucks from 'nunjucks';
import filters from '../../../build/eleventy/filters.ts';
import { MemoTag } from '../../../build/eleventy/memo-tag.ts';

export interface ThemeEnvironment {
  env: nunjucks.Environment;
  /** Empties the `memo` tag's fragments: each preview is a new "run" (the header may have changed). */
  reset(): void;
}

/** A loader over `name → source`; the theme names every template by its full path. */
function memoryLoader(templates: Readonly<Record<string, string>>): nunjucks.ILoader {
  return {
    getSource(name: string) {
      const src = templates[name];
      if (src === undefined) throw new Error(`the theme has no template "${name}"`);
      // Never re-read: the sources cannot change while the page is open.
      return { src, path: name, noCache: false };
    },
  };
}

export function themeEnvironment(templates: Readonly<Record<string, string>>): ThemeEnvironment {
  const env = new nunjucks.Environment(memoryLoader(templates), { autoescape: true, throwOnUndefined: false, trimBlocks: false });
  const memo = new MemoTag();
  env.addExtension('memo', memo);
  // The build's own filter module, handed a stand-in for the one Eleventy call it makes.
  const config = { addFilter: (name: string, fn: (...args: any[]) => unknown) => env.addFilter(name, fn) } as unknown as UserConfig;
  filters(config);
  return { env, reset: () => memo.cache.clear() };
}
