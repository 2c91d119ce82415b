// A content repository with a history to audit, made the way it is made in real life: the demo
// practices committed by a developer, then drafts saved, reviewed, noted and published through the
// real CMS gateway (as editor, clinical reviewer and practice manager, at chosen moments), an
// urgent notice, and direct developer commits with the git binary. Every commit's time is set, so
// tests can ask what the site was at a moment. Revisions are published into a real revision store.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { cp, mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { revisionStore, type Manifest, type RevisionStore } from '../../build/publish/revision-store.ts';
import type { Identity } from '../../lib/auth/identity.ts';
import { blobId } from '../../lib/cms/blob-id.ts';
import { cmsGateway, type Member } from '../../lib/cms/gateway.ts';
import { createLocalGitStore } from '../../lib/git-store/local.ts';
import { repo } from './demo-site.ts';

export const staff = {
  editor: { role: 'editor', name: 'Ed Editor', email: 'editor@riverside.example.nhs.uk' },
  reviewer: { role: 'clinical_reviewer', name: 'Dr Asha Patel', email: 'reviewer@riverside.example.nhs.uk' },
  gp: { role: 'clinical_reviewer', name: 'Dr Ben Okafor', email: 'gp@riverside.example.nhs.uk' },
  manager: { role: 'practice_manager', name: 'Maya Manager', email: 'manager@riverside.example.nhs.uk' },
} as const satisfies Record<string, Member>;
export type Staff = keyof typeof staff;

export const developer = { name: 'Dev Eloper', email: 'dev@practicedigital.example' };

export interface AuditRepo {
  dir: string;
  /** The revision store beside it. */
  storeDir: string;
  store: RevisionStore;
  /** Runs git in the repository (as the developer); output trimmed. */
  git(...args: string[]): string;
  /** Runs git as someone else, at a moment. */
  gitAs(who: { name: string; email: string }, at: string, ...args: string[]): string;
  /** A file's text on a branch. */
  show(ref: string, file: string): string;
  /** Calls the CMS gateway as a member of Riverside at a moment. */
  cms(who: Staff, at: string, action: string, params: Record<string, unknown>, practice?: string): Promise<any>;
  /** A commit on main with the git binary at a moment, as the developer unless told otherwise. */
  commit(at: string, message: string, files: Record<string, string | null>, o?: { author?: { name: string; email: string } }): string;
  /** Publishes a small revision of a practice built from a commit. */
  revision(practice: string, commit: string, builtAt: string, text?: string): Promise<Manifest>;
  /** Rewrites a practice's live history with chosen times (the store stamps switches with the clock). */
  liveHistory(practice: string, events: { revision: string; at: string; reason?: string }[]): Promise<void>;
  remove(): Promise<void>;
}

const identityOf = (email: string) => ({ userId: email, email, aal: 'aal1', role: 'authenticated', isAnonymous: false, appMetadata: {} }) as unknown as Identity;

