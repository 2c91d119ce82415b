// `pd build`: content → checks → one Eleventy run for every practice being built → per-practice
// security output and gate → an immutable revision each, switched live. A practice whose content
// or output fails publishes nothing, and its previous revision stays live.
import Eleventy from '@11ty/eleventy';
import { copyFile, cp, lstat, mkdir, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { hasErrors, type Problem } from '../../lib/content/problems.ts';
import { setSiteData, type SiteData } from '../eleventy/site-data.ts';
import { routesFor, siteView, type Route } from '../site/routes.ts';
import { contentSecurityPolicy, emptyFindings, scanInline } from '../security/csp.ts';
import { headersFile } from '../security/headers.ts';
import { gateCss, gateHtml } from '../security/third-party-gate.ts';
import { revisionStore, type Manifest, type RevisionStore } from '../publish/revision-store.ts';
import { themeAssets } from './theme-assets.ts';
import { validateContent } from './validate-content.ts';
import { currentCommit, uncommittedPractices } from '../node/git-info.ts';
import { loadSettings, type Settings } from '../node/settings.ts';

export interface BuildOptions {
  /** The project: theme, templates and Eleventy configuration. */
  root: string;
  /** Where content/practices/ is read from (default: the project root). */
  contentRoot?: string;
  /** Only these practices (default: every practice). */
  practices?: string[];
  /** The moment the build is for: decides which notices are live. */
  now?: Date;
  settings?: Settings;
  store?: RevisionStore;
  onProgress?: (message: string) => void;
}

export interface PracticeBuild {
  slug: string;
  ok: boolean;
  problems: Problem[];
  manifest?: Manifest;
  pages: number;
}

export interface BuildReport {
  practices: PracticeBuild[];
  ms: number;
}

export async function buildSites(o: BuildOptions): Promise<BuildReport> {
  const started = performance.now();
  const settings = o.settings ?? loadSettings(o.root);
  const store = o.store ?? revisionStore(settings.storeDir);
  const progress = o.onProgress ?? (() => {});
  const now = o.now ?? new Date();
  const builtAt = now.toISOString();

  progress(`Checking content${o.practices ? ` of ${o.practices.join(', ')}` : ''}`);
  const contentRoot = o.contentRoot ?? o.root;
  const loaded = o.practices
    ? (await Promise.all(o.practices.map((p) => validateContent(contentRoot, p)))).flat()
    : await validateContent(contentRoot);
  const results = new Map<string, PracticeBuild>(
    loaded.map((l) => [l.slug, { slug: l.slug, ok: !hasErrors(l.problems), problems: l.problems, pages: 0 }]),
  );
  const good = loaded.filter((l) => l.practice && !hasErrors(l.problems));
  for (const l of loaded) if (hasErrors(l.problems)) progress(`${l.slug}: ${l.problems.filter((p) => p.severity === 'error').length} content problems, not built`);
  if (!good.length) return { practices: [...results.values()], ms: performance.now() - started };

  progress('Preparing the theme');
  const assets = await themeAssets(o.root, path.join(settings.storeDir, '.cache'));
  const commit = await currentCommit(contentRoot);
  const dirty = await uncommittedPractices(contentRoot, good.map((l) => l.slug));
  const sites = good.map((l) => siteView(l.practice!, { now, revision: commit }));
  const routesBySite: Record<string, Route[]> = Object.fromEntries(sites.map((s) => [s.slug, routesFor(s)]));
  const all = Object.values(routesBySite).flat();
  const data: SiteData = {
    htmlRoutes: all.filter((r) => !['sitemap', 'robots', 'security-txt'].includes(r.view)),
    fileRoutes: all.filter((r) => ['sitemap', 'robots', 'security-txt'].includes(r.view)),
    routesBySite,
    cssPath: assets.cssPath,
    security: settings.security,
  };

  const staging = path.join(settings.storeDir, '.staging', `${process.pid}-${Date.now()}`);
  try {
    progress(`Rendering ${all.length} pages for ${sites.length} practice${sites.length === 1 ? '' : 's'}`);
    setSiteData(data);
    const eleventy = new Eleventy(path.join(o.root, 'themes/nhsuk/templates'), staging, {
      configPath: path.join(o.root, '.eleventy.js'),
      quietMode: true,
    });
    // Problems are reported with the practice's other problems, not on Eleventy's console.
    eleventy.disableLogger();
    try {
      await eleventy.write();
    } catch (e) {
      const message = errorChain(e as Error);
      for (const s of sites)
        Object.assign(results.get(s.slug)!, {
          ok: false,
          problems: [{ file: 'themes/nhsuk', field: '', message: `the site could not be rendered: ${message}`, fix: 'fix the template error; nothing was published', severity: 'error' }],
        });
      return { practices: [...results.values()], ms: performance.now() - started };
    } finally {
      setSiteData(undefined);
    }

    for (const site of sites) {
      const result = results.get(site.slug)!;
      const dir = path.join(staging, site.slug);
      await writeAssets(dir, assets, site.practice.media.map((m) => path.join(contentRoot, site.practice.dir, m)));
      const missing = await missingOutputs(staging, routesBySite[site.slug]!);
      const problems = missing.length
        ? [{ file: 'themes/nhsuk', field: '', message: `the build wrote no ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''}`, fix: 'check the theme templates render every route', severity: 'error' as const }]
        : await secureOutput(dir, site.origin, assets.cssPath, site.profile.settings?.hsts_preload ?? true);
      result.pages = routesBySite[site.slug]!.length;
      if (problems.length) {
        Object.assign(result, { ok: false, problems: [...result.problems, ...problems] });
        progress(`${site.slug}: output failed the security gate, not published`);
        continue;
      }
      result.manifest = await store.publish(site.slug, dir, { commit, dirty: dirty.has(site.slug), builtAt });
      await linkDist(settings.distDir, site.slug, store);
      progress(`${site.slug}: revision ${result.manifest.revision} is live (${result.pages} pages)`);
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return { practices: [...results.values()], ms: performance.now() - started };
}

async function missingOutputs(staging: string, routes: Route[]): Promise<string[]> {
  const exists = await Promise.all(routes.map((r) => lstat(path.join(staging, r.outputPath)).then(() => true, () => false)));
  return routes.filter((_, i) => !exists[i]).map((r) => r.url);
}

async function writeAssets(dir: string, assets: Awaited<ReturnType<typeof themeAssets>>, media: string[]) {
  await mkdir(path.join(dir, 'assets/images'), { recursive: true });
  await writeFile(path.join(dir, assets.cssPath), assets.css);
  await Promise.all(Object.entries(assets.files).map(([to, from]) => copyFile(from, path.join(dir, to))));
  if (media.length) await mkdir(path.join(dir, 'media'), { recursive: true });
  await Promise.all(media.map((m) => cp(m, path.join(dir, 'media', path.basename(m)))));
}

/** Computes the CSP from the output, writes `_headers`, and runs the third-party gate. */
async function secureOutput(dir: string, origin: string, cssPath: string, hstsPreload: boolean): Promise<Problem[]> {
  const findings = emptyFindings();
  const gate: ReturnType<typeof gateHtml> = [];
  const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
  for (const f of files) {
    const full = path.join(f.parentPath, f.name);
    const rel = path.relative(dir, full);
    if (f.name.endsWith('.html')) {
      const html = await readFile(full, 'utf8');
      scanInline(rel, html, findings);
      gate.push(...gateHtml(rel, html, origin));
    } else if (f.name.endsWith('.css')) {
      gate.push(...gateCss(rel, await readFile(full, 'utf8'), origin));
    }
  }
  await writeFile(path.join(dir, '_headers'), headersFile({ csp: contentSecurityPolicy(findings), hstsPreload }, cssPath));
  return [
    ...gate.map((g) => ({
      file: g.file,
      field: '',
      message: `loads a ${g.what} from another origin (${g.url.slice(0, 120)})`,
      fix: 'patient pages load nothing from other sites: serve it from the site itself, or link to it instead',
      severity: 'error' as const,
    })),
    ...findings.refused.map((r) => ({
      file: r.file,
      field: '',
      message: `has ${r.what}, which a strict Content-Security-Policy cannot allow`,
      fix: 'move the styling into the theme stylesheet and any behaviour into a script file',
      severity: 'error' as const,
    })),
  ];
}

/** `dist/<slug>` always points at the live revision, through the store's `live` link. */
async function linkDist(distDir: string, slug: string, store: RevisionStore): Promise<void> {
  await mkdir(distDir, { recursive: true });
  const link = path.join(distDir, slug);
  const target = path.relative(distDir, path.join(store.root, slug, 'live'));
  const existing = await lstat(link).catch(() => undefined);
  if (existing?.isSymbolicLink()) return;
  if (existing) await rm(link, { recursive: true, force: true });
  const tmp = `${link}.${process.pid}`;
  await symlink(target, tmp);
  await rename(tmp, link);
}

/** Eleventy wraps template errors several times; the innermost says what went wrong. */
function errorChain(e: Error): string {
  const parts: string[] = [];
  for (let cur: unknown = e; cur instanceof Error && parts.length < 6; cur = (cur as { originalError?: unknown }).originalError ?? cur.cause)
    parts.push(cur.message.split('\n').map((l) => l.trim()).filter(Boolean).join(' '));
  return parts.join(' ← ');
}
