// `pd audit verify`: does the history keep the rules? Each breach names the commit (or revision),
// the file and what to do. What is an error and what a warning is decided in decision 17.
import type { History } from './history.ts';
import type { ObjectReader } from './object-reader.ts';
import { practiceOfPath, sameEmail, type ChangeRecord } from './records.ts';
import type { PracticeRevisions } from './revisions.ts';

export type Rule =
  | 'practice-trailer'
  | 'clinical-approval'
  | 'main-rewritten'
  | 'uncommitted-build'
  | 'revision-files'
  | 'revision-manifest'
  | 'revision-missing';

export interface Finding {
  severity: 'error' | 'warning';
  rule: Rule;
  message: string;
  /** What to do about it. */
  fix: string;
  commit?: string;
  practice?: string;
  revision?: string;
  file?: string;
}

/** What a revision folder holds now, compared with its manifest (hashes computed by the caller). */
export interface FolderCheck {
  /** The folder is not there at all. */
  missingFolder: boolean;
  /** In the manifest, not in the folder. */
  missing: string[];
  /** In both, with a different sha256. */
  changed: string[];
  /** In the folder, not in the manifest. */
  extra: string[];
  /** The manifest's `contentHash` is the hash of its own `files`. */
  manifestHashOk: boolean;
}

export interface VerifyInput {
  reader: ObjectReader;
  history: History;
  /** The changes to check (already limited to the period and practice asked for). */
  records: ChangeRecord[];
  /** The revision store's view of each practice in scope. */
  revisions: PracticeRevisions[];
  checkFolder(practice: string, revision: string): Promise<FolderCheck>;
  /** Warnings count as errors. */
  strict?: boolean;
  /** Only this practice's breaches (a commit touching others is reported for this one alone). */
  practice?: string;
  onProgress?: (message: string) => void;
}

export interface VerifyReport {
  findings: Finding[];
  errors: number;
  warnings: number;
  changesChecked: number;
  revisionsChecked: number;
}

const short = (oid: string) => oid.slice(0, 7);

