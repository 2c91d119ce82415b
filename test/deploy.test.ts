// `pd deploy` against a stand-in Cloudflare: the exact wrangler arguments, skipping a deploy when
// the published output is unchanged (even across rebuilds of the same commit), refusing without
// the secrets, and --dry-run changing nothing.
import { mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { deploy } from '../build/cli/commands/deploy.ts';
import { deployMessage, readDeployMessage } from '../build/deploy/deploy-message.ts';
import { publishedOutput } from '../build/deploy/published-output.ts';
import { buildSites } from '../build/pipeline/build-sites.ts';
import { loadSettings, type Settings } from '../build/node/settings.ts';
import { revisionStore, type Manifest, type RevisionStore } from '../build/publish/revision-store.ts';
import { contentRepo, type ContentRepo } from './support/content-repo.ts';
import { repo } from './support/demo-site.ts';
import { fakeCloudflare, type FakeCloudflare } from './support/fake-wrangler.ts';

let tmp: string;
let content: ContentRepo;
let cf: FakeCloudflare;
let settings: Settings;
let store: RevisionStore;
const saved = { ...process.env };
const everything: string[] = [];

const setEnv = (vars: Record<string, string | undefined>) => {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
};
/** Puts process.env back as it was (the same object: child processes read it). */
const restoreEnv = (to: NodeJS.ProcessEnv) => {
  for (const k of Object.keys(process.env)) if (!(k in to)) delete process.env[k];
  setEnv(to);
};

/** Runs `pd deploy` in this process, collecting what it prints. */
async function pd(args: string[], env: Record<string, string | undefined> = {}) {
  const before = { ...process.env };
  setEnv(env);
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
  try {
    const code = await deploy.run(args);
    everything.push(...out, ...err);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
    restoreEnv(before);
  }
}

async function build(practices: string[]): Promise<Manifest[]> {
  const report = await buildSites({ root: repo, contentRoot: content.dir, settings, store, practices, now: new Date() });
  for (const p of report.practices) expect(p.ok, `${p.slug}: ${JSON.stringify(p.problems.slice(0, 3))}`).toBe(true);
  return report.practices.map((p) => p.manifest!);
}

const commitEdit = async (file: string, from: string | RegExp, to: string) => {
  const full = path.join(content.dir, file);
  const text = await readFile(full, 'utf8');
  const next = text.replace(from, to);
  expect(next, `the test's edit of ${file}`).not.toBe(text);
  await writeFile(full, next);
  content.git('commit', '-q', '-am', `Edit ${path.basename(file)}`);
  return content.git('rev-parse', 'HEAD');
};

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pd-deploy-'));
  content = await contentRepo(['riverside', 'fellside']);
  cf = await fakeCloudflare();
  setEnv({ PD_STORE_DIR: path.join(tmp, 'store'), PD_DIST_DIR: path.join(tmp, 'dist'), PD_CONTENT_ROOT: content.dir, ...cf.env });
  settings = loadSettings(repo);
  store = revisionStore(settings.storeDir);
  await build(['riverside', 'fellside']);
}, 120_000);

afterEach(() => vi.restoreAllMocks());

afterAll(async () => {
  restoreEnv(saved);
  await cf?.close();
  await content?.remove();
  await rm(tmp, { recursive: true, force: true });
  // Whatever happened, no secret value was ever printed.
  expect(everything.join('\n')).not.toContain(cf.token);
});

describe('pd deploy --dry-run', () => {
  it('prints the exact wrangler command and why, and runs nothing', async () => {
    const r = await pd(['riverside', '--dry-run'], { CLOUDFLARE_API_TOKEN: undefined, CLOUDFLARE_ACCOUNT_ID: undefined });
    expect(r.code).toBe(0);
    const live = (await store.live('riverside'))!;
    const manifest = (await store.list('riverside')).find((m) => m.revision === live)!;
    const folder = await realpath((await store.liveFolder('riverside'))!);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`riverside: would deploy revision ${live} to Pages project pd-riverside, branch main`);
    expect(lines[1]).toMatch(/^ {2}why: not checked \(CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID not set\): a real deploy skips it if the newest deployment on main already serves output sha256:[0-9a-f]{64}$/);
    const { outputHash, securityTxtExpires } = await publishedOutput(folder, manifest);
    expect(lines[2]).toBe(
      `  would run: ${cf.wrangler} pages deploy ${folder} --project-name pd-riverside --branch main --commit-hash ${manifest.commit} ` +
        `--commit-message 'pd: riverside revision ${live} output sha256:${outputHash} security.txt expires ${securityTxtExpires} | Demo content' --commit-dirty=false`,
    );
    expect(lines[3]).toMatch(/empty scratch folder, with WRANGLER_SEND_METRICS=false/);
    expect(r.stderr).toMatch(/Dry run: 1 would be deployed, 0 skipped; nothing was changed\./);
    expect(await cf.calls()).toEqual([]);
    expect(cf.requests).toEqual([]);
  });

  it('with the secrets set, reads the newest deployment (and only reads) to say whether it would deploy', async () => {
    const r = await pd(['riverside', 'fellside', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^riverside: would deploy revision \S+ to Pages project pd-riverside, branch main\n {2}why: pd-riverside has no successful deployment on branch main yet$/m);
    expect(r.stdout).toMatch(/^fellside: would deploy /m);
    expect(cf.requests.length).toBe(2);
    expect(cf.requests.every((q) => q.method === 'GET' && q.authorized && q.path.includes('/deployments?env=production'))).toBe(true);
    expect(await cf.calls()).toEqual([]);
    cf.requests.length = 0;
  });
});

