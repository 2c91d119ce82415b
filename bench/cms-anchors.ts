// The CMS benchmark's anchors: the least isomorphic-git work that reads the same folder, or
// commits the same file, with none of the gateway's checks, on the same repository and file system.
import git from 'isomorphic-git';
import * as fs from 'node:fs';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Every file of `folder` at `main`, as text: one tree read to the folder, then one blob read per file. */
export async function plainRead(dir: string, folder: string): Promise<{ path: string; oid: string; text: string }[]> {
  const head = await git.resolveRef({ fs, dir, ref: 'main' });
  const { tree } = await git.readTree({ fs, dir, oid: head, filepath: folder });
  return Promise.all(
    tree
      .filter((e) => e.type === 'blob')
      .map(async (e) => ({ path: `${folder}/${e.path}`, oid: e.oid, text: decoder.decode((await git.readBlob({ fs, dir, oid: e.oid })).blob) })),
  );
}

/**
 * One commit of `content` at `file` on top of `main`, written to `ref`: the blob, each tree on the
 * way down rewritten with the new oid (innermost first), the commit, the ref.
 */
export async function plainCommit(dir: string, file: string, content: string, ref: string): Promise<string> {
  const head = await git.resolveRef({ fs, dir, ref: 'main' });
  const { commit } = await git.readCommit({ fs, dir, oid: head });
  const segments = file.split('/');
  const trees = [(await git.readTree({ fs, dir, oid: commit.tree })).tree];
  for (const segment of segments.slice(0, -1)) {
    const entry = trees.at(-1)!.find((e) => e.path === segment);
    if (entry?.type !== 'tree') throw new Error(`${file}: ${segment} is not a folder at main`);
    trees.push((await git.readTree({ fs, dir, oid: entry.oid })).tree);
  }
  let oid = await git.writeBlob({ fs, dir, blob: encoder.encode(content) });
  for (let i = segments.length - 1; i >= 0; i--) {
    const name = segments[i]!;
    const entries = trees[i]!;
    const next = entries.some((e) => e.path === name)
      ? entries.map((e) => (e.path === name ? { ...e, oid } : e))
      : [...entries, { mode: '100644', path: name, oid, type: 'blob' as const }];
    oid = await git.writeTree({ fs, dir, tree: next });
  }
  const person = { name: 'Bench', email: 'bench@example.test', timestamp: Math.floor(Date.now() / 1000), timezoneOffset: 0 };
  const made = await git.writeCommit({ fs, dir, commit: { message: `Save ${file}\n`, tree: oid, parent: [head], author: person, committer: person } });
  await git.writeRef({ fs, dir, ref, value: made, force: true });
  return made;
}
