// What each role may do through the CMS gateway, as one function with a reason for every refusal.
// The gateway asks it on every request, after verifying the token and looking up the caller's role
// in the database (so a revoked member has no role at all).
import type { Role } from '../members/members.ts';

export type GatewayAction =
  | 'read'
  | 'save-draft'
  | 'change-status'
  | 'delete-draft'
  | 'upload-media'
  | 'delete-media'
  | 'publish'
  | 'post-urgent-notice'
  | 'rollback';

export interface ActionContext {
  /** The entry is clinical (its collection is, or it says `clinical: true`). */
  clinical?: boolean;
  /** User ids of everyone who committed to the draft. */
  authors?: readonly string[];
  callerId?: string;
  /** The practice lets non-clinical changes go live without review. */
  publishWithoutReview?: boolean;
  /** For urgent notices: when the notice is removed. */
  noticeExpiresAt?: Date;
  now?: Date;
}

export type Decision = { allowed: true } | { allowed: false; reason: string };

/** Urgent notices go live without review, so they must end soon. */
export const urgentNoticeMaxDays = 14;

const editing: readonly Role[] = ['practice_manager', 'clinical_reviewer', 'editor'];
const allow: Decision = { allowed: true };
const deny = (reason: string): Decision => ({ allowed: false, reason });

export function mayDo(role: Role | null, action: GatewayAction, ctx: ActionContext = {}): Decision {
  if (!role) return deny('you are not a member of this practice, or your access has ended');
  if (action === 'read') return allow;
  if (action === 'post-urgent-notice') return urgentNotice(role, ctx);
  // Restoring earlier content, or an earlier revision of the site, undoes other people's reviewed
  // work at once: the practice manager answers for the site, so it is theirs to do.
  if (action === 'rollback') return role === 'practice_manager' ? allow : deny('only a practice manager can roll the site back');
  if (!editing.includes(role))
    return deny(role === 'urgent_publisher' ? 'urgent publishers can only post urgent notices' : 'auditors can read but not change content');
  if (action !== 'publish') return allow;
  if (ctx.clinical) {
    if (role !== 'clinical_reviewer') return deny('clinical content must be published by a clinical reviewer of this practice');
    if (ctx.callerId && ctx.authors?.includes(ctx.callerId))
      return deny('you wrote part of this change: another clinical reviewer must approve and publish it');
    return allow;
  }
  if (role === 'editor' && !ctx.publishWithoutReview)
    return deny('this practice reviews every change before it goes live: ask a practice manager or clinical reviewer to publish it');
  return allow;
}

function urgentNotice(role: Role, ctx: ActionContext): Decision {
  if (role !== 'practice_manager' && role !== 'urgent_publisher') return deny('only a practice manager or an urgent publisher can post an urgent notice');
  const now = ctx.now ?? new Date();
  if (!ctx.noticeExpiresAt) return deny('an urgent notice must say when it is removed');
  if (ctx.noticeExpiresAt.getTime() <= now.getTime()) return deny('the notice would already have ended: give a removal time in the future');
  if (ctx.noticeExpiresAt.getTime() > now.getTime() + urgentNoticeMaxDays * 86_400_000)
    return deny(`an urgent notice can run for at most ${urgentNoticeMaxDays} days; post a new one if it still applies then`);
  return allow;
}
