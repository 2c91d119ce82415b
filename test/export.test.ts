// pd export and pd import as an operator uses them (the commands' run(), real repositories on
// disk checked with the git binary), the published schema checked with Ajv, and the round trip:
// a practice exported, imported into an empty repository and built gives the same site, byte for byte.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { exportCommand } from '../build/cli/commands/export.ts';
import { importCommand } from '../build/cli/commands/import.ts';
import { loadSettings } from '../build/node/settings.ts';
import { buildSites } from '../build/pipeline/build-sites.ts';
import { revisionStore } from '../build/publish/revision-store.ts';
import { exportPractice } from '../lib/export/export-practice.ts';
import type { PracticeExport } from '../lib/export/format.ts';
import { checkExport } from '../lib/export/import-check.ts';
import { schemaValidator } from '../lib/export/json-schema.ts';
import { createLocalGitStore } from '../lib/git-store/local.ts';
import { contentRepo, type ContentRepo } from './support/content-repo.ts';
import { demoNow, repo } from './support/demo-site.ts';

const schema = JSON.parse(await readFile(path.join(repo, 'schemas/json/export.schema.json'), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: true });
const ajvValidate = ajv.compile(schema);
const ourValidate = schemaValidator(schema);
const practiceDir = 'content/practices/riverside';

let tmp: string;
let source: ContentRepo;
let exported: string;
let doc: PracticeExport;
const env = process.env.PD_CONTENT_ROOT;

/** Runs a command as pd would, with what it prints captured. */
async function pd(command: { run(args: string[]): Promise<number> }, args: string[], contentRoot = source.dir) {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
  process.env.PD_CONTENT_ROOT = contentRoot;
  try {
    const code = await command.run(args).catch((e: Error) => (err.push(e.message), 1));
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

const sh = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.test', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' }).trim();

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pd-export-'));
  source = await contentRepo(['riverside']);
  // Text the export must keep exactly: a comment, quoting, key order and Windows line endings.
  const appointments = `${practiceDir}/pages/appointments.md`;
  const text = await readFile(path.join(source.dir, appointments), 'utf8');
  await writeFile(path.join(source.dir, appointments), text.replace(/^title: (.*)$/m, "# The page people look for most\ntitle: '$1'"));
  const news = `${practiceDir}/news/new-phone-system.md`;
  await writeFile(path.join(source.dir, news), (await readFile(path.join(source.dir, news), 'utf8')).replace(/\r?\n/g, '\r\n'));
  source.git('commit', '-q', '-am', 'Quote the appointments title; Windows line endings in a news post');
  // A post taken down and put back: its history counts both changes, as git log does.
  const post = `${practiceDir}/news/patient-group-open-meeting.md`;
  source.git('rm', '-q', post);
  source.git('commit', '-q', '-m', 'Take down the patient group post');
  source.git('checkout', '-q', 'HEAD~1', '--', post);
  source.git('commit', '-q', '-m', 'Put the patient group post back');
  // A CMS-style publish: a draft branch merged into main, so first-parent history is exercised.
  source.git('checkout', '-q', '-b', 'cms/riverside/pages/appointments');
  await writeFile(path.join(source.dir, appointments), (await readFile(path.join(source.dir, appointments), 'utf8')).replace(/\n$/, '\n\nCall us from 8am.\n'));
  execFileSync('git', ['-c', 'user.name=Ed Editor', '-c', 'user.email=editor@riverside.example.nhs.uk', 'commit', '-q', '-am', 'Save draft of "Appointments"'], { cwd: source.dir });
  source.git('checkout', '-q', 'main');
  execFileSync('git', ['-c', 'user.name=Ed Editor', '-c', 'user.email=editor@riverside.example.nhs.uk', 'merge', '-q', '--no-ff', '-m', 'Publish "Appointments"', 'cms/riverside/pages/appointments'], { cwd: source.dir });
  exported = path.join(tmp, 'riverside.json');
  const r = await pd(exportCommand, ['riverside', '--out', exported]);
  expect(r.err).toMatch(/^Exported riverside at [0-9a-f]{7}: \d+ files, 1 media file, 5 commits of history/m);
  expect(r.code).toBe(0);
  doc = JSON.parse(await readFile(exported, 'utf8'));
});
afterAll(async () => {
  if (env === undefined) delete process.env.PD_CONTENT_ROOT;
  else process.env.PD_CONTENT_ROOT = env;
  await source?.remove();
  await rm(tmp, { recursive: true, force: true });
});

