// One record per change on `main` (read by first parent): who made it, in which role, what it
// changed, who approved it, the review that led to it (a draft's saves, status changes and notes),
// and the revision that first published it to patients and for how long that revision was live.
import { messageBody } from '../cms/drafts.ts';
import { entryFacts } from '../cms/entry-facts.ts';
import { parseTrailers } from '../git-store/objects.ts';
import type { History } from './history.ts';
import { parseTree, type Commit, type ObjectReader } from './object-reader.ts';
import type { Publication } from './revisions.ts';
import { diffTrees, entryAt, type FileStatus } from './trees.ts';

export const practicesRoot = 'content/practices';
const slugPattern = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export interface Person {
  name: string;
  email: string;
}

export interface Approval extends Person {
  /** The trailer it came from: `Reviewed-by` (someone else approved) or `Published-by` (the author published it). */
  trailer: 'Reviewed-by' | 'Published-by';
}

export interface ReviewStep {
  commit: string;
  at: string;
  by: Person;
  role?: string;
  /** A draft's `Draft-action` (`save`, `status`, `note`), or `commit` on a developer's branch. */
  action: string;
  /** The draft's status after a status change (`draft`, `pending_review`, `pending_publish`). */
  status?: string;
  note?: { id: string; action: string; text?: string };
  subject: string;
  /** The commit changed files (a save), rather than only recording a status or a note. */
  changedFiles: boolean;
}

export interface ChangedFile {
  path: string;
  status: FileStatus;
  /** An entry that says `clinical: true` before or after the change (or whose front matter cannot be read). */
  clinical: boolean;
}

export interface ChangeRecord {
  commit: string;
  parents: string[];
  /** When the change reached `main` (the commit time), ISO. */
  at: string;
  /** When it was written (the author time), ISO. */
  authoredAt: string;
  author: Person;
  committer: Person;
  subject: string;
  /** `cms` when the commit carries the CMS's trailers; `developer` for a direct commit without them. */
  source: 'cms' | 'developer';
  /** Practices whose content it changed, with the one its `Practice:` trailer names. */
  practices: string[];
  trailers: Record<string, string>;
  role?: string;
  entry?: string;
  approval?: Approval;
  /** A content rollback: the commit whose content it restored. */
  rollbackOf?: string;
  merge: boolean;
  /** Everyone whose commits changed the content: the author and every saver of the draft. */
  writers: Person[];
  clinical: boolean;
  files: ChangedFile[];
  /** What the merge brought in, oldest first: the draft's saves, status changes and notes. */
  review: ReviewStep[];
  /** For each practice changed: the first revision that contains the change, if one was built. */
  published: (Publication | { practice: string; revision: null })[];
}

export interface RecordOptions {
  /** Only changes that reached `main` at or after this moment. */
  from?: Date;
  /** Only changes that reached `main` before this moment. */
  to?: Date;
  /** Only changes to this practice's content (or naming it in `Practice:`). */
  practice?: string;
  /** The first revision of a practice containing the change at a line position. */
  publication?: (practice: string, lineIndex: number) => Publication | undefined;
  onProgress?: (message: string) => void;
}

const decoder = new TextDecoder();
const isDataFile = (path: string) => /\.(md|ya?ml)$/.test(path);
const pad2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

/** A commit time as `Date#toISOString` writes it, without a Date for each of thousands (days to a civil date as in Hinnant's algorithm). */
export function iso(seconds: number): string {
  // 1970 to 9999, whole seconds: anything else (never a real commit time) the slow way.
  if (!Number.isInteger(seconds) || seconds < 0 || seconds >= 253402300800) return new Date(seconds * 1000).toISOString();
  const days = Math.floor(seconds / 86400);
  const secs = seconds - days * 86400;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const h = Math.floor(secs / 3600);
  const m = Math.floor((secs % 3600) / 60);
  return `${year}-${pad2[month]}-${pad2[day]}T${pad2[h]}:${pad2[m]}:${pad2[secs % 60]}.000Z`;
}

/** `Dr Asha Patel <asha@example.nhs.uk>` → name and email. */
export function personOf(value: string): Person {
  const m = /^(.*?)\s*<([^<>]*)>\s*$/.exec(value.trim());
  return m ? { name: m[1]!.trim(), email: m[2]!.trim() } : { name: value.trim(), email: '' };
}

const practicesPrefix = `${practicesRoot}/`;

