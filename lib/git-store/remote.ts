/**
 * Remote adapter (production): a repository on a git host over HTTPS, held in an in-memory file
 * system. Every operation asks the server for the branch's current oid (one small request) and
 * fetches only when that commit is not already in memory. A commit is built in memory on the
 * fetched head and pushed. If the push is refused because the branch moved (non-fast-forward),
 * the store fetches, and — unless the caller pinned `expectedHead` — re-applies the same changes
 * on the new head provided none of the changed files was touched meanwhile; otherwise it throws
 * `ConflictError`. It retries up to `maxRetries` times. History is never rewritten: pushes are
 * never forced.
 */
import git from "isomorphic-git";
import type { AuthCallback, FsClient, HttpClient } from "isomorphic-git";
import type { CommitRequest, GitStore, LogEntry, ReadOptions } from "./types.ts";
import { assertUnmoved, ConflictError, GitStoreError, NotFoundError } from "./types.ts";
import { isOid, normalizePath, validateBranch } from "./paths.ts";
import {
  buildTree,
  changedPathsBetween,
  diffTrees,
  mergeBaseOf,
  readFolderAt,
  listFilesAt,
  firstParentLog, logEntries,
  overlapping,
  readBlobAt,
  treeOfCommit,
  writeCommitObject,
  type RepoContext,
} from "./objects.ts";
import { createKeyedLock } from "./lock.ts";
import { createMemoryFs } from "./memory-fs.ts";

export interface RemoteGitStoreOptions {
  /** The repository's HTTPS URL, e.g. `https://github.com/org/content.git`. */
  url: string;
  /** isomorphic-git HTTP client: `isomorphic-git/http/node` in Node, `isomorphic-git/http/web` in Workers. */
  http: HttpClient;
  /** Credentials, e.g. `() => ({ username: "x-access-token", password: token })`. */
  onAuth?: AuthCallback;
  headers?: Record<string, string>;
  /** How many times a push refused as non-fast-forward is re-applied and retried; default 5. */
  maxRetries?: number;
  /** Called before each re-apply after a refused push (for logs and metrics). */
  onRetry?: (info: { branch: string; attempt: number; head: string }) => void;
  /** Defaults to a fresh in-memory file system. */
  fs?: FsClient;
}


