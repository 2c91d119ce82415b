import * as fs from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import git from 'isomorphic-git';
import { formatProblem } from '../../../lib/content/problems.ts';
import { ExportError } from '../../../lib/export/errors.ts';
import { exportPractice } from '../../../lib/export/export-practice.ts';
import { createLocalGitStore } from '../../../lib/git-store/local.ts';
import { uncommittedPractices } from '../../node/git-info.ts';
import { repoRoot } from '../../node/paths.ts';
import { loadSettings } from '../../node/settings.ts';
import type { Command } from '../commands.ts';

export const exportCommand: Command = {
  summary: "Export a practice's content, media and history as one JSON document",
  usage: 'export <practice> [--out <file>] [--at <commit>]',
  help: [
    'Writes one JSON document holding every content file of the practice (its exact text and the',
    'values the content model reads from it), its media (base64, with SHA-256 hashes) and a summary',
    'of its git history. The content is read from git at a commit, so the export names exactly what',
    'it holds; the content must pass pd validate there. "pd import" writes it back.',
    'The format and its JSON Schema (schemas/json/export.schema.json) are in docs/export.md.',
    '',
    'Options:',
    '  --out <file>    write the document to a file (default: standard output)',
    '  --at <commit>   export as at a commit, branch or tag (default: HEAD); a short commit id will do',
  ].join('\n'),
  async run(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { out: { type: 'string' }, at: { type: 'string' } } });
    const practice = positionals[0];
    if (!practice || positionals.length > 1) throw new Error('name one practice, like: pd export riverside --out riverside.json');
    const dir = loadSettings(repoRoot()).contentRoot;
    const repository = await git.findRoot({ fs, filepath: dir }).catch(() => undefined);
    if (!repository) throw new Error(`${dir} is not in a git repository: an export is read from a commit, so commit the content first`);
    if (path.resolve(repository) !== path.resolve(dir))
      throw new Error(`the content folder ${dir} is not the top of its git repository (${repository}); exports read content/practices/ at the top of the repository`);

    const ref = values.at ?? 'HEAD';
    const commit = await resolveCommit(dir, ref);
    if (!commit) {
      console.error(`pd export: there is no commit, branch or tag "${ref}" in ${dir}`);
      return 1;
    }
    const started = performance.now();
    let document;
    try {
      document = await exportPractice(createLocalGitStore({ fs, dir }), { practice, ref: commit, git: { fs, gitdir: path.join(dir, '.git') } });
    } catch (e) {
      if (!(e instanceof ExportError)) throw e;
      for (const p of e.problems) console.error(formatProblem(p));
      console.error(`pd export: ${e.problems.length ? `${practice}'s content at ${commit.slice(0, 7)} has ${e.problems.length} problem${e.problems.length === 1 ? '' : 's'} to fix first (above); nothing was exported` : e.message}`);
      return 1;
    }
    const json = `${JSON.stringify(document, null, 2)}\n`;
    if (values.out) await writeFile(values.out, json);
    else process.stdout.write(json);
    if (values.at === undefined && (await uncommittedPractices(dir, [practice])).has(practice))
      console.error(`warning: content/practices/${practice}/ has changes that are not committed; the export holds the content as committed at ${commit.slice(0, 7)}`);
    const mb = (Buffer.byteLength(json) / 1048576).toFixed(1);
    console.error(
      `Exported ${practice} at ${commit.slice(0, 7)}: ${document.items.length} files, ${document.media.length} media file${document.media.length === 1 ? '' : 's'}, ` +
        `${document.history.commits} commit${document.history.commits === 1 ? '' : 's'} of history (${mb} MB, ${Math.round(performance.now() - started)} ms)${values.out ? ` to ${values.out}` : ''}.`,
    );
    return 0;
  },
};

/** The full commit id a commit-ish names (HEAD, a branch, a tag, a full or a short id); undefined if none. */
async function resolveCommit(dir: string, ref: string): Promise<string | undefined> {
  const commitOf = async (oid: string) => (await git.readCommit({ fs, dir, oid }).catch(() => undefined))?.oid;
  const direct = await git.resolveRef({ fs, dir, ref }).catch(() => undefined);
  if (direct) return commitOf(direct);
  if (/^[0-9a-f]{4,39}$/i.test(ref)) {
    const full = await git.expandOid({ fs, dir, oid: ref.toLowerCase() }).catch(() => undefined);
    if (full) return commitOf(full);
  }
  return undefined;
}
