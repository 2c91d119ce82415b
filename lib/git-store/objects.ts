/**
 * Object-level operations shared by both adapters: reading blobs and trees at a commit, building a
 * new tree from a base tree plus changes, diffing trees, and writing commits with trailers. Nothing
 * here touches a working tree or moves a ref.
 */
import git from "isomorphic-git";
import type { FsClient, TreeEntry } from "isomorphic-git";
import type { CommitRequest, FolderFile, LogEntry, Person } from "./types.ts";
import { GitStoreError, InvalidPathError } from "./types.ts";
import { normalizePath } from "./paths.ts";

export interface RepoContext {
  fs: FsClient;
  gitdir: string;
  cache: object;
}

const encoder = new TextEncoder();

/** Git's mode for a symbolic link: its "content" is a path, which the store never follows or writes. */
const SYMLINK = "120000";

/** The file at `path` in `commit`, walking the trees; a symbolic link is refused, not followed. */
export async function readBlobAt(ctx: RepoContext, commit: string, path: string): Promise<Uint8Array | undefined> {
  const slash = path.lastIndexOf("/");
  const dir = slash < 0 ? "" : path.slice(0, slash);
  const name = path.slice(slash + 1);
  const tree = await subtree(ctx, await treeOfCommit(ctx, commit), dir);
  const entry = tree ? (await readTreeEntries(ctx, tree)).find((e) => e.path === name) : undefined;
  if (!entry || entry.type !== "blob") return undefined;
  if (entry.mode === SYMLINK) throw new InvalidPathError(`Path "${path}" is a symbolic link; the store does not follow or change links.`);
  return (await git.readBlob({ ...ctx, oid: entry.oid })).blob;
}

async function readTreeEntries(ctx: RepoContext, treeOid: string | undefined): Promise<TreeEntry[]> {
  if (!treeOid) return [];
  const { tree } = await git.readTree({ ...ctx, oid: treeOid });
  return tree;
}

export async function treeOfCommit(ctx: RepoContext, commit: string): Promise<string> {
  const { commit: parsed } = await git.readCommit({ ...ctx, oid: commit });
  return parsed.tree;
}

/** The tree oid at `dir` inside `tree`, or undefined if there is no directory there. */
async function subtree(ctx: RepoContext, tree: string, dir: string): Promise<string | undefined> {
  let current = tree;
  for (const segment of dir === "" ? [] : dir.split("/")) {
    const entry = (await readTreeEntries(ctx, current)).find((e) => e.path === segment);
    if (!entry || entry.type !== "tree") return undefined;
    current = entry.oid;
  }
  return current;
}

export async function listFilesAt(ctx: RepoContext, commit: string, dir: string, recursive: boolean): Promise<string[]> {
  const start = await subtree(ctx, await treeOfCommit(ctx, commit), dir);
  if (!start) return [];
  const out: string[] = [];
  const walk = async (tree: string, prefix: string): Promise<void> => {
    for (const entry of await readTreeEntries(ctx, tree)) {
      const path = prefix === "" ? entry.path : `${prefix}/${entry.path}`;
      if (entry.type === "blob") out.push(path);
      else if (entry.type === "tree" && recursive) await walk(entry.oid, path);
    }
  };
  await walk(start, dir);
  return out.sort();
}

/** Every blob under `dir` at `commit`, with content, reading each blob by oid after one tree walk. */
export async function readFolderAt(ctx: RepoContext, commit: string, dir: string, recursive: boolean): Promise<FolderFile[]> {
  const start = await subtree(ctx, await treeOfCommit(ctx, commit), dir);
  if (!start) return [];
  const found: { path: string; oid: string }[] = [];
  const walk = async (tree: string, prefix: string): Promise<void> => {
    for (const entry of await readTreeEntries(ctx, tree)) {
      const path = prefix === "" ? entry.path : `${prefix}/${entry.path}`;
      if (entry.type === "blob" && entry.mode !== SYMLINK) found.push({ path, oid: entry.oid });
      else if (entry.type === "tree" && recursive) await walk(entry.oid, path);
    }
  };
  await walk(start, dir);
  found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return Promise.all(found.map(async (f) => ({ ...f, content: (await git.readBlob({ ...ctx, oid: f.oid })).blob })));
}

export async function changedPathsBetween(ctx: RepoContext, from: string, to: string): Promise<string[]> {
  return (await diffTrees(ctx, await treeOfCommit(ctx, from), await treeOfCommit(ctx, to))).sort();
}

export async function mergeBaseOf(ctx: RepoContext, a: string, b: string): Promise<string | undefined> {
  const [base] = (await git.findMergeBase({ ...ctx, oids: [a, b] })) as string[];
  return base;
}

interface ChangeNode {
  content?: Uint8Array | null;
  children?: Map<string, ChangeNode>;
}

