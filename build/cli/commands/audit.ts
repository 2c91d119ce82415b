import { readFile, stat, writeFile } from 'node:fs/promises';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import {
  AuditInputError,
  buildRecords,
  formatCsv,
  formatHtml,
  formatJson,
  formatTable,
  openObjectReader,
  parsePeriod,
  practiceOnLine,
  practicesAt,
  publicationFinder,
  readHistory,
  verify,
  type AuditReport,
  type Finding,
  type FolderCheck,
  type History,
  type ObjectReader,
  type PracticeRevisions,
  type RevisionManifest,
} from '../../../lib/audit/index.ts';
import { repoRoot } from '../../node/paths.ts';
import { loadSettings } from '../../node/settings.ts';
import { contentHashOf, hashFolder } from '../../publish/revision-store.ts';
import type { Command } from '../commands.ts';

const formats = ['table', 'csv', 'json', 'html'] as const;
type Format = (typeof formats)[number];
const slugPattern = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Node's zlib, told the size to expect: a right-sized output buffer instead of 16 KB each time. */
export const nodeInflate = (data: Uint8Array, size: number): Uint8Array => zlib.inflateSync(data, size > 0 ? { chunkSize: Math.max(64, size) } : {});

/**
 * The object reader over the git repository at the content root. A `.git` file (a submodule, or
 * a linked worktree) is followed; a worktree reads the repository's shared objects and branches.
 */
export async function openRepository(contentRoot: string): Promise<ObjectReader> {
  const dotGit = path.join(contentRoot, '.git');
  const info = await stat(dotGit).catch(() => undefined);
  if (!info)
    throw new AuditInputError(`${contentRoot} is not a git repository, so it has no history to read (set PD_CONTENT_ROOT to the content repository)`);
  let gitdir = dotGit;
  if (info.isFile()) {
    const m = /^gitdir:\s*(.+)$/m.exec(await readFile(dotGit, 'utf8'));
    if (m) gitdir = path.resolve(contentRoot, m[1]!.trim());
    const common = await readFile(path.join(gitdir, 'commondir'), 'utf8').catch(() => undefined);
    if (common) gitdir = path.resolve(gitdir, common.trim());
  }
  return openObjectReader({ fs, gitdir, inflate: nodeInflate });
}

/** Progress on stderr, once a run has taken more than a second. */
export function progressLine(started = performance.now()): (message: string) => void {
  return (message) => {
    if (performance.now() - started > 1000) console.error(`• ${message}`);
  };
}

/** Checks the practice named on the command line is on `main`, now or in the past. */
export async function knownPractice(reader: ObjectReader, history: History, practice: string): Promise<void> {
  if (!slugPattern.test(practice))
    throw new AuditInputError(`"${practice}" is not a practice name: practice folders are lower-case letters, digits and hyphens, like riverside`);
  const now = await practicesAt(reader, history.head);
  if (now.includes(practice) || (await practiceOnLine(reader, history, practice))) return;
  throw new AuditInputError(
    `there is no practice "${practice}" in the history of ${history.branch} (${now.length ? `the practices are ${now.join(', ')}` : 'there are no practices yet'})`,
  );
}

/**
 * The revision store's view of each practice (all practices in the store, or the ones named): the
 * manifests, the live history and the live link. A manifest that cannot be read is reported, not
 * fatal, so `verify` can name it.
 */
export async function loadRevisions(storeDir: string, only?: string[]): Promise<{ practices: PracticeRevisions[]; unreadable: Finding[] }> {
  const names = only ?? (tryRead(() => fs.readdirSync(storeDir, { withFileTypes: true })) ?? []).filter((e) => e.isDirectory() && slugPattern.test(e.name)).map((e) => e.name);
  const unreadable: Finding[] = [];
  // Thousands of small files: read one after another without a promise each, which for files
  // this small is several times quicker than reading them all at once asynchronously.
  const practices = names.sort().map((practice): PracticeRevisions => {
    const dir = path.join(storeDir, practice);
    const revisionsDir = path.join(dir, 'revisions');
    const files = (tryRead(() => fs.readdirSync(revisionsDir)) ?? []).filter((n) => n.endsWith('.json'));
    const read = files.map((name) => {
      const revision = name.slice(0, -'.json'.length);
      try {
        const m = JSON.parse(fs.readFileSync(path.join(revisionsDir, name), 'utf8')) as RevisionManifest;
        if (typeof m.commit !== 'string' || typeof m.builtAt !== 'string' || typeof m.files !== 'object' || m.files === null) throw new Error('it lacks commit, builtAt or files');
        return { ...m, practice, revision };
      } catch (e) {
        unreadable.push({
          severity: 'error',
          rule: 'revision-manifest',
          practice,
          revision,
          file: name,
          message: `the manifest ${name} of ${practice} cannot be read (${(e as Error).message})`,
          fix: 'Restore the manifest from a backup of the revision store; manifests are written once and never edited.',
        });
        return undefined;
      }
    });
    const revisions = read.filter((m): m is RevisionManifest => m !== undefined).sort((a, b) => a.revision.localeCompare(b.revision));
    const liveHistory: PracticeRevisions['liveHistory'] = [];
    const text = tryRead(() => fs.readFileSync(path.join(dir, 'live-history.jsonl'), 'utf8')) ?? '';
    text.split('\n').forEach((line, i) => {
      if (!line.trim()) return;
      try {
        const e = JSON.parse(line) as PracticeRevisions['liveHistory'][number];
        if (typeof e.revision !== 'string' || typeof e.at !== 'string') throw new Error('it lacks revision or at');
        liveHistory.push(e);
      } catch (err) {
        unreadable.push({
          severity: 'error',
          rule: 'revision-manifest',
          practice,
          file: 'live-history.jsonl',
          message: `line ${i + 1} of ${practice}'s live history cannot be read (${(err as Error).message})`,
          fix: 'The live history is only ever appended to; restore it from a backup of the revision store.',
        });
      }
    });
    const link = tryRead(() => fs.lstatSync(path.join(dir, 'live')));
    const live = link?.isSymbolicLink() ? path.basename(fs.readlinkSync(path.join(dir, 'live'))) : undefined;
    return { practice, revisions, liveHistory, ...(live ? { live } : {}) };
  });
  unreadable.sort((a, b) => `${a.practice}/${a.file}`.localeCompare(`${b.practice}/${b.file}`));
  return { practices, unreadable };
}

