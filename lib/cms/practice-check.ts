// Before anything reaches `main`, the practice is loaded as it would then be and checked with the
// same rules as `pd validate`: a change that would break the site's build is refused with every
// problem listed, instead of being published and failing later. A practice that chose to can also
// refuse changes that make a legal requirement fail (`pd check`'s "must" items); a change that
// leaves an existing failure alone, or fixes one, is never refused.
import yaml from 'js-yaml';
import { checkPractice, newMustFailures } from '../compliance/check-practice.ts';
import type { SiteGraph } from '../compliance/types.ts';
import { loadPractice } from '../content/load-practice.ts';
import type { Practice } from '../content/practice.ts';
import { formatProblem } from '../content/problems.ts';
import type { GitStore } from '../git-store/types.ts';
import type { Ctx } from './gateway-context.ts';
import { GatewayError } from './gateway-error.ts';
import { practiceReaderAt } from './git-reader.ts';

/** What the compliance gate needs: the time to check at, and the site's link graph when the platform can draw it. */
export interface ComplianceGate {
  now: Date;
  siteGraph?: (practice: Practice, now: Date) => SiteGraph;
}

export const complianceGate = (ctx: Ctx): ComplianceGate => ({ now: ctx.now, ...(ctx.deps.siteGraph ? { siteGraph: ctx.deps.siteGraph } : {}) });

export async function assertPracticeValid(
  store: GitStore,
  practice: string,
  ref: string,
  overrides: ReadonlyMap<string, Uint8Array | null>,
  // Restoring earlier content is how a practice gets out of a bad state, so rollback passes false.
  compliance: ComplianceGate | false = { now: new Date() },
): Promise<void> {
  const { practice: after, problems } = await loadPractice(await practiceReaderAt(store, practice, ref, overrides), practice);
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length === 0) {
    if (after && compliance && after.profile.settings?.compliance_blocks_publishing === true) await assertNoNewFailures(store, practice, ref, after, compliance);
    return;
  }
  const list = errors.slice(0, 20).map(formatProblem);
  throw new GatewayError(
    422,
    'invalid-content',
    `This change cannot go live until ${errors.length === 1 ? 'this problem is' : `these ${errors.length} problems are`} fixed: ${list.join('; ')}`,
    { problems: errors },
  );
}

/** Whether the practice lets non-clinical changes go live without review (on unless it says otherwise). */
export async function publishesWithoutReview(store: GitStore, practice: string, ref: string): Promise<boolean> {
  const profile = await store.readFile(`content/practices/${practice}/practice.yml`, { ref });
  if (!profile) return false;
  try {
    const data = yaml.load(profile, { schema: yaml.CORE_SCHEMA }) as { settings?: { publish_without_review?: unknown } } | null;
    return data?.settings?.publish_without_review !== false;
  } catch {
    return false;
  }
}

async function assertNoNewFailures(store: GitStore, slug: string, ref: string, after: Practice, gate: ComplianceGate): Promise<void> {
  const check = (p: Practice) => checkPractice(p, { now: gate.now, ...(gate.siteGraph ? { site: gate.siteGraph(p, gate.now) } : {}) });
  const afterReport = check(after);
  if (afterReport.ok) return;
  const { practice: before } = await loadPractice(await practiceReaderAt(store, slug, ref, new Map()), slug);
  const broken = newMustFailures(before ? check(before) : undefined, afterReport);
  if (!broken.length) return;
  const reasons = broken.map((item) => `${item.title}: ${item.findings.map((f) => `${f.message} (${f.fix})`).join('; ')}`);
  throw new GatewayError(
    422,
    'breaks-compliance',
    `This practice does not publish changes that break a legal requirement, and this change would: ${reasons.join(' — ')}`,
    { compliance: broken },
  );
}
