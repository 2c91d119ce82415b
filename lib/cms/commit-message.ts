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
  | { kind: 'upload-media'; entry: string; title: string };

export interface CommitContext {
  practice: string;
  role: Role;
  change: Change;
}

/** The platform commits on the person's behalf: the person is the author, this is the committer. */
export const platformCommitter: Person = { name: 'Practice Digital', email: 'cms@practicedigital.co.uk' };

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim().slice(0, 100);

export function commitMessage({ practice, role, change }: CommitContext): { message: string; trailers: Record<string, string> } {
  const title = oneLine(change.title);
  const subject = {
    'save-draft': `Save draft of "${title}"`,
    publish: `Publish "${title}"`,
    delete: `Remove "${title}"`,
    'urgent-notice': `Post urgent notice "${title}" until ${change.kind === 'urgent-notice' ? change.expires.toISOString() : ''}`,
    'upload-media': `Upload ${title}`,
  }[change.kind];
  const trailers: Record<string, string> = { Practice: practice, Role: role, Entry: change.entry };
  if (change.kind === 'publish' && change.reviewer) trailers['Reviewed-by'] = `${oneLine(change.reviewer.name)} <${change.reviewer.email}>`;
  return { message: subject, trailers };
}
