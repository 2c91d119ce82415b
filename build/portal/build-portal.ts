// Builds the portal's static files from cms/portal/ with esbuild: each page's HTML, its bundled
// script (with @supabase/supabase-js inside), the NHS.UK stylesheet the practice sites use, the
// settings the browser needs (/portal-config.json), and `_headers`/`_redirects` for Cloudflare
// Pages and the local server. Nothing is inline, so the CSP can stay 'self' only.
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { securityHeaders } from '../../lib/security/headers.ts';
import { themeAssets } from '../pipeline/theme-assets.ts';

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
}

/** The pages, relative to cms/portal/. Each names its own script with <script type="module" src="./x.ts">. */
export const portalPages = ['members/index.html', 'accept/index.html', '404.html'] as const;

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

/** Every header the portal's pages carry, by name. */
export function portalSecurityHeaders(authUrl: string): Record<string, string> {
  return {
    ...securityHeaders({ csp: portalCsp(authUrl), hstsPreload: true }),
    // Nothing in the portal may be framed, and no address (an invitation link included) leaks as a referrer.
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
  };
}

function headersFile(authUrl: string): string {
  const lines = ['# The portal\'s headers, written by build/portal/build-portal.ts.', '/*'];
  for (const [name, value] of Object.entries(portalSecurityHeaders(authUrl))) lines.push(`  ${name}: ${value}`);
  lines.push('/assets/*', '  Cache-Control: public, max-age=31536000, immutable');
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

    await write('/portal-config.json', `${JSON.stringify({ authUrl: o.authUrl, anonKey: o.anonKey }, null, 2)}\n`);
    await write('/_headers', headersFile(o.authUrl));
    await write('/_redirects', '/ /members/ 302\n');

    await rm(outDir, { recursive: true, force: true });
    await mkdir(path.dirname(outDir), { recursive: true });
    await rename(next, outDir);
  } catch (e) {
    await rm(next, { recursive: true, force: true });
    throw e;
  }
  return { outDir, files: files.sort(), ms: performance.now() - started };
}
