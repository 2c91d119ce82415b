// Compiles the theme's Sass once and caches it by the hash of its inputs: Dart Sass takes
// seconds, and the CSS only changes when the theme or nhsuk-frontend does.
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as sass from 'sass';
import { nhsukFrontendDist } from '../eleventy/theme.ts';

export interface ThemeAssets {
  /** Public path of the stylesheet, named by its hash so it can be cached for ever. */
  cssPath: string;
  css: string;
  /** Files to copy into every site: public path → absolute source path. */
  files: Record<string, string>;
}

const favicons = ['favicon.ico', 'favicon.svg', 'nhsuk-icon-180.png'];

export async function themeAssets(root: string, cacheDir: string): Promise<ThemeAssets> {
  const themeDir = path.join(root, 'themes/nhsuk');
  const entry = path.join(themeDir, 'styles/main.scss');
  const nhsuk = nhsukFrontendDist();
  const nhsukVersion = JSON.parse(await readFile(path.join(nhsuk, '../package.json'), 'utf8')).version as string;
  const inputs = createHash('sha256').update(nhsukVersion);
  for (const f of (await readdir(path.join(themeDir, 'styles'))).sort()) inputs.update(f).update(await readFile(path.join(themeDir, 'styles', f)));
  const key = inputs.digest('hex').slice(0, 16);
  const cached = path.join(cacheDir, `theme-${key}.css`);
  let css = await readFile(cached, 'utf8').catch(() => undefined);
  if (css === undefined) {
    css = sass.compile(entry, { loadPaths: [path.join(nhsuk, '..', '..')], style: 'compressed', quietDeps: true, silenceDeprecations: ['import'] }).css;
    await mkdir(cacheDir, { recursive: true });
    await writeFile(cached, css);
  }
  // The script (the chat widget) shares the stylesheet's hash, so the layout can name it from
  // `pd.cssPath` and both can be cached for ever.
  const script = path.join(themeDir, 'scripts/chat.js');
  const hash = createHash('sha256').update(css).update(await readFile(script)).digest('hex').slice(0, 10);
  const images = path.join(nhsuk, 'nhsuk/assets/images');
  const files: Record<string, string> = { [`/assets/theme-${hash}.js`]: script };
  for (const f of favicons) files[`/assets/${f}`] = path.join(images, f);
  for (const m of css.matchAll(/url\(["']?\/assets\/images\/([^"')]+)["']?\)/g)) files[`/assets/images/${m[1]}`] = path.join(images, m[1]!);
  return { cssPath: `/assets/theme-${hash}.css`, css, files };
}
