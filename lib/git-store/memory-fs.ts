/**
 * A minimal in-memory file system with the promise API isomorphic-git needs (readFile, writeFile,
 * unlink, readdir, mkdir, rmdir, stat, lstat). Runtime-neutral: no Node built-ins. Symlinks are not
 * supported (the store never creates them). Written here rather than pulling in a dependency
 * because isomorphic-git uses only this small surface.
 */
import type { PromiseFsClient } from "isomorphic-git";

interface FileNode {
  kind: "file";
  data: Uint8Array;
  mtimeMs: number;
  ino: number;
}
interface DirNode {
  kind: "dir";
  children: Map<string, FileNode | DirNode>;
  mtimeMs: number;
  ino: number;
}
type Node = FileNode | DirNode;

class FsError extends Error {
  readonly code: string;
  constructor(code: string, op: string, path: string) {
    super(`${code}: ${op} '${path}'`);
    this.code = code;
  }
}

function split(path: string): string[] {
  return path.split("/").filter((s) => s !== "" && s !== ".");
}

export function createMemoryFs(): PromiseFsClient {
  let nextIno = 1;
  const root: DirNode = { kind: "dir", children: new Map(), mtimeMs: Date.now(), ino: nextIno++ };
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();

  const lookup = (path: string): Node | undefined => {
    let node: Node = root;
    for (const segment of split(path)) {
      if (node.kind !== "dir") return undefined;
      const next: Node | undefined = node.children.get(segment);
      if (!next) return undefined;
      node = next;
    }
    return node;
  };
  const parentOf = (op: string, path: string): { dir: DirNode; name: string } => {
    const segments = split(path);
    const name = segments.pop();
    if (name === undefined) throw new FsError("EPERM", op, path);
    const dir = lookup(segments.join("/"));
    if (!dir) throw new FsError("ENOENT", op, path);
    if (dir.kind !== "dir") throw new FsError("ENOTDIR", op, path);
    return { dir, name };
  };
  const stat = async (path: string) => {
    const node = lookup(path);
    if (!node) throw new FsError("ENOENT", "stat", path);
    const isDir = node.kind === "dir";
    return {
      type: isDir ? "dir" : "file",
      mode: isDir ? 0o40755 : 0o100644,
      size: isDir ? 0 : node.data.byteLength,
      ino: node.ino,
      mtimeMs: node.mtimeMs,
      ctimeMs: node.mtimeMs,
      uid: 1,
      gid: 1,
      dev: 1,
      isFile: () => !isDir,
      isDirectory: () => isDir,
      isSymbolicLink: () => false,
    };
  };

  return {
    promises: {
      async readFile(path: string, options?: string | { encoding?: string }) {
        const node = lookup(path);
        if (!node) throw new FsError("ENOENT", "open", path);
        if (node.kind !== "file") throw new FsError("EISDIR", "read", path);
        const encoding = typeof options === "string" ? options : options?.encoding;
        return encoding === "utf8" || encoding === "utf-8" ? decoder.decode(node.data) : node.data.slice();
      },
      async writeFile(path: string, data: string | Uint8Array) {
        const { dir, name } = parentOf("open", path);
        const existing = dir.children.get(name);
        if (existing?.kind === "dir") throw new FsError("EISDIR", "open", path);
        const bytes = typeof data === "string" ? encoder.encode(data) : new Uint8Array(data);
        dir.children.set(name, { kind: "file", data: bytes, mtimeMs: Date.now(), ino: existing?.ino ?? nextIno++ });
      },
      async unlink(path: string) {
        const { dir, name } = parentOf("unlink", path);
        const node = dir.children.get(name);
        if (!node) throw new FsError("ENOENT", "unlink", path);
        if (node.kind === "dir") throw new FsError("EISDIR", "unlink", path);
        dir.children.delete(name);
      },
      async readdir(path: string) {
        const node = lookup(path);
        if (!node) throw new FsError("ENOENT", "scandir", path);
        if (node.kind !== "dir") throw new FsError("ENOTDIR", "scandir", path);
        return [...node.children.keys()].sort();
      },
      async mkdir(path: string) {
        const { dir, name } = parentOf("mkdir", path);
        if (dir.children.has(name)) throw new FsError("EEXIST", "mkdir", path);
        dir.children.set(name, { kind: "dir", children: new Map(), mtimeMs: Date.now(), ino: nextIno++ });
      },
      async rmdir(path: string) {
        const { dir, name } = parentOf("rmdir", path);
        const node = dir.children.get(name);
        if (!node) throw new FsError("ENOENT", "rmdir", path);
        if (node.kind !== "dir") throw new FsError("ENOTDIR", "rmdir", path);
        if (node.children.size > 0) throw new FsError("ENOTEMPTY", "rmdir", path);
        dir.children.delete(name);
      },
      stat,
      lstat: stat,
      async readlink(path: string) {
        throw new FsError(lookup(path) ? "EINVAL" : "ENOENT", "readlink", path);
      },
      async symlink(_target: string, path: string) {
        throw new FsError("ENOTSUP", "symlink", path);
      },
    },
  };
}
