// The export benchmark's repositories: the demo practices in a throwaway repository, given a long
// history on `main` (each commit edits one page of one practice, as a CMS publish does), written
// with git fast-import so that making a thousand commits takes a second, not minutes.
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { contentRepo, type ContentRepo } from '../test/support/content-repo.ts';

export const practices = ['afon-teifi', 'fellside', 'riverside'];

/** The demo practices on `main`, then `commits` more commits, each adding a line to one page. */
export async function historyRepo(commits: number): Promise<ContentRepo> {
  const repo = await contentRepo(practices);
  const pages = new Map<string, string>();
  for (const slug of practices) {
    const folder = path.join(repo.dir, 'content/practices', slug, 'pages');
    for (const name of (await readdir(folder)).sort()) pages.set(`content/practices/${slug}/pages/${name}`, await readFile(path.join(folder, name), 'utf8'));
  }
  const paths = [...pages.keys()];
  const start = Math.floor(Date.UTC(2026, 0, 1) / 1000);
  const chunks: Buffer[] = [];
  const data = (text: string) => {
    const bytes = Buffer.from(text);
    chunks.push(Buffer.from(`data ${bytes.byteLength}\n`), bytes, Buffer.from('\n'));
  };
  for (let i = 0; i < commits; i++) {
    // Round the practices, and round each practice's pages, so every practice has a share.
    const file = paths[(i * 7919) % paths.length]!;
    const text = `${pages.get(file)!.replace(/\n*$/, '')}\n\nUpdated (change ${i + 1}).\n`;
    pages.set(file, text);
    const when = `${start + i * 3600} +0000`;
    const who = i % 2 ? 'Ed Editor <editor@example.nhs.uk>' : 'Maya Manager <manager@example.nhs.uk>';
    chunks.push(Buffer.from(`commit refs/heads/main\nauthor ${who} ${when}\ncommitter Practice Digital <cms@practicedigital.co.uk> ${when}\n`));
    data(`Publish change ${i + 1}\n`);
    if (i === 0) chunks.push(Buffer.from(`from refs/heads/main^0\n`));
    chunks.push(Buffer.from(`M 100644 inline ${file}\n`));
    data(text);
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: repo.dir, input: Buffer.concat(chunks) });
  repo.git('reset', '-q', '--hard', 'main');
  return repo;
}
