// What every gateway action is handed: the verified caller's membership of the practice, the git
// store, and the few helpers every action shares (path checks, commits as the person).
import type { Practice } from '../content/practice.ts';
import type { SiteGraph } from '../compliance/types.ts';
import yaml from 'js-yaml';
import type { Identity } from '../auth/identity.ts';
import type { EmailMessage, Mailer } from '../email/mailer.ts';
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
  /** Emails about the workflow (a change waiting for review, a change live, an urgent notice). Off when absent. */
  notify?: Notify;
  /**
   * Draws the practice site's link graph, for the compliance check's journey and internal-link
   * items (build/compliance/site-graph.ts). Without it those parts are skipped.
   */
  siteGraph?: (practice: Practice, now: Date) => SiteGraph;
  /**
   * Whether the practice is frozen (an incident: `pd incident freeze`). While it is, every action
   * that writes is refused and reading goes on; the live site is not touched.
   */
  freezeState?: (practice: string) => Promise<{ frozen: boolean; reason?: string; since?: string }>;
}

/** How the gateway tells people about changes: sending never undoes or fails the change itself. */
export interface Notify {
  mailer: Mailer;
  /** The portal's address, for links into the CMS and the portal. */
  portalUrl: string;
  /** The practice's active members with any of these roles. */
  recipients(practice: string, roles: Role[]): Promise<{ email: string; name: string }[]>;
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

/** The practice's name and site address from its `practice.yml` on `main`, for emails. */
export async function practiceFacts(ctx: Ctx): Promise<{ name: string; siteUrl?: string }> {
  try {
    const raw = await ctx.store.readFile(`content/practices/${ctx.practice}/practice.yml`, { ref: ctx.main });
    const data = raw === undefined ? undefined : (yaml.load(raw, { schema: yaml.CORE_SCHEMA }) as Record<string, unknown> | undefined);
    const name = typeof data?.name === 'string' && data.name.trim() ? data.name.trim() : ctx.practice;
    const domain = typeof data?.domain === 'string' && /^[a-z0-9.-]+$/i.test(data.domain) ? data.domain : undefined;
    return { name, ...(domain ? { siteUrl: `https://${domain}` } : {}) };
  } catch {
    return { name: ctx.practice };
  }
}

/**
 * Sends the emails `build` makes for these people, after the change is already in git: a failure
 * to find the recipients or to send one email is logged (its error class only, never an address)
 * and never reaches the caller, so it cannot fail or undo the change.
 */
export async function notifyPeople(
  ctx: Ctx,
  what: string,
  who: (notify: Notify) => Promise<{ email: string; name: string }[]>,
  build: (person: { email: string; name: string }, notify: Notify) => EmailMessage | Promise<EmailMessage>,
): Promise<void> {
  const notify = ctx.deps.notify;
  if (!notify) return;
  let people: { email: string; name: string }[];
  try {
    const seen = new Set<string>();
    people = (await who(notify)).filter((p) => {
      const key = p.email.toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  } catch (e) {
    console.error(`${what} email for ${ctx.practice}: finding the recipients failed: ${(e as Error).name}`);
    return;
  }
  for (const person of people) {
    try {
      await notify.mailer.send(await build(person, notify));
    } catch (e) {
      console.error(`${what} email for ${ctx.practice} failed: ${(e as Error).name}`);
    }
  }
}
