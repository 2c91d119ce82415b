// The compliance check on what is live now (the main branch), for the portal's practice
// dashboard: every statutory item with what to fix, computed from git as `pd check` does.
import { checkPractice } from '../compliance/check-practice.ts';
import { loadPractice } from '../content/load-practice.ts';
import { allow, type Ctx } from './gateway-context.ts';
import { practiceReaderAt } from './git-reader.ts';

export async function compliance(ctx: Ctx) {
  allow(ctx, 'read');
  const { practice, problems } = await loadPractice(await practiceReaderAt(ctx.store, ctx.practice, ctx.main), ctx.practice);
  if (!practice) return { report: null, problems: problems.filter((p) => p.severity === 'error') };
  return { report: checkPractice(practice, { now: ctx.now, ...(ctx.deps.siteGraph ? { site: ctx.deps.siteGraph(practice, ctx.now) } : {}) }), problems: [] };
}
