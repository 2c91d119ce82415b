// The history summary of an export. It follows the exported commit's first parents: the line of
// the branch itself, where a CMS publish is one merge commit authored by the editor. Draft saves on
// the draft's own branch are not counted again, so each change counts once, when it reached the
// branch. Two readers give the same answer: through the git store (its log and tree diffs; works
// for every store, remote ones too), or through isomorphic-git directly over the file system the
// store was given, which reads only the practice's own trees and is about three times faster.
import git, { type FsClient, type ReadCommitResult, type TreeEntry } from 'isomorphic-git';
import type { GitStore, LogEntry } from '../git-store/types.ts';
import { NotFoundError } from '../git-store/types.ts';
import type { ExportChange, ExportHistory } from './format.ts';

/** isomorphic-git's view of the repository a store reads: the file system and the git folder. */
export interface GitAccess {
  fs: FsClient;
  gitdir: string;
}

/** One commit on the first-parent line that changed the folder, with the files it added, changed or removed there. */
export interface FolderChange {
  change: ExportChange;
  /** Paths relative to the folder. */
  files: string[];
}

export interface HistoryLine {
  head: { oid: string; committedAt: string; subject: string };
  /** Oldest first. */
  changesUnder(dir: string): Promise<FolderChange[]>;
}

/** How many commits are read at once: they overlap their file reads. */
const parallel = 8;

const isOid = (ref: string) => /^[0-9a-f]{40}$/.test(ref);
const subject = (message: string) => message.split('\n')[0]!.trim();
const change = (oid: string, c: { author: { name: string; email: string; timestamp: number }; message: string }): ExportChange => ({
  commit: oid,
  at: new Date(c.author.timestamp * 1000).toISOString(),
  author: { name: c.author.name, email: c.author.email },
  subject: subject(c.message),
});

/** The history through the git store's interface. `ref`: a branch or a full commit oid. */
export async function storeHistory(store: GitStore, ref: string): Promise<HistoryLine> {
  const [first] = await store.log(ref, { depth: 1 });
  if (!first) throw new NotFoundError(`There is no commit or branch "${ref.slice(0, 80)}" in the repository.`);
  return {
    head: { oid: first.oid, committedAt: new Date(first.committer.timestamp * 1000).toISOString(), subject: subject(first.message) },
    async changesUnder(dir) {
      // From the commit itself, not the ref: the branch may have moved on meanwhile.
      const log = await store.log(first.oid);
      const byOid = new Map(log.map((c) => [c.oid, c]));
      const line: LogEntry[] = [];
      for (let c: LogEntry | undefined = log[0]; c; c = c.parents[0] === undefined ? undefined : byOid.get(c.parents[0])) line.push(c);
      line.reverse();
      const prefix = `${dir}/`;
      const files = await mapLimited(line, parallel, async (c) => {
        const parent = c.parents[0] !== undefined && byOid.has(c.parents[0]) ? c.parents[0] : undefined;
        // The first commit (or the oldest one a shallow copy holds) adds everything it has.
        const paths = parent ? await store.changedPaths(parent, c.oid) : await store.listFiles(dir, { ref: c.oid });
        return paths.filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length));
      });
      return line.flatMap((c, i) => (files[i]!.length ? [{ change: change(c.oid, c), files: files[i]! }] : []));
    },
  };
}

/** The same history read with isomorphic-git over the repository's own file system. */
export async function gitHistory(access: GitAccess, ref: string): Promise<HistoryLine> {
  const ctx = { ...access, cache: {} };
  let head: ReadCommitResult;
  try {
    head = await git.readCommit({ ...ctx, oid: isOid(ref) ? ref : await git.resolveRef({ ...ctx, ref: `refs/heads/${ref}` }) });
  } catch {
    throw new NotFoundError(`There is no commit or branch "${ref.slice(0, 80)}" in the repository.`);
  }
  const { oid } = head;

  const trees = new Map<string, Promise<TreeEntry[]>>();
  const readTree = (treeOid: string) => {
    let t = trees.get(treeOid);
    if (!t) trees.set(treeOid, (t = git.readTree({ ...ctx, oid: treeOid }).then((r) => r.tree)));
    return t;
  };
  /** The tree oid of `dir` inside a commit's tree, or undefined if the commit has no such folder. */
  const folderOf = async (tree: string, dir: string) => {
    let at: string | undefined = tree;
    for (const name of dir.split('/')) {
      const entry: TreeEntry | undefined = (await readTree(at)).find((e) => e.path === name);
      if (entry?.type !== 'tree') return undefined;
      at = entry.oid;
    }
    return at;
  };
  /** Files that differ between two trees (added, changed or removed), relative to them, as git diff lists them. */
  const changed = async (from: string | undefined, to: string | undefined, prefix = ''): Promise<string[]> => {
    if (from === to) return [];
    const before = new Map((from ? await readTree(from) : []).map((e) => [e.path, e]));
    const after = new Map((to ? await readTree(to) : []).map((e) => [e.path, e]));
    const out: string[] = [];
    for (const name of new Set([...before.keys(), ...after.keys()])) {
      const [was, is] = [before.get(name), after.get(name)];
      if (was?.oid === is?.oid && was?.mode === is?.mode) continue;
      const sub = (e: TreeEntry | undefined) => (e?.type === 'tree' ? e.oid : undefined);
      if (sub(was) || sub(is)) out.push(...(await changed(sub(was), sub(is), `${prefix}${name}/`)));
      if ((was && was.type !== 'tree') || (is && is.type !== 'tree')) out.push(`${prefix}${name}`);
    }
    return out;
  };

  return {
    head: { oid: head.oid, committedAt: new Date(head.commit.committer.timestamp * 1000).toISOString(), subject: subject(head.commit.message) },
    async changesUnder(dir) {
      const log = await git.log({ ...ctx, ref: oid });
      const byOid = new Map(log.map((c) => [c.oid, c]));
      const line: ReadCommitResult[] = [];
      for (let c: ReadCommitResult | undefined = log[0]; c; c = c.commit.parent[0] === undefined ? undefined : byOid.get(c.commit.parent[0])) line.push(c);
      line.reverse();
      const folders = await mapLimited(line, parallel, (c) => folderOf(c.commit.tree, dir));
      const files = await mapLimited(line, parallel, (_, i) => changed(i === 0 ? undefined : folders[i - 1], folders[i]));
      return line.flatMap((c, i) => (files[i]!.length ? [{ change: change(c.oid, c.commit), files: files[i]!.sort(byPath) }] : []));
    },
  };
}

/** Counts, per exported file and overall, the changes on the line. `paths`: the exported files. */
export function summarise(changes: readonly FolderChange[], paths: readonly string[], where: string): ExportHistory {
  if (changes.length === 0) throw new Error(`${where} has no history`);
  const perFile = new Map<string, { changes: number; first: ExportChange; last: ExportChange }>();
  const wanted = new Set(paths);
  for (const { change: c, files } of changes)
    for (const f of files) {
      if (!wanted.has(f)) continue;
      const h = perFile.get(f);
      if (h) {
        h.changes++;
        h.last = c;
      } else perFile.set(f, { changes: 1, first: c, last: c });
    }
  return {
    commits: changes.length,
    first: changes[0]!.change,
    last: changes.at(-1)!.change,
    files: [...paths].sort(byPath).flatMap((path) => {
      const h = perFile.get(path);
      return h ? [{ path, ...h }] : [];
    }),
  };
}

/** Sorts paths by their UTF-16 code units, the way git and the store list them. */
export const byPath = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
