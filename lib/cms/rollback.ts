// Content rollback: a new commit on `main` that puts one practice's folder back as it was at an
// earlier commit. History is kept (nothing is rewritten), the commit names what it rolls back in
// a `Rollback-of:` trailer, and the practice must still validate afterwards.
import type { GitStore } from '../git-store/types.ts';
import { commitMessage, platformCommitter, type CommitRole } from './commit-message.ts';
import { assertPracticeValid } from './practice-check.ts';

export class RollbackError extends Error {
  override name = 'RollbackError';
  readonly status: 400 | 404 | 409;
  constructor(status: 400 | 404 | 409, message: string) {
    super(message);
    this.status = status;
  }
}

export interface RollbackRequest {
  practice: string;
  /** The commit (full oid) whose version of the practice to restore. */
  to: string;
  author: { name: string; email: string };
  role: CommitRole;
  mainBranch?: string;
  now?: Date;
}

export interface RollbackResult {
  commit: string;
  /** Files written back or removed. */
  paths: string[];
}

/** The changes on main (first parents: a merged draft is one) to this practice, newest first: what a rollback may go back to. */
export async function practiceHistory(store: GitStore, practice: string, o: { mainBranch?: string; depth?: number } = {}) {
  return store.log(o.mainBranch ?? 'main', { path: `content/practices/${practice}`, firstParent: true, ...(o.depth ? { depth: o.depth } : {}) });
}

export async function rollbackContent(store: GitStore, r: RollbackRequest): Promise<RollbackResult> {
  const main = r.mainBranch ?? 'main';
  const dir = `content/practices/${r.practice}`;
  if (!/^[0-9a-f]{40}$/.test(r.to)) throw new RollbackError(400, `"${r.to.slice(0, 60)}" is not a full commit id (40 hexadecimal characters); find it with pd history or pd audit`);
  const head = await store.head(main);
  let base: string | undefined;
  try {
    base = await store.mergeBase(main, r.to);
  } catch {
    throw new RollbackError(404, `commit ${r.to.slice(0, 7)} is not in this repository`);
  }
  if (base !== r.to) throw new RollbackError(400, `commit ${r.to.slice(0, 7)} is not in the history of ${main}, so the site never published it`);
  const changedThere = (await practiceHistory(store, r.practice, { mainBranch: main })).some((c) => c.oid === r.to);
  if (!changedThere)
    throw new RollbackError(400, `commit ${r.to.slice(0, 7)} did not change ${r.practice}; choose one of ${r.practice}'s own changes (pd history, pd audit)`);
  const [then, now] = await Promise.all([store.readFolder(dir, { ref: r.to }), store.readFolder(dir, { ref: head })]);
  if (!then.some((f) => f.path === `${dir}/practice.yml`)) throw new RollbackError(400, `${r.practice} had no practice.yml at ${r.to.slice(0, 7)}: there is no site to go back to`);
  const thenByPath = new Map(then.map((f) => [f.path, f]));
  const nowByPath = new Map(now.map((f) => [f.path, f]));
  const changes: { path: string; content: Uint8Array | null }[] = [];
  for (const f of then) if (nowByPath.get(f.path)?.oid !== f.oid) changes.push({ path: f.path, content: f.content });
  for (const f of now) if (!thenByPath.has(f.path)) changes.push({ path: f.path, content: null });
  if (changes.length === 0) throw new RollbackError(409, `${r.practice}'s content is already as it was at ${r.to.slice(0, 7)}; nothing to roll back`);
  await assertPracticeValid(store, r.practice, head, new Map(changes.map((c) => [c.path, c.content])), false);
  const [target] = await store.log(r.to, { depth: 1 }).catch(() => []);
  const { message, trailers } = commitMessage({ practice: r.practice, role: r.role, change: { kind: 'rollback', entry: 'practice', title: r.practice, to: r.to } });
  const when = Math.floor((r.now ?? new Date()).getTime() / 1000);
  const subject = target ? `\n\nRestores the practice's content as it was after "${target.message.split('\n')[0]!.slice(0, 100)}".` : '';
  const commit = await store.commit({
    branch: main,
    changes,
    message: `${message}${subject}`,
    trailers,
    author: { ...r.author, timestamp: when },
    committer: { ...platformCommitter, timestamp: when },
    expectedHead: head,
  });
  return { commit, paths: changes.map((c) => c.path).sort() };
}
