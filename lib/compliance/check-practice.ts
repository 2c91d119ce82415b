// Runs every statutory item against one practice and says, item by item, what passes, what fails
// and how to fix it. Runtime-neutral: the CLI, the CMS gateway and the portal dashboard all call it.
import { ukDate } from '../content/dates.ts';
import type { Practice } from '../content/practice.ts';
import { accessItems } from './items-access.ts';
import { linkItems } from './items-links.ts';
import { peopleItems } from './items-people.ts';
import { publishedItems } from './items-published.ts';
import { qualityItems } from './items-quality.ts';
import type { ComplianceReport, ItemResult, Nation, SiteGraph, StatutoryItem } from './types.ts';

/** Every item, in the order of section 1 of the facts the platform is built on, then the journeys and links. */
export const statutoryItems: readonly StatutoryItem[] = [...accessItems, ...peopleItems, ...publishedItems, ...qualityItems, ...linkItems];

export interface CheckOptions {
  now: Date;
  /** The site's link graph; without it the journey and every-page-link checks are skipped. */
  site?: SiteGraph;
}

export function checkPractice(practice: Practice, o: CheckOptions): ComplianceReport {
  const nation = practice.profile.nation as Nation;
  const ctx = { practice, now: o.now, today: ukDate(o.now), ...(o.site ? { site: o.site } : {}) };
  const results: ItemResult[] = statutoryItems.map((item) => {
    const base = { id: item.id, title: item.title, level: item.level, source: item.source };
    if (!item.nations.includes(nation)) return { ...base, status: 'not-applicable', findings: [], note: item.elsewhere ?? `does not apply in ${nation}` };
    const findings = item.check(ctx);
    return { ...base, status: findings.length ? 'fail' : 'pass', findings };
  });
  return {
    practice: practice.slug,
    nation,
    checkedAt: o.now.toISOString(),
    results,
    ok: !results.some((r) => r.level === 'must' && r.status === 'fail'),
    blocking: practice.profile.settings?.compliance_blocks_publishing === true,
  };
}

/** The "must" items failing in `after` that were not failing in `before`: what a change broke. */
export function newMustFailures(before: ComplianceReport | undefined, after: ComplianceReport): ItemResult[] {
  const failedBefore = new Set(before?.results.filter((r) => r.status === 'fail').map((r) => r.id) ?? []);
  return after.results.filter((r) => r.level === 'must' && r.status === 'fail' && !failedBefore.has(r.id));
}