export const practiceOfPath = (path: string): string | undefined => {
  if (!path.startsWith(practicesPrefix)) return undefined;
  // The folder after content/practices/, if something is inside it.
  const slash = path.indexOf('/', practicesPrefix.length);
  return slash > practicesPrefix.length ? path.slice(practicesPrefix.length, slash) : undefined;
};

/** A commit message's first line, trimmed. */
const subjectOf = (message: string) => {
  const nl = message.indexOf('\n');
  return (nl < 0 ? message : message.slice(0, nl)).trim();
};

export const isCmsCommit = (trailers: Record<string, string>) => 'Practice' in trailers || 'Role' in trailers || 'Entry' in trailers;

/**
 * Whether entries are clinical, by blob oid: each version is read and parsed once. The answer
 * comes without waiting when the blob is packed or already known (a promise only otherwise).
 */
export function clinicalFacts(reader: ObjectReader) {
  const cache = new Map<string, boolean>();
  const facts = (path: string, data: Uint8Array) => entryFacts(path, decoder.decode(data)).clinical;
  return (path: string, oid: string | undefined): boolean | Promise<boolean> => {
    if (!oid || !isDataFile(path)) return false;
    const key = `${oid}${path.endsWith('.md') ? '.md' : '.yml'}`;
    const known = cache.get(key);
    if (known !== undefined) return known;
    const packed = reader.blobSync(oid);
    if (packed) {
      const clinical = facts(path, packed);
      cache.set(key, clinical);
      return clinical;
    }
    return reader.blob(oid).then((data) => {
      const clinical = facts(path, data);
      cache.set(key, clinical);
      return clinical;
    });
  };
}

export async function buildRecords(reader: ObjectReader, history: History, o: RecordOptions = {}): Promise<ChangeRecord[]> {
  const isClinical = clinicalFacts(reader);
  const progress = o.onProgress ?? (() => {});
  const from = o.from ? o.from.getTime() / 1000 : -Infinity;
  const to = o.to ? o.to.getTime() / 1000 : Infinity;
  const within = o.practice ? `${practicesRoot}/${o.practice}` : undefined;
  const out: ChangeRecord[] = [];
  const started = Date.now();
  let lastReport = started;
  for (let i = 0; i < history.line.length; i++) {
    const c = history.line[i]!;
    if (c.committer.timestamp < from || c.committer.timestamp >= to) continue;
    const parent = c.parents[0] ? (reader.commitSync(c.parents[0]) ?? (await reader.commit(c.parents[0]))) : undefined;
    const trailers = parseTrailers(c.message);
    if (within) {
      const named = trailers.Practice === o.practice;
      if (!named && (await diffTrees(reader, parent?.tree, c.tree, within)).length === 0) continue;
    }
    const record = await recordOf(reader, history, c, parent, trailers, i, isClinical, o.publication);
    if (o.practice) {
      // The practice asked about first: its revision is the one a one-line summary shows.
      const first = <T>(xs: T[], is: (x: T) => boolean) => [...xs.filter(is), ...xs.filter((x) => !is(x))];
      record.practices = first(record.practices, (p) => p === o.practice);
      record.published = first(record.published, (p) => p.practice === o.practice);
    }
    out.push(record);
    if (Date.now() - lastReport > 1000) {
      lastReport = Date.now();
      progress(`read ${i + 1} of ${history.line.length} changes on ${history.branch}`);
    }
  }
  return out;
}

