// Demo content copied into memory or a temporary folder, so a test can break one file and see
// what the checks and the build make of it without touching the real content.
import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ContentReader } from '../../lib/content/reader.ts';
import { repo } from './demo-site.ts';

export type Tree = Map<string, string>;

/** Every file of one demo practice, keyed by repository-relative path. */
export async function practiceTree(slug: string): Promise<Tree> {
  const base = path.join(repo, 'content/practices', slug);
  const tree: Tree = new Map();
  for (const e of await readdir(base, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const full = path.join(e.parentPath, e.name);
    tree.set(path.relative(repo, full).split(path.sep).join('/'), await readFile(full, 'latin1'));
  }
  return tree;
}

export function memReader(tree: Tree): ContentReader {
  return {
    async listFiles(dir) {
      const prefix = dir.endsWith('/') ? dir : `${dir}/`;
      return [...tree.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)).sort();
    },
    async readText(file) {
      const t = tree.get(file);
      if (t === undefined) throw new Error(`no file ${file}`);
      return Buffer.from(t, 'latin1').toString('utf8');
    },
    async readBytes(file) {
      return new Uint8Array(Buffer.from(tree.get(file) ?? '', 'latin1'));
    },
  };
}

/** Replaces `from` with `to` in one file of the tree, failing loudly if `from` is not there. */
export function edit(tree: Tree, file: string, from: string | RegExp, to: string): Tree {
  const text = tree.get(file);
  if (text === undefined) throw new Error(`the test edits ${file}, which is not in the tree`);
  const next = text.replace(from, to);
  if (next === text) throw new Error(`the test's edit of ${file} changed nothing: ${String(from)} not found`);
  return new Map(tree).set(file, next);
}

/** Copies the whole content folder to a temporary root, for builds that read from disk. */
export async function contentCopy(): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'pd-content-'));
  await cp(path.join(repo, 'content'), path.join(root, 'content'), { recursive: true });
  return root;
}

export async function writeInCopy(root: string, file: string, text: string): Promise<void> {
  await writeFile(path.join(root, file), text);
}