describe('pd export', () => {
  it('writes a document the published schema accepts (Ajv, strict), naming its commit and format', () => {
    expect(ajvValidate(doc), ajv.errorsText(ajvValidate.errors)).toBe(true);
    expect(ourValidate(doc)).toEqual([]);
    expect(doc).toMatchObject({ $schema: schema.$id, format: 'practice-digital-export', version: 1, practice: 'riverside' });
    expect(doc.commit.oid).toBe(source.git('rev-parse', 'main'));
    expect(doc.commit.subject).toBe('Publish "Appointments"');
  });

  it('holds every file of the practice: the exact text, the typed values and the body, and the media with its hash', async () => {
    const files = source.git('ls-tree', '-r', '--name-only', 'main', practiceDir).split('\n').map((f) => f.slice(practiceDir.length + 1));
    expect([...doc.items.map((i) => i.path), ...doc.media.map((m) => m.path)].sort()).toEqual(files.sort());
    for (const item of doc.items) expect(item.source, item.path).toBe(source.show('main', `${practiceDir}/${item.path}`));
    const appointments = doc.items.find((i) => i.path === 'pages/appointments.md')!;
    expect(appointments.source).toMatch(/^# The page people look for most\ntitle: '/m);
    expect(appointments).toMatchObject({ collection: 'pages', slug: 'appointments', url: '/appointments/', data: { clinical: false } });
    expect(appointments.body).toMatch(/Call us from 8am\.\n$/);
    expect(doc.items.find((i) => i.path === 'news/new-phone-system.md')!.source).toContain('\r\n');
    // Typed as the content model reads it: booleans, numbers, UTC instants; the profile too.
    expect(typeof doc.items.find((i) => i.collection === 'team')!.data.order).toBe('number');
    expect(doc.items.find((i) => i.collection === 'notices')!.data.expires).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$/);
    expect(doc.profile).toMatchObject({ ods_code: 'Z99901', fictional: true });
    expect(doc.items.find((i) => i.path === 'practice.yml')).toMatchObject({ collection: 'practice', data: doc.profile });
    expect(doc.items.find((i) => i.path === 'policies/accessibility.md')!.collection).toBe('policies');
    const [map] = doc.media;
    const bytes = await readFile(path.join(source.dir, practiceDir, map!.path));
    expect(map).toMatchObject({ path: 'media/boundary-map.png', type: 'image/png', size: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') });
    expect(Buffer.from(map!.base64, 'base64').equals(bytes)).toBe(true);
  });

  it("summarises the history as git's first-parent log does: each change counted once, when it reached main", () => {
    const log = source.git('log', '--first-parent', '--diff-merges=first-parent', '--format=@%H %aI %an', '--name-only', 'main', '--', practiceDir);
    const commits = log.split('@').filter(Boolean).map((block) => {
      const [head, ...paths] = block.trim().split('\n').filter(Boolean);
      return { oid: head!.split(' ')[0]!, author: head!.split(' ').slice(2).join(' '), paths: paths.map((p) => p.slice(practiceDir.length + 1)) };
    });
    expect(doc.history.commits).toBe(commits.length);
    expect(doc.history.last.commit).toBe(commits[0]!.oid);
    expect(doc.history.first.commit).toBe(commits.at(-1)!.oid);
    for (const f of doc.history.files) {
      const touching = commits.filter((c) => c.paths.includes(f.path));
      expect(f.changes, f.path).toBe(touching.length);
      expect(f.last.commit, f.path).toBe(touching[0]!.oid);
      expect(f.first.commit, f.path).toBe(touching.at(-1)!.oid);
    }
    expect(doc.history.files.find((f) => f.path === 'news/patient-group-open-meeting.md')!.changes).toBe(3);
    const appointments = doc.history.files.find((f) => f.path === 'pages/appointments.md')!;
    expect(appointments.changes).toBe(3);
    expect(appointments.last).toMatchObject({ author: { name: 'Ed Editor', email: 'editor@riverside.example.nhs.uk' }, subject: 'Publish "Appointments"' });
    expect(doc.history.files).toHaveLength(doc.items.length + doc.media.length);
  });

  it('reads the same history through the git store alone as through isomorphic-git over its files', async () => {
    const store = createLocalGitStore({ fs, dir: source.dir });
    const access = { fs, gitdir: path.join(source.dir, '.git') };
    for (const ref of ['main', source.git('rev-parse', 'main~2')]) {
      const [viaStore, viaGit] = await Promise.all([exportPractice(store, { practice: 'riverside', ref, now: demoNow }), exportPractice(store, { practice: 'riverside', ref, now: demoNow, git: access })]);
      expect(viaGit).toEqual(viaStore);
    }
  });

  it('exports as at an earlier commit, named by a short id', async () => {
    const first = source.git('rev-list', '--max-parents=0', 'main');
    const out = path.join(tmp, 'first.json');
    expect((await pd(exportCommand, ['riverside', '--at', first.slice(0, 8), '--out', out])).code).toBe(0);
    const then = JSON.parse(await readFile(out, 'utf8')) as PracticeExport;
    expect(then.commit.oid).toBe(first);
    expect(then.history.commits).toBe(1);
    expect(then.items.find((i) => i.path === 'pages/appointments.md')!.source).not.toMatch(/^# The page/m);
  });

  it('refuses an unknown practice and an unknown commit, writing nothing', async () => {
    const out = path.join(tmp, 'nothing.json');
    const practice = await pd(exportCommand, ['nowhere', '--out', out]);
    expect(practice.code).toBe(1);
    expect(practice.err).toMatch(/there is no practice "nowhere" at [0-9a-f]{7} \(there: riverside\)/);
    const commit = await pd(exportCommand, ['riverside', '--at', 'deadbeef', '--out', out]);
    expect(commit.code).toBe(1);
    expect(commit.err).toMatch(/there is no commit, branch or tag "deadbeef"/);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('refuses content that does not pass the checks, with every problem', async () => {
    const broken = await contentRepo(['riverside']);
    try {
      const file = path.join(broken.dir, practiceDir, 'practice.yml');
      await writeFile(file, (await readFile(file, 'utf8')).replace('ods_code: Z99901', 'ods_code: 99'));
      broken.git('commit', '-q', '-am', 'Break the ODS code');
      const r = await pd(exportCommand, ['riverside', '--out', path.join(tmp, 'broken.json')], broken.dir);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/practice\.yml:3: ods_code: "99" is not a GP practice ODS code/);
      expect(r.err).toMatch(/has 1 problem to fix first/);
    } finally {
      await broken.remove();
    }
  });

  it("reads this repository's own history, at HEAD, as the portal would read a store", async () => {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
    const own = await exportPractice(createLocalGitStore({ fs, dir: repo }), { practice: 'fellside', ref: head, now: demoNow });
    expect(ajvValidate(own), ajv.errorsText(ajvValidate.errors)).toBe(true);
    expect((await exportPractice(createLocalGitStore({ fs, dir: repo }), { practice: 'fellside', ref: head, now: demoNow, git: { fs, gitdir: path.join(repo, '.git') } })).history).toEqual(own.history);
    const oids = execFileSync('git', ['log', '--first-parent', '--format=%H', 'HEAD', '--', 'content/practices/fellside'], { cwd: repo, encoding: 'utf8' }).trim().split('\n');
    expect(own.history.commits).toBe(oids.length);
    expect(own.exportedAt).toBe(demoNow.toISOString());
  });
});

describe('pd import', () => {
  let target: string;

  it('writes the files exactly and commits them once, with an Imported-from trailer, leaving the repository clean', async () => {
    target = path.join(tmp, 'imported');
    const r = await pd(importCommand, [exported, '--into', target, '--author', 'Maya Manager <manager@riverside.example.nhs.uk>']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^Imported riverside \\(\\d+ content files, 1 media file\\) into .+ as commit [0-9a-f]{7} on main, imported from ${doc.commit.oid.slice(0, 7)}\\.$`));
    expect(sh(target, 'log', '--format=%an <%ae>|%s|%(trailers:key=Imported-from,valueonly)', 'main')).toBe(
      `Maya Manager <manager@riverside.example.nhs.uk>|Import riverside from an export of ${doc.commit.oid.slice(0, 7)}|${doc.commit.oid}`,
    );
    // The same bytes: git names every file by its content, so the trees' blob ids must agree.
    expect(sh(target, 'ls-tree', '-r', 'main', practiceDir)).toBe(source.git('ls-tree', '-r', 'main', practiceDir));
    expect(sh(target, 'status', '--porcelain')).toBe('');
    sh(target, 'fsck', '--strict');
  });

  it('gives a byte-identical site: the same files with the same hashes, and so the same revision', async () => {
    const build = async (contentRoot: string, name: string) => {
      const settings = loadSettings(repo, { PD_STORE_DIR: path.join(tmp, name, 'store'), PD_DIST_DIR: path.join(tmp, name, 'dist'), PD_PORT: '0' });
      const report = await buildSites({ root: repo, contentRoot, practices: ['riverside'], settings, store: revisionStore(settings.storeDir), now: demoNow });
      const [built] = report.practices;
      expect(built?.problems.filter((p) => p.severity === 'error')).toEqual([]);
      return built!.manifest!;
    };
    const [from, to] = [await build(source.dir, 'built-source'), await build(target, 'built-import')];
    expect(Object.keys(to.files).length).toBeGreaterThan(40);
    expect(to.files).toEqual(from.files);
    expect(to.contentHash).toBe(from.contentHash);
    expect(to.revision).toBe(from.revision);
    // Only the manifest, beside the site, says which commit it was built from.
    expect([from.commit, to.commit]).toEqual([doc.commit.oid, sh(target, 'rev-parse', 'main')]);
    expect([from.dirty, to.dirty]).toEqual([false, false]);
  });

  it('refuses a practice folder that already holds files, changing nothing', async () => {
    const before = sh(target, 'rev-parse', 'main');
    const r = await pd(importCommand, [exported, '--into', target]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/content\/practices\/riverside already holds files \(.+\); import a practice only into an empty practice folder; nothing was imported/);
    expect(sh(target, 'rev-parse', 'main')).toBe(before);
    // Emptied on disk but still in the last commit: refused too.
    await rm(path.join(target, practiceDir), { recursive: true });
    const committed = await pd(importCommand, [exported, '--into', target]);
    expect(committed.err).toMatch(/the last commit of .+ already has files in content\/practices\/riverside\//);
    expect(sh(target, 'rev-parse', 'main')).toBe(before);
  });

  it('imports beside another practice in an existing repository, on its current branch', async () => {
    const other = await contentRepo(['fellside']);
    try {
      const before = other.git('rev-parse', 'main');
      other.git('config', 'user.name', 'Fell Manager');
      other.git('config', 'user.email', 'manager@fellside.example.nhs.uk');
      expect((await pd(importCommand, [exported, '--into', other.dir])).code).toBe(0);
      expect(other.git('rev-parse', 'main^')).toBe(before);
      expect(other.git('log', '-1', '--format=%an <%ae>')).toBe('Fell Manager <manager@fellside.example.nhs.uk>');
      expect(other.git('diff', '--name-only', 'main^', 'main').split('\n').every((p) => p.startsWith(`${practiceDir}/`))).toBe(true);
      expect(other.git('status', '--porcelain')).toBe('');
    } finally {
      await other.remove();
    }
  });

  describe('refuses a corrupted export, naming every problem by its JSON Pointer, and writes nothing', () => {
    const corrupt = async (name: string, change: (d: any) => void) => {
      const d = structuredClone(doc) as any;
      change(d);
      const file = path.join(tmp, `${name}.json`);
      await writeFile(file, JSON.stringify(d));
      const into = path.join(tmp, `into-${name}`);
      const r = await pd(importCommand, [file, '--into', into]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/nothing was imported/);
      expect(fs.existsSync(into)).toBe(false);
      // Where Ajv finds problems; it also repeats a failed `then` as an "if" problem of the item.
      return { r, d, ajv: ajvValidate(d) ? [] : ajvValidate.errors!.filter((e) => e.keyword !== 'if').map((e) => e.instancePath) };
    };

    it('a file that is not JSON (cut short)', async () => {
      const file = path.join(tmp, 'cut.json');
      await writeFile(file, (await readFile(exported, 'utf8')).slice(0, 5000));
      const r = await pd(importCommand, [file, '--into', path.join(tmp, 'into-cut')]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/cut\.json cannot be read as JSON/);
    });

    it('a document of another kind', async () => {
      const { r } = await corrupt('format', (d) => (d.format = 'something-else'));
      expect(r.err).toMatch(/: \/format: is "something-else", not "practice-digital-export"/);
    });

    it('values of the wrong type, a missing source and an unknown field, all reported at once (as Ajv finds them)', async () => {
      const team = doc.items.findIndex((i) => i.collection === 'team');
      const page = doc.items.findIndex((i) => i.collection === 'pages');
      const { r, ajv: paths } = await corrupt('schema', (d) => {
        d.items[team].data.order = 'first';
        delete d.items[page].source;
        d.items[page].data.colour = 'blue';
        d.media[0].sha256 = 'not a hash';
      });
      expect(r.err).toContain(`/items/${team}/data/order: must be a whole number, not the text "first"`);
      expect(r.err).toContain(`/items/${page}: needs "source", which is missing`);
      expect(r.err).toContain(`/items/${page}/data/colour: "colour" is not a field here`);
      expect(r.err).toContain('/media/0/sha256: "not a hash" does not have the required form');
      expect(r.err).toMatch(/cannot be imported: 4 problems/);
      // Ajv agrees, at the same places.
      expect(new Set(paths)).toEqual(new Set([`/items/${team}/data/order`, `/items/${page}`, `/items/${page}/data`, '/media/0/sha256']));
    });

    it('a media file whose bytes do not match its hash', async () => {
      const { r, ajv: paths } = await corrupt('media', (d) => {
        const bytes = Buffer.from(d.media[0].base64, 'base64');
        bytes.writeUInt8(bytes.at(-1)! ^ 0xff, bytes.length - 1);
        d.media[0].base64 = bytes.toString('base64');
      });
      expect(paths).toEqual([]);
      expect(r.err).toMatch(/\/media\/0\/sha256: does not match the content, whose SHA-256 is [0-9a-f]{64}: the file was changed or damaged/);
    });

    it('typed values edited without their source text', async () => {
      const page = doc.items.findIndex((i) => i.path === 'pages/appointments.md');
      const { r, ajv: paths } = await corrupt('data', (d) => (d.items[page].data.title = 'Something else'));
      expect(paths).toEqual([]);
      expect(r.err).toMatch(new RegExp(`/items/${page}/data/title: is "Something else", but the source text says "Appointments"; the source text is what is imported`));
    });

    it('a source text that fails the content checks', async () => {
      const profile = doc.items.findIndex((i) => i.path === 'practice.yml');
      const { r } = await corrupt('content', (d) => (d.items[profile].source = d.items[profile].source.replace('ods_code: Z99901', 'ods_code: 99')));
      expect(r.err).toContain(`/items/${profile}/source: content/practices/riverside/practice.yml:3: ods_code: "99" is not a GP practice ODS code`);
    });
  });
});

describe('the import check', () => {
  it('agrees with Ajv on every item of the export and on a path that could leave the practice folder', async () => {
    expect((await checkExport(doc)).ok).toBe(true);
    for (const bad of ['media/../../../.git/config.png', 'media/.git/hooks.png', '/etc/passwd.png', 'media\\x.png']) {
      const d = structuredClone(doc);
      d.media[0]!.path = bad;
      expect(ajvValidate(d), bad).toBe(false);
      const r = await checkExport(d);
      expect(r.ok ? [] : r.problems.map((p) => p.path), bad).toEqual(['/media/0/path']);
    }
    const twice = structuredClone(doc);
    twice.items.push(structuredClone(twice.items[3]!));
    const r = await checkExport(twice);
    expect(r.ok ? [] : r.problems.map((p) => p.message)).toEqual([expect.stringMatching(/^gives the file .+ again \(as \/items\/3\/path does\)$/)]);
  });
});
