// The audit report as data, and its plain-text formats: a terminal table that fits 120 columns,
// CSV (RFC 4180) for a spreadsheet, and JSON for programs. The HTML report is in html.ts.
import { duration, ukTime } from './dates.ts';
import type { ChangeRecord } from './records.ts';
import type { Publication } from './revisions.ts';

export interface AuditReport {
  /** ISO time the report was made. */
  generatedAt: string;
  branch: string;
  /** The commit `branch` pointed at. */
  head: string;
  /** The practice asked for; absent for all practices. */
  practice?: string;
  period: { from?: string; to?: string };
  /** Oldest first. */
  changes: ChangeRecord[];
}

export const roleWords: Record<string, string> = {
  practice_manager: 'practice manager',
  clinical_reviewer: 'clinical reviewer',
  editor: 'editor',
  urgent_publisher: 'urgent publisher',
  auditor: 'auditor',
};

/** Who made the change, in words: the CMS role, or a developer's direct commit. */
export function roleOf(r: ChangeRecord): string {
  if (r.source === 'developer') return 'developer (no CMS)';
  return r.role ? (roleWords[r.role] ?? r.role) : 'CMS (no role)';
}

/** Clinical entries removed through the CMS by a clinical reviewer: the removal is its own approval. */
export const isClinicalRemoval = (r: ChangeRecord) =>
  r.source === 'cms' && r.role === 'clinical_reviewer' && r.files.some((f) => f.clinical) && r.files.filter((f) => f.clinical).every((f) => f.status === 'deleted');

/**
 * A clinical change without an approval by someone who wrote none of it (nor a practice manager's
 * rollback, nor a clinical reviewer's removal): what `pd audit verify` reports as an error.
 */
export function needsAttention(r: ChangeRecord): boolean {
  if (!r.clinical || r.rollbackOf || isClinicalRemoval(r)) return false;
  const a = r.approval;
  return !(a?.trailer === 'Reviewed-by' && a.email && !r.writers.some((w) => w.email.toLowerCase() === a.email.toLowerCase()));
}

/** How it was approved, in words. */
export function approvalOf(r: ChangeRecord): string {
  if (r.approval?.trailer === 'Reviewed-by') return `reviewed by ${r.approval.name}${r.approval.email ? ` <${r.approval.email}>` : ''}`;
  if (r.approval?.trailer === 'Published-by') return `published by its author ${r.approval.name}${r.approval.email ? ` <${r.approval.email}>` : ''}`;
  if (r.rollbackOf) return `rollback to ${r.rollbackOf.slice(0, 7)}`;
  if (isClinicalRemoval(r)) return 'removed by a clinical reviewer';
  return 'none recorded';
}

/** How long the publishing revision was live, in words (`short`: for the table's 11 columns). */
export function liveOf(p: ChangeRecord['published'][number] | undefined, short = false): string {
  if (!p || p.revision === null) return 'not built';
  const live = (p as Publication).live;
  if (live.stillLive) return short ? 'still live' : live.seconds !== undefined ? `still live (${duration(live.seconds)} so far)` : 'live now (not in the live history)';
  if (live.seconds !== undefined) return duration(live.seconds);
  if (live.switches === 0) return short ? 'no record' : 'not in the live history';
  return 'unknown';
}

