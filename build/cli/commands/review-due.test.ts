// `pd review-due`: what is overdue exits 1 (for a scheduled job), with the list; bad input exits 2.
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { contentCopy } from '../../../test/support/content-copy.ts';
import { reviewDue } from './review-due.ts';

let root: string;
const page = 'content/practices/riverside/pages/appointments.md';
beforeAll(async () => {
  root = await contentCopy();
  const file = path.join(root, page);
  await writeFile(file, (await readFile(file, 'utf8')).replace(/last_reviewed: .*/, 'last_reviewed: 2025-06-01').replace(/review_by: .*/, 'review_by: 2026-01-01'));
  vi.stubEnv('PD_CONTENT_ROOT', root);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await rm(root, { recursive: true, force: true });
});

describe('pd review-due', () => {
  it('lists the overdue page and exits 1', async () => {
    const out: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((m: string) => void out.push(m));
    const code = await reviewDue.run(['riverside', '--within', '0', '--json']);
    log.mockRestore();
    expect(code).toBe(1);
    const due = JSON.parse(out.join('\n')).riverside;
    expect(due[0]).toMatchObject({ file: page, reviewBy: '2026-01-01' });
    expect(due[0].daysLeft).toBeLessThan(0);
  });

  it('refuses an unknown practice and a bad --within, with exit 2', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await reviewDue.run(['nowhere'])).toBe(2);
    expect(await reviewDue.run(['riverside', '--within', 'soon'])).toBe(2);
    expect(err.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringContaining('There is no practice "nowhere"'), expect.stringContaining('--within must be a whole number')]);
    err.mockRestore();
  });
});
