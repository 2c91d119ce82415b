// The site's history, what is due for review, and its two kinds of rollback, for practice
// managers in the portal: restore the content as it was at an earlier change (a new commit,
// history kept), or switch patients back to an earlier published revision at once.
import { allow, announcePublished, personOf, text, type Ctx } from './gateway-context.ts';
import { badRequest, GatewayError, notFound } from './gateway-error.ts';
import { practiceHistory, RollbackError, rollbackContent as restore } from './rollback.ts';
import { loadPractice } from '../content/load-practice.ts';
import { reviewsDue as due } from '../content/schedule.ts';
import { practiceReaderAt } from './git-reader.ts';

export async function history(ctx: Ctx) {
  allow(ctx, 'read');
  const depth = typeof ctx.params.depth === 'number' ? Math.min(Math.max(1, ctx.params.depth), 200) : 50;
  const log = await practiceHistory(ctx.store, ctx.practice, { mainBranch: ctx.main, depth });
  return {
    changes: log.map((c) => ({
      commit: c.oid,
      at: new Date(c.author.timestamp * 1000).toISOString(),
      author: c.author.name,
      subject: c.message.split('\n')[0]!,
      role: c.trailers.Role ?? null,
      reviewedBy: c.trailers['Reviewed-by'] ?? null,
      rollbackOf: c.trailers['Rollback-of'] ?? null,
      merge: c.parents.length > 1,
    })),
  };
}

export async function rollbackContent(ctx: Ctx) {
  allow(ctx, 'rollback');
  const to = text(ctx.params, 'to');
  try {
    const result = await restore(ctx.store, { practice: ctx.practice, to, author: personOf(ctx.member), role: ctx.member.role, mainBranch: ctx.main, now: ctx.now });
    await announcePublished(ctx, result.commit, result.paths);
    return { message: `Restored the content as it was at ${to.slice(0, 7)} (${result.paths.length} file${result.paths.length === 1 ? '' : 's'}); the site is updating.`, ...result };
  } catch (e) {
    if (e instanceof RollbackError) throw new GatewayError(e.status, 'rollback-refused', `${e.message[0]!.toUpperCase()}${e.message.slice(1)}.`);
    throw e;
  }
}

function liveSites(ctx: Ctx) {
  if (!ctx.deps.live) throw notFound('Switching the live revision is not available here; use pd rollback live.');
  return ctx.deps.live;
}

export async function revisions(ctx: Ctx) {
  allow(ctx, 'read');
  return { revisions: (await liveSites(ctx).revisions(ctx.practice)).slice().reverse() };
}

export async function rollbackLive(ctx: Ctx) {
  allow(ctx, 'rollback');
  const revision = text(ctx.params, 'revision');
  const live = liveSites(ctx);
  const known = await live.revisions(ctx.practice);
  if (!known.some((r) => r.revision === revision)) throw badRequest(`"${revision.slice(0, 80)}" is not one of this practice's revisions`);
  await live.switchTo(ctx.practice, revision);
  return { message: `Revision ${revision} is live again.` };
}

/** Pages, services and policies past (or within 30 days of) their review date, on the live content. */
export async function reviewsDue(ctx: Ctx) {
  allow(ctx, 'read');
  const { practice } = await loadPractice(await practiceReaderAt(ctx.store, ctx.practice, ctx.main), ctx.practice);
  return { reviews: practice ? due(practice, ctx.now, 30) : [] };
}