/** What `read` returns, or undefined if the file or folder is not there. */
function tryRead<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Hashes a revision folder and compares it with the manifest, with the revision store's own hashing. */
export function folderChecker(storeDir: string, practices: PracticeRevisions[]) {
  const manifests = new Map(practices.flatMap((p) => p.revisions.map((m) => [`${p.practice}/${m.revision}`, m] as const)));
  return async (practice: string, revision: string): Promise<FolderCheck> => {
    const m = manifests.get(`${practice}/${revision}`)!;
    const folder = path.join(storeDir, practice, 'revisions', revision);
    if (!(await stat(folder).catch(() => undefined))?.isDirectory()) return { missingFolder: true, missing: [], changed: [], extra: [], manifestHashOk: true };
    const { files } = await hashFolder(folder);
    const check: FolderCheck = { missingFolder: false, missing: [], changed: [], extra: [], manifestHashOk: contentHashOf(m.files) === m.contentHash };
    for (const [file, hash] of Object.entries(m.files)) {
      if (!(file in files)) check.missing.push(file);
      else if (files[file] !== hash) check.changed.push(file);
    }
    for (const file of Object.keys(files)) if (!(file in m.files)) check.extra.push(file);
    return check;
  };
}

function formatOf(value: string | undefined, out: string | undefined): Format {
  if (value !== undefined) {
    if (!(formats as readonly string[]).includes(value)) throw new AuditInputError(`--format ${value} is not a format: use one of ${formats.join(', ')}`);
    return value as Format;
  }
  const ext = out ? path.extname(out).toLowerCase() : '';
  return ext === '.html' || ext === '.htm' ? 'html' : ext === '.csv' ? 'csv' : ext === '.json' ? 'json' : 'table';
}

export async function auditReport(o: { contentRoot: string; storeDir: string; practice?: string; from?: string; to?: string; now?: Date; onProgress?: (m: string) => void }): Promise<AuditReport> {
  const period = parsePeriod(o.from, o.to);
  const reader = await openRepository(o.contentRoot);
  const progress = o.onProgress ?? (() => {});
  const history = await readHistory(reader, { onProgress: progress });
  if (o.practice) await knownPractice(reader, history, o.practice);
  const now = o.now ?? new Date();
  const { practices } = await loadRevisions(o.storeDir, o.practice ? [o.practice] : undefined);
  const publication = await publicationFinder(history, practices, now);
  const changes = await buildRecords(reader, history, { ...period, ...(o.practice ? { practice: o.practice } : {}), publication, onProgress: progress });
  return {
    generatedAt: now.toISOString(),
    branch: history.branch,
    head: history.head,
    ...(o.practice ? { practice: o.practice } : {}),
    period: { ...(period.from ? { from: period.from.toISOString() } : {}), ...(period.to ? { to: period.to.toISOString() } : {}) },
    changes,
  };
}

const render: Record<Format, (r: AuditReport) => string> = { table: formatTable, csv: formatCsv, json: formatJson, html: formatHtml };

