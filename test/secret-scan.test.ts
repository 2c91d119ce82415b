// The secret scan that `npm test` runs first: the package's own `lint:secrets` command, run with
// sh as npm runs it, against throwaway git repositories that hold the project's secretlint
// configuration (.secretlintrc.json, .secretlintignore) and planted secrets. Every planted secret
// is made when the test runs (random characters in the shape each provider issues, a private key
// generated on the spot), so this file holds nothing the scan itself would report.
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '..');
const scripts = (JSON.parse(await readFile(path.join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const made: string[] = [];

afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
});

function randomFrom(alphabet: string, length: number): string {
  return [...randomBytes(length)].map((b) => alphabet[b % alphabet.length]).join('');
}

const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const alnum = `${upper}abcdefghijklmnopqrstuvwxyz0123456789`;

const fake = {
  awsKeyId: () => `AKIA${randomFrom(`${upper}234567`, 16)}`,
  awsSecretKey: () => randomFrom(`${alnum}/+`, 40),
  githubToken: () => `ghp_${randomFrom(alnum, 36)}`,
  privateKey: () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  dbPassword: () => randomFrom(alnum, 24),
};

function git(cwd: string, ...args: string[]): void {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${r.stderr}`);
}

/** A git repository with the project's scan configuration, the given files written, and `tracked` added to the index. */
async function repository(files: Record<string, string>, tracked: string[], { init = true } = {}): Promise<string> {
  const dir = await realpath(await mkdtemp(path.join(os.tmpdir(), 'pd-secret-scan-')));
  made.push(dir);
  for (const name of ['.secretlintrc.json', '.secretlintignore']) await copyFile(path.join(repo, name), path.join(dir, name));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  if (init) {
    git(dir, 'init', '-q');
    git(dir, 'add', '--', '.secretlintrc.json', '.secretlintignore', ...tracked);
  }
  return dir;
}

interface Scan {
  status: number | null;
  output: string;
  /** Each reported file (relative to the repository) with the rules that reported it. */
  findings: Record<string, string[]>;
}

/** Runs `npm run lint:secrets` the way npm does: the script under sh, with the project's tools on the PATH. */
function scan(dir: string): Scan {
  const r = spawnSync('sh', ['-c', scripts['lint:secrets']!], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${path.join(repo, 'node_modules/.bin')}${path.delimiter}${process.env.PATH}`, NO_COLOR: '1', FORCE_COLOR: '0', LC_ALL: 'C' },
  });
  const output = `${r.stdout}${r.stderr}`;
  const findings: Record<string, string[]> = {};
  let file: string | undefined;
  for (const line of r.stdout.split('\n')) {
    if (line.startsWith(dir + path.sep)) {
      file = path.relative(dir, line.trim());
      findings[file] = [];
    } else if (file && /^\s+\d+:\d+\s+error\s/.test(line)) {
      findings[file]!.push(line.trim().split(/\s+/).at(-1)!);
    }
  }
  return { status: r.status, output, findings };
}

describe('the secret scan (npm run lint:secrets)', () => {
  it('passes a repository whose tracked files hold no secret', async () => {
    const dir = await repository(
      {
        'lib/config.ts': "export const resendApiKey = process.env.RESEND_API_KEY ?? 're_test_fake';\n",
        'test/db.test.ts': "const url = 'postgres://postgres:postgres@127.0.0.1:5432/postgres';\n",
        'README.md': '# A practice\n\nSet `GOCARDLESS_WEBHOOK_SECRET` in the Pages project, never in the repository.\n',
      },
      ['lib/config.ts', 'test/db.test.ts', 'README.md'],
    );
    const r = scan(dir);
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  });

  it('fails on secrets in tracked files, naming each file and the rule that found it, without printing the secret', async () => {
    const awsSecret = fake.awsSecretKey();
    const token = fake.githubToken();
    const key = fake.privateKey();
    const dir = await repository(
      {
        'deploy/aws.env': `AWS_ACCESS_KEY_ID=${fake.awsKeyId()}\nAWS_SECRET_ACCESS_KEY=${awsSecret}\n`,
        'deploy/github.yml': `env:\n  GH_TOKEN: ${token}\n`,
        'keys/deploy-key.pem': key,
        'lib/clean.ts': 'export const answer = 42;\n',
      },
      ['deploy/aws.env', 'deploy/github.yml', 'keys/deploy-key.pem', 'lib/clean.ts'],
    );
    const r = scan(dir);
    expect(r.status).not.toBe(0);
    expect(r.findings).toEqual({
      'deploy/aws.env': ['@secretlint/secretlint-rule-aws'],
      'deploy/github.yml': ['@secretlint/secretlint-rule-github'],
      'keys/deploy-key.pem': ['@secretlint/secretlint-rule-privatekey'],
    });
    // CI logs are read by many; the report must not become the leak.
    for (const secret of [awsSecret, token, key.split('\n')[1]!]) expect(r.output).not.toContain(secret);
  });

  it('scans what git tracks, not untracked local files or generated folders', async () => {
    const dir = await repository(
      {
        'notes/untracked.env': `AWS_SECRET_ACCESS_KEY=${fake.awsSecretKey()}\n`,
        'dist/riverside/key.pem': fake.privateKey(),
        'outbox/sign-in.eml': `Subject: token ${fake.githubToken()}\n`,
        'lib/tracked.pem': fake.privateKey(),
      },
      ['dist/riverside/key.pem', 'outbox/sign-in.eml', 'lib/tracked.pem'],
    );
    const r = scan(dir);
    expect(r.status).not.toBe(0);
    expect(r.findings).toEqual({ 'lib/tracked.pem': ['@secretlint/secretlint-rule-privatekey'] });
  });

  it('allows only the one deliberately fake database password the tests use', async () => {
    const dir = await repository(
      {
        'test/fake-db.test.ts': "const url = 'postgres://postgres:hunter2-not-real@db.internal.example:5432/postgres';\n",
        'test/real-db.test.ts': `const url = 'postgres://postgres:${fake.dbPassword()}@db.internal.example:5432/postgres';\n`,
      },
      ['test/fake-db.test.ts', 'test/real-db.test.ts'],
    );
    const r = scan(dir);
    expect(r.status).not.toBe(0);
    expect(r.findings).toEqual({ 'test/real-db.test.ts': ['@secretlint/secretlint-rule-database-connection-string'] });
  });

  it('refuses to pass outside a git checkout rather than scanning nothing', async () => {
    const dir = await repository({ 'lib/clean.ts': 'export const answer = 42;\n' }, [], { init: false });
    const r = scan(dir);
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/not a git repository/);
  });
});

describe('npm test', () => {
  it('runs the secret scan, and stops when it fails', () => {
    // Chained with && only: a failing scan must fail the command CI runs.
    const steps = scripts.test!.split('&&').map((s) => s.trim());
    expect(steps).toContain('npm run lint:secrets');
    expect(scripts.test).not.toMatch(/;|\|\||(^|[^|])\|([^|]|$)/);
    expect(scripts['lint:secrets']).toMatch(/\bsecretlint\b/);
  });
});
