// The shapes of a compliance check: the statutory items, what each check found, and the report.
import type { Practice } from '../content/practice.ts';

export type Level = 'must' | 'should';
export type Nation = 'england' | 'wales' | 'scotland';

/** One thing wrong, said so a practice manager can put it right. */
export interface Finding {
  message: string;
  fix: string;
  /** Repository-relative file the fix goes in, when there is one. */
  file?: string;
  /** Dotted field path inside that file. */
  field?: string;
}

/** What links where on the practice's site, derived from the same data the theme renders. */
export interface SiteGraph {
  /** Every published address, like `/appointments/`. */
  urls: ReadonlySet<string>;
  /** The addresses each page links to on the same site (paths only, no fragment). */
  linksFrom(url: string): readonly string[];
}

export interface CheckContext {
  practice: Practice;
  now: Date;
  /** UK calendar date of `now`, `YYYY-MM-DD`. */
  today: string;
  /** Absent when the caller checks content alone; the journey check then says it did not run. */
  site?: SiteGraph;
}

export interface StatutoryItem {
  /** `1`–`28` for section 1 of the domain facts; `J` for the benchmark journeys. */
  id: string;
  title: string;
  level: Level;
  /** The nations the item applies to; elsewhere it is reported as not applicable, with why. */
  nations: readonly Nation[];
  /** Why it does not apply outside `nations`. */
  elsewhere?: string;
  /** Where the duty comes from. */
  source: string;
  check(ctx: CheckContext): Finding[];
}

export type Status = 'pass' | 'fail' | 'not-applicable';

export interface ItemResult {
  id: string;
  title: string;
  level: Level;
  status: Status;
  source: string;
  findings: Finding[];
  /** Why the item is not applicable, when it is not. */
  note?: string;
}

export interface ComplianceReport {
  practice: string;
  nation: Nation;
  checkedAt: string;
  results: ItemResult[];
  /** No "must" item failed. */
  ok: boolean;
  /** The practice chose to block publishing on a failed "must". */
  blocking: boolean;
}
