// The content repository's publish workflow (deploy/github-actions/publish.yml): its shape — when
// it runs, what it may do, which actions it trusts, where the secrets go — and its shell steps run
// for real with bash, as the runner would, against a throwaway content repository and a stand-in
// Cloudflare: a push touching one practice deploys that one only, and a push that changes nothing
// published deploys nothing.
import { spawn, spawnSync } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { contentRepo, type ContentRepo } from './support/content-repo.ts';
import { repo } from './support/demo-site.ts';
import { fakeCloudflare, type FakeCloudflare } from './support/fake-wrangler.ts';

interface Step {
  name: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  'working-directory'?: string;
}

const file = path.join(repo, 'deploy/github-actions/publish.yml');
let text: string;
let wf: any;
let job: any;
let steps: Step[];
const step = (name: string) => steps.find((s) => s.name === name)!;

beforeAll(async () => {
  text = await readFile(file, 'utf8');
  wf = parse(text);
  job = wf.jobs.publish;
  steps = job.steps;
});

describe('the publish workflow', () => {
  it('runs on each push to main, hourly, and by hand', () => {
    expect(Object.keys(wf.on).sort()).toEqual(['push', 'schedule', 'workflow_dispatch']);
    expect(wf.on.push).toEqual({ branches: ['main'] });
    expect(wf.on.schedule).toHaveLength(1);
    expect(wf.on.schedule[0].cron).toMatch(/^[1-5]?[0-9] \* \* \* \*$/);
    expect(Object.keys(wf.jobs)).toEqual(['publish']);
  });

  it('asks for the least it needs: read the repository and its runs, nothing else', () => {
    expect(wf.permissions).toEqual({});
    expect(job.permissions).toEqual({ contents: 'read', actions: 'read' });
  });

  it('never runs two publishes at once, and never cancels one under way', () => {
    expect(wf.concurrency).toEqual({ group: 'publish-practice-sites', 'cancel-in-progress': false });
    expect(job.concurrency).toBeUndefined();
  });

  it('has its steps in this order', () => {
    expect(steps.map((s) => s.name)).toEqual([
      'Check out the content',
      'Check the platform pin',
      'Check out the platform',
      'Set up Node 24',
      'Install the platform',
      'Check the content',
      'Decide what to build',
      'Build',
      'Deploy',
      'Fail if a practice did not build',
    ]);
    expect(step('Install the platform').run?.trim()).toBe('npm ci');
    expect(step('Check the content').run?.trim()).toBe('node build/cli/pd.ts validate');
    expect(step('Deploy').run).toMatch(/node build\/cli\/pd\.ts deploy --all/);
    expect(step('Fail if a practice did not build').if).toBe("steps.build.outputs.failed == 'true'");
  });

  it('uses only official actions, pinned to full commit ids, and keeps no credentials in the checkout', () => {
    const used = steps.filter((s) => s.uses).map((s) => s.uses!);
    expect(used).toHaveLength(3);
    for (const u of used) expect(u).toMatch(/^actions\/(checkout|setup-node)@[0-9a-f]{40}$/);
    for (const line of text.split('\n').filter((l) => /uses:/.test(l))) expect(line).toMatch(/@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    const [content, platform] = steps.filter((s) => s.uses?.startsWith('actions/checkout@'));
    expect(content!.with).toMatchObject({ path: 'content-repo', 'fetch-depth': 0, 'persist-credentials': false });
    expect(platform!.with).toMatchObject({ path: 'platform', ref: '${{ env.PD_PLATFORM_REF }}', 'persist-credentials': false });
    expect(step('Set up Node 24').with).toMatchObject({ 'node-version': 24 });
    expect(job.defaults.run).toEqual({ shell: 'bash', 'working-directory': 'platform' });
  });

  it('names secrets only by reference, and gives the Cloudflare ones to the deploy step alone', () => {
    const refs = [...text.matchAll(/\$\{\{\s*([^}]*?)\s*\}\}/g)].map((m) => m[1]!);
    const secretRefs = refs.filter((r) => r.includes('secrets.'));
    expect(secretRefs.sort()).toEqual(['secrets.CLOUDFLARE_ACCOUNT_ID', 'secrets.CLOUDFLARE_API_TOKEN', 'secrets.PD_PLATFORM_TOKEN || github.token']);
    expect(step('Deploy').env).toEqual({ CLOUDFLARE_API_TOKEN: '${{ secrets.CLOUDFLARE_API_TOKEN }}', CLOUDFLARE_ACCOUNT_ID: '${{ secrets.CLOUDFLARE_ACCOUNT_ID }}' });
    for (const s of steps.filter((x) => x.name !== 'Deploy')) expect(JSON.stringify(s.env ?? {})).not.toMatch(/secrets\./);
    expect(JSON.stringify(wf.env)).not.toMatch(/secrets\.|TOKEN/);
    // No expression is pasted into a script (where a branch name or message could inject shell).
    for (const s of steps.filter((x) => x.run)) expect(s.run, s.name).not.toMatch(/\$\{\{/);
  });

  it('refuses to run until the platform is pinned to a commit', () => {
    const check = step('Check the platform pin');
    const bash = (ref: string) => spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', check.run!], { env: { PATH: process.env.PATH, PD_PLATFORM_REF: ref }, encoding: 'utf8' });
    const template = bash(wf.env.PD_PLATFORM_REF);
    expect(template.status).toBe(1);
    expect(template.stdout).toMatch(/^::error::Set PD_PLATFORM_REF in this workflow to the full commit id/);
    expect(bash('main').status).toBe(1);
    expect(bash('0123456789abcdef0123456789abcdef01234567').status).toBe(0);
  });
});

describe('the workflow, run', () => {
  let content: ContentRepo;
  let cf: FakeCloudflare;
  let workspace: string;
  let bin: string;
  const zero = '0'.repeat(40);

  interface Run {
    base: string;
    deployed: string[];
    log: string;
    failed: boolean;
  }

  /** Replaces each `${{ expr }}` in a workflow value with what the runner would. */
  function resolve(value: string, ctx: Record<string, string>): string {
    return value.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expr: string) => {
      if (!(expr in ctx)) throw new Error(`the test does not know the expression ${expr}`);
      return ctx[expr]!;
    });
  }

  /** Runs a step's script as GitHub's `shell: bash` does (asynchronously: the stand-in Cloudflare answers from this process). */
  async function runStep(s: Step, ctx: Record<string, string>, extra: Record<string, string>): Promise<{ status: number; output: string; outputs: Record<string, string> }> {
    const outFile = path.join(workspace, `output-${Math.random().toString(36).slice(2)}`);
    await writeFile(outFile, '');
    const env: Record<string, string> = { ...(process.env as Record<string, string>), PATH: `${bin}:${process.env.PATH}` };
    for (const [k, v] of Object.entries(wf.env as Record<string, string>)) env[k] = resolve(String(v), ctx);
    for (const [k, v] of Object.entries(s.env ?? {})) env[k] = resolve(String(v), ctx);
    Object.assign(env, extra, { GITHUB_OUTPUT: outFile });
    const dir = s['working-directory'] ?? job.defaults.run['working-directory'];
    const cwd = dir === 'platform' ? repo : path.join(workspace, dir);
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', s.run!], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c));
    child.stderr.on('data', (c: Buffer) => (output += c));
    const status = await new Promise<number>((r) => child.on('close', (code) => r(code ?? 1)));
    const outputs = Object.fromEntries(
      (await readFile(outFile, 'utf8'))
        .split('\n')
        .filter((l) => l.includes('='))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    return { status, output, outputs };
  }

  /** One run of the job on a fresh runner (no revisions yet), as `event` with `before`. */
  async function run(event: 'push' | 'schedule', o: { before?: string; lastSuccess?: string } = {}): Promise<Run> {
    const runner = await mkdtemp(path.join(workspace, 'runner-'));
    const extra = {
      PD_STORE_DIR: path.join(runner, 'sites'),
      PD_DIST_DIR: path.join(runner, 'dist'),
      FAKE_GH_LAST_SUCCESS: o.lastSuccess ?? '',
      ...Object.fromEntries(Object.entries(cf.env).filter(([k]) => !k.startsWith('CLOUDFLARE_'))),
    };
    const ctx: Record<string, string> = {
      'github.workspace': workspace,
      'github.event_name': event,
      'github.event.before': event === 'push' ? (o.before ?? zero) : '',
      'github.token': 'fake-github-token',
      'github.repository': 'example/content',
      'secrets.CLOUDFLARE_API_TOKEN': cf.token,
      'secrets.CLOUDFLARE_ACCOUNT_ID': cf.accountId,
    };
    const calls = (await cf.calls()).length;
    let log = '';
    let failed = false;
    for (const s of steps) {
      // Checkouts, Node and npm ci are the runner's; this checkout is the platform, installed.
      if (s.uses || ['Check the platform pin', 'Install the platform'].includes(s.name)) continue;
      if (s.if) {
        expect(s.if).toBe("steps.build.outputs.failed == 'true'");
        if (ctx['steps.build.outputs.failed'] !== 'true') continue;
      }
      const r = await runStep(s, ctx, extra);
      log += `--- ${s.name}\n${r.output}`;
      for (const [k, v] of Object.entries(r.outputs)) if (s.id) ctx[`steps.${s.id}.outputs.${k}`] = v;
      if (r.status !== 0) {
        failed = true;
        break;
      }
    }
    const deployed = (await cf.calls()).slice(calls).map((c) => c.args[c.args.indexOf('--project-name') + 1]!);
    return { base: ctx['steps.base.outputs.commit'] ?? '', deployed: deployed.sort(), log, failed };
  }

  const change = async (file: string, edit: (text: string) => string, message: string) => {
    const full = path.join(content.dir, file);
    await mkdir(path.dirname(full), { recursive: true });
    const before = await readFile(full, 'utf8').catch(() => '');
    const after = edit(before);
    expect(after, `the test's edit of ${file}`).not.toBe(before);
    await writeFile(full, after);
    content.git('add', '-A');
    content.git('commit', '-q', '-m', message);
    return content.git('rev-parse', 'HEAD');
  };
  const retitle = (title: string) => (t: string) => t.replace(/^title: .*$/m, `title: ${title}`);

  beforeAll(async () => {
    workspace = await mkdtemp(path.join(os.tmpdir(), 'pd-workflow-'));
    content = await contentRepo(['riverside', 'fellside']);
    await mkdir(path.join(content.dir, '.github/workflows'), { recursive: true });
    await cp(file, path.join(content.dir, '.github/workflows/publish.yml'));
    await writeFile(path.join(content.dir, 'README.md'), '# Our practices\n');
    content.git('add', '-A');
    content.git('commit', '-q', '-m', 'Publish with the platform workflow');
    await symlink(content.dir, path.join(workspace, 'content-repo'));
    // A stand-in gh: says which commit the last successful run published (or nothing).
    bin = path.join(workspace, 'bin');
    await mkdir(bin);
    await writeFile(path.join(bin, 'gh'), '#!/bin/sh\nprintf "%s\\n" "$FAKE_GH_LAST_SUCCESS"\n');
    await chmod(path.join(bin, 'gh'), 0o755);
    cf = await fakeCloudflare();
  }, 60_000);

  afterAll(async () => {
    await cf?.close();
    await content?.remove();
    await rm(workspace, { recursive: true, force: true });
  });

  it('can run pd deploy, which the workflow calls', async () => {
    const { commands } = await import('../build/cli/commands.ts');
    expect(Object.keys(commands), 'deploy and rollback are registered in build/cli/commands.ts').toEqual(expect.arrayContaining(['deploy', 'rollback']));
  });

  it('on the first push (before is all zeros) builds and deploys every practice', async () => {
    const r = await run('push', { before: zero });
    expect(r.failed, r.log).toBe(false);
    expect(r.base).toBe('');
    expect(r.log).toMatch(/Building every practice\./);
    expect(r.deployed).toEqual(['pd-fellside', 'pd-riverside']);
  }, 240_000);

  let head: string;
  it('a push touching one practice builds and deploys that one only', async () => {
    const before = content.git('rev-parse', 'HEAD');
    head = await change('content/practices/riverside/pages/appointments.md', retitle('Appointments and how to book'), 'Riverside: retitle appointments');
    const r = await run('push', { before, lastSuccess: before });
    expect(r.failed, r.log).toBe(false);
    expect(r.base).toBe(before);
    expect(r.log).toMatch(/Built 1 of 1 practices/);
    expect(r.deployed).toEqual(['pd-riverside']);
  }, 240_000);

  it('a push changing nothing published builds nothing and deploys nothing', async () => {
    const before = head;
    head = await change('README.md', (t) => `${t}\nSee docs/operations.md.\n`, 'README: a pointer');
    const r = await run('push', { before, lastSuccess: before });
    expect(r.failed, r.log).toBe(false);
    expect(r.log).toMatch(/Nothing published changed since [0-9a-f]{40}: no practice to build\./);
    expect(r.log).toMatch(/No practice has a live revision .*: nothing to deploy\./);
    expect(r.deployed).toEqual([]);
  }, 240_000);

  it('a push that changes a practice file but not its pages builds it and deploys nothing', async () => {
    const before = head;
    head = await change('content/practices/fellside/practice.yml', (t) => `# Reviewed by the practice manager.\n${t}`, 'Fellside: note the review');
    const r = await run('push', { before, lastSuccess: before });
    expect(r.failed, r.log).toBe(false);
    expect(r.log).toMatch(/Built 1 of 1 practices/);
    expect(r.log).toMatch(/fellside: nothing to deploy: deployment [0-9a-f]{8} \(revision \S+, commit [0-9a-f]{7}\) already serves this output/);
    expect(r.deployed).toEqual([]);
  }, 240_000);

  it("builds a push whose run was replaced while waiting, from the last successful run's commit", async () => {
    const published = head;
    await change('content/practices/fellside/pages/appointments.md', retitle('Appointments at Fellside'), 'Fellside: retitle appointments');
    const before = content.git('rev-parse', 'HEAD'); // this push's run never ran: a newer push replaced it
    head = await change('content/practices/riverside/pages/appointments.md', retitle('Appointments at Riverside'), 'Riverside: retitle again');
    const r = await run('push', { before, lastSuccess: published });
    expect(r.failed, r.log).toBe(false);
    expect(r.base).toBe(published);
    expect(r.deployed).toEqual(['pd-fellside', 'pd-riverside']);
  }, 240_000);

  it('the hourly run rebuilds everything and deploys only what changed (here nothing)', async () => {
    const r = await run('schedule');
    expect(r.failed, r.log).toBe(false);
    expect(r.base).toBe('');
    expect(r.log).toMatch(/Built 2 of 2 practices/);
    expect(r.deployed).toEqual([]);
  }, 240_000);

  it('builds everything after a force-push or a change to the workflows, and stops if the content is invalid', async () => {
    const decide = (before: string, lastSuccess = '') =>
      runStep(step('Decide what to build'), { 'github.event_name': 'push', 'github.event.before': before, 'github.token': 't', 'github.repository': 'example/content', 'github.workspace': workspace }, { FAKE_GH_LAST_SUCCESS: lastSuccess });
    const parent = content.git('rev-parse', 'HEAD~1');
    expect((await decide(parent)).outputs.commit).toBe(parent);
    expect((await decide('0123456789abcdef0123456789abcdef01234567')).outputs.commit).toBe(''); // not in the history: force-pushed away
    expect((await decide(zero)).outputs.commit).toBe('');
    const before = content.git('rev-parse', 'HEAD');
    await change('.github/workflows/publish.yml', (t) => t.replace(/PD_PLATFORM_REF: \S+/, `PD_PLATFORM_REF: ${'a'.repeat(40)}`), 'Platform: pin a newer commit');
    const pinned = await decide(before, before);
    expect(pinned.outputs.commit).toBe('');
    expect(pinned.output).toMatch(/Building every practice\./);

    const calls = (await cf.calls()).length;
    await change('content/practices/riverside/practice.yml', (t) => t.replace(/^ods_code: .*$/m, 'ods_code: 99'), 'Riverside: a bad ODS code');
    const r = await run('push', { before: content.git('rev-parse', 'HEAD~1') });
    expect(r.failed).toBe(true);
    expect(r.log).toMatch(/--- Check the content\n[\s\S]*ods_code: "99" is not a GP practice ODS code/);
    expect(r.log).not.toMatch(/--- Build/);
    expect((await cf.calls()).length).toBe(calls);
  }, 240_000);
});