describe('pd deploy', () => {
  let deployedOutput: string;

  it("runs wrangler pages deploy on the live revision, from a scratch folder, with the revision's commit", async () => {
    const r = await pd(['riverside']);
    expect(r.code, r.stderr).toBe(0);
    const [call, ...more] = await cf.calls();
    expect(more).toEqual([]);
    const live = (await store.live('riverside'))!;
    const manifest = (await store.list('riverside')).find((m) => m.revision === live)!;
    expect(call!.args.slice(0, 9)).toEqual(['pages', 'deploy', await realpath((await store.liveFolder('riverside'))!), '--project-name', 'pd-riverside', '--branch', 'main', '--commit-hash', manifest.commit]);
    expect(manifest.commit).toBe(content.git('rev-parse', 'HEAD'));
    expect(call!.args[9]).toBe('--commit-message');
    expect(call!.args[11]).toBe('--commit-dirty=false');
    expect(call!.args).toHaveLength(12);
    expect(call!.metrics).toBe('false');
    expect(call!.hasToken && call!.hasAccount).toBe(true);
    expect(path.resolve(call!.cwd).startsWith(path.resolve(repo))).toBe(false);
    // The site's Functions (the chatbot's /api/chat) go up with it.
    expect(call!.functions).toContain(path.join('api', 'chat.ts'));
    const marks = readDeployMessage(call!.args[10])!;
    expect(marks).toMatchObject({ practice: 'riverside', revision: live });
    // The output hash leaves out security.txt's Expires, so it is not the revision's contentHash.
    expect(marks.outputHash).not.toBe(manifest.contentHash);
    deployedOutput = marks.outputHash;
    const deployments = cf.projects.get('pd-riverside')!;
    expect(deployments.map((d) => [d.environment, d.deployment_trigger.metadata.commit_hash])).toEqual([['production', manifest.commit]]);
    expect(r.stdout).toMatch(/^riverside: deploying revision \S+ to Pages project pd-riverside, branch main: pd-riverside has no successful deployment on branch main yet\.$/m);
    expect(r.stdout).toMatch(/^riverside: deployed revision \S+ \(commit [0-9a-f]{7}\) to pd-riverside\.$/m);
    expect(r.stderr).toMatch(/Deployed 1, skipped 0 \(output unchanged\), failed 0\./);
  });

  it('deploys nothing when the output is what was last deployed', async () => {
    const r = await pd(['riverside']);
    expect(r.code).toBe(0);
    expect(await cf.calls()).toHaveLength(1);
    expect(r.stdout).toMatch(/^riverside: nothing to deploy: deployment [0-9a-f]{8} \(revision \S+, commit [0-9a-f]{7}\) already serves this output \(sha256:[0-9a-f]{12}…\)\.$/m);
    expect(r.stderr).toMatch(/Deployed 0, skipped 1/);
  });

  it('deploys nothing for a rebuild of the same commit at a later moment, though its contentHash differs', async () => {
    const before = (await store.list('riverside')).at(-1)!;
    await new Promise((r) => setTimeout(r, 1100)); // security.txt's Expires is to the second
    const [again] = await build(['riverside']);
    expect(again!.revision).not.toBe(before.revision);
    expect(again!.contentHash).not.toBe(before.contentHash);
    const changed = Object.keys(again!.files).filter((f) => again!.files[f] !== before.files[f]);
    expect(changed).toEqual(['.well-known/security.txt']);
    const r = await pd(['riverside']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/nothing to deploy/);
    expect(await cf.calls()).toHaveLength(1);
  });

  it('deploys when a commit changes what patients see', async () => {
    const commit = await commitEdit('content/practices/riverside/pages/appointments.md', /^title: .*$/m, 'title: Booking an appointment');
    await build(['riverside']);
    const r = await pd(['riverside']);
    expect(r.code, r.stderr).toBe(0);
    const calls = await cf.calls();
    expect(calls).toHaveLength(2);
    expect(calls[1]!.args[8]).toBe(commit);
    expect(r.stdout).toMatch(new RegExp(`the published output changed since deployment [0-9a-f]{8} \\(revision \\S+\\): sha256:${deployedOutput.slice(0, 12)}… → sha256:[0-9a-f]{12}…`));
  });

  it('--all deploys every practice with a live revision, each only if changed', async () => {
    const r = await pd(['--all']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^fellside: deployed /m);
    expect(r.stdout).toMatch(/^riverside: nothing to deploy/m);
    expect((await cf.calls()).map((c) => c.args[4])).toEqual(['pd-riverside', 'pd-riverside', 'pd-fellside']);
  });

  it('--force deploys unchanged output; --branch deploys a preview, compared only with that branch', async () => {
    expect((await pd(['fellside', '--force'])).code).toBe(0);
    const preview = await pd(['fellside', '--branch', 'staging']);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toMatch(/to Pages project pd-fellside, branch staging \(a preview\): pd-fellside has no successful deployment on branch staging yet/);
    expect((await pd(['fellside', '--branch', 'staging'])).stdout).toMatch(/nothing to deploy/);
    expect(cf.projects.get('pd-fellside')!.map((d) => d.environment)).toEqual(['production', 'production', 'preview']);
  });

  it("renews a deployment whose security.txt is within 60 days of expiring, even with the same output", async () => {
    const last = cf.projects.get('pd-fellside')!.filter((d) => d.environment === 'production').at(-1)!;
    const marks = readDeployMessage(last.deployment_trigger.metadata.commit_message)!;
    const soon = new Date(Date.now() + 20 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
    cf.addDeployment('pd-fellside', { commit: last.deployment_trigger.metadata.commit_hash, message: deployMessage({ ...marks, securityTxtExpires: soon }) });
    const r = await pd(['fellside']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`the output is unchanged, but the security.txt of deployment [0-9a-f]{8} expires on ${soon.slice(0, 10)}, within 60 days; this deploy renews it`));
  });
});

