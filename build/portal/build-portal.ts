// Builds the portal's static files from cms/portal/ with esbuild: each page's HTML, its bundled
// script (with @supabase/supabase-js inside), the NHS.UK stylesheet the practice sites use, the
// settings the browser needs (/portal-config.json), and `_headers`/`_redirects` for Cloudflare
// Pages and the local server. Nothing is inline, so the CSP can stay 'self' only.
//
// The content editor (/cms/, from cms/app/) is built here too: its page in the same shell, its
// script bundled with Decap CMS (build-cms-app.ts, cached), its stylesheet, the theme's
// stylesheet and templates for the preview, and a CSP of its own that Decap needs (cmsCsp).
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { securityHeaders } from '../../lib/security/headers.ts';
import { themeAssets } from '../pipeline/theme-assets.ts';
import { buildCmsApp } from './build-cms-app.ts';
import { themeTemplates } from './theme-templates.ts';

export interface PortalBuildOptions {
  /** The repository root (holds cms/portal/ and the theme). */
  root: string;
  /** Where the built portal goes; replaced as a whole. */
  outDir: string;
  /** The theme's compiled-CSS cache (shared with the site build). */
  cacheDir: string;
  /** The Supabase URL the browser signs in with: the local issuer, or the project in production. */
  authUrl: string;
  /** The project's public anon key (sent in the `apikey` header). */
  anonKey: string;
}

export interface PortalBuild {
  outDir: string;
  /** Every file written, as a public path. */
  files: string[];
  ms: number;
  /** The content editor's bundle: how long it took and whether it came from the cache. */
  cms: { ms: number; cached: boolean };
}

/** The pages, relative to cms/portal/. Each names its own script with <script type="module" src="./x.ts">. */
export const portalPages = ['members/index.html', 'accept/index.html', 'notices/index.html', 'site/index.html', 'dashboard/index.html', 'account/index.html', 'sign-in/confirm/index.html', '404.html'] as const;

const stylesheetPlaceholder = '/assets/portal.css';

