// Which practices a change touches: content under content/practices/<slug>/ touches that
// practice; a change to the theme, model, build or shared code touches every practice.
import git from 'isomorphic-git';
import fs from 'node:fs';

const sitewide = ['themes/', 'schemas/', 'build/', 'lib/', '.eleventy.js', 'package-lock.json'];
const watched = ['content', 'themes', 'schemas', 'build', 'lib', '.eleventy.js', 'package-lock.json'];

/** Practice slugs changed between `since` and the working tree, or 'all'. */
export async function changedPractices(root: string, since: string): Promise<string[] | 'all'> {
  let base: string;
  try {
    base = /^[0-9a-f]{4,40}$/i.test(since) ? await git.expandOid({ fs, dir: root, oid: since }) : await git.resolveRef({ fs, dir: root, ref: since });
  } catch {
    throw new Error(`"${since}" is not a commit, branch or tag in this repository`);
  }
  const paths = new Set<string>();
  await git.walk({
    fs,
    dir: root,
    trees: [git.TREE({ ref: base }), git.TREE({ ref: 'HEAD' })],
    map: async (file, [a, b]) => {
      if (file === '.') return true;
      if (!watched.some((w) => file === w || file.startsWith(`${w}/`) || w.startsWith(`${file}/`))) return null;
      const [ao, bo] = [await a?.oid(), await b?.oid()];
      if (ao === bo) return null;
      if ((await (a ?? b)?.type()) === 'blob') paths.add(file);
      return true;
    },
  });
  const matrix = await git.statusMatrix({ fs, dir: root, filepaths: watched.filter((w) => fs.existsSync(`${root}/${w}`)) });
  for (const [file, head, work, stage] of matrix) if (head !== work || work !== stage) paths.add(file);
  const slugs = new Set<string>();
  for (const p of paths) {
    if (sitewide.some((s) => p === s || p.startsWith(s))) return 'all';
    const m = /^content\/practices\/([^/]+)\//.exec(p);
    if (m) slugs.add(m[1]!);
  }
  return [...slugs].sort();
}
