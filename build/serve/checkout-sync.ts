// The CMS writes commits straight into the repository's object store; when the branch it wrote is
// the one checked out, this brings the changed files in the working folder (and the index) up to
// date, so the local server, the watcher and `git status` all see what the CMS published. A file
// someone has edited locally is left alone, with a warning: their work is never overwritten.
import git from 'isomorphic-git';
import * as fs from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { GitStore } from '../../lib/git-store/types.ts';

export interface CheckoutSyncOptions {
  /** The repository's working folder (holding `.git`). */
  dir: string;
  log?: (message: string) => void;
}

/** The folder holding `.git` at or above `start`, if any. */
export function findRepositoryRoot(start: string): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

async function checkedOutBranch(dir: string): Promise<string | undefined> {
  return git.currentBranch({ fs, dir, fullname: false }).then((b) => b ?? undefined, () => undefined);
}

const same = (a: Uint8Array | undefined, b: Uint8Array | undefined) => (a === undefined || b === undefined ? a === b : Buffer.from(a).equals(Buffer.from(b)));

export function withCheckoutSync(store: GitStore, o: CheckoutSyncOptions): GitStore {
  let chain = Promise.resolve();
  const log = o.log ?? ((m: string) => console.log(m));

  const sync = async (branch: string, commit: string): Promise<void> => {
    if ((await checkedOutBranch(o.dir)) !== branch) return;
    const { commit: parsed } = await git.readCommit({ fs, dir: o.dir, oid: commit });
    const parent = parsed.parent[0];
    if (!parent) return;
    const head = await store.head(branch);
    for (const file of await store.changedPaths(parent, commit)) {
      const full = path.join(o.dir, ...file.split('/'));
      const onDisk = await readFile(full).then((b) => new Uint8Array(b), () => undefined);
      const before = await store.readFile(file, { ref: parent, encoding: 'binary' });
      const wanted = await store.readFile(file, { ref: head, encoding: 'binary' });
      if (same(onDisk, wanted)) continue;
      if (!same(onDisk, before)) {
        log(`Kept your local edit of ${file}; the CMS's version is committed on ${branch}.`);
        continue;
      }
      if (wanted === undefined) {
        await rm(full, { force: true });
        await git.remove({ fs, dir: o.dir, filepath: file });
      } else {
        await mkdir(path.dirname(full), { recursive: true });
        await writeFile(full, wanted);
        await git.add({ fs, dir: o.dir, filepath: file });
      }
    }
  };

  return {
    ...store,
    async commit(request) {
      const oid = await store.commit(request);
      // One sync at a time, each to the branch's newest state, so concurrent commits cannot interleave writes.
      const done = (chain = chain.then(() => sync(request.branch, oid)).catch((e) => log(`Could not update the working folder: ${(e as Error).message}`)));
      await done;
      return oid;
    },
  };
}
