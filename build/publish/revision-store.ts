// The local publishing store: each successful build of a practice becomes an immutable revision
// folder with a manifest, and a `live` symbolic link names the one being served. Switching is a
// rename() of a new link over the old one, which POSIX makes atomic: a reader sees the old
// revision or the new one, never a mix.
import { createHash } from 'node:crypto';
import { appendFile, chmod, mkdir, readdir, readFile, readlink, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface Manifest {
  practice: string;
  revision: string;
  commit: string;
  /** The content had changes not yet committed when it was built (local builds only). */
  dirty: boolean;
  contentHash: string;
  builtAt: string;
  /** Path inside the revision → sha256 of the file. */
  files: Record<string, string>;
}

/** One switch of the live revision, as recorded in `<practice>/live-history.jsonl`. */
export interface LiveEvent {
  revision: string;
  /** ISO time of the switch. */
  at: string;
  /** `publish` (a new build went live) or `rollback` (an earlier revision was switched back). */
  reason: 'publish' | 'rollback';
}

export interface RevisionStore {
  readonly root: string;
  /** Makes `folder` (which it moves) a revision of `practice` and switches live to it. */
  /** `files` (path → sha256) may be given when the caller already hashed what it wrote. */
  publish(practice: string, folder: string, meta: { commit: string; dirty: boolean; builtAt: string; files?: Record<string, string> }): Promise<Manifest>;
  live(practice: string): Promise<string | undefined>;
  /** Absolute folder of the live revision, resolved once so one request never mixes two. */
  liveFolder(practice: string): Promise<string | undefined>;
  list(practice: string): Promise<Manifest[]>;
  switchLive(practice: string, revision: string, reason?: LiveEvent['reason']): Promise<void>;
  /** Every switch of the live revision, oldest first: which revision patients saw, and from when. */
  liveHistory(practice: string): Promise<LiveEvent[]>;
}

export async function hashFolder(folder: string): Promise<{ files: Record<string, string>; contentHash: string }> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files: Record<string, string> = {};
  const names = entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(folder, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
  for (const name of names) files[name] = createHash('sha256').update(await readFile(path.join(folder, name))).digest('hex');
  return { files, contentHash: contentHashOf(files) };
}

/** One hash for a whole revision: of each file's hash and name, in name order (like `sha256sum`). */
export function contentHashOf(files: Record<string, string>): string {
  const all = createHash('sha256');
  for (const name of Object.keys(files).sort()) all.update(`${files[name]}  ${name}\n`);
  return all.digest('hex');
}

export function revisionStore(root: string): RevisionStore {
  const siteDir = (practice: string) => path.join(root, practice);
  const revisionsDir = (practice: string) => path.join(siteDir(practice), 'revisions');
  const liveLink = (practice: string) => path.join(siteDir(practice), 'live');
  const historyFile = (practice: string) => path.join(siteDir(practice), 'live-history.jsonl');

  const switchLive = async (practice: string, revision: string, reason: LiveEvent['reason'] = 'rollback') => {
    const target = path.join(revisionsDir(practice), revision);
    await stat(target).catch(() => {
      throw new Error(`practice "${practice}" has no revision "${revision}"`);
    });
    const tmp = `${liveLink(practice)}.${process.pid}.${Date.now()}`;
    await symlink(path.join('revisions', revision), tmp);
    await rename(tmp, liveLink(practice));
    // Appended after the switch, one line per switch: the record of what patients saw and when.
    const event: LiveEvent = { revision, at: new Date().toISOString(), reason };
    await appendFile(historyFile(practice), `${JSON.stringify(event)}\n`);
  };

  return {
    root,
    async publish(practice, folder, meta) {
      const { files, contentHash } = meta.files ? { files: meta.files, contentHash: contentHashOf(meta.files) } : await hashFolder(folder);
      const stamp = meta.builtAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
      const revision = `${stamp}-${contentHash.slice(0, 10)}`;
      const manifest: Manifest = { practice, revision, commit: meta.commit, dirty: meta.dirty, contentHash, builtAt: meta.builtAt, files };
      await mkdir(revisionsDir(practice), { recursive: true });
      const target = path.join(revisionsDir(practice), revision);
      const existing = await stat(target).catch(() => undefined);
      if (existing) await rm(folder, { recursive: true, force: true });
      else await rename(folder, target);
      await writeFile(`${target}.json`, JSON.stringify(manifest, null, 2) + '\n');
      await freeze(target);
      await switchLive(practice, revision, 'publish');
      return manifest;
    },
    async live(practice) {
      const link = await readlink(liveLink(practice)).catch(() => undefined);
      return link ? path.basename(link) : undefined;
    },
    async liveFolder(practice) {
      const rev = await this.live(practice);
      return rev ? path.join(revisionsDir(practice), rev) : undefined;
    },
    async list(practice) {
      const names = await readdir(revisionsDir(practice)).catch(() => [] as string[]);
      const manifests = await Promise.all(
        names.filter((n) => n.endsWith('.json')).map(async (n) => JSON.parse(await readFile(path.join(revisionsDir(practice), n), 'utf8')) as Manifest),
      );
      // Oldest first by build time (to the millisecond): two builds in one second have names that sort by hash.
      return manifests.sort((a, b) => a.builtAt.localeCompare(b.builtAt) || a.revision.localeCompare(b.revision));
    },
    switchLive,
    async liveHistory(practice) {
      const text = await readFile(historyFile(practice), 'utf8').catch(() => '');
      return text
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as LiveEvent);
    },
  };
}

/** Published files are read-only (0444); the manifest's hashes show any later change. */
async function freeze(folder: string): Promise<void> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  await Promise.all(entries.filter((e) => e.isFile()).map((e) => chmod(path.join(e.parentPath, e.name), 0o444)));
}