export async function recordOf(
  reader: ObjectReader,
  history: History,
  c: Commit,
  parent: Commit | undefined,
  trailers: Record<string, string>,
  lineIndex: number,
  isClinical: ReturnType<typeof clinicalFacts>,
  publication?: RecordOptions['publication'],
): Promise<ChangeRecord> {
  const changes = await diffTrees(reader, parent?.tree, c.tree);
  const files: ChangedFile[] = [];
  let clinical = false;
  for (const ch of changes) {
    const inPractice = practiceOfPath(ch.path) !== undefined;
    let fileClinical = false;
    if (inPractice) {
      const before = isClinical(ch.path, ch.before);
      fileClinical = typeof before === 'boolean' ? before : await before;
      if (!fileClinical) {
        const after = isClinical(ch.path, ch.after);
        fileClinical = typeof after === 'boolean' ? after : await after;
      }
    }
    clinical ||= fileClinical;
    files.push({ path: ch.path, status: ch.status, clinical: fileClinical });
  }
  const practices = new Set(files.flatMap((f) => practiceOfPath(f.path) ?? []));
  if (trailers.Practice && slugPattern.test(trailers.Practice)) practices.add(trailers.Practice);
  const steps = reviewSteps(reader, history.branchCommits.get(c.oid) ?? []);
  const review = Array.isArray(steps) ? steps : await steps;
  const author = { name: c.author.name, email: c.author.email };
  const writers: Person[] = [author];
  for (const step of review)
    if (step.changedFiles && !writers.some((w) => sameEmail(w.email, step.by.email))) writers.push(step.by);
  const approvalTrailer = trailers['Reviewed-by'] ? 'Reviewed-by' : trailers['Published-by'] ? 'Published-by' : undefined;
  const slugs = [...practices].sort();
  return {
    commit: c.oid,
    parents: c.parents,
    at: iso(c.committer.timestamp),
    authoredAt: iso(c.author.timestamp),
    author,
    committer: { name: c.committer.name, email: c.committer.email },
    subject: subjectOf(c.message),
    source: isCmsCommit(trailers) ? 'cms' : 'developer',
    practices: slugs,
    trailers,
    ...(trailers.Role ? { role: trailers.Role } : {}),
    ...(trailers.Entry ? { entry: trailers.Entry } : {}),
    ...(approvalTrailer ? { approval: { trailer: approvalTrailer, ...personOf(trailers[approvalTrailer]!) } } : {}),
    ...(trailers['Rollback-of'] ? { rollbackOf: trailers['Rollback-of'] } : {}),
    merge: c.parents.length > 1,
    writers,
    clinical,
    files,
    review,
    published: slugs.map((practice) => publication?.(practice, lineIndex) ?? { practice, revision: null }),
  };
}

export const sameEmail = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

function reviewSteps(reader: ObjectReader, commits: Commit[]): ReviewStep[] | Promise<ReviewStep[]> {
  // Parents that cannot be read without waiting (loose ones) are read first, then the steps are
  // made in one go: no promise per step for the usual packed history.
  const unread = commits.filter((c) => c.parents[0] && !reader.commitSync(c.parents[0]));
  if (unread.length === 0) return stepsOf(reader, commits, new Map());
  return Promise.all(unread.map(async (c) => [c.parents[0]!, await reader.commit(c.parents[0]!).catch(() => undefined)] as const)).then((read) =>
    stepsOf(reader, commits, new Map(read)),
  );
}

function stepsOf(reader: ObjectReader, commits: Commit[], read: Map<string, Commit | undefined>): ReviewStep[] {
  const steps: ReviewStep[] = [];
  for (const c of commits) {
    const t = parseTrailers(c.message);
    const parentTree = c.parents[0] ? (reader.commitSync(c.parents[0]) ?? read.get(c.parents[0]))?.tree : undefined;
    const action = t['Draft-action'] ?? (isCmsCommit(t) ? 'save' : 'commit');
    const noteText = t['Note-id'] && (t['Note-action'] === 'add' || t['Note-action'] === 'update') ? messageBody(c.message) : undefined;
    steps.push({
      commit: c.oid,
      at: iso(c.committer.timestamp),
      by: { name: c.author.name, email: c.author.email },
      ...(t.Role ? { role: t.Role } : {}),
      action,
      ...(t.Status ? { status: t.Status } : {}),
      ...(t['Note-id'] ? { note: { id: t['Note-id'], action: t['Note-action'] ?? 'add', ...(noteText ? { text: noteText } : {}) } } : {}),
      subject: subjectOf(c.message),
      changedFiles: c.tree !== parentTree,
    });
  }
  return steps;
}

/** The practices on `main` now (folders of content/practices with a practice.yml). */
export async function practicesAt(reader: ObjectReader, commit: string): Promise<string[]> {
  const c = await reader.commit(commit);
  const root = await entryAt(reader, c.tree, practicesRoot);
  if (!root?.isTree) return [];
  const out: string[] = [];
  for (const e of parseTree(await reader.tree(root.oid))) {
    if (e.isTree && (await entryAt(reader, e.oid, 'practice.yml'))) out.push(e.name);
  }
  return out.sort();
}

/** Whether the practice's folder was ever on `main`'s first-parent line (newest first: usually quick). */
export async function practiceOnLine(reader: ObjectReader, history: History, practice: string): Promise<boolean> {
  let lastTree: string | undefined;
  for (let i = history.line.length - 1; i >= 0; i--) {
    const tree = history.line[i]!.tree;
    if (tree === lastTree) continue;
    lastTree = tree;
    if (await entryAt(reader, tree, `${practicesRoot}/${practice}`)) return true;
  }
  return false;
}