export function createRemoteGitStore(options: RemoteGitStoreOptions): GitStore {
  const fs = options.fs ?? createMemoryFs();
  const ctx: RepoContext = { fs, gitdir: "/repo.git", cache: {} };
  const maxRetries = options.maxRetries ?? 5;
  const net = {
    http: options.http,
    ...(options.onAuth ? { onAuth: options.onAuth } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
  };
  const lock = createKeyedLock();
  const decoder = new TextDecoder();
  let ready: Promise<void> | undefined;

  const init = (): Promise<void> =>
    (ready ??= (async () => {
      await git.init({ fs, gitdir: ctx.gitdir, bare: true, defaultBranch: "main" });
      await git.addRemote({ fs, gitdir: ctx.gitdir, remote: "origin", url: options.url, force: true });
    })().catch((error) => {
      ready = undefined;
      throw error;
    }));

  const hasCommit = async (oid: string): Promise<boolean> => {
    try {
      await git.readCommit({ ...ctx, oid });
      return true;
    } catch {
      return false;
    }
  };

  /** The branch's oid on the server, or undefined if it has no such branch. */
  const serverHead = async (branch: string): Promise<string | undefined> => {
    const ref = `refs/heads/${branch}`;
    const refs = await git.listServerRefs({ ...net, url: options.url, prefix: ref });
    return refs.find((r) => r.ref === ref)?.oid;
  };

  /** The server's current oid for the branch, with its objects present in memory. */
  const sync = async (branch: string): Promise<string> => {
    await init();
    const oid = await serverHead(validateBranch(branch));
    if (!oid) throw new NotFoundError(`Branch "${branch}" does not exist on ${options.url}.`);
    if (await hasCommit(oid)) return oid;
    const result = await git.fetch({ ...ctx, ...net, remote: "origin", ref: branch, singleBranch: true, tags: false });
    // The branch may have moved between the two requests; the fetched head is the newer truth.
    const fetched = result.fetchHead ?? oid;
    if (!(await hasCommit(fetched))) throw new GitStoreError(`Fetching "${branch}" from ${options.url} did not bring its head ${fetched}.`);
    return fetched;
  };

  const resolveCommit = async (ref: string): Promise<string> => {
    if (!isOid(ref)) return sync(ref);
    await init();
    if (!(await hasCommit(ref))) {
      await git.fetch({ ...ctx, ...net, remote: "origin", singleBranch: false, tags: false });
      if (!(await hasCommit(ref))) throw new NotFoundError(`Commit ${ref} is not on any branch of ${options.url}.`);
    }
    return ref;
  };

  const push = async (branch: string, oid: string, del = false): Promise<void> => {
    await git.writeRef({ ...ctx, ref: `refs/heads/${branch}`, value: oid, force: true });
    await git.push({ ...ctx, ...net, remote: "origin", ref: branch, remoteRef: branch, ...(del ? { delete: true } : {}) });
  };

  const pause = (attempt: number) => new Promise((r) => setTimeout(r, 10 * attempt + Math.random() * 40 * attempt));

  async function readFile(path: string, options: ReadOptions & { encoding?: "utf8" }): Promise<string | undefined>;
  async function readFile(path: string, options: ReadOptions & { encoding: "binary" }): Promise<Uint8Array | undefined>;
  async function readFile(path: string, options: ReadOptions & { encoding?: "utf8" | "binary" }): Promise<string | Uint8Array | undefined> {
    const filepath = normalizePath(path);
    const blob = await readBlobAt(ctx, await resolveCommit(options.ref), filepath);
    if (blob === undefined) return undefined;
    return options.encoding === "binary" ? blob : decoder.decode(blob);
  }

  return {
    head: (branch) => sync(branch),
    readFile,
    async listFiles(dir, options) {
      const path = normalizePath(dir, { allowRoot: true });
      return listFilesAt(ctx, await resolveCommit(options.ref), path, options.recursive ?? true);
    },
    async readFolder(dir, options) {
      const path = normalizePath(dir, { allowRoot: true });
      return readFolderAt(ctx, await resolveCommit(options.ref), path, options.recursive ?? true);
    },
    async listBranches(prefix) {
      await init();
      const refs = await git.listServerRefs({ ...net, url: options.url, prefix: `refs/heads/${prefix}` });
      return refs
        .map((r) => ({ name: r.ref.slice("refs/heads/".length), head: r.oid }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
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
        let base = await sync(branch);
        assertUnmoved(branch, request.expectedHead, base, 'edit');
        let { tree, paths } = await buildTree(ctx, await treeOfCommit(ctx, base), request.changes, request.allowEmpty);
        let oid = await writeCommitObject(ctx, base, tree, request);
        for (let attempt = 0; ; attempt++) {
          try {
            await push(branch, oid);
            return oid;
          } catch (error) {
            const latest = await sync(branch).catch(() => undefined);
            if (latest === undefined || latest === base) throw error; // not a race: a real failure
            if (latest === oid) return oid; // the push landed; only the report was lost
            assertUnmoved(branch, request.expectedHead, latest, 'edit');
            const changed = await diffTrees(ctx, await treeOfCommit(ctx, base), await treeOfCommit(ctx, latest));
            const clashes = overlapping(paths, changed);
            if (clashes.length > 0) {
              throw new ConflictError(
                `Branch "${branch}" moved while saving and ${clashes.join(", ")} changed meanwhile; reload and apply the change again.`,
                { branch, actualHead: latest, paths: clashes },
              );
            }
            if (attempt >= maxRetries) {
              throw new ConflictError(`Branch "${branch}" kept moving; gave up after ${maxRetries} retries.`, {
                branch,
                actualHead: latest,
              });
            }
            options.onRetry?.({ branch, attempt: attempt + 1, head: latest });
            await pause(attempt + 1);
            base = latest;
            ({ tree, paths } = await buildTree(ctx, await treeOfCommit(ctx, base), request.changes, request.allowEmpty));
            oid = await writeCommitObject(ctx, base, tree, request);
          }
        }
      });
    },
    async createBranch(name, from) {
      const branch = validateBranch(name);
      return lock(branch, async () => {
        const oid = await resolveCommit(from);
        const existing = await serverHead(branch);
        if (existing) throw new ConflictError(`Branch "${branch}" already exists.`, { branch, actualHead: existing });
        try {
          await push(branch, oid);
        } catch (error) {
          const now = await serverHead(branch).catch(() => undefined);
          if (now && now !== oid) throw new ConflictError(`Branch "${branch}" already exists.`, { branch, actualHead: now });
          if (now !== oid) throw error;
        }
        return oid;
      });
    },
    async deleteBranch(name, options = {}) {
      const branch = validateBranch(name);
      return lock(branch, async () => {
        const current = await sync(branch);
        assertUnmoved(branch, options.expectedHead, current, 'delete');
        await push(branch, current, true);
        await git.deleteRef({ ...ctx, ref: `refs/heads/${branch}` }).catch(() => undefined);
      });
    },
    async log(branch, options = {}): Promise<LogEntry[]> {
      return (options.firstParent ? firstParentLog : logEntries)(ctx, await resolveCommit(branch), options.path, options.depth);
    },
  };
}