const auditHelp = [
  'Lists every change on main, read by first parent (a published draft is one change), for one',
  'practice or all of them, in a period: when it reached main, who made it (name, email, CMS role),',
  'the entry and files, the commit, who approved it (Reviewed-by:, or Published-by: when an author',
  'published a non-clinical change), the draft\'s review (saves, status changes, notes), and the',
  'revision that first published it to patients with how long that revision was live. Commits made',
  'without the CMS are listed too, as "developer", with the practices their files belong to.',
  '',
  'Options:',
  '  --from <date>     changes from this date (UK time; 2026-12-01, or 2026-12-01T09:00)',
  '  --to <date>       changes up to the end of this date (or up to this time)',
  '  --format <f>      table (the default, 120 columns), csv, json or html (a printable report)',
  '  --out <file>      write the report to a file (the format follows its extension: .html, .csv, .json)',
  '',
  '  pd audit verify [practice] [--from <date>] [--to <date>] [--strict] [--json]',
  '      checks the history keeps the rules and exits with 1 listing each breach: every commit that',
  '      changes a practice names it (Practice:), every clinical change was approved by someone who',
  '      did not write it, main was never rewritten under a published revision, and every revision',
  '      folder still matches its manifest. Direct developer commits without a Practice: trailer are',
  '      warnings; --strict makes every warning an error.',
  '',
  'Examples:',
  '  pd audit riverside --from 2026-11-01 --to 2026-11-30',
  '  pd audit --from 2026-10-01 --out audit-q4.html',
  '  pd audit verify riverside',
  '',
  'Reads the git repository at PD_CONTENT_ROOT and the revisions in PD_STORE_DIR; needs no git program.',
].join('\n');

export const audit: Command = {
  summary: 'The audit trail from git: every change, who approved it, what patients saw and for how long',
  usage: 'audit [practice] [--from <date>] [--to <date>] [--format table|csv|json|html] [--out <file>] | audit verify [practice] [--strict]',
  help: auditHelp,
  async run(args) {
    if (args[0] === 'verify') return runVerify(args.slice(1));
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
    });
    if (positionals.length > 1) throw new AuditInputError(`give at most one practice (got ${positionals.join(', ')}); leave it out for all practices`);
    const format = formatOf(values.format, values.out);
    const settings = loadSettings(repoRoot());
    const report = await auditReport({
      contentRoot: settings.contentRoot,
      storeDir: settings.storeDir,
      ...(positionals[0] ? { practice: positionals[0] } : {}),
      ...(values.from !== undefined ? { from: values.from } : {}),
      ...(values.to !== undefined ? { to: values.to } : {}),
      onProgress: progressLine(),
    });
    const text = render[format](report);
    if (values.out) {
      await writeFile(values.out, text);
      console.error(`Wrote ${report.changes.length} change${report.changes.length === 1 ? '' : 's'} to ${values.out} (${format}).`);
    } else {
      await new Promise<void>((resolve, reject) => process.stdout.write(text, (e) => (e ? reject(e) : resolve())));
    }
    return 0;
  },
};

async function runVerify(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { from: { type: 'string' }, to: { type: 'string' }, strict: { type: 'boolean' }, json: { type: 'boolean' } },
  });
  if (positionals.length > 1) throw new AuditInputError(`give at most one practice (got ${positionals.join(', ')}); leave it out for all practices`);
  const practice = positionals[0];
  const period = parsePeriod(values.from, values.to);
  const settings = loadSettings(repoRoot());
  const progress = progressLine();
  const reader = await openRepository(settings.contentRoot);
  const history = await readHistory(reader, { onProgress: progress });
  if (practice) await knownPractice(reader, history, practice);
  const records = await buildRecords(reader, history, { ...period, ...(practice ? { practice } : {}), onProgress: progress });
  const { practices, unreadable } = await loadRevisions(settings.storeDir, practice ? [practice] : undefined);
  progress(`checking ${practices.reduce((n, p) => n + p.revisions.length, 0)} revisions against their manifests`);
  const report = await verify({ reader, history, records, revisions: practices, checkFolder: folderChecker(settings.storeDir, practices), strict: values.strict === true, ...(practice ? { practice } : {}) });
  const findings = [...unreadable, ...report.findings].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  if (values.json) {
    console.log(JSON.stringify({ ok: errors === 0, errors, warnings, changesChecked: report.changesChecked, revisionsChecked: report.revisionsChecked, findings }, null, 2));
  } else {
    for (const f of findings) console.log(formatFinding(f));
  }
  const scope = `${report.changesChecked} change${report.changesChecked === 1 ? '' : 's'} on ${history.branch} and ${report.revisionsChecked} revision${report.revisionsChecked === 1 ? '' : 's'}${practice ? ` of ${practice}` : ''}`;
  console.error(
    errors === 0 && warnings === 0
      ? `The history keeps the rules: ${scope} checked, nothing to report.`
      : `${errors} error${errors === 1 ? '' : 's'} and ${warnings} warning${warnings === 1 ? '' : 's'} in ${scope}.${warnings && !values.strict ? ' Warnings do not fail the check (--strict makes them errors).' : ''}`,
  );
  return errors > 0 ? 1 : 0;
}

/** A finding as printed: what and where on the first line, then the explanation and what to do. */
export function formatFinding(f: Finding): string {
  const where = [f.practice, f.commit ? `commit ${f.commit.slice(0, 7)}` : undefined, f.revision ? `revision ${f.revision}` : undefined, f.file].filter(Boolean).join('  ');
  const plain = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
  return `${f.severity.padEnd(7)} ${f.rule}  ${plain(where)}\n  ${plain(f.message)}\n  What to do: ${plain(f.fix)}\n`;
}