function changeTree(changes: CommitRequest["changes"]): { root: Map<string, ChangeNode>; paths: string[] } {
  const root = new Map<string, ChangeNode>();
  const paths: string[] = [];
  const seen = new Set<string>();
  for (const change of changes) {
    const path = normalizePath(change.path);
    if (seen.has(path)) throw new InvalidPathError(`Path "${path}" appears twice in one commit; give each file once.`);
    seen.add(path);
    paths.push(path);
    const segments = path.split("/");
    let level = root;
    for (let i = 0; i < segments.length - 1; i++) {
      const name = segments[i]!;
      let node = level.get(name);
      if (!node) level.set(name, (node = { children: new Map() }));
      if (!node.children) {
        throw new InvalidPathError(`Path "${path}" needs "${segments.slice(0, i + 1).join("/")}" to be a folder, but the same commit writes it as a file.`);
      }
      level = node.children;
    }
    const leaf = segments[segments.length - 1]!;
    if (level.get(leaf)?.children) {
      throw new InvalidPathError(`Path "${path}" is written as a file, but the same commit writes files inside it.`);
    }
    const content = change.content;
    level.set(leaf, { content: content === null ? null : typeof content === "string" ? encoder.encode(content) : content });
  }
  return { root, paths };
}

async function applyChanges(
  ctx: RepoContext,
  baseTree: string | undefined,
  changes: Map<string, ChangeNode>,
  prefix: string,
): Promise<string | undefined> {
  const entries = new Map((await readTreeEntries(ctx, baseTree)).map((e) => [e.path, e]));
  for (const [name, node] of changes) {
    const path = prefix === "" ? name : `${prefix}/${name}`;
    const existing = entries.get(name);
    if (node.children) {
      if (existing && existing.type !== "tree") {
        throw new InvalidPathError(`Cannot write inside "${path}": it is a file or a link in the repository, not a folder.`);
      }
      const oid = await applyChanges(ctx, existing?.oid, node.children, path);
      if (oid) entries.set(name, { mode: "040000", path: name, oid, type: "tree" });
      else entries.delete(name);
    } else if (existing?.mode === SYMLINK) {
      throw new InvalidPathError(`Cannot change "${path}": it is a symbolic link, which the store never writes.`);
    } else if (node.content === null) {
      if (existing?.type === "tree") {
        throw new InvalidPathError(`Cannot delete "${path}": it is a folder; delete the files in it instead.`);
      }
      entries.delete(name);
    } else {
      if (existing?.type === "tree") {
        throw new InvalidPathError(`Cannot write the file "${path}": a folder of that name exists.`);
      }
      const oid = await git.writeBlob({ ...ctx, blob: node.content! });
      const mode = existing?.type === "blob" ? existing.mode : "100644";
      entries.set(name, { mode, path: name, oid, type: "blob" });
    }
  }
  if (entries.size === 0) return undefined;
  return git.writeTree({ ...ctx, tree: [...entries.values()] });
}

/** Builds a new tree from `baseTree` with the changes applied. Returns its oid and the changed paths. */
export async function buildTree(
  ctx: RepoContext,
  baseTree: string | undefined,
  changes: CommitRequest["changes"],
  allowEmpty = false,
): Promise<{ tree: string; paths: string[] }> {
  if (changes.length === 0) {
    if (!allowEmpty) throw new GitStoreError("A commit needs at least one change.");
    return { tree: baseTree ?? (await git.writeTree({ ...ctx, tree: [] })), paths: [] };
  }
  const { root, paths } = changeTree(changes);
  const tree = (await applyChanges(ctx, baseTree, root, "")) ?? (await git.writeTree({ ...ctx, tree: [] }));
  return { tree, paths };
}

/** Paths of files that differ between two trees (added, removed or modified). */
export async function diffTrees(ctx: RepoContext, a: string | undefined, b: string | undefined, prefix = ""): Promise<string[]> {
  if (a === b) return [];
  const left = new Map((await readTreeEntries(ctx, a)).map((e) => [e.path, e]));
  const right = new Map((await readTreeEntries(ctx, b)).map((e) => [e.path, e]));
  const out: string[] = [];
  for (const name of new Set([...left.keys(), ...right.keys()])) {
    const l = left.get(name);
    const r = right.get(name);
    if (l?.oid === r?.oid && l?.mode === r?.mode) continue;
    const path = prefix === "" ? name : `${prefix}/${name}`;
    const lTree = l?.type === "tree" ? l.oid : undefined;
    const rTree = r?.type === "tree" ? r.oid : undefined;
    if (lTree || rTree) out.push(...(await diffTrees(ctx, lTree, rTree, path)));
    if ((l && l.type !== "tree") || (r && r.type !== "tree")) out.push(path);
  }
  return out;
}

/** True if any of `paths` is, contains or lies inside any of `changed`. */
export function overlapping(paths: string[], changed: string[]): string[] {
  const hits = new Set<string>();
  for (const p of paths) {
    for (const c of changed) {
      if (p === c || p.startsWith(`${c}/`) || c.startsWith(`${p}/`)) hits.add(p);
    }
  }
  return [...hits];
}

