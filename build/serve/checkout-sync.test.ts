// CMS commits reach the checked-out working folder (and the index), unless someone edited the
// same file locally: then their edit is kept and they are told.
import * as fs from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalGitStore } from '../../lib/git-store/local.ts';
import type { GitStore } from '../../lib/git-store/types.ts';
import { contentRepo, type ContentRepo } from '../../test/support/content-repo.ts';
import { findRepositoryRoot, withCheckoutSync } from './checkout-sync.ts';

const person = { name: 'Ed Editor', email: 'ed@riverside.example.nhs.uk' };
const file = 'content/practices/riverside/pages/appointments.md';
let repo: ContentRepo;
let store: GitStore;
const logs: string[] = [];
const commit = (branch: string, path: string, content: string | null) => store.commit({ branch, changes: [{ path, content }], message: 'Edit', author: person, committer: person });

beforeAll(async () => {
  repo = await contentRepo(['riverside']);
  store = withCheckoutSync(createLocalGitStore({ fs, dir: repo.dir }), { dir: repo.dir, log: (m) => logs.push(m) });
});
afterAll(() => repo.remove());

describe('keeping the checkout in step with CMS commits', () => {
  it('finds the repository root from a folder inside it', () => {
    expect(findRepositoryRoot(path.join(repo.dir, 'content/practices'))).toBe(repo.dir);
  });

  it('writes a commit on the checked-out branch to the working folder and the index', async () => {
    await commit('main', file, 'new text\n');
    expect(await readFile(path.join(repo.dir, file), 'utf8')).toBe('new text\n');
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('removes a deleted file', async () => {
    await commit('main', 'content/practices/riverside/pages/armed-forces-veterans.md', null);
    expect(fs.existsSync(path.join(repo.dir, 'content/practices/riverside/pages/armed-forces-veterans.md'))).toBe(false);
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('leaves other branches out of the working folder', async () => {
    await store.createBranch('cms/riverside/pages/appointments', 'main');
    await commit('cms/riverside/pages/appointments', file, 'draft\n');
    expect(await readFile(path.join(repo.dir, file), 'utf8')).toBe('new text\n');
  });

  it('keeps a local edit of the same file and says so', async () => {
    await writeFile(path.join(repo.dir, file), 'my local edit\n');
    await commit('main', file, 'from the CMS\n');
    expect(await readFile(path.join(repo.dir, file), 'utf8')).toBe('my local edit\n');
    expect(logs.at(-1)).toMatch(/Kept your local edit of content\/practices\/riverside\/pages\/appointments\.md/);
  });
});