export async function auditRepo(o: { practices?: string[]; seededAt?: string; seedMessage?: string } = {}): Promise<AuditRepo> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'pd-audit-'));
  const dir = path.join(tmp, 'repo');
  const storeDir = path.join(tmp, 'store');
  await mkdir(dir);
  for (const slug of o.practices ?? ['riverside', 'fellside']) await cp(path.join(repo, 'content/practices', slug), path.join(dir, 'content/practices', slug), { recursive: true });
  const run = (args: string[], env: Record<string, string> = {}) =>
    execFileSync('git', ['-c', `user.name=${developer.name}`, '-c', `user.email=${developer.email}`, '-c', 'commit.gpgsign=false', ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, ...env },
    }).trim();
  const dated = (at: string) => ({ GIT_AUTHOR_DATE: at, GIT_COMMITTER_DATE: at });
  run(['init', '-q', '-b', 'main']);
  run(['add', '.']);
  run(['commit', '-q', '-m', o.seedMessage ?? 'Demo content'], dated(o.seededAt ?? '2026-11-20T09:00:00Z'));

  let now = new Date();
  const gateway = cmsGateway({
    store: createLocalGitStore({ fs, dir }),
    memberOf: async (identity, practice) => (practice === 'riverside' ? (Object.values(staff).find((m) => m.email === identity.email) ?? null) : null),
    now: () => now,
  });
  const store = revisionStore(storeDir);
  let builds = 0;

  return {
    dir,
    storeDir,
    store,
    git: (...args) => run(args),
    gitAs: (who, at, ...args) => run(['-c', `user.name=${who.name}`, '-c', `user.email=${who.email}`, ...args], dated(at)),
    show: (ref, file) => execFileSync('git', ['show', `${ref}:${file}`], { cwd: dir, encoding: 'utf8' }),
    async cms(who, at, action, params, practice = 'riverside') {
      now = new Date(at);
      return gateway.handle(identityOf(staff[who].email), { practice, action, params });
    },
    commit(at, message, files, c = {}) {
      // The gateway moves main without touching the working folder; catch the folder up first.
      run(['reset', '-q', '--hard', 'main']);
      for (const [file, text] of Object.entries(files)) {
        const full = path.join(dir, file);
        if (text === null) fs.rmSync(full);
        else {
          fs.mkdirSync(path.dirname(full), { recursive: true });
          fs.writeFileSync(full, text);
        }
      }
      run(['add', '-A']);
      const who = c.author ?? developer;
      run(['-c', `user.name=${who.name}`, '-c', `user.email=${who.email}`, 'commit', '-q', '-m', message], dated(at));
      return run(['rev-parse', 'main']);
    },
    async revision(practice, commit, builtAt, text = `<!doctype html><title>${practice}</title><p>${commit}</p>\n`) {
      const folder = path.join(tmp, `build-${++builds}`);
      await mkdir(folder, { recursive: true });
      await writeFile(path.join(folder, 'index.html'), text);
      await writeFile(path.join(folder, '_headers'), '/*\n  X-Content-Type-Options: nosniff\n');
      return store.publish(practice, folder, { commit, dirty: false, builtAt });
    },
    async liveHistory(practice, events) {
      await writeFile(path.join(storeDir, practice, 'live-history.jsonl'), events.map((e) => `${JSON.stringify({ revision: e.revision, at: e.at, reason: e.reason ?? 'publish' })}\n`).join(''));
    },
    remove: () => rm(tmp, { recursive: true, force: true }),
  };
}

/** The gateway's version of a file (its blob id) on a branch, as the CMS sends it with a save. */
export async function versionOf(r: AuditRepo, ref: string, file: string): Promise<string> {
  return blobId(r.show(ref, file));
}

/** Saves a draft of an entry as `who`: the text changed by `edit`, from the draft if there is one, else from main. */
export async function saveDraft(r: AuditRepo, who: Staff, at: string, collection: string, slug: string, file: string, edit: (raw: string) => string) {
  const branch = `cms/riverside/${collection}/${slug}`;
  const existing = r.git('branch', '--list', branch) !== '';
  const ref = existing ? branch : 'main';
  const raw = edit(r.show(ref, file));
  return r.cms(who, at, 'persistEntry', {
    dataFiles: [{ path: file, slug, raw }],
    assets: [],
    options: { collectionName: collection, useWorkflow: true, status: 'draft', newEntry: false },
    versions: { [file]: await versionOf(r, ref, file) },
  });
}

export const readText = (file: string) => readFile(file, 'utf8');

/** The moments of the story below, UTC (UK time is GMT in November). */
export const story = {
  seeded: '2026-11-20T09:00:00Z',
  fluSaved: '2026-11-23T10:00:00Z',
  fluPublished: '2026-11-23T10:25:00Z',
  appointmentsPublished: '2026-11-25T14:05:00Z',
  noticePosted: '2026-11-27T08:30:00Z',
  developerCommit: '2026-11-30T16:00:00Z',
};
export const fluFile = 'content/practices/riverside/services/flu-clinic.md';
export const appointmentsFile = 'content/practices/riverside/pages/appointments.md';
export const fellsideFile = 'content/practices/fellside/pages/appointments.md';
export const afterFrontMatter = (text: string) => (raw: string) => raw.replace(/\n---\n/, `\n---\n${text}\n\n`);

