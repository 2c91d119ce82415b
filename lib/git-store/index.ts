export type { CommitRequest, FileChange, FolderFile, GitStore, LogEntry, Person, ReadOptions } from "./types.ts";
export { ConflictError, GitStoreError, InvalidPathError, NotFoundError } from "./types.ts";
export { normalizePath, validateBranch } from "./paths.ts";
export { formatMessage, parseTrailers } from "./objects.ts";
export { createLocalGitStore, type LocalGitStoreOptions } from "./local.ts";
export { createRemoteGitStore, type RemoteGitStoreOptions } from "./remote.ts";
export { createMemoryFs } from "./memory-fs.ts";
