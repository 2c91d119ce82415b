// `main` as the audit reads it: by first parent, so a published draft (a merge) is one change and
// a developer's merged branch is one change too, with the commits each merge brought in kept
// beside it (a draft's saves, status changes and notes). Also every commit in `main`'s history,
// for checking that a revision's commit was never rewritten away.
import type { Commit, ObjectReader } from './object-reader.ts';

export interface History {
  branch: string;
  head: string;
  /** The first-parent line, oldest first. */
  line: Commit[];
  /** Position of each first-parent commit in `line`. */
  index: Map<string, number>;
  /** Every commit reachable from `main`. */
  reachable: Set<string>;
  /** For each merge on the line: the commits it brought in, oldest first. */
  branchCommits: Map<string, Commit[]>;
  /**
   * The newest first-parent commit that `oid` contains (the commit itself, or one of its
   * ancestors), as a position in `line`; -1 if it contains none or is not in the repository.
   */
  containedUpTo(oid: string): Promise<number>;
}

export interface ReadHistoryOptions {
  branch?: string;
  onProgress?: (message: string) => void;
}

export class UnknownBranchError extends Error {
  override name = 'UnknownBranchError';
}

export async function readHistory(reader: ObjectReader, o: ReadHistoryOptions = {}): Promise<History> {
  const branch = o.branch ?? 'main';
  let head: string;
  try {
    head = await reader.resolve(branch);
  } catch {
    throw new UnknownBranchError(`the repository has no branch "${branch}" (is this the content repository, and has anything been committed?)`);
  }
  const progress = o.onProgress ?? (() => {});
  const newestFirst: Commit[] = [];
  for (let oid: string | undefined = head; oid; ) {
    const c: Commit = reader.commitSync(oid) ?? (await reader.commit(oid));
    newestFirst.push(c);
    oid = c.parents[0];
    if (newestFirst.length % 2000 === 0) progress(`read ${newestFirst.length} commits on ${branch}`);
  }
  const line = newestFirst.reverse();
  const index = new Map(line.map((c, i) => [c.oid, i]));
  const reachable = new Set(index.keys());
  const branchCommits = new Map<string, Commit[]>();
  let brought = 0;
  for (const merge of line) {
    if (merge.parents.length < 2) continue;
    const found: Commit[] = [];
    const queue = merge.parents.slice(1);
    while (queue.length) {
      const oid = queue.pop()!;
      if (reachable.has(oid)) continue;
      reachable.add(oid);
      const c = reader.commitSync(oid) ?? (await reader.commit(oid).catch(() => undefined));
      if (!c) continue;
      found.push(c);
      queue.push(...c.parents);
    }
    // Walked from the branch's tip, so reversed it is oldest first; commits made in the same
    // second keep that order.
    found.reverse().sort((a, b) => a.committer.timestamp - b.committer.timestamp);
    branchCommits.set(merge.oid, found);
    brought += found.length;
  }
  if (brought) progress(`read ${line.length} commits on ${branch} and ${brought} more its merges brought in`);

  const contained = new Map<string, number>();
  return {
    branch,
    head,
    line,
    index,
    reachable,
    branchCommits,
    async containedUpTo(oid) {
      const known = index.get(oid) ?? contained.get(oid);
      if (known !== undefined) return known;
      // Not on the line: walk its ancestors until they reach the line; the newest one reached wins.
      let best = -1;
      const seen = new Set<string>();
      const queue = [oid];
      while (queue.length) {
        const next = queue.pop()!;
        if (seen.has(next)) continue;
        seen.add(next);
        const at = index.get(next);
        if (at !== undefined) {
          best = Math.max(best, at);
          continue;
        }
        const c = reader.commitSync(next) ?? (await reader.commit(next).catch(() => undefined));
        if (c) queue.push(...c.parents);
      }
      contained.set(oid, best);
      return best;
    },
  };
}
