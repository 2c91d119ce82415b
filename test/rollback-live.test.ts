// `pd rollback live`: switching a practice's live revision back here at once (logged as a
// rollback), refusing revisions that are not the practice's own without changing anything, and
// with --production finding the Pages deployment made from the revision's commit and rolling the
// project back to it (with --dry-run: saying so, changing nothing).
import { mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { deploy } from '../build/cli/commands/deploy.ts';
import { rollback } from '../build/cli/commands/rollback.ts';
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
let first: Manifest;
let second: Manifest;
let third: Manifest;
let fellside: Manifest;
const saved = { ...process.env };

const setEnv = (vars: Record<string, string | undefined>) => {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
};
const restoreEnv = (to: NodeJS.ProcessEnv) => {
  for (const k of Object.keys(process.env)) if (!(k in to)) delete process.env[k];
  setEnv(to);
};

async function pd(command: typeof rollback, args: string[], env: Record<string, string | undefined> = {}) {
  const before = { ...process.env };
  setEnv(env);
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
  try {
    const code = await command.run(args);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
    restoreEnv(before);
  }
}

async function build(practice: string): Promise<Manifest> {
  const report = await buildSites({ root: repo, contentRoot: content.dir, settings, store, practices: [practice], now: new Date() });
  expect(report.practices[0]!.ok).toBe(true);
  return report.practices[0]!.manifest!;
}

async function commitTitle(title: string) {
  const file = path.join(content.dir, 'content/practices/riverside/pages/appointments.md');
  await writeFile(file, (await readFile(file, 'utf8')).replace(/^title: .*$/m, `title: ${title}`));
  content.git('commit', '-q', '-am', `Retitle appointments: ${title}`);
}

const servedTitle = async () => /<title>([^<]*)/.exec(await readFile(path.join(settings.distDir, 'riverside/appointments/index.html'), 'utf8'))?.[1];

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pd-rollback-'));
  content = await contentRepo(['riverside', 'fellside']);
  cf = await fakeCloudflare();
  setEnv({ PD_STORE_DIR: path.join(tmp, 'store'), PD_DIST_DIR: path.join(tmp, 'dist'), PD_CONTENT_ROOT: content.dir, ...cf.env });
  settings = loadSettings(repo);
  store = revisionStore(settings.storeDir);
  // Three revisions of Riverside, each from its own commit and each deployed; one of Fellside.
  await commitTitle('Appointments, first');
  first = await build('riverside');
  expect((await pd(deploy, ['riverside'])).code).toBe(0);
  await commitTitle('Appointments, second');
  second = await build('riverside');
  expect((await pd(deploy, ['riverside'])).code).toBe(0);
  await commitTitle('Appointments, third');
  third = await build('riverside');
  expect((await pd(deploy, ['riverside'])).code).toBe(0);
  fellside = await build('fellside');
}, 120_000);

afterAll(async () => {
  restoreEnv(saved);
  await cf?.close();
  await content?.remove();
  await rm(tmp, { recursive: true, force: true });
});

