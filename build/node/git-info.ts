import git from 'isomorphic-git';
import fs from 'node:fs';
import { practicesDir } from '../../lib/content/load-practice.ts';

/** The commit checked out at `root`, or "uncommitted" outside a repository or before the first commit. */
export async function currentCommit(root: string): Promise<string> {
  try {
    return await git.resolveRef({ fs, dir: root, ref: 'HEAD' });
  } catch {
    return 'uncommitted';
  }
}

/** Which of these practices have content that differs from the checked-out commit. */
export async function uncommittedPractices(root: string, slugs: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  if ((await currentCommit(root)) === 'uncommitted') return new Set(slugs);
  const matrix = await git.statusMatrix({ fs, dir: root, filepaths: slugs.map((s) => `${practicesDir}/${s}`) });
  for (const [file, head, work] of matrix) if (head !== work) out.add(file.split('/')[2]!);
  return out;
}
