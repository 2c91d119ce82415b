// Commit messages the CMS writes: a plain-English first line an auditor can read in `git log`,
// and git trailers a program can (Practice, Role, Entry, and Reviewed-by on publishing).
import type { Role } from '../members/members.ts';

export interface Person {
  name: string;
  email: string;
}

export type Change =
  | { kind: 'save-draft'; entry: string; title: string }
  | { kind: 'publish'; entry: string; title: string; reviewer?: Person & { role: Role } }
  | { kind: 'delete'; entry: string; title: string }
  | { kind: 'urgent-notice'; entry: string; title: string; expires: Date }
  | { kind: 'upload-media'; entry: string; title: string }
  | { kind: 'status'; entry: string; title: string; status: string }
  | { kind: 'rollback'; entry: string; title: string; to: string }
  | { kind: 'note'; entry: string; title: string; action: 'add' | 'update' | 'delete' | 'resolve' | 'reopen' };

/** A member's role, or `developer` for a change made with the pd command rather than the CMS. */
export type CommitRole = Role | 'developer';

export interface CommitContext {
  practice: string;
  role: CommitRole;
  change: Change;
}

/** The platform commits on the person's behalf: the person is the author, this is the committer. */
export const platformCommitter: Person = { name: 'Practice Digital', email: 'cms@practicedigital.co.uk' };

const noteVerb = { add: 'Review note', update: 'Edit review note', delete: 'Remove review note', resolve: 'Resolve review note', reopen: 'Reopen review note' } as const;

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim().slice(0, 100);

export function commitMessage({ practice, role, change }: CommitContext): { message: string; trailers: Record<string, string> } {
  const title = oneLine(change.title);
  const subject = {
    'save-draft': `Save draft of "${title}"`,
    publish: `Publish "${title}"`,
    delete: `Remove "${title}"`,
    'urgent-notice': `Post urgent notice "${title}" until ${change.kind === 'urgent-notice' ? change.expires.toISOString() : ''}`,
    'upload-media': `Upload ${title}`,
    status: `Move "${title}" to ${change.kind === 'status' ? change.status : ''}`,
    rollback: `Roll back ${title} to ${change.kind === 'rollback' ? change.to.slice(0, 7) : ''}`,
    note: `${change.kind === 'note' ? noteVerb[change.action] : ''} on "${title}"`,
  }[change.kind];
  const trailers: Record<string, string> = { Practice: practice, Role: role, Entry: change.entry };
  if (change.kind === 'rollback') trailers['Rollback-of'] = change.to;
  if (change.kind === 'publish' && change.reviewer) trailers['Reviewed-by'] = `${oneLine(change.reviewer.name)} <${change.reviewer.email}>`;
  return { message: subject, trailers };
}