export interface Story extends AuditRepo {
  commits: { seed: string; flu: string; appointments: string; notice: string; developer: string };
  revisions: { seed: Manifest; flu: Manifest; notice: Manifest };
  noticeFile: string;
}

/**
 * Riverside and Fellside, then: a clinical change to the flu clinic saved, sent for review, noted,
 * saved again and published by a clinical reviewer; a page the editor published herself; an
 * urgent notice; a developer's direct commit to Fellside. Riverside revisions were built after the
 * first, second and fourth change, each live until the next.
 */
export async function storyRepo(): Promise<Story> {
  const r = await auditRepo({ seededAt: story.seeded });
  const seed = r.git('rev-parse', 'main');
  const flu = { collection: 'services', slug: 'flu-clinic' };
  await saveDraft(r, 'editor', story.fluSaved, flu.collection, flu.slug, fluFile, afterFrontMatter('Book your flu jab from 1 December.'));
  await r.cms('editor', '2026-11-23T10:05:00Z', 'updateUnpublishedEntryStatus', { ...flu, newStatus: 'pending_review' });
  await r.cms('reviewer', '2026-11-23T10:10:00Z', 'addNote', { ...flu, note: { content: 'Please check the date against the practice calendar.' } });
  await saveDraft(r, 'editor', '2026-11-23T10:15:00Z', flu.collection, flu.slug, fluFile, (raw) => raw.replace('from 1 December', 'from 2 December'));
  await r.cms('reviewer', '2026-11-23T10:20:00Z', 'updateUnpublishedEntryStatus', { ...flu, newStatus: 'pending_publish' });
  await r.cms('reviewer', story.fluPublished, 'publishUnpublishedEntry', flu);
  const fluCommit = r.git('rev-parse', 'main');

  await saveDraft(r, 'editor', '2026-11-25T14:00:00Z', 'pages', 'appointments', appointmentsFile, afterFrontMatter('We are closed on bank holidays.'));
  await r.cms('editor', story.appointmentsPublished, 'publishUnpublishedEntry', { collection: 'pages', slug: 'appointments' });
  const appointments = r.git('rev-parse', 'main');

  const posted = (await r.cms('manager', story.noticePosted, 'postUrgentNotice', { title: 'Phones down this morning', body: 'Our phone lines are down until midday. Use the NHS App.', expires: '2026-11-28T17:00', placement: 'all' })) as { path: string };
  const notice = r.git('rev-parse', 'main');

  const fellside = r.show('main', fellsideFile).replace(/\n---\n/, '\n---\nFellside is closed for training on Wednesday afternoons.\n\n');
  const dev = r.commit(story.developerCommit, 'Fix the Fellside opening hours', { [fellsideFile]: fellside, 'README.md': '# Content\n' });

  const revisions = {
    seed: await r.revision('riverside', seed, '2026-11-20T09:30:00.000Z'),
    flu: await r.revision('riverside', fluCommit, '2026-11-23T10:30:00.000Z'),
    notice: await r.revision('riverside', notice, '2026-11-27T08:35:00.000Z'),
  };
  await r.liveHistory('riverside', [
    { revision: revisions.seed.revision, at: '2026-11-20T09:30:00.000Z' },
    { revision: revisions.flu.revision, at: '2026-11-23T10:30:00.000Z' },
    { revision: revisions.notice.revision, at: '2026-11-27T08:35:00.000Z' },
  ]);
  return { ...r, commits: { seed, flu: fluCommit, appointments, notice, developer: dev }, revisions, noticeFile: posted.path };
}
