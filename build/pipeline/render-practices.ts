// Checks, renders and secures a group of practices into a staging folder, one folder each. Runs
// in the main thread for small builds and in worker threads for large ones (see build-sites.ts),
// so it takes and returns only plain data.
import Eleventy from '@11ty/eleventy';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildChatIndex } from '../../lib/chat/index-builder.ts';
import { hasErrors, type Problem } from '../../lib/content/problems.ts';
import { takeMemoFragments } from '../eleventy/memo-tag.ts';
import { setSiteData, siteDataFor } from '../eleventy/site-data.ts';
import { contentSecurityPolicy } from '../security/csp.ts';
import { headersFile } from '../security/headers.ts';
import { emptyInspection, inspectHtml } from '../security/inspect-html.ts';
import { gateCss } from '../security/third-party-gate.ts';
import { siteView } from '../site/routes.ts';
import type { ThemeAssets } from './theme-assets.ts';
import { validateContent } from './validate-content.ts';

export interface RenderJob {
  /** The project: theme, templates and Eleventy configuration. */
  root: string;
  contentRoot: string;
  practices: string[];
  /** ISO time the build is for. */
  now: string;
  commit: string;
  stagingDir: string;
  assets: ThemeAssets;
  security: { contact: string; policy: string };
}

export interface RenderedPractice {
  slug: string;
  ok: boolean;
  problems: Problem[];
  pages: number;
  /** Staging folder holding the finished site, when ok. */
  folder?: string;
  /** sha256 of every file written, by path inside the folder. */
  files?: Record<string, string>;
}


/**
 * Practices rendered by one Eleventy run. Larger runs hold every page of every practice in memory
 * at once; at this size a run costs about as much time per page and a fraction of the memory.
 */
const practicesPerRun = 25;

export async function renderPractices(job: RenderJob): Promise<RenderedPractice[]> {
  const out: RenderedPractice[] = [];
  for (let i = 0; i < job.practices.length; i += practicesPerRun)
    out.push(...(await renderRun({ ...job, practices: job.practices.slice(i, i + practicesPerRun) })));
  return out;
}

async function renderRun(job: RenderJob): Promise<RenderedPractice[]> {
  // One practice at a time: each reads its files in parallel already, and checking them all at
  // once only holds more in memory.
  const loaded = [];
  for (const p of job.practices) loaded.push(...(await validateContent(job.contentRoot, p)));
  const results = new Map<string, RenderedPractice>(
    loaded.map((l) => [l.slug, { slug: l.slug, ok: !hasErrors(l.problems), problems: l.problems, pages: 0 }]),
  );
  const good = loaded.filter((l) => l.practice && !hasErrors(l.problems));
  if (!good.length) return [...results.values()];

  const now = new Date(job.now);
  const sites = good.map((l) => siteView(l.practice!, { now, revision: job.commit }));
  const data = siteDataFor(sites, job.assets.cssPath, job.security);
  const { routesBySite } = data;

  // Eleventy renders into memory: the pages are inspected, hashed and written once, by us.
  let rendered: { outputPath: string; content: string }[];
  setSiteData(data);
  takeMemoFragments();
  try {
    const eleventy = new Eleventy(path.join(job.root, 'themes/nhsuk/templates'), job.stagingDir, {
      configPath: path.join(job.root, '.eleventy.js'),
      quietMode: true,
    });
    // Problems are reported with the practice's other problems, not on Eleventy's console.
    eleventy.disableLogger();
    rendered = (await eleventy.toJSON()) as { outputPath: string; content: string }[];
  } catch (e) {
    for (const s of sites)
      Object.assign(results.get(s.slug)!, {
        ok: false,
        problems: [{ file: 'themes/nhsuk', field: '', message: `the site could not be rendered: ${errorChain(e as Error)}`, fix: 'fix the template error; nothing was published', severity: 'error' }],
      });
    return [...results.values()];
  } finally {
    setSiteData(undefined);
  }

  const fragments = takeMemoFragments();
  const byPath = new Map(rendered.map((r) => [path.relative(job.stagingDir, r.outputPath).split(path.sep).join('/'), r.content]));
  const assetBytes = await readAssets(job.assets);

  for (const site of sites) {
    const result = results.get(site.slug)!;
    const routes = routesBySite[site.slug]!;
    result.pages = routes.length;
    const missing = routes.filter((r) => !byPath.has(r.outputPath)).map((r) => r.url);
    if (missing.length) {
      Object.assign(result, {
        ok: false,
        problems: [{ file: 'themes/nhsuk', field: '', message: `the build wrote no ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''}`, fix: 'check the theme templates render every route', severity: 'error' }],
      });
      continue;
    }
    const files = new Map<string, string | Buffer>();
    for (const r of routes) files.set(r.outputPath.slice(site.slug.length + 1), byPath.get(r.outputPath)!);
    for (const [to, bytes] of assetBytes) files.set(to, bytes);
    for (const m of site.practice.media) files.set(`media/${path.posix.basename(m)}`, await readFile(path.join(job.contentRoot, site.practice.dir, m)));
    // The chatbot's retrieval index, from the same moment's view of the site: part of the revision and
    // its hashes. No commit id inside, so the same content always gives the same site (export round trip).
    files.set('chat-index.json', JSON.stringify(buildChatIndex(site.practice, { now })));

    const inspection = emptyInspection();
    // The page chrome is the same on every page: inspect each piece once, then each page without it.
    const chrome = [...fragments].filter(([key]) => key.split(' ')[1] === site.slug).map(([, html]) => html).sort((a, b) => b.length - a.length);
    for (const html of chrome) inspectHtml('page chrome (header, footer, emergency callout)', html, site.origin, inspection);
    for (const [name, body] of files) {
      if (name.endsWith('.html')) inspectHtml(name, withoutChrome(body as string, chrome), site.origin, inspection);
      else if (name.endsWith('.css')) inspection.thirdParty.push(...gateCss(name, body.toString(), site.origin));
    }
    files.set('_headers', headersFile({ csp: contentSecurityPolicy(inspection), hstsPreload: site.profile.settings?.hsts_preload ?? true }, job.assets.cssPath));
    const problems = securityProblems(inspection);
    if (problems.length) {
      Object.assign(result, { ok: false, problems: [...result.problems, ...problems] });
      continue;
    }
    const folder = path.join(job.stagingDir, site.slug);
    result.files = await writeAll(folder, files);
    result.folder = folder;
  }
  return [...results.values()];
}

