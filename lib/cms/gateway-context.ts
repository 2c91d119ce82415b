// What every gateway action is handed: the verified caller's membership of the practice, the git
// store, and the few helpers every action shares (path checks, commits as the person).
import type { Identity } from '../auth/identity.ts';
import type { GitStore } from '../git-store/types.ts';
import type { Role } from '../members/members.ts';
import { commitMessage, platformCommitter, type Change } from './commit-message.ts';
import { badRequest, forbidden } from './gateway-error.ts';
import { PathError, practicePath } from './paths.ts';
import { mayDo, type ActionContext, type GatewayAction } from './permissions.ts';

export interface Member {
  role: Role;
  name: string;
  email: string;
}

export interface PublishedEvent {
  practice: string;
  commit: string;
  paths: string[];
}

export interface GatewayDeps {
  store: GitStore;
  /** The caller's active membership, read from the database on every request. */
  memberOf(identity: Identity, practice: string): Promise<Member | null>;
  /** The branch patients' sites are built from. */
  mainBranch?: string;
  now?: () => Date;
  /** Collections whose every entry is clinical, whatever its `clinical` field says. */
  clinicalCollections?: readonly string[];
  maxMediaBytes?: number;
  /** Told after every commit on the main branch (publish on commit). Failures are logged, not returned. */
  onPublished?: (event: PublishedEvent) => void | Promise<void>;
  /** The practice's published revisions, where this platform can see and switch them. */
  live?: LiveSites;
  /** A preview address for a draft, when the platform builds them. */
  deployPreview?: (practice: string, branch: string) => Promise<{ url: string; status: string } | null>;
}

export interface RevisionSummary {
  revision: string;
  commit: string;
  builtAt: string;
  live: boolean;
}

/** Switching which published revision patients see: the local revision store, or Pages in production. */
export interface LiveSites {
  revisions(practice: string): Promise<RevisionSummary[]>;
  switchTo(practice: string, revision: string): Promise<void>;
}

export interface Ctx {
  deps: GatewayDeps;
  store: GitStore;
  main: string;
  practice: string;
  member: Member;
  now: Date;
  params: Record<string, unknown>;
}

export function personOf(member: Member): { name: string; email: string } {
  const name = member.name.trim() || member.email.split('@')[0]!;
  return { name: name.replace(/[<>\n\r]/g, ''), email: member.email };
}

export function allow(ctx: Ctx, action: GatewayAction, extra: ActionContext = {}): void {
  const decision = mayDo(ctx.member.role, action, { callerId: ctx.member.email.toLowerCase(), now: ctx.now, ...extra });
  if (!decision.allowed) throw forbidden(`Not allowed: ${decision.reason}.`);
}

/** The repository path for a path the browser sent, or a 400 that says why it was refused. */
export function checkedPath(ctx: Ctx, value: unknown, what = 'path'): string {
  if (typeof value !== 'string') throw badRequest(`"${what}" must be a file path inside your practice's folder`);
  try {
    return practicePath(ctx.practice, value);
  } catch (e) {
    if (e instanceof PathError) throw badRequest(`The ${what} ${e.message}.`);
    throw e;
  }
}

export function text(params: Record<string, unknown>, key: string): string {
  const v = params[key];
  if (typeof v !== 'string' || v === '') throw badRequest(`"${key}" must be a non-empty string`);
  return v;
}

export function object(params: Record<string, unknown>, key: string): Record<string, unknown> {
  const v = params[key];
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw badRequest(`"${key}" must be an object`);
  return v as Record<string, unknown>;
}

export function mediaFolder(practice: string): string {
  return `content/practices/${practice}/media`;
}

export interface CommitOptions {
  branch: string;
  changes: { path: string; content: string | Uint8Array | null }[];
  change: Change;
  expectedHead?: string;
  mergeParent?: string;
  allowEmpty?: boolean;
  extraTrailers?: Record<string, string>;
  /** Who the commit is by; the caller unless publishing someone else's draft. */
  author?: { name: string; email: string };
  role?: Role;
  body?: string;
}

/** Commits as the person (author) on the platform's behalf (committer), with the CMS's trailers. */
export async function commitAs(ctx: Ctx, o: CommitOptions): Promise<string> {
  const { message, trailers } = commitMessage({ practice: ctx.practice, role: o.role ?? ctx.member.role, change: o.change });
  const when = Math.floor(ctx.now.getTime() / 1000);
  return ctx.store.commit({
    branch: o.branch,
    changes: o.changes,
    message: o.body ? `${message}\n\n${o.body}` : message,
    trailers: { ...trailers, ...o.extraTrailers },
    author: { ...(o.author ?? personOf(ctx.member)), timestamp: when },
    committer: { ...platformCommitter, timestamp: when },
    ...(o.expectedHead ? { expectedHead: o.expectedHead } : {}),
    ...(o.mergeParent ? { mergeParent: o.mergeParent } : {}),
    ...(o.allowEmpty ? { allowEmpty: true } : {}),
  });
}

/** Tells the platform `main` moved (publish on commit); the commit stands even if that fails. */
export async function announcePublished(ctx: Ctx, commit: string, paths: string[]): Promise<void> {
  try {
    await ctx.deps.onPublished?.({ practice: ctx.practice, commit, paths });
  } catch (e) {
    console.error(`publish hook failed for ${ctx.practice}: ${(e as Error).name}`);
  }
}
