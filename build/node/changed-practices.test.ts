import git from 'isomorphic-git';
import fs from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedPractices } from './changed-practices.ts';

let dir: string;
let first: string;
const author = { name: 'Test', email: 'test@example.com' };
const put = async (file: string, text: string) => {
  await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
  await writeFile(path.join(dir, file), text);
};
const commitAll = async (message: string) => {
  await git.add({ fs, dir, filepath: '.' });
  return git.commit({ fs, dir, message, author });
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'pd-changed-'));
  await git.init({ fs, dir, defaultBranch: 'main' });
  await put('content/practices/a/pages/x.md', 'a');
  await put('content/practices/b/pages/x.md', 'b');
  await put('themes/nhsuk/layouts/base.njk', 'base');
  first = await commitAll('first');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('changed practices', () => {
  it('is empty when nothing changed', async () => {
    expect(await changedPractices(dir, first)).toEqual([]);
  });

  it('names the practices whose content changed, committed or not', async () => {
    await put('content/practices/b/pages/x.md', 'b2');
    await commitAll('b');
    await put('content/practices/a/news/new.md', 'new');
    expect(await changedPractices(dir, first)).toEqual(['a', 'b']);
    expect(await changedPractices(dir, 'HEAD')).toEqual(['a']);
  });

  it('means every practice when the theme changes', async () => {
    await put('themes/nhsuk/layouts/base.njk', 'changed');
    expect(await changedPractices(dir, 'HEAD')).toBe('all');
  });

  it('says clearly when the revision is unknown', async () => {
    await expect(changedPractices(dir, 'no-such-branch')).rejects.toThrow(/"no-such-branch" is not a commit, branch or tag/);
  });
});