describe('pd rollback live, here', () => {
  it('switches the live revision at once and logs it as a rollback', async () => {
    expect(await store.live('riverside')).toBe(third.revision);
    expect(await servedTitle()).toMatch(/^Appointments, third/);
    const r = await pd(rollback, ['live', 'riverside', '--to', first.revision]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`riverside: revision ${first.revision} (commit ${first.commit.slice(0, 7)}, built ${first.builtAt}) is live here again; it was ${third.revision}.`);
    expect(await store.live('riverside')).toBe(first.revision);
    expect(await servedTitle()).toMatch(/^Appointments, first/);
    const last = (await store.liveHistory('riverside')).at(-1)!;
    expect(last).toMatchObject({ revision: first.revision, reason: 'rollback' });
    expect(Date.now() - Date.parse(last.at)).toBeLessThan(60_000);
  });

  it('says so, and logs nothing, when the revision is already live', async () => {
    const history = (await store.liveHistory('riverside')).length;
    const r = await pd(rollback, ['live', 'riverside', '--to', first.revision]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/is already live here; nothing switched/);
    expect(await store.liveHistory('riverside')).toHaveLength(history);
  });

  it("refuses an unknown revision, another practice's, or a path, and changes nothing", async () => {
    const history = await store.liveHistory('riverside');
    const unknown = await pd(rollback, ['live', 'riverside', '--to', '20260101T000000Z-0000000000']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(
      `pd rollback: riverside has no revision "20260101T000000Z-0000000000"; its newest are ${[third, second, first].map((m) => m.revision).join(', ')}. Nothing was changed.`,
    );
    const other = await pd(rollback, ['live', 'riverside', '--to', fellside.revision]);
    expect(other.code).toBe(1);
    expect(other.stderr).toBe(`pd rollback: revision ${fellside.revision} belongs to fellside, not riverside. Nothing was changed.`);
    const sneaky = await pd(rollback, ['live', 'riverside', '--to', `../../fellside/revisions/${fellside.revision}`]);
    expect(sneaky.code).toBe(1);
    expect(sneaky.stderr).toMatch(/riverside has no revision/);
    const missing = await pd(rollback, ['live', 'riverside']);
    expect(missing.stderr).toMatch(/say which revision to go back to with --to; riverside's newest are /);
    expect((await pd(rollback, ['live', '--to', first.revision])).stderr).toMatch(/name one practice/);
    expect(await store.live('riverside')).toBe(first.revision);
    expect(await store.live('fellside')).toBe(fellside.revision);
    expect(await store.liveHistory('riverside')).toEqual(history);
  });

  it('refuses anything but live or content, and content without --to', async () => {
    const bare = await pd(rollback, ['content', 'riverside']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/^Usage: pd rollback content <practice> --to <commit>/);
    const other = await pd(rollback, ['everything']);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/say what to roll back: "pd rollback live <practice> --to <revision>" or "pd rollback content <practice> --to <commit>"/);
  });
});


describe('pd rollback live --production', () => {
  const deploymentOf = (m: Manifest) => cf.projects.get('pd-riverside')!.find((d) => d.deployment_trigger.metadata.commit_hash === m.commit)!;

  it('--dry-run names the deployment made from the revision and the request it would send, and changes nothing', async () => {
    const history = await store.liveHistory('riverside');
    const target = deploymentOf(second);
    const r = await pd(rollback, ['live', 'riverside', '--to', second.revision, '--production', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      `riverside: would roll pd-riverside back to deployment ${target.id} (commit ${second.commit.slice(0, 7)}, deployed ${target.created_on.slice(0, 16).replace('T', ' ')} UTC).`,
      `  would send: POST /accounts/$CLOUDFLARE_ACCOUNT_ID/pages/projects/pd-riverside/deployments/${target.id}/rollback`,
      `riverside: would switch the live revision here from ${first.revision} to ${second.revision}, logged as a rollback.`,
    ]);
    expect(r.stderr).toBe('Dry run: nothing was changed.');
    expect(cf.requests.filter((q) => q.method !== 'GET')).toEqual([]);
    expect(cf.live.size).toBe(0);
    expect(await store.live('riverside')).toBe(first.revision);
    expect(await store.liveHistory('riverside')).toEqual(history);
  });

  it('--dry-run without the secrets says what it would look for', async () => {
    const r = await pd(rollback, ['live', 'riverside', '--to', second.revision, '--production', '--dry-run'], { CLOUDFLARE_API_TOKEN: undefined });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`^riverside: would roll pd-riverside back to its production deployment made from commit ${second.commit.slice(0, 7)} \\(revision ${second.revision}\\); not looked up, as CLOUDFLARE_API_TOKEN is not set$`, 'm'),
    );
  });

  it('rolls the Pages project back to that deployment, then switches here', async () => {
    const target = deploymentOf(second);
    const r = await pd(rollback, ['live', 'riverside', '--to', second.revision, '--production']);
    expect(r.code, r.stderr).toBe(0);
    expect(cf.requests.filter((q) => q.method === 'POST')).toEqual([
      { method: 'POST', path: `/client/v4/accounts/${cf.accountId}/pages/projects/pd-riverside/deployments/${target.id}/rollback`, authorized: true },
    ]);
    expect(cf.live.get('pd-riverside')).toBe(target.id);
    expect(r.stdout).toMatch(new RegExp(`^riverside: pd-riverside serves deployment ${target.id} \\(commit ${second.commit.slice(0, 7)}, deployed .* UTC\\) again\\.$`, 'm'));
    expect(await store.live('riverside')).toBe(second.revision);
    expect((await store.liveHistory('riverside')).at(-1)).toMatchObject({ revision: second.revision, reason: 'rollback' });
    // Nothing was uploaded or built: the rollback reuses the deployment.
    expect((await cf.calls()).length).toBe(3);
  });

  it('refuses a revision no production deployment was made from, changing nothing here or there', async () => {
    // A rebuild of an older commit that was never deployed.
    content.git('checkout', '-q', '-b', 'old', 'HEAD~3');
    let old: Manifest;
    try {
      old = await build('riverside');
    } finally {
      content.git('checkout', '-q', 'main');
    }
    await store.switchLive('riverside', second.revision, 'rollback');
    const history = await store.liveHistory('riverside');
    const posts = cf.requests.filter((q) => q.method === 'POST').length;
    const r = await pd(rollback, ['live', 'riverside', '--to', old.revision, '--production']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(`^pd rollback: no successful production deployment of pd-riverside was made from commit ${old.commit.slice(0, 7)} \\(revision ${old.revision}\\) among the newest 3; the newest are [0-9a-f]{8} \\(commit ${third.commit.slice(0, 7)}, `),
    );
    expect(r.stderr).toMatch(/Nothing was changed\.$/);
    expect(cf.requests.filter((q) => q.method === 'POST').length).toBe(posts);
    expect(await store.live('riverside')).toBe(second.revision);
    expect(await store.liveHistory('riverside')).toEqual(history);
  });

  it('refuses without the secrets', async () => {
    const r = await pd(rollback, ['live', 'riverside', '--to', third.revision, '--production'], { CLOUDFLARE_ACCOUNT_ID: undefined });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^pd rollback: CLOUDFLARE_ACCOUNT_ID is not set in the environment\./);
    expect(await store.live('riverside')).toBe(second.revision);
    expect(await realpath(path.join(settings.distDir, 'riverside'))).toBe(await realpath(path.join(store.root, 'riverside', 'revisions', second.revision)));
  });
});

