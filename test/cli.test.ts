// The pd command as a user runs it: exit codes, the problem format, help.
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentCopy, writeInCopy } from './support/content-copy.ts';
import { repo } from './support/demo-site.ts';

const run = async (args: string[], env: Record<string, string> = {}) => {
  try {
    const r = await promisify(execFile)(process.execPath, ['build/cli/pd.ts', ...args], { cwd: repo, env: { ...process.env, ...env } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
};

let copy: string;
beforeAll(async () => {
  copy = await contentCopy();
});
afterAll(() => rm(copy, { recursive: true, force: true }));

describe('pd', () => {
  it('lists its commands, and explains each one', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    for (const c of ['validate', 'build', 'start', 'pages-dev', 'generate']) expect(help.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    const one = await run(['validate', '--help']);
    expect(one.stdout).toMatch(/^Usage: pd validate/);
  });

  it('refuses an unknown command with exit code 2', async () => {
    const r = await run(['deploy-everything']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/there is no command "deploy-everything"/);
  });

  it('validates the demo content cleanly', async () => {
    const r = await run(['validate']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/3 practices checked: 3 valid, 0 with errors/);
  });

  it('prints every problem as path:line: field: message — fix, and exits 1', async () => {
    const file = 'content/practices/fellside/practice.yml';
    const text = await readFile(path.join(copy, file), 'utf8');
    await writeInCopy(copy, file, text.replace('ods_code: Z99902', 'ods_code: 99'));
    await writeInCopy(copy, 'content/practices/fellside/pages/extra.md', '---\ntitle: Extra\n---\nBody\n');
    const r = await run(['validate', 'fellside'], { PD_ROOT: copy });
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toContain(`${file}:3: ods_code: "99" is not a GP practice ODS code — use the code from the NHS Organisation Data Service: one capital letter and five digits (five digits in Scotland)`);
    // summary, last_reviewed and review_by are missing: three problems, one per field.
    expect(lines.filter((l) => l.startsWith('content/practices/fellside/pages/extra.md:')).length).toBe(3);
    for (const l of lines) expect(l).toMatch(/^content\/practices\/fellside\/\S+(:\d+)?: .+ — .+$/);
    const json = JSON.parse((await run(['validate', 'fellside', '--json'], { PD_ROOT: copy })).stdout);
    expect(json.practices).toEqual([{ slug: 'fellside', ok: false }]);
  });

  it('names the practices there are when asked for one that does not exist', async () => {
    const r = await run(['validate', 'nowhere']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/there is no practice "nowhere" .*afon-teifi, fellside, riverside/);
  });
});