/** The page with each already-inspected chrome fragment taken out (whole elements, so the rest still parses the same). */
function withoutChrome(html: string, chrome: readonly string[]): string {
  let out = html;
  for (const fragment of chrome) if (fragment.length > 200 && out.includes(fragment)) out = out.replaceAll(fragment, '');
  return out;
}

async function readAssets(assets: ThemeAssets): Promise<Map<string, string | Buffer>> {
  const out = new Map<string, string | Buffer>([[assets.cssPath.slice(1), assets.css]]);
  await Promise.all(Object.entries(assets.files).map(async ([to, from]) => out.set(to.slice(1), await readFile(from))));
  return out;
}

/** Writes the files and returns their sha256 hashes, computed from what was written. */
async function writeAll(folder: string, files: Map<string, string | Buffer>): Promise<Record<string, string>> {
  const dirs = new Set([...files.keys()].map((f) => path.posix.dirname(f)));
  await Promise.all([...dirs].map((d) => mkdir(path.join(folder, d), { recursive: true })));
  const hashes: Record<string, string> = {};
  const entries = [...files];
  // A bounded number of writes in flight: enough to keep the disk busy, few enough for file handles.
  for (let i = 0; i < entries.length; i += 64) {
    await Promise.all(
      entries.slice(i, i + 64).map(async ([name, body]) => {
        hashes[name] = createHash('sha256').update(body).digest('hex');
        await writeFile(path.join(folder, name), body);
      }),
    );
  }
  return Object.fromEntries(Object.entries(hashes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function securityProblems(i: ReturnType<typeof emptyInspection>): Problem[] {
  return [
    ...i.thirdParty.map((g) => ({
      file: g.file,
      field: '',
      message: `loads a ${g.what} from another origin (${g.url.slice(0, 120)})`,
      fix: 'patient pages load nothing from other sites: serve it from the site itself, or link to it instead',
      severity: 'error' as const,
    })),
    ...i.refused.map((r) => ({
      file: r.file,
      field: '',
      message: `has ${r.what}, which a strict Content-Security-Policy cannot allow`,
      fix: 'move the styling into the theme stylesheet and any behaviour into a script file',
      severity: 'error' as const,
    })),
  ];
}

/** Eleventy wraps template errors several times; the innermost says what went wrong. */
function errorChain(e: Error): string {
  const parts: string[] = [];
  for (let cur: unknown = e; cur instanceof Error && parts.length < 6; cur = (cur as { originalError?: unknown }).originalError ?? cur.cause)
    parts.push(shorten(cur.message.split('\n').map((l) => l.trim()).filter(Boolean).join(' ')));
  return parts.join(' ← ');
}

/** Eleventy's messages can list every output path; keep the head and the tail, which say what and where. */
const shorten = (m: string) => (m.length > 400 ? `${m.slice(0, 200)} … ${m.slice(-150)}` : m);
