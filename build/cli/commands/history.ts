import path from 'node:path';
import { parseArgs } from 'node:util';
import { AuditInputError, fileHistory, filePath, practicesRoot, readHistory, ukTime, type FileVersion } from '../../../lib/audit/index.ts';
import { approvalOf, roleOf, stepWords } from '../../../lib/audit/report.ts';
import { repoRoot } from '../../node/paths.ts';
import { loadSettings } from '../../node/settings.ts';
import type { Command } from '../commands.ts';
import { openRepository, progressLine } from './audit.ts';

const plain = (s: string) => s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, ' ');

/** The repository path of the file the user named: relative to the content repository, or a path on disk inside it. */
function repositoryPath(input: string, contentRoot: string): string {
  const onDisk = path.isAbsolute(input) || input.startsWith('./') || input.startsWith('../') ? path.resolve(input) : undefined;
  if (onDisk) {
    const rel = path.relative(contentRoot, onDisk);
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw new AuditInputError(`${input} is outside the content repository (${contentRoot})`);
    return filePath(rel.split(path.sep).join('/'));
  }
  return filePath(input);
}

function formatVersion(v: FileVersion, n: number, total: number, file: string): string {
  const c = v.change;
  const clinical = c.files.some((f) => f.path === file && f.clinical);
  const lines = [
    `Version ${n} of ${total}${n === total ? ' (the newest)' : ''}: ${v.status} ${ukTime(c.at)} UK time, commit ${c.commit.slice(0, 12)}`,
    `  Who:       ${c.author.name} <${c.author.email}>, ${roleOf(c)}`,
    `  Why:       ${c.subject}${c.entry ? ` (entry ${c.entry})` : ''}`,
    `  Approval:  ${approvalOf(c)}${clinical ? ' (a clinical change)' : ''}`,
  ];
  if (c.review.length) {
    lines.push(`  Review:    ${ukTime(c.review[0]!.at)} ${c.review[0]!.by.name}: ${stepWords(c.review[0]!)}`);
    for (const s of c.review.slice(1)) lines.push(`             ${ukTime(s.at)} ${s.by.name}: ${stepWords(s)}`);
  }
  return `${lines.map(plain).join('\n')}\n${v.diff ? `\n${plain(v.diff)}` : ''}`;
}

export const history: Command = {
  summary: 'Every version of one content file on main, newest first, with who, when, why and a diff',
  usage: 'history <file> [--no-diff] [--context <n>] [--json]',
  help: [
    'Lists each change to one file on main (read by first parent: a published draft is one change),',
    'newest first: when it reached main (UK time), who made it and in which role, why (the commit',
    'message and its entry), who approved it, the draft\'s review, and a unified diff from the version',
    'before. The file may be deleted now; its history is still shown.',
    '',
    'The file is a path in the content repository, like content/practices/riverside/services/flu-clinic.md',
    '(or a path on disk inside it, starting with ./ or /).',
    '',
    'Options:',
    '  --no-diff       leave the diffs out',
    '  --context <n>   lines of context around each change (default 3)',
    '  --json          print the versions as JSON',
  ].join('\n'),
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { 'no-diff': { type: 'boolean' }, context: { type: 'string' }, json: { type: 'boolean' } },
    });
    const input = positionals[0];
    if (!input || positionals.length > 1) throw new AuditInputError('name one file, like: pd history content/practices/riverside/services/flu-clinic.md');
    const context = values.context === undefined ? undefined : Number(values.context);
    if (context !== undefined && (!Number.isInteger(context) || context < 0 || context > 1000)) throw new AuditInputError(`--context ${values.context} is not a number of lines from 0 to 1000`);
    const settings = loadSettings(repoRoot());
    const file = repositoryPath(input, settings.contentRoot);
    const reader = await openRepository(settings.contentRoot);
    const main = await readHistory(reader, { onProgress: progressLine() });
    const versions = await fileHistory(reader, main, file, { diffs: !values['no-diff'], ...(context !== undefined ? { context } : {}) });
    if (versions.length === 0) {
      const hint = file.startsWith(`${practicesRoot}/`) ? '' : ` Content files are under ${practicesRoot}/<practice>/.`;
      throw new AuditInputError(`${file} has never been on ${main.branch}: check the path (it is case-sensitive and relative to the content repository).${hint}`);
    }
    if (values.json) {
      console.log(JSON.stringify({ file, branch: main.branch, head: main.head, versions }, null, 2));
      return 0;
    }
    const out = [`${file}: ${versions.length} version${versions.length === 1 ? '' : 's'} on ${main.branch}, newest first\n`];
    versions.forEach((v, i) => out.push(formatVersion(v, versions.length - i, versions.length, file)));
    await new Promise<void>((resolve, reject) => process.stdout.write(out.join('\n'), (e) => (e ? reject(e) : resolve())));
    return 0;
  },
};
