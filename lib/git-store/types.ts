/**
 * The git store: the one interface the CMS gateway, review flow and audit use to read and write
 * content in git. Runtime-neutral: the file system and HTTP client are handed in by the adapter's
 * caller, so the same code runs in Node and in Workers.
 */

export interface Person {
  name: string;
  email: string;
  /** Seconds since the Unix epoch; defaults to now. */
  timestamp?: number;
  /** Minutes, as git stores it (UTC+1 is -60); defaults to 0. */
  timezoneOffset?: number;
}

export interface FileChange {
  /** Repository-relative path with forward slashes, e.g. `content/practices/riverside/index.md`. */
  path: string;
  /** New content; `null` deletes the file. Strings are written as UTF-8. */
  content: string | Uint8Array | null;
}

export interface CommitRequest {
  branch: string;
  changes: FileChange[];
  message: string;
  author: Person;
  committer: Person;
  /** Appended as git trailers (`Key: value`) after a blank line, in insertion order. */
  trailers?: Record<string, string>;
  /**
   * Optimistic concurrency: the commit the caller's edit is based on. If the branch is anywhere
   * else when the commit is written, a `ConflictError` is thrown and nothing is written.
   */
  expectedHead?: string;
  /**
   * Makes the commit a merge: its second parent (a draft branch's head), so the draft's history
   * (saves, review status, review notes) stays reachable from the branch for good.
   */
  mergeParent?: string;
  /** Write the commit even if it changes no file (a review-status change or a note on a draft). */
  allowEmpty?: boolean;
}

export interface FolderFile {
  path: string;
  /** The blob's oid: changes exactly when the content does. */
  oid: string;
  content: Uint8Array;
}

export interface LogEntry {
  oid: string;
  message: string;
  /** Trailers parsed from the last paragraph of the message. */
  trailers: Record<string, string>;
  parents: string[];
  author: Required<Person>;
  committer: Required<Person>;
}

export interface ReadOptions {
  /** A branch name or a full commit oid. */
  ref: string;
}

export interface GitStore {
  /** The commit oid the branch points at; throws `NotFoundError` if the branch does not exist. */
  head(branch: string): Promise<string>;
  readFile(path: string, options: ReadOptions & { encoding?: "utf8" }): Promise<string | undefined>;
  readFile(path: string, options: ReadOptions & { encoding: "binary" }): Promise<Uint8Array | undefined>;
  /** Repository-relative paths of the files under `dir` (`""` = root), sorted; `[]` if absent. */
  listFiles(dir: string, options: ReadOptions & { recursive?: boolean }): Promise<string[]>;
  /** Every file under `dir` with its blob oid and content, in one walk of the tree; sorted by path. */
  readFolder(dir: string, options: ReadOptions & { recursive?: boolean }): Promise<FolderFile[]>;
  /** Branches whose names start with `prefix`, with the commit each points at, sorted by name. */
  listBranches(prefix: string): Promise<{ name: string; head: string }[]>;
  /** Paths of files that differ between two commits (branches or oids). */
  changedPaths(from: string, to: string): Promise<string[]>;
  /** The newest commit both refs descend from (where a draft branch left `main`), if any. */
  mergeBase(a: string, b: string): Promise<string | undefined>;
  /** Writes one commit on the branch (no working-tree checkout) and returns its oid. */
  commit(request: CommitRequest): Promise<string>;
  /** Creates `name` at `from` (a branch or an oid); `ConflictError` if it already exists. */
  createBranch(name: string, from: string): Promise<string>;
  /** Deletes a branch; with `expectedHead`, only if it still points there. */
  deleteBranch(name: string, options?: { expectedHead?: string }): Promise<void>;
  /** Newest first, from a branch or a commit oid; with `path`, only commits that changed it. */
  log(branch: string, options?: { path?: string; depth?: number; firstParent?: boolean }): Promise<LogEntry[]>;
}

export class GitStoreError extends Error {
  override name = "GitStoreError";
}

/** A path or branch name the store refuses; the message says which and why. */
export class InvalidPathError extends GitStoreError {
  override name = "InvalidPathError";
}

export class NotFoundError extends GitStoreError {
  override name = "NotFoundError";
}

/** The branch moved under the caller (stale `expectedHead`, or the same files changed meanwhile). */
export class ConflictError extends GitStoreError {
  override name = "ConflictError";
  readonly branch: string;
  readonly expectedHead: string | undefined;
  readonly actualHead: string | undefined;
  readonly paths: string[];
  constructor(
    message: string,
    details: { branch: string; expectedHead?: string; actualHead?: string; paths?: string[] },
  ) {
    super(message);
    this.branch = details.branch;
    this.expectedHead = details.expectedHead;
    this.actualHead = details.actualHead;
    this.paths = details.paths ?? [];
  }
}

/**
 * Refuses to go on when the caller pinned `expected` and the branch is elsewhere: a save begun
 * on an older head must not overwrite what landed since, and a branch that moved is not deleted.
 */
export function assertUnmoved(branch: string, expected: string | undefined, actual: string, doing: 'edit' | 'delete'): void {
  if (expected === undefined || expected === actual) return;
  const message =
    doing === 'edit'
      ? `Branch "${branch}" has moved since this edit began (expected ${expected.slice(0, 7)}, now ${actual.slice(0, 7)}); reload and apply the change again.`
      : `Branch "${branch}" has moved; not deleting it.`;
  throw new ConflictError(message, { branch, expectedHead: expected, actualHead: actual });
}