/** The portal's Content-Security-Policy: its own origin only, plus the sign-in service for fetch. */
export function portalCsp(authUrl: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    `connect-src 'self' ${new URL(authUrl).origin}`,
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/**
 * The content editor's Content-Security-Policy, for /cms/* only. Decap needs two things the rest
 * of the portal refuses: 'unsafe-eval' (its configuration and entries are checked with AJV,
 * which compiles validators with `new Function`) and 'unsafe-inline' styles (emotion writes its
 * styles into <style> elements at run time). Images may also come from blob: and data: URLs
 * (Decap shows uploads before they are saved), and fetch may read blob: URLs: Decap reads its
 * own in-memory copy of a file that way to upload it, or to keep a backup of unsaved work. A
 * blob: URL is the page's own memory, never another origin; nothing else is added.
 */
export function cmsCsp(authUrl: string): string {
  return [
    "default-src 'none'",
    "script-src 'self' 'unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    `connect-src 'self' blob: ${new URL(authUrl).origin}`,
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** Every header the portal's pages carry, by name. */
export function portalSecurityHeaders(authUrl: string): Record<string, string> {
  return {
    ...securityHeaders({ csp: portalCsp(authUrl), hstsPreload: true }),
    // Nothing in the portal may be framed, and no address (an invitation link included) leaks as a referrer.
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
  };
}

/** The portal's `_headers` file: the same headers everywhere, and the content editor's own CSP on /cms/*. */
export function portalHeadersFile(authUrl: string): string {
  const lines = ['# The portal\'s headers, written by build/portal/build-portal.ts.', '/*'];
  for (const [name, value] of Object.entries(portalSecurityHeaders(authUrl))) lines.push(`  ${name}: ${value}`);
  // Pages applies a rule's `!` lines before its headers, so /cms/* swaps the CSP rather than adding a second one.
  lines.push('/cms/*', '  ! Content-Security-Policy', `  Content-Security-Policy: ${cmsCsp(authUrl)}`);
  lines.push('/assets/*', '  Cache-Control: public, max-age=31536000, immutable');
  lines.push('/cms/assets/*', '  Cache-Control: public, max-age=31536000, immutable');
  lines.push('/portal-config.json', '  Cache-Control: no-store');
  return `${lines.join('\n')}\n`;
}

/** Refuses markup the CSP would block (or that would need it loosened): inline scripts, styles and handlers. */
/**
 * A page file is the inside of `<main>`, headed by `<!-- title: … -->` and, for a page with a
 * script, `<!-- script: ./entry.ts -->`; every page shares cms/portal/shell.html around it.
 */
export function inShell(shell: string, page: string, fragment: string): string {
  const title = /^<!-- title: (.+?) -->$/m.exec(fragment)?.[1];
  if (!title) throw new Error(`cms/portal/${page} needs a first line like <!-- title: Members -->`);
  const script = /^<!-- script: (\S+) -->$/m.exec(fragment)?.[1];
  const main = fragment.replace(/^<!-- (title|script): .*? -->\n/gm, '').replace(/\n$/, '');
  const escaped = title.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return shell
    .replace('{{title}}', escaped)
    .replace('{{script}}', script ? `<script type="module" src="${script}"></script>` : '')
    .replace('{{main}}', main);
}

export function inlineCodeIn(html: string): string[] {
  const found: string[] = [];
  for (const m of html.matchAll(/<script\b([^>]*)>/gi)) if (!/\bsrc\s*=/.test(m[1]!)) found.push('an inline <script>');
  if (/<style\b/i.test(html)) found.push('a <style> block');
  if (/<[a-z][^>]*\sstyle\s*=/i.test(html)) found.push('a style="" attribute');
  if (/<[a-z][^>]*\son[a-z]+\s*=/i.test(html)) found.push('an on...="" event handler');
  if (/javascript:/i.test(html)) found.push('a javascript: address');
  return found;
}

const hashOf = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex').slice(0, 10);

export async function buildPortal(o: PortalBuildOptions): Promise<PortalBuild> {
  const started = performance.now();
  const source = path.join(o.root, 'cms/portal');
  const outDir = path.resolve(o.outDir);
  // Built beside the old output and swapped in at the end, so a failed build leaves the last good one.
  const next = `${outDir}.next-${process.pid}`;
  await rm(next, { recursive: true, force: true });
  const files: string[] = [];
  let cms: PortalBuild['cms'] | undefined;
  const write = async (publicPath: string, data: string | Uint8Array) => {
    const file = path.join(next, publicPath);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, data);
    files.push(publicPath);
  };
  try {
    const html = new Map<string, string>();
    const entries = new Map<string, string>();
    const shell = await readFile(path.join(source, 'shell.html'), 'utf8');
    for (const page of portalPages) {
      const text = inShell(shell, page, await readFile(path.join(source, page), 'utf8'));
      const inline = inlineCodeIn(text);
      if (inline.length) throw new Error(`cms/portal/${page} has ${inline.join(', ')}: the portal's CSP allows scripts and styles from files only`);
      html.set(page, text);
      const src = /<script type="module" src="([^"]+\.ts)"><\/script>/.exec(text)?.[1];
      if (src) entries.set(page, path.relative(o.root, path.resolve(path.dirname(path.join(source, page)), src)).split(path.sep).join('/'));
    }

    const result = await esbuild
      .build({
        absWorkingDir: o.root,
        entryPoints: [...new Set(entries.values())],
        outdir: path.join(next, 'assets/js'),
        entryNames: '[name]-[hash]',
        chunkNames: 'shared-[hash]',
        bundle: true,
        splitting: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        minify: true,
        sourcemap: 'linked',
        metafile: true,
        logLevel: 'silent',
      })
      .catch((e: unknown) => {
        const errors = (e as { errors?: esbuild.Message[] }).errors ?? [];
        const where = (m: esbuild.Message) => (m.location ? `${m.location.file}:${m.location.line}: ` : '');
        throw new Error(`the portal's scripts did not build:\n${errors.map((m) => `  ${where(m)}${m.text}`).join('\n') || String(e)}`);
      });
    const scriptFor = new Map<string, string>();
    for (const [output, meta] of Object.entries(result.metafile.outputs)) {
      const publicPath = `/${path.relative(next, path.resolve(o.root, output)).split(path.sep).join('/')}`;
      files.push(publicPath);
      if (meta.entryPoint) scriptFor.set(meta.entryPoint, publicPath);
    }

    const theme = await themeAssets(o.root, o.cacheDir);
    const extra = await readFile(path.join(source, 'styles/portal.css'), 'utf8').catch(() => '');
    const css = extra ? `${theme.css}\n${extra}` : theme.css;
    const cssPath = `/assets/portal-${hashOf(css)}.css`;
    await write(cssPath, css);
    for (const [publicPath, from] of Object.entries(theme.files)) {
      await mkdir(path.dirname(path.join(next, publicPath)), { recursive: true });
      await copyFile(from, path.join(next, publicPath));
      files.push(publicPath);
    }

    for (const [page, text] of html) {
      let out = text.replaceAll(`href="${stylesheetPlaceholder}"`, `href="${cssPath}"`);
      const entry = entries.get(page);
      if (entry) {
        const script = scriptFor.get(entry);
        if (!script) throw new Error(`esbuild wrote no script for ${entry}`);
        out = out.replace(/<script type="module" src="[^"]+\.ts"><\/script>/, `<script type="module" src="${script}"></script>`);
      }
      await write(`/${page}`, out);
    }

    cms = await buildEditor(o, shell, cssPath, theme, next, write, files);

    await write('/portal-config.json', `${JSON.stringify({ authUrl: o.authUrl, anonKey: o.anonKey }, null, 2)}\n`);
    await write('/_headers', portalHeadersFile(o.authUrl));
    await write('/_redirects', '/ /members/ 302\n');

    await rm(outDir, { recursive: true, force: true });
    await mkdir(path.dirname(outDir), { recursive: true });
    await rename(next, outDir);
  } catch (e) {
    await rm(next, { recursive: true, force: true });
    throw e;
  }
  return { outDir, files: files.sort(), ms: performance.now() - started, cms: cms! };
}

