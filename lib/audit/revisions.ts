// What the revision store says about a practice, as the audit needs it: every revision's manifest
// (which commit it was built from, when), the log of switches of the live revision, and which one
// is live now. Read by the caller (the local store on disk; production's deployments) and handed
// in, so the rules here stay runtime-neutral.
import type { History } from './history.ts';

export interface RevisionManifest {
  practice: string;
  revision: string;
  /** The commit it was built from, or "uncommitted". */
  commit: string;
  /** Built with changes not yet committed (local builds only). */
  dirty: boolean;
  contentHash: string;
  builtAt: string;
  /** Path inside the revision → sha256. */
  files: Record<string, string>;
}

export interface LiveSwitch {
  revision: string;
  /** ISO time of the switch. */
  at: string;
  reason: string;
}

export interface PracticeRevisions {
  practice: string;
  /** Oldest first. */
  revisions: RevisionManifest[];
  /** Every switch of the live revision, oldest first. */
  liveHistory: LiveSwitch[];
  /** The revision live now, if any. */
  live?: string;
}

export interface LiveSpan {
  /** When it first went live; absent if the live history does not record it. */
  from?: string;
  /** When it last stopped being live; absent while it is live. */
  until?: string;
  /** Seconds live in all (up to `now` while still live); absent when unknown. */
  seconds?: number;
  stillLive: boolean;
  /** Times it was switched live (a rollback to it counts again). */
  switches: number;
}

export interface Publication {
  practice: string;
  revision: string;
  builtAt: string;
  commit: string;
  live: LiveSpan;
}

/** How long a revision was live, from the practice's live history. */
export function liveSpan(p: PracticeRevisions, revision: string, now: Date): LiveSpan {
  const events = p.liveHistory;
  let from: string | undefined;
  let until: string | undefined;
  let seconds = 0;
  let switches = 0;
  let stillLive = false;
  let endUnknown = false;
  for (let i = 0; i < events.length; i++) {
    if (events[i]!.revision !== revision) continue;
    switches++;
    const start = events[i]!.at;
    from ??= start;
    // Consecutive switches to the same revision are one period.
    while (i + 1 < events.length && events[i + 1]!.revision === revision) i++;
    const end = events[i + 1]?.at;
    if (end !== undefined) {
      until = end;
      seconds += Math.max(0, (Date.parse(end) - Date.parse(start)) / 1000);
    } else if (p.live === undefined || p.live === revision) {
      stillLive = true;
      seconds += Math.max(0, (now.getTime() - Date.parse(start)) / 1000);
    } else {
      // The log ends with this revision but another is live: the switch was not recorded.
      endUnknown = true;
    }
  }
  if (switches === 0) return { stillLive: p.live === revision, switches: 0 };
  return {
    ...(from ? { from } : {}),
    ...(until && !stillLive && !endUnknown ? { until } : {}),
    ...(endUnknown ? {} : { seconds: Math.round(seconds) }),
    stillLive,
    switches,
  };
}

/**
 * Finds, for each change on the line, the first revision of a practice that contains it (built
 * from that commit or a later one): the revision that published it to patients.
 */
export async function publicationFinder(history: History, practices: PracticeRevisions[], now: Date) {
  const byPractice = new Map<string, { manifest: RevisionManifest; upTo: number }[]>();
  for (const p of practices) {
    const list: { manifest: RevisionManifest; upTo: number }[] = [];
    const ordered = [...p.revisions].sort((a, b) => a.builtAt.localeCompare(b.builtAt) || a.revision.localeCompare(b.revision));
    for (const m of ordered) list.push({ manifest: m, upTo: /^[0-9a-f]{40}$/.test(m.commit) ? await history.containedUpTo(m.commit) : -1 });
    byPractice.set(p.practice, list);
  }
  const revisionsOf = new Map(practices.map((p) => [p.practice, p]));
  const spans = new Map<string, LiveSpan>();
  return (practice: string, lineIndex: number): Publication | undefined => {
    const found = byPractice.get(practice)?.find((r) => r.upTo >= lineIndex);
    if (!found) return undefined;
    const m = found.manifest;
    const key = `${practice}/${m.revision}`;
    let live = spans.get(key);
    if (!live) spans.set(key, (live = liveSpan(revisionsOf.get(practice)!, m.revision, now)));
    return { practice, revision: m.revision, builtAt: m.builtAt, commit: m.commit, live };
  };
}