export async function verify(input: VerifyInput): Promise<VerifyReport> {
  const findings: Finding[] = [];
  const warn = (f: Omit<Finding, 'severity'>) => findings.push({ severity: input.strict ? 'error' : 'warning', ...f });
  const fail = (f: Omit<Finding, 'severity'>) => findings.push({ severity: 'error', ...f });

  for (const r of input.records) {
    practiceTrailer(r, fail, warn, input.practice);
    clinicalApproval(r, fail, warn, input.practice);
  }

  let revisionsChecked = 0;
  for (const p of input.revisions) {
    const known = new Set(p.revisions.map((m) => m.revision));
    for (const m of p.revisions) {
      revisionsChecked++;
      const where = { practice: p.practice, revision: m.revision };
      if (!/^[0-9a-f]{40}$/.test(m.commit) || m.dirty) {
        warn({
          rule: 'uncommitted-build',
          ...where,
          ...(/^[0-9a-f]{40}$/.test(m.commit) ? { commit: m.commit } : {}),
          message: `revision ${m.revision} of ${p.practice} was built from content that was not all committed (${m.dirty ? `uncommitted changes on top of ${short(m.commit)}` : `"${m.commit}"`}), so git cannot show exactly what it published`,
          fix: 'Publish only from committed content (CI builds from a clean checkout); a local build for trying things out is fine but should not be served to patients.',
        });
      }
      if (/^[0-9a-f]{40}$/.test(m.commit) && !input.history.reachable.has(m.commit)) {
        const exists = await input.reader.has(m.commit);
        fail({
          rule: 'main-rewritten',
          ...where,
          commit: m.commit,
          message: exists
            ? `revision ${m.revision} of ${p.practice} was built from commit ${short(m.commit)}, which is no longer in the history of ${input.history.branch}: ${input.history.branch} was rewritten (reset or force-pushed) after it was published`
            : `revision ${m.revision} of ${p.practice} was built from commit ${short(m.commit)}, which is not in this repository at all: ${input.history.branch} was rewritten and the old commits are gone (or the revision was built from another repository)`,
          fix: `Never rewrite ${input.history.branch}. Find the lost commits (git reflog, another clone, or the CI logs), put them back on ${input.history.branch} by merging them, and record what happened; the revision folder still shows what patients saw.`,
        });
      }
      const check = await input.checkFolder(p.practice, m.revision);
      if (check.missingFolder) {
        fail({
          rule: 'revision-files',
          ...where,
          message: `revision ${m.revision} of ${p.practice} has a manifest but its folder is gone`,
          fix: 'Restore the folder from a backup of the revision store; revisions are never deleted while their manifest is kept.',
        });
        continue;
      }
      if (!check.manifestHashOk)
        fail({
          rule: 'revision-manifest',
          ...where,
          file: `${m.revision}.json`,
          message: `the manifest of revision ${m.revision} of ${p.practice} was edited: its contentHash is not the hash of its files`,
          fix: 'Restore the manifest from a backup; a manifest is written once when the revision is published and never changed.',
        });
      const fileFix = 'Published files are read-only: find out who changed the revision folder and why, and restore it from a backup, or rebuild the commit as a new revision and switch to it.';
      for (const file of check.changed)
        fail({ rule: 'revision-files', ...where, file, message: `${file} in revision ${m.revision} of ${p.practice} has changed since it was published (its sha256 is not the manifest's)`, fix: fileFix });
      for (const file of check.missing)
        fail({ rule: 'revision-files', ...where, file, message: `${file} is missing from revision ${m.revision} of ${p.practice}`, fix: fileFix });
      for (const file of check.extra)
        fail({ rule: 'revision-files', ...where, file, message: `${file} was added to revision ${m.revision} of ${p.practice} after it was published`, fix: fileFix });
    }
    const missingFix = 'Restore the revision (folder and manifest) from a backup of the revision store; the live history must only name revisions that exist.';
    for (const revision of new Set(p.liveHistory.map((e) => e.revision)))
      if (!known.has(revision))
        fail({ rule: 'revision-missing', practice: p.practice, revision, message: `the live history of ${p.practice} names revision ${revision}, which is not in the revision store`, fix: missingFix });
    if (p.live && !known.has(p.live))
      fail({ rule: 'revision-missing', practice: p.practice, revision: p.live, message: `${p.practice}'s live link points at revision ${p.live}, which is not in the revision store`, fix: missingFix });
  }
  findings.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const errors = findings.filter((f) => f.severity === 'error').length;
  return { findings, errors, warnings: findings.length - errors, changesChecked: input.records.length, revisionsChecked };
}

type Report = (f: Omit<Finding, 'severity'>) => void;

function practiceTrailer(r: ChangeRecord, fail: Report, warn: Report, only?: string): void {
  const touched = new Map<string, string>();
  for (const f of r.files) {
    const slug = practiceOfPath(f.path);
    if (slug && !touched.has(slug) && (!only || slug === only)) touched.set(slug, f.path);
  }
  if (touched.size === 0) return;
  const named = r.trailers.Practice;
  if (r.source === 'developer') {
    for (const [practice, file] of touched)
      warn({
        rule: 'practice-trailer',
        commit: r.commit,
        practice,
        file,
        message: `commit ${short(r.commit)} ("${r.subject}") by ${r.author.name} changes ${practice}'s content directly, without the CMS and without a Practice: trailer`,
        fix: `Content should change through the CMS. When a developer must change it, say which practice in the commit: git commit --trailer "Practice: ${practice}" (one practice per commit), and have a clinical change reviewed (Reviewed-by:).`,
      });
    return;
  }
  if (!named) {
    for (const [practice, file] of touched)
      fail({
        rule: 'practice-trailer',
        commit: r.commit,
        practice,
        file,
        message: `commit ${short(r.commit)} ("${r.subject}") carries CMS trailers but no Practice: trailer, and changes ${practice}'s content`,
        fix: 'Every CMS commit names its practice; find what wrote this commit (its Role: and Entry: trailers say who and what) and fix it so it adds Practice:.',
      });
    return;
  }
  for (const [practice, file] of touched)
    if (practice !== named)
      fail({
        rule: 'practice-trailer',
        commit: r.commit,
        practice,
        file,
        message: `commit ${short(r.commit)} ("${r.subject}") says Practice: ${named} but changes ${practice}'s content`,
        fix: `A commit may only change the practice it names. Check the change to ${practice} was intended (git show ${short(r.commit)} -- content/practices/${practice}) and who approved it.`,
      });
}

