// `pd build`: content → checks → Eleventy → per-practice security output and gate → an
// immutable revision each, switched live. A practice whose content or output fails publishes
// nothing, and its previous revision stays live. Large builds are split across worker threads,
// one per core; each renders its share of the practices with its own Eleventy.
import { lstat, mkdir, rename, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Problem } from '../../lib/content/problems.ts';
import { listPractices } from '../../lib/content/load-practice.ts';
import { currentCommit, uncommittedPractices } from '../node/git-info.ts';
import { fsReader } from '../node/fs-reader.ts';
import { loadSettings, type Settings } from '../node/settings.ts';
import { revisionStore, type Manifest, type RevisionStore } from '../publish/revision-store.ts';
import { renderPractices, type RenderedPractice, type RenderJob } from './render-practices.ts';
import { themeAssets } from './theme-assets.ts';

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

/** Below this many practices, starting workers costs more than it saves. */
const practicesPerWorker = 8;

export async function buildSites(o: BuildOptions): Promise<BuildReport> {
  const started = performance.now();
  const settings = o.settings ?? loadSettings(o.root);
  const store = o.store ?? revisionStore(settings.storeDir);
  const progress = o.onProgress ?? (() => {});
  const contentRoot = o.contentRoot ?? o.root;
  const builtAt = (o.now ?? new Date()).toISOString();
  const practices = o.practices ?? (await listPractices(fsReader(contentRoot)));

  const [assets, commit, dirty] = await Promise.all([
    themeAssets(o.root, settings.cacheDir),
    currentCommit(contentRoot),
    uncommittedPractices(contentRoot, practices),
  ]);
  const staging = path.join(settings.storeDir, '.staging', `${process.pid}-${Date.now()}`);
  const job = (group: string[]): RenderJob => ({
    root: o.root,
    contentRoot,
    practices: group,
    now: builtAt,
    commit,
    stagingDir: staging,
    assets,
    security: settings.security,
  });

  try {
    const groups = shard(practices, Math.min(settings.buildWorkers, Math.floor(practices.length / practicesPerWorker)));
    progress(`Checking and rendering ${practices.length} practice${practices.length === 1 ? '' : 's'}${groups.length > 1 ? ` on ${groups.length} threads` : ''}`);
    // The first group renders here, where everything is loaded already; the others in workers.
    const rendered = (await Promise.all(groups.map((g, i) => (i === 0 ? renderPractices(job(g)) : inWorker(job(g)))))).flat();

    const results: PracticeBuild[] = [];
    for (const r of rendered.sort((a, b) => a.slug.localeCompare(b.slug))) {
      const build: PracticeBuild = { slug: r.slug, ok: r.ok, problems: r.problems, pages: r.pages };
      results.push(build);
      if (!r.ok || !r.folder || !r.files) {
        progress(`${r.slug}: ${r.problems.filter((p) => p.severity === 'error').length} problems, not published (the live revision is unchanged)`);
        continue;
      }
      build.manifest = await store.publish(r.slug, r.folder, { commit, dirty: dirty.has(r.slug), builtAt, files: r.files });
      await linkDist(settings.distDir, r.slug, store);
      progress(`${r.slug}: revision ${build.manifest.revision} is live (${r.pages} pages)`);
    }
    return { practices: results, ms: performance.now() - started };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Splits practices into `n` groups of similar size (at least one group). */
function shard(practices: readonly string[], n: number): string[][] {
  const groups: string[][] = Array.from({ length: Math.max(1, n) }, () => []);
  practices.forEach((p, i) => groups[i % groups.length]!.push(p));
  return groups.filter((g) => g.length);
}

function inWorker(job: RenderJob): Promise<RenderedPractice[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./render-worker.ts', import.meta.url), { workerData: job });
    worker.once('message', (m: RenderedPractice[]) => resolve(m));
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`a build worker stopped with exit code ${code}`)));
  });
}

/** `dist/<slug>` always points at the live revision, through the store's `live` link. */
async function linkDist(distDir: string, slug: string, store: RevisionStore): Promise<void> {
  await mkdir(distDir, { recursive: true });
  const link = path.join(distDir, slug);
  const existing = await lstat(link).catch(() => undefined);
  if (existing?.isSymbolicLink()) return;
  if (existing) await rm(link, { recursive: true, force: true });
  const tmp = `${link}.${process.pid}`;
  await symlink(path.relative(distDir, path.join(store.root, slug, 'live')), tmp);
  await rename(tmp, link);
}
