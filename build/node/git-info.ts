import git from 'isomorphic-git';
import fs from 'node:fs';

/** The commit checked out at `root`, or "uncommitted" outside a repository or before the first commit. */
export async function currentCommit(root: string): Promise<string> {
  try {
    return await git.resolveRef({ fs, dir: root, ref: 'HEAD' });
  } catch {
    return 'uncommitted';
  }
}