describe('pd rollback content', () => {
  it('restores the content as at an earlier commit (short id), as a new commit with Rollback-of, and publishes it', async () => {
    const before = content.git('rev-parse', 'HEAD~2');
    const title = /^title: (.*)$/m.exec(content.show(before, 'content/practices/riverside/pages/appointments.md'))![1];
    const r = await pd(rollback, ['content', 'riverside', '--to', before.slice(0, 8), '--as', 'Ops Person <ops@example.nhs.uk>']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Rolled back riverside to ${before.slice(0, 7)} as commit [0-9a-f]{7} \\(1 file\\):`));
    expect(content.git('log', '-1', '--format=%an <%ae>|%s|%(trailers:key=Rollback-of,valueonly)%(trailers:key=Role,valueonly)', 'main')).toBe(
      `Ops Person <ops@example.nhs.uk>|Roll back riverside to ${before.slice(0, 7)}|${before}\ndeveloper`,
    );
    // The working folder follows main, and the rebuilt site shows the restored title.
    expect(content.git('status', '--porcelain')).toBe('');
    expect(await servedTitle()).toContain(title);
  });

  it('refuses an unknown commit, another practice\'s change and a missing author, changing nothing', async () => {
    const fell = path.join(content.dir, 'content/practices/fellside/pages/appointments.md');
    await writeFile(fell, `${await readFile(fell, 'utf8')}\nFellside only.\n`);
    content.git('commit', '-q', '-am', 'Fellside only');
    const head = content.git('rev-parse', 'main');
    const unknown = await pd(rollback, ['content', 'riverside', '--to', 'deadbeef', '--as', 'A <a@b.nhs.uk>']);
    expect([unknown.code, unknown.stderr]).toEqual([2, 'Commit "deadbeef" is not in this repository (or the short id is ambiguous): give more of it.']);
    const other = await pd(rollback, ['content', 'riverside', '--to', head, '--as', 'A <a@b.nhs.uk>']);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/did not change riverside/);
    const who = await pd(rollback, ['content', 'riverside', '--to', head, '--as', 'nobody']);
    expect(who.stderr).toMatch(/--as must look like "Name <email>"/);
    expect((await pd(rollback, ['content', 'nowhere', '--to', head])).stderr).toMatch(/There is no practice "nowhere"/);
    expect(content.git('rev-parse', 'main')).toBe(head);
  });
});
