// The content repository's publish workflow (deploy/github-actions/publish.yml): its shape — when
// it runs, what it may do, which actions it trusts, where the secrets go — and its shell steps run
// for real with bash, as the runner would, against a throwaway content repository and a stand-in
// Cloudflare: a push touching one practice deploys that one only, and a push that changes nothing
// published deploys nothing. The hourly run is run the same way, with a real database (PGlite over
// the wire protocol), a stand-in Resend and the Actions cache kept in a folder: `pd tick` rebuilds
// and deploys only what time changed, reminds each page's managers once, and the record of what it
// sent is carried from one run to the next.
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmod, cp, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { openDatabase, type OpenedDatabase } from '../build/db/open-database.ts';
import { registerPractices } from '../build/db/register-practices.ts';
import { fsReader } from '../build/node/fs-reader.ts';
import { seedDemoMembers } from '../build/serve/demo-members.ts';
import { loadPractice } from '../lib/content/load-practice.ts';
import { contentRepo, type ContentRepo } from './support/content-repo.ts';
import { repo } from './support/demo-site.ts';
import { fakeCloudflare, type FakeCloudflare } from './support/fake-wrangler.ts';
import { freePort } from './support/pages-dev.ts';

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

const tickStep = 'Rebuild what time changed and send review reminders';
const restoreStep = 'Restore the record of reminders sent';
const saveStep = 'Save the record of reminders sent';
const failStep = 'Fail if a practice did not build or a reminder was not sent';
/** Every condition a step may have, and what it means; the runs below evaluate them with this. */
const conditions: Record<string, (ctx: Record<string, string>) => boolean> = {
  "steps.base.outputs.build == 'true'": (c) => c['steps.base.outputs.build'] === 'true',
  "steps.base.outputs.tick == 'true'": (c) => c['steps.base.outputs.tick'] === 'true',
  "always() && steps.base.outputs.tick == 'true'": (c) => c['steps.base.outputs.tick'] === 'true',
  "steps.build.outputs.failed == 'true' || steps.tick.outputs.failed == 'true'": (c) => c['steps.build.outputs.failed'] === 'true' || c['steps.tick.outputs.failed'] === 'true',
};

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
      restoreStep,
      tickStep,
      saveStep,
      'Deploy',
      failStep,
    ]);
    expect(step('Install the platform').run?.trim()).toBe('npm ci');
    expect(step('Check the content').run?.trim()).toBe('node build/cli/pd.ts validate');
    expect(step(tickStep).run).toMatch(/node build\/cli\/pd\.ts tick "\$\{args\[@\]\}"/);
    expect(step('Deploy').run).toMatch(/node build\/cli\/pd\.ts deploy --all/);
  });

  it('builds on a push, ticks on the hourly run, always deploys, and fails at the end if anything failed', () => {
    const when = Object.fromEntries(steps.filter((s) => s.if).map((s) => [s.name, s.if]));
    expect(when).toEqual({
      Build: "steps.base.outputs.build == 'true'",
      [restoreStep]: "steps.base.outputs.tick == 'true'",
      [tickStep]: "steps.base.outputs.tick == 'true'",
      // Even after a failure: a reminder already emailed must be recorded.
      [saveStep]: "always() && steps.base.outputs.tick == 'true'",
      [failStep]: "steps.build.outputs.failed == 'true' || steps.tick.outputs.failed == 'true'",
    });
    for (const c of Object.values(when)) expect(Object.keys(conditions), 'the runs below know this condition').toContain(c);
    expect(step('Decide what to build').id).toBe('base');
    expect(step('Build').id).toBe('build');
    expect(step(tickStep).id).toBe('tick');
  });

  it('carries the record of reminders sent in the Actions cache: a new entry each run, the newest restored', () => {
    const restore = step(restoreStep);
    const save = step(saveStep);
    const key = 'pd-tick-state-${{ github.run_id }}-${{ github.run_attempt }}';
    expect(restore.with).toEqual({ path: 'tick-state', key, 'restore-keys': 'pd-tick-state-' });
    expect(save.with).toEqual({ path: 'tick-state', key });
    expect(key.startsWith(String(restore.with!['restore-keys']))).toBe(true);
    // The record pd tick writes is inside the cached folder (cache paths are relative to the workspace).
    expect(step(tickStep).env!.PD_TICK_STATE).toBe('${{ github.workspace }}/tick-state/reminders-sent.json');
  });

  it('uses only official actions, pinned to full commit ids, and keeps no credentials in the checkout', () => {
    const used = steps.filter((s) => s.uses).map((s) => s.uses!);
    expect(used).toHaveLength(5);
    for (const u of used) expect(u).toMatch(/^actions\/(checkout|setup-node|cache\/restore|cache\/save)@[0-9a-f]{40}$/);
    for (const line of text.split('\n').filter((l) => /uses:/.test(l))) expect(line).toMatch(/@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    // Restore and save come from the same release of actions/cache.
    expect(step(restoreStep).uses!.split('@')[1]).toBe(step(saveStep).uses!.split('@')[1]);
    const [content, platform] = steps.filter((s) => s.uses?.startsWith('actions/checkout@'));
    expect(content!.with).toMatchObject({ path: 'content-repo', 'fetch-depth': 0, 'persist-credentials': false });
    expect(platform!.with).toMatchObject({ path: 'platform', ref: '${{ env.PD_PLATFORM_REF }}', 'persist-credentials': false });
    expect(step('Set up Node 24').with).toMatchObject({ 'node-version': 24 });
    expect(job.defaults.run).toEqual({ shell: 'bash', 'working-directory': 'platform' });
  });

  it('names secrets only by reference, and gives each to the one step that needs it', () => {
    const refs = [...text.matchAll(/\$\{\{\s*([^}]*?)\s*\}\}/g)].map((m) => m[1]!);
    const secretRefs = refs.filter((r) => r.includes('secrets.'));
    expect(secretRefs.sort()).toEqual(['secrets.CLOUDFLARE_ACCOUNT_ID', 'secrets.CLOUDFLARE_API_TOKEN', 'secrets.DATABASE_URL', 'secrets.PD_PLATFORM_TOKEN || github.token', 'secrets.RESEND_API_KEY']);
    expect(step('Deploy').env).toEqual({ CLOUDFLARE_API_TOKEN: '${{ secrets.CLOUDFLARE_API_TOKEN }}', CLOUDFLARE_ACCOUNT_ID: '${{ secrets.CLOUDFLARE_ACCOUNT_ID }}' });
    expect(step(tickStep).env).toEqual({
      SINCE: '${{ steps.base.outputs.since }}',
      PD_TICK_STATE: '${{ github.workspace }}/tick-state/reminders-sent.json',
      DATABASE_URL: '${{ secrets.DATABASE_URL }}',
      RESEND_API_KEY: '${{ secrets.RESEND_API_KEY }}',
      EMAIL_FROM: '${{ vars.EMAIL_FROM }}',
      PD_PORTAL_URL: '${{ vars.PD_PORTAL_URL }}',
    });
    for (const s of steps.filter((x) => x.name !== 'Deploy' && x.name !== tickStep)) expect(JSON.stringify(s.env ?? {}), s.name).not.toMatch(/secrets\.|vars\./);
    expect(JSON.stringify(wf.env)).not.toMatch(/secrets\.|vars\.|TOKEN/);
    // Every expression in the file is one of these; no other context is read.
    expect([...new Set(refs)].sort()).toEqual([
      'env.PD_PLATFORM_REF',
      'env.PD_PLATFORM_REPOSITORY',
      'github.event.before',
      'github.event_name',
      'github.repository',
      'github.run_attempt',
      'github.run_id',
      'github.token',
      'github.workspace',
      'secrets.CLOUDFLARE_ACCOUNT_ID',
      'secrets.CLOUDFLARE_API_TOKEN',
      'secrets.DATABASE_URL',
      'secrets.PD_PLATFORM_TOKEN || github.token',
      'secrets.RESEND_API_KEY',
      'steps.base.outputs.commit',
      'steps.base.outputs.since',
      'vars.EMAIL_FROM',
      'vars.PD_PORTAL_URL',
    ]);
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
  let opened: OpenedDatabase;
  let socket: PGLiteSocketServer;
  let databaseUrl: string;
  let unmigrated: string;
  let resend: Server;
  let resendUrl: string;
  /** The emails the stand-in Resend accepted. */
  const sent: { to: string[]; subject: string; text: string }[] = [];
  const zero = '0'.repeat(40);

  interface Run {
    base: string;
    deployed: string[];
    log: string;
    failed: boolean;
    /** The steps that ran, in order. */
    ran: string[];
  }
  interface RunOptions {
    before?: string;
    lastSuccess?: string;
    /** The start time of the last successful hourly run, as `gh run list` gives it. */
    lastScheduled?: string;
    /** The reminder settings as the repository has them (all four set, by default). */
    settings?: Partial<Record<'secrets.DATABASE_URL' | 'secrets.RESEND_API_KEY' | 'vars.EMAIL_FROM' | 'vars.PD_PORTAL_URL', string>>;
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

  /** The Actions cache: key → saved folder, oldest first. */
  const cache = new Map<string, string>();
  let runId = 1000;

  /** What actions/cache/restore and actions/cache/save do, with the cache in a folder. */
  async function cacheStep(s: Step, ctx: Record<string, string>): Promise<string> {
    const dir = path.join(workspace, String(s.with!.path));
    const key = resolve(String(s.with!.key), ctx);
    if (s.uses!.startsWith('actions/cache/save@')) {
      // Entries are immutable: a key already saved is kept as it is.
      if (cache.has(key)) return `Cache ${key} already exists.\n`;
      const saved = path.join(workspace, 'cache', key);
      await cp(dir, saved, { recursive: true });
      cache.set(key, saved);
      return `Saved ${key}.\n`;
    }
    await rm(dir, { recursive: true, force: true });
    const prefix = String(s.with!['restore-keys'] ?? '');
    const hit = cache.has(key) ? key : [...cache.keys()].filter((k) => prefix && k.startsWith(prefix)).at(-1);
    if (!hit) return 'Cache not found.\n';
    await cp(cache.get(hit)!, dir, { recursive: true });
    return `Restored ${hit}.\n`;
  }

  /** One run of the job on a fresh runner (no revisions yet), as `event`. */
  async function run(event: 'push' | 'schedule', o: RunOptions = {}): Promise<Run> {
    const runner = await mkdtemp(path.join(workspace, 'runner-'));
    await rm(path.join(workspace, 'tick-state'), { recursive: true, force: true });
    const extra = {
      PD_STORE_DIR: path.join(runner, 'sites'),
      PD_DIST_DIR: path.join(runner, 'dist'),
      PD_DATABASE_DIR: path.join(runner, 'db'),
      PD_OUTBOX_DIR: path.join(runner, 'outbox'),
      RESEND_API_URL: resendUrl,
      FAKE_GH_LAST_SUCCESS: o.lastSuccess ?? '',
      FAKE_GH_LAST_SCHEDULED: o.lastScheduled ?? '',
      ...Object.fromEntries(Object.entries(cf.env).filter(([k]) => !k.startsWith('CLOUDFLARE_'))),
    };
    const ctx: Record<string, string> = {
      'github.workspace': workspace,
      'github.event_name': event,
      'github.event.before': event === 'push' ? (o.before ?? zero) : '',
      'github.token': 'fake-github-token',
      'github.repository': 'example/content',
      'github.run_id': String(++runId),
      'github.run_attempt': '1',
      'secrets.CLOUDFLARE_API_TOKEN': cf.token,
      'secrets.CLOUDFLARE_ACCOUNT_ID': cf.accountId,
      'secrets.DATABASE_URL': databaseUrl,
      'secrets.RESEND_API_KEY': 're_fake_key',
      'vars.EMAIL_FROM': 'Practice Digital <no-reply@example.test>',
      'vars.PD_PORTAL_URL': 'https://portal.example.test',
      ...o.settings,
    };
    const calls = (await cf.calls()).length;
    let log = '';
    let failed = false;
    const ran: string[] = [];
    for (const s of steps) {
      // Checkouts, Node and npm ci are the runner's; this checkout is the platform, installed.
      if (['Check the platform pin', 'Install the platform'].includes(s.name) || (s.uses && !s.uses.startsWith('actions/cache/'))) continue;
      // After a failure only the steps whose condition starts with always() run.
      if (failed && !s.if?.startsWith('always()')) continue;
      if (s.if) {
        const condition = conditions[s.if];
        expect(condition, `the condition of "${s.name}"`).toBeDefined();
        if (!condition!(ctx)) continue;
      }
      ran.push(s.name);
      if (s.uses) {
        log += `--- ${s.name}\n${await cacheStep(s, ctx)}`;
        continue;
      }
      const r = await runStep(s, ctx, extra);
      log += `--- ${s.name}\n${r.output}`;
      for (const [k, v] of Object.entries(r.outputs)) if (s.id) ctx[`steps.${s.id}.outputs.${k}`] = v;
      if (r.status !== 0) failed = true;
    }
    const deployed = (await cf.calls()).slice(calls).map((c) => c.args[c.args.indexOf('--project-name') + 1]!);
    return { base: ctx['steps.base.outputs.commit'] ?? '', deployed: deployed.sort(), log, failed, ran };
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
    // A stand-in gh: says which commit the last successful run published, or for the hourly runs
    // when the last successful one started (or nothing).
    bin = path.join(workspace, 'bin');
    await mkdir(bin);
    await writeFile(
      path.join(bin, 'gh'),
      [
        '#!/bin/sh',
        'case "$*" in',
        '  *"--event schedule --status success --limit 1 --json createdAt"*) printf "%s\\n" "$FAKE_GH_LAST_SCHEDULED" ;;',
        '  *"--status success --limit 1 --json headSha"*) printf "%s\\n" "$FAKE_GH_LAST_SUCCESS" ;;',
        '  *) echo "the stand-in gh does not know: $*" >&2; exit 1 ;;',
        'esac',
        '',
      ].join('\n'),
    );
    await chmod(path.join(bin, 'gh'), 0o755);
    cf = await fakeCloudflare();

    // The portal's database, reached over the wire as Supabase would be: both practices, their people.
    opened = await openDatabase({ root: repo });
    const reader = fsReader(content.dir);
    const practices = await Promise.all(['riverside', 'fellside'].map(async (slug) => ({ slug, profile: (await loadPractice(reader, slug)).practice!.profile })));
    await registerPractices(opened.db, 'register the practices for the publish workflow test', practices);
    await seedDemoMembers(opened.owner, async () => randomUUID());
    // Migrating is the deploy's job, not the hourly run's: forget the newest one, and check below
    // that the run neither applies it again nor records it.
    unmigrated = (await opened.owner.query<{ version: string }>('select max(version) as version from supabase_migrations.schema_migrations'))[0]!.version;
    await opened.owner.query('delete from supabase_migrations.schema_migrations where version = $1', [unmigrated]);
    const dbPort = await freePort();
    socket = new PGLiteSocketServer({ db: opened.pglite!, host: '127.0.0.1', port: dbPort, maxConnections: 8 });
    await socket.start();
    databaseUrl = `postgres://postgres:postgres@127.0.0.1:${dbPort}/postgres`;

    // A stand-in Resend: records each POST /emails and answers as Resend does.
    resend = createServer((req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c));
      req.on('end', () => {
        if (req.method !== 'POST' || req.url !== '/emails' || req.headers.authorization !== 'Bearer re_fake_key') {
          res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"name":"not_found"}');
          return;
        }
        const body = JSON.parse(data) as { to: string | string[]; subject: string; text: string };
        sent.push({ to: [body.to].flat(), subject: body.subject, text: body.text });
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ id: `email_${sent.length}` }));
      });
    });
    await new Promise<void>((r) => resend.listen(0, '127.0.0.1', r));
    resendUrl = `http://127.0.0.1:${(resend.address() as { port: number }).port}`;
  }, 120_000);

  afterAll(async () => {
    await new Promise((r) => resend?.close(r));
    await socket?.stop();
    await opened?.close();
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
    // A push never runs the scheduled job nor touches its record.
    expect(r.ran).toEqual(pushSteps);
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

  const utcDay = (t: number) => new Date(t).toISOString().slice(0, 10);
  const addDays = (ymd: string, n: number) => utcDay(Date.parse(`${ymd}T12:00:00Z`) + n * 86_400_000);
  /** Waits while the UTC day is within 100 s of changing, so a run cannot straddle midnight. */
  const awayFromMidnight = async () => {
    const intoDay = Date.now() % 86_400_000;
    const wait = intoDay < 100_000 ? 100_000 - intoDay : intoDay > 86_300_000 ? 86_400_000 - intoDay + 100_000 : 0;
    if (wait) await new Promise((r) => setTimeout(r, wait));
  };
  const pushSteps = ['Check the content', 'Decide what to build', 'Build', 'Deploy'];

  it('decides the hourly run from the last successful hourly run: every practice on the first of each day (UTC), then pd tick', async () => {
    await awayFromMidnight();
    const decide = async (event: string, lastScheduled: string) => {
      const r = await runStep(step('Decide what to build'), { 'github.event_name': event, 'github.event.before': '', 'github.token': 't', 'github.repository': 'example/content', 'github.workspace': workspace }, { FAKE_GH_LAST_SCHEDULED: lastScheduled });
      expect(r.status, r.output).toBe(0);
      return r.outputs;
    };
    const earlierToday = new Date(Date.now() - 60_000).toISOString();
    const yesterday = `${addDays(utcDay(Date.now()), -1)}T23:17:41Z`;
    expect(await decide('schedule', earlierToday)).toEqual({ commit: '', build: 'false', tick: 'true', since: earlierToday });
    expect(await decide('schedule', yesterday)).toEqual({ commit: '', build: 'true', tick: 'true', since: yesterday });
    // No successful hourly run yet, or an answer that is not a time: build everything, tick with no --since.
    expect(await decide('schedule', '')).toEqual({ commit: '', build: 'true', tick: 'true', since: '' });
    expect(await decide('schedule', 'null; rm -rf /')).toEqual({ commit: '', build: 'true', tick: 'true', since: '' });
    // By hand: everything, and no reminders.
    expect(await decide('workflow_dispatch', earlierToday)).toEqual({ commit: '', build: 'true', tick: 'false', since: '' });
  });

  it('the first hourly run of a day builds every practice, deploys only what changed, and reminds the managers of a page due for review', async () => {
    const published = head;
    const today = utcDay(Date.now());
    const reviewBy = addDays(today, 5);
    head = await change(
      'content/practices/riverside/pages/appointments.md',
      (t) => t.replace(/last_reviewed: .*/, `last_reviewed: ${addDays(today, -100)}`).replace(/review_by: .*/, `review_by: ${reviewBy}`),
      'Riverside: appointments due for review',
    );
    const pushed = await run('push', { before: published, lastSuccess: published });
    expect(pushed.failed, pushed.log).toBe(false);
    expect(pushed.ran).toEqual(pushSteps);
    expect(sent).toEqual([]);

    await awayFromMidnight();
    const r = await run('schedule', { lastScheduled: `${addDays(utcDay(Date.now()), -1)}T23:17:41Z` });
    expect(r.failed, r.log).toBe(false);
    expect(r.ran).toEqual(['Check the content', 'Decide what to build', 'Build', restoreStep, tickStep, saveStep, 'Deploy']);
    expect(r.log).toMatch(/The first hourly run today: building every practice/);
    expect(r.log).toMatch(/Built 2 of 2 practices/);
    expect(r.log).toMatch(/riverside: up to date/);
    expect(r.log).toMatch(/fellside: up to date/);
    expect(r.deployed).toEqual([]);
    expect(sent).toEqual([{ to: ['manager@riverside.example.nhs.uk'], subject: '1 page is due for review on the Riverside Medical Practice website', text: expect.stringMatching(/Appointments at Riverside: due by .* \(in [45] days\)[\s\S]*https:\/\/portal\.example\.test\/site\//) }]);

    expect(await opened.owner.query('select version from supabase_migrations.schema_migrations where version = $1', [unmigrated])).toEqual([]);

    expect(r.log).toMatch(/--- Restore the record of reminders sent\nCache not found\./);
    const key = `pd-tick-state-${runId}-1`;
    expect([...cache.keys()]).toEqual([key]);
    const record = JSON.parse(await readFile(path.join(cache.get(key)!, 'reminders-sent.json'), 'utf8')) as { sent: Record<string, string> };
    expect(Object.keys(record.sent)).toEqual([`riverside|content/practices/riverside/pages/appointments.md|${reviewBy}|week`]);
  }, 300_000);

  it('a later hourly run rebuilds and deploys only what time changed, and sends no reminder twice', async () => {
    await awayFromMidnight();
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const since = new Date(minute - 55_000).toISOString();
    const starts = `${new Date(minute).toISOString().slice(0, 16)}Z`;
    const expires = `${new Date(minute + 3 * 86_400_000).toISOString().slice(0, 16)}Z`;
    head = await change(
      'content/practices/fellside/notices/extra-flu-clinic.md',
      () => `---\ntitle: An extra flu clinic this week\nseverity: info\nstarts: '${starts}'\nexpires: '${expires}'\nplacement: all\nclinical: false\n---\nWe have added an extra flu clinic this week. Ask at reception or use our online form to book.\n`,
      'Fellside: a notice from this minute',
    );
    const previous = [...cache.keys()].at(-1)!;
    const r = await run('schedule', { lastScheduled: since });
    expect(r.failed, r.log).toBe(false);
    expect(r.ran).toEqual(['Check the content', 'Decide what to build', restoreStep, tickStep, saveStep, 'Deploy']);
    expect(r.log).toMatch(new RegExp(`Rebuilding what time has changed since ${since.replace(/\./g, '\\.')}`));
    expect(r.log).toMatch(/fellside: rebuilding \(1 scheduled change since it was built at /);
    expect(r.log).toMatch(/riverside: up to date/);
    expect(r.deployed).toEqual(['pd-fellside']);
    expect(r.log).toContain(`Restored ${previous}.`);
    expect(r.log).toMatch(/No review reminders to send\./);
    expect(sent).toHaveLength(1);
    expect(cache.size).toBe(2);
  }, 300_000);

  it('without the reminder settings the hourly run still runs pd tick and deploys, sends and records nothing, and fails naming them', async () => {
    cache.clear(); // as if the cache had been evicted: the reminder is due again
    await awayFromMidnight();
    const r = await run('schedule', {
      lastScheduled: new Date(Date.now() - 30_000).toISOString(),
      settings: { 'secrets.DATABASE_URL': '', 'secrets.RESEND_API_KEY': '', 'vars.EMAIL_FROM': '', 'vars.PD_PORTAL_URL': '' },
    });
    expect(r.failed).toBe(true);
    expect(r.ran).toEqual(['Check the content', 'Decide what to build', restoreStep, tickStep, saveStep, 'Deploy', failStep]);
    expect(r.log).toMatch(/::error::Set DATABASE_URL RESEND_API_KEY EMAIL_FROM PD_PORTAL_URL \(repository secrets/);
    expect(r.log).toMatch(/riverside: 1 page\(s\) due for review, but the practice has no active practice manager to tell/);
    expect(sent).toHaveLength(1);
    const saved = cache.get(`pd-tick-state-${runId}-1`)!;
    await expect(stat(path.join(saved, 'reminders-sent.json'))).rejects.toThrow(/ENOENT/);
  }, 300_000);

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
