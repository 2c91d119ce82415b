// A throwaway git repository holding copies of demo practices on `main`, for tests that write
// through the git store (the CMS gateway, publishing): the real content, never the real checkout.
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { repo } from './demo-site.ts';

export interface ContentRepo {
  dir: string;
  /** Runs git in the repository; output trimmed. */
  git(...args: string[]): string;
  /** A file's exact text at a ref. */
  show(ref: string, path: string): string;
  remove(): Promise<void>;
}

export async function contentRepo(practices: readonly string[] = ['riverside', 'fellside']): Promise<ContentRepo> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pd-content-repo-'));
  for (const slug of practices) await cp(path.join(repo, 'content/practices', slug), path.join(dir, 'content/practices', slug), { recursive: true });
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Seed', '-c', 'user.email=seed@example.test', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'Demo content');
  const show = (ref: string, file: string) => execFileSync('git', ['show', `${ref}:${file}`], { cwd: dir, encoding: 'utf8' });
  return { dir, git, show, remove: () => rm(dir, { recursive: true, force: true }) };
}
