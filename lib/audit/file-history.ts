// `pd history <file>`: every version of one file on `main` (by first parent, newest first), each
// with who, when and why from the commit and its trailers, and a unified diff from the version
// before. Also which commit was current on `main` at a moment, for `pd show --at`.
import { parseTrailers } from '../git-store/objects.ts';
import { normalizePath } from '../git-store/paths.ts';
import { AuditInputError, ukTime } from './dates.ts';
import type { History } from './history.ts';
import { unifiedDiff } from './line-diff.ts';
import type { Commit, ObjectReader } from './object-reader.ts';
import { clinicalFacts, practicesRoot, recordOf, type ChangeRecord } from './records.ts';
import { entryAt, type FileStatus } from './trees.ts';

export interface FileVersion {
  /** The change that made this version (who, when, why, approval, review). */
  change: ChangeRecord;
  status: FileStatus;
  /** The blob after the change (absent when the change deleted the file). */
  oid?: string;
  /** The blob before (absent when the change added it). */
  previous?: string;
  binary: boolean;
  /** A unified diff from the version before; for binary files a one-line description. */
  diff?: string;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function textOf(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** A repository-relative path from what the user typed, refused with the reason if unusable. */
export function filePath(input: string): string {
  try {
    return normalizePath(input);
  } catch (e) {
    throw new AuditInputError((e as Error).message);
  }
}

export async function fileHistory(reader: ObjectReader, history: History, path: string, o: { diffs?: boolean; context?: number } = {}): Promise<FileVersion[]> {
  const found: { index: number; before?: string; after?: string }[] = [];
  let previous: string | undefined;
  let previousTree: string | undefined;
  for (let i = 0; i < history.line.length; i++) {
    const c = history.line[i]!;
    if (c.tree === previousTree) continue;
    previousTree = c.tree;
    const entry = await entryAt(reader, c.tree, path);
    const oid = entry && !entry.isTree ? entry.oid : undefined;
    if (oid !== previous) found.push({ index: i, ...(previous ? { before: previous } : {}), ...(oid ? { after: oid } : {}) });
    previous = oid;
  }
  const isClinical = clinicalFacts(reader);
  const versions: FileVersion[] = [];
  for (const v of found.reverse()) {
    const c = history.line[v.index]!;
    const parent: Commit | undefined = c.parents[0] ? await reader.commit(c.parents[0]) : undefined;
    const change = await recordOf(reader, history, c, parent, parseTrailers(c.message), v.index, isClinical);
    const status: FileStatus = !v.before ? 'added' : !v.after ? 'deleted' : 'modified';
    const [before, after] = await Promise.all([v.before ? reader.blob(v.before) : undefined, v.after ? reader.blob(v.after) : undefined]);
    const beforeText = before && textOf(before);
    const afterText = after && textOf(after);
    const binary = (before !== undefined && beforeText === undefined) || (after !== undefined && afterText === undefined);
    const version: FileVersion = { change, status, ...(v.after ? { oid: v.after } : {}), ...(v.before ? { previous: v.before } : {}), binary };
    if (o.diffs !== false) {
      version.diff = binary
        ? `Binary file ${status}${before ? ` (was ${before.length} bytes)` : ''}${after ? ` (now ${after.length} bytes)` : ''}\n`
        : unifiedDiff(beforeText, afterText, { fromLabel: `a/${path}`, toLabel: `b/${path}`, ...(o.context !== undefined ? { context: o.context } : {}) });
    }
    versions.push(version);
  }
  return versions;
}

/**
 * The commit on the first-parent line that was current at `at`: the newest one made at or before
 * it. Git records when a commit was made, which for the CMS is when it reached `main`.
 */
export function commitAt(history: History, at: Date): { commit: Commit; index: number } | undefined {
  const t = at.getTime() / 1000;
  for (let i = history.line.length - 1; i >= 0; i--) if (history.line[i]!.committer.timestamp <= t) return { commit: history.line[i]!, index: i };
  return undefined;
}

/** Finds the commit for `pd show <practice> --at`, or says clearly why there is none. */
export async function practiceCommitAt(reader: ObjectReader, history: History, practice: string, at: Date): Promise<{ commit: Commit; folder: string }> {
  const dir = `${practicesRoot}/${practice}`;
  const first = history.line[0]!;
  const found = commitAt(history, at);
  let firstWith: Commit | undefined;
  for (const c of history.line) {
    if (await entryAt(reader, c.tree, `${dir}/practice.yml`)) {
      firstWith = c;
      break;
    }
  }
  if (!firstWith) throw new AuditInputError(`there is no practice "${practice}" in the history of ${history.branch}: check the name (pd audit lists the practices that changed)`);
  if (!found)
    throw new AuditInputError(
      `${ukTime(at)} is before the first commit on ${history.branch} (${ukTime(new Date(first.committer.timestamp * 1000))}); ${practice} first appears at ${ukTime(new Date(firstWith.committer.timestamp * 1000))}`,
    );
  const folder = await entryAt(reader, found.commit.tree, `${dir}/practice.yml`);
  if (!folder) {
    const later = firstWith.committer.timestamp * 1000 > at.getTime();
    throw new AuditInputError(
      later
        ? `${practice} did not exist yet at ${ukTime(at)}: it first appears on ${history.branch} at ${ukTime(new Date(firstWith.committer.timestamp * 1000))} (commit ${firstWith.oid.slice(0, 7)})`
        : `${practice} had no content on ${history.branch} at ${ukTime(at)} (commit ${found.commit.oid.slice(0, 7)}): it had been removed by then`,
    );
  }
  const tree = await entryAt(reader, found.commit.tree, dir);
  return { commit: found.commit, folder: tree!.oid };
}