function clinicalApproval(r: ChangeRecord, fail: Report, warn: Report, only?: string): void {
  if (!r.clinical) return;
  const clinicalFiles = r.files.filter((f) => f.clinical && (!only || practiceOfPath(f.path) === only));
  if (clinicalFiles.length === 0) return;
  const file = clinicalFiles[0]?.path;
  const listed = clinicalFiles.slice(0, 3).map((f) => f.path).join(', ');
  const more = clinicalFiles.length > 3 ? ` and ${clinicalFiles.length - 3} more` : '';
  const what = `commit ${short(r.commit)} ("${r.subject}") changes clinical content (${listed}${more})`;
  const practice = only ?? (file ? practiceOfPath(file) : undefined);
  const base = { rule: 'clinical-approval' as const, commit: r.commit, ...(practice ? { practice } : {}), ...(file ? { file } : {}) };
  const writers = r.writers.map((w) => `${w.name} <${w.email}>`).join(', ');
  const a = r.approval;
  if (r.parents.length === 0 && a?.trailer !== 'Reviewed-by') {
    warn({ ...base, message: `${what} in the repository's first commit, where the history starts, so no approval is recorded`, fix: 'Have a clinical reviewer read the clinical pages and record it (a note in the practice\'s records); every later change goes through review.' });
    return;
  }
  if (a?.trailer === 'Reviewed-by') {
    if (!a.email) {
      fail({ ...base, message: `${what}; its Reviewed-by: names no email address ("${a.name}"), so who approved it cannot be told apart from who wrote it`, fix: 'Write Reviewed-by: as "Name <email>", the way the CMS does.' });
      return;
    }
    if (r.writers.some((w) => sameEmail(w.email, a.email)))
      fail({
        ...base,
        message: `${what}, and was approved by ${a.name} <${a.email}>, who also wrote it (writers: ${writers})`,
        fix: 'A clinical change needs a clinical reviewer who did not write any of it. Have another clinical reviewer read the page as it is now and, if it needs changing, publish a reviewed correction.',
      });
    return;
  }
  // The gateway lets a practice manager restore reviewed content, and a clinical reviewer remove a
  // clinical entry (a removal has no writer to review); both are approvals in themselves.
  if (r.rollbackOf && r.source === 'cms' && r.role === 'practice_manager') return;
  if (r.source === 'cms' && r.role === 'clinical_reviewer' && r.files.filter((f) => f.clinical).every((f) => f.status === 'deleted')) return;
  if (a?.trailer === 'Published-by') {
    fail({
      ...base,
      message: `${what}, and was published by its own author ${a.name} <${a.email}> without a clinical review`,
      fix: 'Have a clinical reviewer who did not write it read the page as it is now; publish any correction through review.',
    });
    return;
  }
  fail({
    ...base,
    message: `${what} and reached main without an approval (no Reviewed-by:; written by ${writers})`,
    fix:
      r.source === 'developer'
        ? 'Clinical content needs a clinical reviewer\'s approval: change it through the CMS, or record the reviewer in the commit (git commit --trailer "Reviewed-by: Name <email>"). For this commit, have a clinical reviewer check the page as it is now.'
        : 'Have a clinical reviewer who did not write it check the page as it is now, and publish any correction through review.',
  });
}
