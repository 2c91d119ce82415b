// Drafts live on git branches, one per entry: `cms/<practice>/<collection>/<slug>`. Everything the
// editorial workflow knows about a draft is read back from that branch's commits since it left
// `main`: who wrote it (saves), where it is in review (`Status:` trailers on empty commits) and
// the review conversation (notes, also empty commits). Publishing merges the branch, so all of it
// stays in `main`'s history for the audit.
import type { GitStore, LogEntry } from '../git-store/types.ts';

export const workflowStatuses = ['draft', 'pending_review', 'pending_publish'] as const;
export type WorkflowStatus = (typeof workflowStatuses)[number];

export const statusWords: Record<WorkflowStatus, string> = {
  draft: 'draft',
  pending_review: 'in review',
  pending_publish: 'ready to publish',
};

/** Collection names and entry slugs: what Decap makes of a title, never a path. */
const partPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

export class DraftNameError extends Error {
  override name = 'DraftNameError';
}

export function draftPrefix(practice: string): string {
  return `cms/${practice}/`;
}

export function draftBranch(practice: string, collection: string, slug: string): string {
  for (const [what, value] of [['collection', collection], ['slug', slug]] as const) {
    if (typeof value !== 'string' || !partPattern.test(value))
      throw new DraftNameError(`"${String(value).slice(0, 100)}" is not a valid ${what}: use letters, numbers, "-" and "_"`);
  }
  return `${draftPrefix(practice)}${collection}/${slug}`;
}

/** `collection/slug`, Decap's content key, from a draft branch of this practice. */
export function contentKey(practice: string, branch: string): string | undefined {
  const rest = branch.startsWith(draftPrefix(practice)) ? branch.slice(draftPrefix(practice).length) : undefined;
  return rest && /^[^/]+\/[^/]+$/.test(rest) ? rest : undefined;
}

export interface Note {
  id: string;
  content: string;
  author: string;
  authorEmail: string;
  timestamp: string;
  resolved: boolean;
}

export interface DraftAuthor {
  name: string;
  email: string;
  role?: string;
}

export interface Draft {
  branch: string;
  head: string;
  /** Where the draft left `main`. */
  base: string;
  status: WorkflowStatus;
  /** Everyone who saved content to the draft, first writer first. */
  authors: DraftAuthor[];
  notes: Note[];
  updatedAt: Date;
  createdAt: Date;
}

/** The commits of the draft since it left `main`, oldest first. */
async function draftCommits(store: GitStore, branch: string, base: string): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  for (const entry of await store.log(branch, { depth: 1000 })) {
    if (entry.oid === base) break;
    out.push(entry);
  }
  return out.reverse();
}

/** The message between the subject and the trailers: where a note's words are kept. */
export function messageBody(message: string): string {
  const paragraphs = message.trim().split(/\n\s*\n/);
  return paragraphs.slice(1, -1).join('\n\n').trim();
}

export async function readDraft(store: GitStore, mainBranch: string, branch: string): Promise<Draft | undefined> {
  const found = (await store.listBranches(branch)).find((b) => b.name === branch);
  if (!found) return undefined;
  const base = (await store.mergeBase(mainBranch, found.head)) ?? found.head;
  const commits = await draftCommits(store, branch, base);
  let status: WorkflowStatus = 'draft';
  const authors: DraftAuthor[] = [];
  const notes = new Map<string, Note>();
  for (const c of commits) {
    const t = c.trailers;
    const action = t['Draft-action'] ?? 'save';
    if (t.Status && (workflowStatuses as readonly string[]).includes(t.Status)) status = t.Status as WorkflowStatus;
    if (action === 'save' && !authors.some((a) => a.email.toLowerCase() === c.author.email.toLowerCase()))
      authors.push({ name: c.author.name, email: c.author.email, ...(t.Role ? { role: t.Role } : {}) });
    if (action === 'note' && t['Note-id']) {
      const id = t['Note-id'];
      const kind = t['Note-action'];
      const existing = notes.get(id);
      if (kind === 'add')
        notes.set(id, { id, content: messageBody(c.message), author: c.author.name, authorEmail: c.author.email, timestamp: new Date(c.author.timestamp * 1000).toISOString(), resolved: false });
      else if (existing && kind === 'update') existing.content = messageBody(c.message);
      else if (existing && kind === 'resolve') existing.resolved = true;
      else if (existing && kind === 'reopen') existing.resolved = false;
      else if (kind === 'delete') notes.delete(id);
    }
  }
  const first = commits[0];
  const last = commits[commits.length - 1];
  return {
    branch,
    head: found.head,
    base,
    status,
    authors,
    notes: [...notes.values()],
    createdAt: new Date((first?.committer.timestamp ?? 0) * 1000),
    updatedAt: new Date((last?.committer.timestamp ?? 0) * 1000),
  };
}