describe('pd deploy refuses', () => {
  it('without the secrets, naming them and nothing else, and runs nothing', async () => {
    const calls = (await cf.calls()).length;
    const r = await pd(['riverside'], { CLOUDFLARE_API_TOKEN: undefined });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^pd deploy: CLOUDFLARE_API_TOKEN is not set in the environment\./);
    expect(r.stderr).toMatch(/Account · Cloudflare Pages · Edit/);
    expect(r.stderr).not.toContain(cf.accountId);
    const both = await pd(['riverside'], { CLOUDFLARE_API_TOKEN: '', CLOUDFLARE_ACCOUNT_ID: undefined });
    expect(both.stderr).toMatch(/CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID are not set/);
    expect(await cf.calls()).toHaveLength(calls);
  });

  it('a Pages project that does not exist, before wrangler could create or guess one', async () => {
    const calls = (await cf.calls()).length;
    const r = await pd(['riverside', '--project', 'pd-nowhere']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/riverside: the Pages project "pd-nowhere" does not exist in this Cloudflare account\. Create it once with: wrangler pages project create pd-nowhere --production-branch main/);
    expect(await cf.calls()).toHaveLength(calls);
  });

  it('a token Cloudflare refuses, and a practice with no live revision', async () => {
    const r = await pd(['riverside', 'nowhere'], { CLOUDFLARE_API_TOKEN: 'wrong' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^riverside: Cloudflare refused the API token when asked to list the deployments of pd-riverside \(HTTP 403: Authentication error\)/m);
    expect(r.stderr).toMatch(/^nowhere: nowhere has no live revision here: build it first with "pd build --practice nowhere"/m);
    expect(r.stderr).toMatch(/failed 2\./);
  });

  it('reports a wrangler failure and exits 1', async () => {
    await commitEdit('content/practices/fellside/pages/appointments.md', /^title: .*$/m, 'title: Appointments at Fellside');
    await build(['fellside']);
    const r = await pd(['fellside'], { FAKE_WRANGLER_FAIL: '1' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^fellside: wrangler stopped with exit code 1 \(its output is above\); the deployment to pd-fellside did not complete$/m);
    const none = await pd(['fellside'], { PD_WRANGLER: path.join(tmp, 'no-wrangler-here') });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^fellside: there is no wrangler at .*no-wrangler-here: run "npm ci" \(or set PD_WRANGLER\)$/m);
  });

  it('a revision built from uncommitted content', async () => {
    const file = path.join(content.dir, 'content/practices/fellside/pages/appointments.md');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(/^title: .*$/m, 'title: Not committed'));
    try {
      await build(['fellside']);
      const r = await pd(['fellside', '--dry-run']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/fellside revision \S+ was built from content that was not committed; production gets committed content only/);
    } finally {
      await writeFile(file, text);
    }
  });

  it('bad arguments and settings, with a sentence saying what to do', async () => {
    expect((await pd([])).stderr).toMatch(/name the practice to deploy, like: pd deploy riverside \(or --all\)/);
    expect((await pd(['riverside', 'fellside', '--project', 'x'])).stderr).toMatch(/--project names the Pages project of one practice/);
    expect((await pd(['riverside'], { PD_PAGES_PROJECT_PREFIX: 'PD_' })).stderr).toMatch(/PD_PAGES_PROJECT_PREFIX may hold only lower-case letters/);
    expect((await pd(['riverside'], { PD_CLOUDFLARE_API_URL: 'https://example.com/client/v4' })).stderr).toMatch(/PD_CLOUDFLARE_API_URL must be https:\/\/api\.cloudflare\.com\/client\/v4/);
    expect((await pd(['../fellside'])).stderr).toMatch(/"\.\.\/fellside" is not a practice slug/);
  });
});