/** The entry, or the first file (relative to its practice folder) and how many more. */
export function changeOf(r: ChangeRecord): string {
  if (r.entry) return r.entry;
  const first = r.files[0];
  if (!first) return r.merge ? '(merge, no files)' : '(no files)';
  const shown = first.path.replace(/^content\/practices\/[^/]+\//, '');
  return r.files.length > 1 ? `${shown} +${r.files.length - 1}` : shown;
}

/** Control characters (a name could carry terminal escapes) shown as spaces. */
const plain = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');

function fit(s: string, width: number): string {
  const text = plain(s);
  const chars = [...text];
  if (chars.length <= width) return text + ' '.repeat(width - chars.length);
  return `${chars.slice(0, width - 1).join('')}…`;
}

const shortRole: Record<string, string> = {
  practice_manager: 'manager',
  clinical_reviewer: 'clin. rev.',
  editor: 'editor',
  urgent_publisher: 'urgent',
  auditor: 'auditor',
};

const columns: { title: string; width: number; cell(r: ChangeRecord): string }[] = [
  { title: 'When (UK)', width: 16, cell: (r) => ukTime(r.at) },
  { title: 'Practice', width: 12, cell: (r) => (r.practices.length > 1 ? `${r.practices[0]} +${r.practices.length - 1}` : (r.practices[0] ?? '(none)')) },
  { title: 'Author', width: 13, cell: (r) => r.author.name },
  { title: 'Role', width: 10, cell: (r) => (r.source === 'developer' ? 'developer' : (shortRole[r.role ?? ''] ?? r.role ?? 'none')) },
  { title: 'Change', width: 17, cell: changeOf },
  { title: 'Clin', width: 4, cell: (r) => (r.clinical ? 'yes' : '') },
  { title: 'Commit', width: 7, cell: (r) => r.commit.slice(0, 7) },
  {
    title: 'Approved by',
    width: 14,
    cell: (r) =>
      r.approval?.trailer === 'Reviewed-by'
        ? r.approval.name
        : r.approval?.trailer === 'Published-by'
          ? `self: ${r.approval.name}`
          : r.rollbackOf
            ? 'rollback'
            : isClinicalRemoval(r)
              ? 'removal'
              : 'none',
  },
  { title: 'Live for', width: 11, cell: (r) => liveOf(r.published[0], true) },
];

/** The terminal table: one line per change, at most 120 columns, then a summary. */
export function formatTable(report: AuditReport): string {
  const row = (cells: string[]) => cells.map((c, i) => fit(c, columns[i]!.width)).join('  ').trimEnd();
  const out = [row(columns.map((c) => c.title)), row(columns.map((c) => '-'.repeat(c.width)))];
  for (const r of report.changes) out.push(row(columns.map((c) => c.cell(r))));
  out.push('', ...summaryLines(report).flatMap((l) => wrap(plain(l), 120)));
  return `${out.join('\n')}\n`;
}

/** Words wrapped to lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

export function summaryLines(report: AuditReport): string[] {
  const n = report.changes.length;
  const clinical = report.changes.filter((r) => r.clinical).length;
  const developer = report.changes.filter((r) => r.source === 'developer').length;
  const unapproved = report.changes.filter(needsAttention).length;
  return [
    `${n} change${n === 1 ? '' : 's'} on ${report.branch} (at ${report.head.slice(0, 7)}) for ${report.practice ?? 'all practices'}, ${periodWords(report)}: ${clinical} clinical (${unapproved} not approved by someone who did not write it), ${developer} by developers without the CMS.`,
    'Times are UK time. "Live for" is how long the revision that first published the change was live. Run "pd audit verify" to check the rules.',
  ];
}

export function periodWords(report: AuditReport): string {
  const { from, to } = report.period;
  if (from && to) return `from ${ukTime(from)} to ${ukTime(to)}`;
  if (from) return `since ${ukTime(from)}`;
  if (to) return `until ${ukTime(to)}`;
  return 'all time';
}

/** A report as JSON: the records as they are. */
export function formatJson(report: AuditReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

const csvColumns: [string, (r: ChangeRecord) => string][] = [
  ['time_utc', (r) => r.at],
  ['time_uk', (r) => ukTime(r.at)],
  ['practices', (r) => r.practices.join('; ')],
  ['author_name', (r) => r.author.name],
  ['author_email', (r) => r.author.email],
  ['role', (r) => (r.source === 'developer' ? 'developer' : (r.role ?? ''))],
  ['source', (r) => r.source],
  ['entry', (r) => r.entry ?? ''],
  ['subject', (r) => r.subject],
  ['files', (r) => r.files.map((f) => `${f.status} ${f.path}`).join('; ')],
  ['clinical', (r) => (r.clinical ? 'yes' : 'no')],
  ['commit', (r) => r.commit],
  ['approval', (r) => r.approval?.trailer ?? (r.rollbackOf ? 'Rollback-of' : '')],
  ['approver_name', (r) => r.approval?.name ?? ''],
  ['approver_email', (r) => r.approval?.email ?? ''],
  ['writers', (r) => r.writers.map((w) => `${w.name} <${w.email}>`).join('; ')],
  ['review', (r) => r.review.map((s) => `${ukTime(s.at)} ${s.by.name}: ${stepWords(s)}`).join('; ')],
  ['revision', (r) => r.published.map((p) => (p.revision === null ? `${p.practice}: not built` : `${p.practice}: ${p.revision}`)).join('; ')],
  ['live_from', (r) => r.published.map((p) => (p.revision === null ? '' : ((p as Publication).live.from ?? ''))).join('; ')],
  ['live_until', (r) => r.published.map((p) => (p.revision === null ? '' : (p as Publication).live.stillLive ? 'still live' : ((p as Publication).live.until ?? ''))).join('; ')],
  ['live_seconds', (r) => r.published.map((p) => (p.revision === null ? '' : String((p as Publication).live.seconds ?? ''))).join('; ')],
];

/** One review step in words: "saved", "moved to in review", "note: …". */
export function stepWords(s: ChangeRecord['review'][number]): string {
  const statusWords: Record<string, string> = { draft: 'draft', pending_review: 'in review', pending_publish: 'ready to publish' };
  if (s.action === 'save') return 'saved the draft';
  if (s.action === 'status') return `moved it to ${statusWords[s.status ?? ''] ?? s.status ?? 'another status'}`;
  if (s.action === 'note') {
    const verb = { add: 'added a note', update: 'edited a note', delete: 'removed a note', resolve: 'resolved a note', reopen: 'reopened a note' }[s.note?.action ?? 'add'] ?? 'changed a note';
    return s.note?.text ? `${verb}: "${s.note.text}"` : verb;
  }
  return `committed "${s.subject}"`;
}

/** A CSV field: quoted when it holds a comma, quote or line break; a leading formula character neutralised. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** RFC 4180: a header line, one line per change, CRLF line ends. */
export function formatCsv(report: AuditReport): string {
  const lines = [csvColumns.map(([name]) => name).join(',')];
  for (const r of report.changes) lines.push(csvColumns.map(([, cell]) => csvField(cell(r))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
