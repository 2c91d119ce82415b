/**
 * Local adapter (the embedded default): a repository folder on disk, read and written through
 * isomorphic-git with the file system handed in (Node's `fs` in practice).
 *
 * Commits are written as objects and the branch ref is moved; the working tree and the index are
 * left alone. If the committed branch is the one checked out, `git status` in that folder will
 * show the store's changes as reverted until the folder is updated (`git reset --hard` / `git
 * checkout .`, or simply run tools against the store rather than the folder).
 *
 * Concurrency: commits on a branch are serialised inside this store instance, and `expectedHead`
 * is checked inside that critical section. Separate processes writing the same repository are not
 * coordinated beyond that (isomorphic-git does not take git's ref lock files).
 */
import git from "isomorphic-git";
import type { FsClient } from "isomorphic-git";
import type { CommitRequest, GitStore, LogEntry, ReadOptions } from "./types.ts";
import { assertUnmoved, ConflictError, NotFoundError } from "./types.ts";
import { isOid, normalizePath, validateBranch } from "./paths.ts";
import { buildTree, firstParentLog, changedPathsBetween, listFilesAt, mergeBaseOf, readFolderAt, logEntries, readBlobAt, treeOfCommit, writeCommitObject, type RepoContext } from "./objects.ts";
import { createKeyedLock } from "./lock.ts";

export interface LocalGitStoreOptions {
  fs: FsClient;
  /** The repository's working-tree folder. */
  dir: string;
  /** The git directory; defaults to `<dir>/.git` (pass the folder itself for a bare repository). */
  gitdir?: string;
}

export function createLocalGitStore(options: LocalGitStoreOptions): GitStore {
  const ctx: RepoContext = { fs: options.fs, gitdir: options.gitdir ?? `${options.dir.replace(/\/+$/, "")}/.git`, cache: {} };
  const lock = createKeyedLock();
  const decoder = new TextDecoder();

  const branchHead = async (branch: string): Promise<string | undefined> => {
    try {
      return await git.resolveRef({ ...ctx, ref: `refs/heads/${validateBranch(branch)}` });
    } catch (error) {
      if ((error as { code?: string }).code === "NotFoundError") return undefined;
      throw error;
    }
  };
  const head = async (branch: string): Promise<string> => {
    const oid = await branchHead(branch);
    if (!oid) throw new NotFoundError(`Branch "${branch}" does not exist in the repository.`);
    return oid;
  };
  const resolveCommit = async (ref: string): Promise<string> => {
    if (isOid(ref)) {
      try {
        await git.readCommit({ ...ctx, oid: ref });
        return ref;
      } catch {
        throw new NotFoundError(`Commit ${ref} is not in the repository.`);
      }
    }
    return head(ref);
  };

  async function readFile(path: string, options: ReadOptions & { encoding?: "utf8" }): Promise<string | undefined>;
  async function readFile(path: string, options: ReadOptions & { encoding: "binary" }): Promise<Uint8Array | undefined>;
  async function readFile(path: string, options: ReadOptions & { encoding?: "utf8" | "binary" }): Promise<string | Uint8Array | undefined> {
    const filepath = normalizePath(path);
    const blob = await readBlobAt(ctx, await resolveCommit(options.ref), filepath);
    if (blob === undefined) return undefined;
    return options.encoding === "binary" ? blob : decoder.decode(blob);
  }

  return {
    head,
    readFile,
    async listFiles(dir, options) {
      return listFilesAt(ctx, await resolveCommit(options.ref), normalizePath(dir, { allowRoot: true }), options.recursive ?? true);
    },
    async readFolder(dir, options) {
      return readFolderAt(ctx, await resolveCommit(options.ref), normalizePath(dir, { allowRoot: true }), options.recursive ?? true);
    },
    async listBranches(prefix) {
      const names = (await git.listBranches(ctx)).filter((n) => n.startsWith(prefix)).sort();
      return Promise.all(names.map(async (name) => ({ name, head: await git.resolveRef({ ...ctx, ref: `refs/heads/${name}` }) })));
    },
    async changedPaths(from, to) {
      return changedPathsBetween(ctx, await resolveCommit(from), await resolveCommit(to));
    },
    async mergeBase(a, b) {
      return mergeBaseOf(ctx, await resolveCommit(a), await resolveCommit(b));
    },
    async commit(request: CommitRequest) {
      const branch = validateBranch(request.branch);
      return lock(branch, async () => {
        const current = await head(branch);
        assertUnmoved(branch, request.expectedHead, current, 'edit');
        const { tree } = await buildTree(ctx, await treeOfCommit(ctx, current), request.changes, request.allowEmpty);
        const oid = await writeCommitObject(ctx, current, tree, request);
        await git.writeRef({ ...ctx, ref: `refs/heads/${branch}`, value: oid, force: true });
        return oid;
      });
    },
    async createBranch(name, from) {
      const branch = validateBranch(name);
      return lock(branch, async () => {
        const oid = await resolveCommit(from);
        const existing = await branchHead(branch);
        if (existing) throw new ConflictError(`Branch "${branch}" already exists.`, { branch, actualHead: existing });
        await git.writeRef({ ...ctx, ref: `refs/heads/${branch}`, value: oid });
        return oid;
      });
    },
    async deleteBranch(name, options = {}) {
      const branch = validateBranch(name);
      return lock(branch, async () => {
        const current = await head(branch);
        assertUnmoved(branch, options.expectedHead, current, 'delete');
        await git.deleteRef({ ...ctx, ref: `refs/heads/${branch}` });
      });
    },
    async log(branch, options = {}): Promise<LogEntry[]> {
      return (options.firstParent ? firstParentLog : logEntries)(ctx, await resolveCommit(branch), options.path, options.depth);
    },
  };
}
