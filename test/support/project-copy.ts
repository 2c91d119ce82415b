// A copy of the project's theme and Eleventy configuration in a temporary folder, sharing the
// code and packages by symbolic links, so a test can change templates without touching ours.
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { repo } from './demo-site.ts';

export interface ProjectCopy {
  root: string;
  /** Rewrites one file under themes/nhsuk/. */
  editTheme(file: string, change: (text: string) => string): Promise<void>;
  remove(): Promise<void>;
}

export async function projectCopy(): Promise<ProjectCopy> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'pd-project-'));
  await cp(path.join(repo, 'themes'), path.join(root, 'themes'), { recursive: true });
  await cp(path.join(repo, '.eleventy.js'), path.join(root, '.eleventy.js'));
  for (const shared of ['build', 'lib', 'schemas', 'node_modules', 'package.json']) await symlink(path.join(repo, shared), path.join(root, shared));
  return {
    root,
    async editTheme(file, change) {
      const full = path.join(root, 'themes/nhsuk', file);
      await writeFile(full, change(await readFile(full, 'utf8')));
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