const TRAILER_KEY = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

export function formatMessage(message: string, trailers: Record<string, string> | undefined): string {
  const body = message.replace(/\r\n/g, "\n").trim();
  if (body === "") throw new GitStoreError("A commit needs a non-empty message.");
  const lines: string[] = [];
  for (const [key, value] of Object.entries(trailers ?? {})) {
    if (!TRAILER_KEY.test(key)) {
      throw new GitStoreError(`Trailer key ${JSON.stringify(key)} is not valid; use letters, digits and "-" (e.g. "Reviewed-by").`);
    }
    const text = String(value).trim();
    if (/[\r\n\u0000]/.test(text) || text === "") {
      throw new GitStoreError(`Trailer ${key} must be a single non-empty line.`);
    }
    lines.push(`${key}: ${text}`);
  }
  return lines.length === 0 ? `${body}\n` : `${body}\n\n${lines.join("\n")}\n`;
}

export function parseTrailers(message: string): Record<string, string> {
  const paragraphs = message.trim().split(/\n\s*\n/);
  if (paragraphs.length < 2) return {};
  const last = paragraphs[paragraphs.length - 1]!.split("\n");
  const out: Record<string, string> = {};
  for (const line of last) {
    const match = /^([A-Za-z0-9][A-Za-z0-9-]*):\s*(.*)$/.exec(line);
    if (!match) return {};
    out[match[1]!] = match[2]!;
  }
  return out;
}

function person(p: Person, now: number): Required<Person> {
  if (!p || !p.name?.trim() || !p.email?.trim() || /[<>\n]/.test(p.name + p.email)) {
    throw new GitStoreError("Author and committer need a name and an email without <, > or line breaks.");
  }
  return { name: p.name.trim(), email: p.email.trim(), timestamp: p.timestamp ?? now, timezoneOffset: p.timezoneOffset ?? 0 };
}

/** Writes the commit object (parent = `parent`, if any); does not move any ref. */
export async function writeCommitObject(
  ctx: RepoContext,
  parent: string | undefined,
  tree: string,
  request: Pick<CommitRequest, "message" | "trailers" | "author" | "committer" | "mergeParent">,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return git.writeCommit({
    ...ctx,
    commit: {
      message: formatMessage(request.message, request.trailers),
      tree,
      parent: [...(parent ? [parent] : []), ...(request.mergeParent ? [request.mergeParent] : [])],
      author: person(request.author, now),
      committer: person(request.committer, now),
    },
  });
}

/** The oid of the tree or blob at `path` in a tree, if there is one. */
async function oidAt(ctx: RepoContext, tree: string, path: string): Promise<string | undefined> {
  const slash = path.lastIndexOf("/");
  const parent = await subtree(ctx, tree, slash < 0 ? "" : path.slice(0, slash));
  if (!parent) return undefined;
  return (await readTreeEntries(ctx, parent)).find((e) => e.path === path.slice(slash + 1))?.oid;
}

/**
 * The branch's own history, following first parents only (a merged draft is one change), newest
 * first; with `path`, only commits whose tree differs from their first parent's there. `depth`
 * limits the number of commits returned.
 */
export async function firstParentLog(ctx: RepoContext, ref: string, path: string | undefined, depth: number | undefined): Promise<LogEntry[]> {
  const filepath = path === undefined ? undefined : normalizePath(path);
  const out: LogEntry[] = [];
  let oid: string | undefined = ref;
  let tree: string | undefined;
  while (oid && out.length < (depth ?? Number.POSITIVE_INFINITY)) {
    const { commit } = await git.readCommit({ ...ctx, oid });
    const parent = commit.parent[0];
    const parentTree = parent ? (await git.readCommit({ ...ctx, oid: parent })).commit.tree : undefined;
    tree = commit.tree;
    const changed =
      filepath === undefined || (await oidAt(ctx, tree, filepath)) !== (parentTree ? await oidAt(ctx, parentTree, filepath) : undefined);
    if (changed)
      out.push({ oid, message: commit.message, trailers: parseTrailers(commit.message), parents: commit.parent, author: commit.author, committer: commit.committer });
    oid = parent;
  }
  return out;
}

export async function logEntries(ctx: RepoContext, ref: string, path: string | undefined, depth: number | undefined): Promise<LogEntry[]> {
  const commits = await git.log({
    ...ctx,
    ref,
    ...(depth !== undefined ? { depth } : {}),
    ...(path !== undefined ? { filepath: normalizePath(path) } : {}),
  });
  return commits.map(({ oid, commit }) => ({
    oid,
    message: commit.message,
    trailers: parseTrailers(commit.message),
    parents: commit.parent,
    author: commit.author,
    committer: commit.committer,
  }));
}