/** Placeholders in cms/app/index.html that the build points at the hashed files. */
const editorPlaceholders = { script: './main.ts', editorStylesheet: '/cms/cms.css', previewStylesheet: '/assets/theme.css', themeTemplates: '/cms/theme-templates.json' };

/**
 * The content editor at /cms/: its page, its bundled script (from the cache when nothing it is
 * built from has changed), its own stylesheet for when Decap runs, and for the preview the
 * practice sites' stylesheet and the theme's templates.
 */
async function buildEditor(
  o: PortalBuildOptions,
  shell: string,
  portalCss: string,
  theme: Awaited<ReturnType<typeof themeAssets>>,
  next: string,
  write: (publicPath: string, data: string | Uint8Array) => Promise<void>,
  files: string[],
): Promise<PortalBuild['cms']> {
  const bundle = await buildCmsApp({ root: o.root, cacheDir: o.cacheDir });
  await mkdir(path.join(next, 'cms/assets'), { recursive: true });
  const copied = bundle.files.filter((f) => f !== 'manifest.json');
  await Promise.all(copied.map((f) => copyFile(path.join(bundle.dir, f), path.join(next, 'cms/assets', f))));
  files.push(...copied.map((f) => `/cms/assets/${f}`));

  const editorCss = await readFile(path.join(o.root, 'cms/app/cms.css'), 'utf8');
  const editorCssPath = `/cms/assets/cms-${hashOf(editorCss)}.css`;
  await write(editorCssPath, editorCss);
  await write(theme.cssPath, theme.css);
  const templates = JSON.stringify(await themeTemplates(o.root));
  const templatesPath = `/cms/assets/theme-templates-${hashOf(templates)}.json`;
  await write(templatesPath, templates);

  const text = inShell(shell, '../app/index.html', await readFile(path.join(o.root, 'cms/app/index.html'), 'utf8'));
  const inline = inlineCodeIn(text);
  if (inline.length) throw new Error(`cms/app/index.html has ${inline.join(', ')}: scripts and styles come from files only`);
  const page = text
    .replaceAll(`href="${stylesheetPlaceholder}"`, `href="${portalCss}"`)
    .replace(`<script type="module" src="${editorPlaceholders.script}"></script>`, `<script type="module" src="/cms/assets/${bundle.entry}"></script>`)
    .replace(`data-cms-stylesheet="${editorPlaceholders.editorStylesheet}"`, `data-cms-stylesheet="${editorCssPath}"`)
    .replace(`data-preview-stylesheet="${editorPlaceholders.previewStylesheet}"`, `data-preview-stylesheet="${theme.cssPath}"`)
    .replace(`data-theme-templates="${editorPlaceholders.themeTemplates}"`, `data-theme-templates="${templatesPath}"`);
  for (const [what, placeholder] of Object.entries(editorPlaceholders))
    if (page.includes(`"${placeholder}"`)) throw new Error(`cms/app/index.html: the ${what} placeholder "${placeholder}" was not replaced`);
  await write('/cms/index.html', page);
  return { ms: bundle.ms, cached: bundle.cached };
}
