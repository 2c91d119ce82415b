import * as fs from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import git from 'isomorphic-git';
import { platformCommitter } from '../../../lib/cms/commit-message.ts';
import { practicesDir } from '../../../lib/content/load-practice.ts';
import { checkExport } from '../../../lib/export/import-check.ts';
import { buildTree, listFilesAt, writeCommitObject, type RepoContext } from '../../../lib/git-store/objects.ts';
import type { Command } from '../commands.ts';

export const importCommand: Command = {
  summary: 'Import a practice from an export into a repository, as one commit',
  usage: 'import <export.json> --into <folder> [--author "Name <email>"]',
  help: [
    "Writes the practice's files from an export (pd export, or the portal's download) into a",
    'repository folder, exactly as they were, and commits them with an "Imported-from:" trailer',
    'naming the commit the export was made from. A folder that is not yet a repository is made one',
    '(branch main). Building the imported practice gives the same site, byte for byte.',
    '',
    'Nothing is written if the practice folder there already holds files, if the document does not',
    "match the export schema (every problem is listed with its JSON Pointer), if a media file's",
    'SHA-256 or size does not match, or if the content does not pass the checks pd validate runs.',
    '',
    'Options:',
    '  --into <folder>    the repository to import into (required)',
    '  --author <who>     "Name <email>" for the commit (default: the repository\'s user.name and',
    '                     user.email, else GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL, else the platform)',
  ].join('\n'),
  async run(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { into: { type: 'string' }, author: { type: 'string' } } });
    const file = positionals[0];
    if (!file || positionals.length > 1 || !values.into) throw new Error('use: pd import <export.json> --into <folder>');
    const dir = path.resolve(values.into);
    const author = values.author === undefined ? undefined : parsePerson(values.author);

    let document: unknown;
    try {
      document = JSON.parse((await readFile(file, 'utf8')).replace(/^\uFEFF/, ''));
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      console.error(`pd import: ${file} ${err.code === 'ENOENT' ? 'does not exist' : `cannot be read as JSON (${err.message})`}; nothing was imported`);
      return 1;
    }
    const checked = await checkExport(document);
    if (!checked.ok) {
      for (const p of checked.problems) console.error(`${file}: ${p.path || '(the document)'}: ${p.message}`);
      const n = checked.problems.length;
      console.error(`pd import: ${file} cannot be imported: ${n} problem${n === 1 ? '' : 's'} (above, each with its JSON Pointer); nothing was imported`);
      return 1;
    }
    const { plan } = checked;
    const practiceDir = `${practicesDir}/${plan.practice}`;

    // The target: a new folder, a folder to make a repository, or the top of an existing one.
    const existing = await stat(dir).catch(() => undefined);
    if (existing && !existing.isDirectory()) return refuse(`${dir} is a file, not a folder`);
    const hasGit = existing ? await stat(path.join(dir, '.git')).then(() => true, () => false) : false;
    if (existing && !hasGit) {
      const outer = await git.findRoot({ fs, filepath: dir }).catch(() => undefined);
      if (outer) return refuse(`${dir} is inside the git repository ${outer}; import into the top of a repository, or into a new folder`);
    }
    const onDisk = (await readdir(path.join(dir, practiceDir), { recursive: true, withFileTypes: true }).catch(() => []))
      .filter((e) => !e.isDirectory())
      .map((e) => path.relative(path.join(dir, practiceDir), path.join(e.parentPath, e.name)));
    if (onDisk.length) return refuse(`${path.join(dir, practiceDir)} already holds files (${onDisk.slice(0, 3).join(', ')}${onDisk.length > 3 ? ', ...' : ''}); import a practice only into an empty practice folder`);

    await mkdir(dir, { recursive: true });
    if (!hasGit) await git.init({ fs, dir, defaultBranch: 'main' });
    const branch = await git.currentBranch({ fs, dir, fullname: false });
    if (!branch) return refuse(`${dir} has no branch checked out (a detached HEAD); check out the branch to import onto`);
    const ctx: RepoContext = { fs, gitdir: path.join(dir, '.git'), cache: {} };
    const parent = await git.resolveRef({ fs, dir, ref: 'HEAD' }).catch(() => undefined);
    if (parent && (await listFilesAt(ctx, parent, practiceDir, true)).length)
      return refuse(`the last commit of ${dir} already has files in ${practiceDir}/; import a practice only into an empty practice folder`);

    const person = { ...(author ?? (await configuredPerson(dir)) ?? platformCommitter), timestamp: Math.floor(Date.now() / 1000) };
    const doc = plan.document;
    const { tree } = await buildTree(ctx, parent ? (await git.readCommit({ fs, dir, oid: parent })).commit.tree : undefined, plan.files);
    const commit = await writeCommitObject(ctx, parent, tree, {
      message: [
        `Import ${plan.practice} from an export of ${plan.sourceCommit.slice(0, 7)}`,
        '',
        `${doc.profile.name}: ${plan.items} content file${plan.items === 1 ? '' : 's'} and ${plan.media} media file${plan.media === 1 ? '' : 's'}, exactly as at commit`,
        `${plan.sourceCommit} (${doc.commit.at}), exported at ${doc.exportedAt}. Its history there:`,
        `${doc.history.commits} commit${doc.history.commits === 1 ? '' : 's'} from ${doc.history.first.at} to ${doc.history.last.at}.`,
      ].join('\n'),
      trailers: { Practice: plan.practice, 'Imported-from': plan.sourceCommit },
      author: person,
      committer: person,
    });
    // The working folder and the index follow, so the repository is clean afterwards.
    for (const f of plan.files) {
      const target = path.join(dir, ...f.path.split('/'));
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, f.content);
    }
    await git.writeRef({ fs, dir, ref: `refs/heads/${branch}`, value: commit, force: true });
    await git.add({ fs, dir, filepath: plan.files.map((f) => f.path), force: true });
    console.log(
      `Imported ${plan.practice} (${plan.items} content files, ${plan.media} media file${plan.media === 1 ? '' : 's'}) into ${dir} as commit ${commit.slice(0, 7)} on ${branch}, imported from ${plan.sourceCommit.slice(0, 7)}.`,
    );
    return 0;
  },
};

function refuse(message: string): number {
  console.error(`pd import: ${message}; nothing was imported`);
  return 1;
}

function parsePerson(text: string): { name: string; email: string } {
  const m = /^\s*([^<>]+?)\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(text);
  if (!m) throw new Error(`--author must look like "Name <email>", not "${text}"`);
  return { name: m[1]!, email: m[2]! };
}

async function configuredPerson(dir: string): Promise<{ name: string; email: string } | undefined> {
  const name = ((await git.getConfig({ fs, dir, path: 'user.name' }).catch(() => undefined)) as string | undefined) ?? process.env.GIT_AUTHOR_NAME;
  const email = ((await git.getConfig({ fs, dir, path: 'user.email' }).catch(() => undefined)) as string | undefined) ?? process.env.GIT_AUTHOR_EMAIL;
  return name?.trim() && email?.trim() ? { name: name.trim(), email: email.trim() } : undefined;
}
