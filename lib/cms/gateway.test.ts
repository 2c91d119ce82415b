// The CMS gateway through the portal API: real HTTP requests (Hono), real signed tokens, the
// embedded Postgres for memberships, and a real git repository on disk for the content. Every
// refusal is checked to leave the repository exactly as it was.
import * as fs from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../build/db/open-database.ts';
import { contentRepo, type ContentRepo } from '../../test/support/content-repo.ts';
import { repo } from '../../test/support/demo-site.ts';
import { cmsClient, emailOf, seedPeople, signer, testIssuer, type Signer, type Who } from '../../test/support/cms-people.ts';
import { createVerifier } from '../auth/verify-jwt.ts';
import type { EmailMessage } from '../email/mailer.ts';
import { createLocalGitStore } from '../git-store/local.ts';
import { membersService } from '../members/members.ts';
import { portalApp } from '../portal/app.ts';
import { cmsGateway, type PublishedEvent } from './gateway.ts';

let opened: OpenedDatabase;
let app: ReturnType<typeof portalApp>;
let sign: Signer;
let content: ContentRepo;
const published: PublishedEvent[] = [];
/** The workflow emails the gateway sent (a capturing mailer); `failing` makes sending throw. */
const sent: EmailMessage[] = [];
const failing = { mail: false, recipients: false };
class MailDown extends Error {
  override name = 'MailDown';
}
const sentTo = (subject: RegExp) => sent.filter((m) => subject.test(m.subject)).map((m) => m.to).sort();
const now = new Date('2026-12-04T12:00:00Z');
const hoursPath = 'content/practices/riverside/pages/appointments.md';
const fluPath = 'content/practices/riverside/services/flu-clinic.md';

const cms = cmsClient(() => app, () => sign);

/** Every ref and what it points at: if this is unchanged, nothing was written. */
const refs = () => content.git('for-each-ref', '--format=%(refname) %(objectname)');
const fileAt = (ref: string, path: string) => content.show(ref, path);
const withTitle = (raw: string, title: string) => raw.replace(/^title: .*$/m, `title: ${title}`);
const versionOf = async (path: string, ref = 'main') => content.git('rev-parse', `${ref}:${path}`);

async function saveDraft(who: Who, collection: string, slug: string, path: string, raw: string, version: string | null, extra: Record<string, unknown> = {}) {
  return cms(who, 'persistEntry', {
    dataFiles: [{ path, slug, raw }],
    assets: [],
    options: { collectionName: collection, useWorkflow: true, status: 'draft', newEntry: version === null },
    versions: { [path]: version },
    ...extra,
  });
}

beforeAll(async () => {
  sign = await signer();
  content = await contentRepo();
  opened = await openDatabase({ root: repo });
  await seedPeople(opened.owner);
  const members = membersService(opened.db);
  app = portalApp({
    verifier: createVerifier({ issuer: testIssuer, jwks: { keys: sign.jwks } }),
    members,
    mailer: { send: async () => ({ id: '1' }) },
    portalUrl: 'http://portal.localhost:8787',
    cms: cmsGateway({
      store: createLocalGitStore({ fs, dir: content.dir }),
      memberOf: (identity, practice) => members.memberOf(identity.claims, practice),
      now: () => now,
      onPublished: (e) => void published.push(e),
      notify: {
        mailer: {
          send: async (m) => {
            if (failing.mail) throw new MailDown(`could not send to ${m.to}`);
            sent.push(m);
            return { id: String(sent.length) };
          },
        },
        portalUrl: 'http://portal.localhost:8787',
        recipients: async (practice, roles) => {
          if (failing.recipients) throw new MailDown(`no recipients for ${practice}`);
          return members.membersWithRole(practice, roles);
        },
      },
    }),
  });
});
afterAll(async () => {
  await opened?.close();
  await content?.remove();
});
beforeEach(() => {
  published.length = 0;
  sent.length = 0;
  failing.mail = false;
  failing.recipients = false;
});

describe('reading through the gateway', () => {
  it('lists a folder of entries with their text and git blob ids', async () => {
    const r = await cms('auditor', 'entriesByFolder', { folder: 'content/practices/riverside/pages', extension: 'md', depth: 1 });
    expect(r.status).toBe(200);
    const entry = r.json.find((e: any) => e.file.path === hoursPath);
    expect(entry.data).toBe(fileAt('main', hoursPath));
    expect(entry.file.id).toBe(await versionOf(hoursPath));
    expect(r.json.every((e: any) => e.file.path.startsWith('content/practices/riverside/pages/') && e.file.path.endsWith('.md'))).toBe(true);
  });

  it('reads files and single entries, with the same ids', async () => {
    const files = await cms('editor', 'entriesByFiles', { files: [{ path: 'content/practices/riverside/practice.yml' }, { path: 'content/practices/riverside/policies/nope.md' }] });
    expect(files.json).toHaveLength(1);
    expect(files.json[0].file.id).toBe(await versionOf('content/practices/riverside/practice.yml'));
    const one = await cms('editor', 'getEntry', { path: hoursPath });
    expect(one.json.file.id).toBe(await versionOf(hoursPath));
  });
});

describe('who may use the gateway', () => {
  it('refuses no token and a bad token with 401', async () => {
    expect((await cms(null, 'getEntry', { path: hoursPath })).status).toBe(401);
    expect((await cms(null, 'getEntry', { path: hoursPath }, { auth: 'Bearer x.y.z' })).status).toBe(401);
  });

  it("refuses another practice's member, naming no content", async () => {
    const r = await cms('other', 'getEntry', { path: hoursPath });
    expect(r.status).toBe(403);
    expect(r.json.error).toMatch(/not a member of this practice/);
  });

  it('refuses a revoked member on their very next request', async () => {
    expect((await cms('leaver', 'getEntry', { path: hoursPath })).status).toBe(200);
    await opened.owner.exec(`update public.members set revoked_at = now() where email = '${emailOf('leaver')}'`);
    const before = refs();
    const r = await saveDraft('leaver', 'pages', 'appointments', hoursPath, 'x', await versionOf(hoursPath));
    expect(r.status).toBe(403);
    expect(refs()).toBe(before);
  });

  it('lets an auditor read but not write', async () => {
    const before = refs();
    const r = await saveDraft('auditor', 'pages', 'appointments', hoursPath, withTitle(fileAt('main', hoursPath), 'Appointments 2'), await versionOf(hoursPath));
    expect(r.status).toBe(403);
    expect(r.json.error).toMatch(/auditors can read but not change/);
    expect(refs()).toBe(before);
  });
});

describe('paths from the browser', () => {
  const bad = [
    'content/practices/fellside/practice.yml',
    '../fellside/practice.yml',
    'content/practices/riverside/../fellside/practice.yml',
    'content/practices/riverside/%2e%2e/fellside/practice.yml',
    'content/practices/riverside/%252e%252e/fellside/practice.yml',
    '/etc/passwd',
    'C:/Windows/win.ini',
    'content\\practices\\fellside\\practice.yml',
    'content/practices/riverside/.git/config',
    'content/practices/riverside/pages/x\u0000.md',
    '.git/config',
  ];
  const media = 'content/practices/riverside/media';
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]).toString('base64');
  const carriers: [string, (p: string) => Record<string, unknown>][] = [
    ['entriesByFolder.folder', (p) => ({ folder: p, extension: 'md', depth: 1 })],
    ['entriesByFiles.files', (p) => ({ files: [{ path: p }] })],
    ['getEntry.path', (p) => ({ path: p })],
    ['getMedia.mediaFolder', (p) => ({ mediaFolder: p })],
    ['getMediaFile.path', (p) => ({ path: p })],
    ['unpublishedEntryDataFile.path', (p) => ({ collection: 'pages', slug: 'appointments', path: p })],
    ['unpublishedEntryMediaFile.path', (p) => ({ collection: 'pages', slug: 'appointments', path: p })],
    ['persistEntry.dataFiles.path', (p) => ({ dataFiles: [{ path: p, slug: 'x', raw: 'x' }], options: { collectionName: 'pages', useWorkflow: true }, versions: { [p]: null } })],
    ['persistEntry.dataFiles.newPath', (p) => ({ dataFiles: [{ path: hoursPath, newPath: p, slug: 'x', raw: 'x' }], options: { collectionName: 'pages', useWorkflow: true }, versions: {} })],
    ['persistEntry.assets.path', (p) => ({ dataFiles: [{ path: hoursPath, slug: 'x', raw: 'x' }], assets: [{ path: p, content: png, encoding: 'base64' }], options: { collectionName: 'pages', useWorkflow: true }, versions: {} })],
    ['persistMedia.asset.path', (p) => ({ asset: { path: p, content: png, encoding: 'base64' }, options: {} })],
    ['deleteFiles.paths', (p) => ({ paths: [p], options: {} })],
    ['deleteFile.path', (p) => ({ path: p, options: {} })],
  ];
  const actionOf = (name: string) => name.split('.')[0]!;

  it.each(carriers)('refuses traversal and other practices in %s with 400, writing nothing', async (name, params) => {
    const before = refs();
    for (const p of bad) {
      const r = await cms('manager', actionOf(name), params(p));
      expect(r.status, `${name} ${JSON.stringify(p)}`).toBe(400);
      expect(r.json.error).toMatch(/^The (path|folder|media folder|media path|new path) /);
    }
    expect(refs()).toBe(before);
  });

  it('refuses to read or write through a symbolic link in the practice folder', async () => {
    fs.symlinkSync('../../fellside/practice.yml', `${content.dir}/content/practices/riverside/pages/linked.md`);
    content.git('add', '.');
    content.git('commit', '-q', '-m', 'A link someone committed');
    const before = refs();
    const link = 'content/practices/riverside/pages/linked.md';
    expect((await cms('manager', 'getEntry', { path: link })).status).toBe(400);
    const save = await saveDraft('manager', 'pages', 'linked', link, '---\ntitle: x\n---\nx\n', null);
    expect(save.status).toBe(400);
    expect(save.json.error).toMatch(/symbolic link/);
    expect((await cms('manager', 'deleteFiles', { paths: [link] })).status).toBe(400);
    const listed = await cms('manager', 'entriesByFolder', { folder: 'content/practices/riverside/pages', extension: 'md', depth: 1 });
    expect(listed.json.map((e: any) => e.file.path)).not.toContain(link);
    expect(refs()).toBe(before);
  });

  it('refuses a draft slug or collection that is a path', async () => {
    for (const [collection, slug] of [['pages', '../../main'], ['../pages', 'x'], ['pages', 'a/b'], ['nope', 'x']]) {
      const r = await cms('manager', 'unpublishedEntry', { collection, slug });
      expect(r.status).toBe(400);
    }
    expect((await cms('manager', 'unpublishedEntry', { collection: 'pages', slug: 'x', branch: 'cms/riverside/pages/x' })).status).toBe(400);
    expect((await cms('manager', 'getEntry', { path: hoursPath }, { practice: '../fellside' })).status).toBe(400);
  });

  it('refuses a media folder outside the practice media folder even inside the practice', async () => {
    expect((await cms('manager', 'getMedia', { mediaFolder: 'content/practices/riverside/pages' })).status).toBe(400);
    expect((await cms('manager', 'persistMedia', { asset: { path: 'content/practices/riverside/pages/x.png', content: png, encoding: 'base64' } })).status).toBe(400);
    expect((await cms('manager', 'persistMedia', { asset: { path: `${media}/deep/x.png`, content: png, encoding: 'base64' } })).status).toBe(400);
  });
});

describe('media', () => {
  const upload = (name: string, bytes: Uint8Array) =>
    cms('editor', 'persistMedia', { asset: { path: `content/practices/riverside/media/${name}`, content: Buffer.from(bytes).toString('base64'), encoding: 'base64' }, options: { commitMessage: 'x' } });
  const pngBytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

  it('stores an allowed image on main as the person, and lists it', async () => {
    const r = await upload('surgery-front.png', pngBytes);
    expect(r.status).toBe(200);
    expect(r.json.path).toBe('content/practices/riverside/media/surgery-front.png');
    expect(content.git('log', '-1', '--format=%an <%ae>|%cn|%s', 'main')).toBe(`Ed Editor <${emailOf('editor')}>|Practice Digital|Upload surgery-front.png`);
    expect(published.at(-1)?.paths).toEqual(['content/practices/riverside/media/surgery-front.png']);
    const list = await cms('editor', 'getMedia', { mediaFolder: 'content/practices/riverside/media' });
    expect(list.json.map((m: any) => m.name)).toContain('surgery-front.png');
    const del = await cms('editor', 'deleteFiles', { paths: ['content/practices/riverside/media/surgery-front.png'], options: {} });
    expect(del.status).toBe(200);
  });

  it('refuses SVG, a disallowed type, a renamed file and an oversized upload, writing nothing', async () => {
    const before = refs();
    const svg = await upload('logo.svg', new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'));
    expect(svg.status).toBe(415);
    expect(svg.json.error).toMatch(/SVG/);
    expect((await upload('setup.exe', new Uint8Array([0x4d, 0x5a, 0, 0]))).status).toBe(415);
    const renamed = await upload('photo.png', new Uint8Array([0x4d, 0x5a, 0, 0]));
    expect(renamed.status).toBe(415);
    expect(renamed.json.error).toMatch(/not a PNG/);
    const big = new Uint8Array(5 * 1024 * 1024 + 10);
    big.set(pngBytes);
    const tooBig = await upload('huge.png', big);
    expect(tooBig.status).toBe(413);
    expect(tooBig.json.error).toMatch(/limit is 5 MB/);
    expect(refs()).toBe(before);
  });
});

describe('malformed requests', () => {
  it('answers each with a clear status and message, writing nothing', async () => {
    const before = refs();
    expect((await cms('editor', '', {}, { raw: '{not json' })).status).toBe(400);
    expect((await cms('editor', '', {}, { raw: '[]' })).status).toBe(400);
    expect((await cms('editor', '', {}, { raw: '{}', type: 'text/plain' })).status).toBe(415);
    const unknown = await cms('editor', 'rewriteHistory');
    expect(unknown.status).toBe(400);
    expect(unknown.json.error).toMatch(/not an action/);
    expect((await cms('editor', '', {}, { raw: JSON.stringify({ practice: 'riverside', action: 'getEntry', params: 'x' }) })).status).toBe(400);
    expect((await cms('editor', 'persistEntry', { dataFiles: 'x' })).status).toBe(400);
    expect((await cms('editor', 'persistEntry', { dataFiles: [{ path: hoursPath, slug: 'appointments', raw: 'x' }], options: { collectionName: 'pages', useWorkflow: true } })).json.error).toMatch(/versions/);
    expect(refs()).toBe(before);
  });
});

describe('the editorial workflow', () => {
  it('saves a draft on its own branch, as the person, leaving main alone', async () => {
    const mainBefore = content.git('rev-parse', 'main');
    const raw = withTitle(fileAt('main', hoursPath), 'Appointments and bookings');
    const r = await saveDraft('editor', 'pages', 'appointments', hoursPath, raw, await versionOf(hoursPath));
    expect(r.status).toBe(200);
    expect(content.git('rev-parse', 'main')).toBe(mainBefore);
    expect(fileAt('cms/riverside/pages/appointments', hoursPath)).toBe(raw);
    expect(content.git('log', '-1', '--format=%an|%cn|%s%n%(trailers:only)', 'cms/riverside/pages/appointments')).toContain('Ed Editor|Practice Digital|Save draft of "Appointments and bookings"');
    expect((await cms('editor', 'unpublishedEntries')).json).toContain('pages/appointments');
    const entry = await cms('editor', 'unpublishedEntry', { id: 'pages/appointments' });
    expect(entry.json).toMatchObject({ collection: 'pages', slug: 'appointments', status: 'draft', diffs: [{ path: hoursPath, newFile: false, binary: false }] });
    const data = await cms('editor', 'unpublishedEntryDataFile', { collection: 'pages', slug: 'appointments', path: hoursPath, id: hoursPath });
    expect(data.json.data).toBe(raw);
    expect((await cms('editor', 'unpublishedEntry', { id: 'pages/nothing-here' })).status).toBe(404);
  });

  it('gives a save from a stale copy a conflict, not a lost update', async () => {
    const mainVersion = await versionOf(hoursPath);
    const before = refs();
    // The draft exists now (previous test): a second editor still holding main's version is stale.
    const stale = await saveDraft('manager', 'pages', 'appointments', hoursPath, withTitle(fileAt('main', hoursPath), 'Stale title'), mainVersion);
    expect(stale.status).toBe(409);
    expect(stale.json.error).toMatch(/saved .* after you opened it/);
    expect(refs()).toBe(before);
    const fresh = await saveDraft('manager', 'pages', 'appointments', hoursPath, withTitle(fileAt('main', hoursPath), 'Appointments'), await versionOf(hoursPath, 'cms/riverside/pages/appointments'));
    expect(fresh.status).toBe(200);
  });

  it('moves a draft through review with status commits, and deletes a draft without touching main', async () => {
    const r = await cms('editor', 'updateUnpublishedEntryStatus', { collection: 'pages', slug: 'appointments', newStatus: 'pending_review' });
    expect(r.status).toBe(200);
    expect((await cms('editor', 'unpublishedEntry', { collection: 'pages', slug: 'appointments' })).json.status).toBe('pending_review');
    // Not clinical: nobody is emailed to review it.
    expect(sent).toEqual([]);
    expect((await cms('editor', 'updateUnpublishedEntryStatus', { collection: 'pages', slug: 'appointments', newStatus: 'live' })).status).toBe(400);
    const mainBefore = content.git('rev-parse', 'main');
    expect((await cms('auditor', 'deleteUnpublishedEntry', { collection: 'pages', slug: 'appointments' })).status).toBe(403);
    expect((await cms('editor', 'deleteUnpublishedEntry', { collection: 'pages', slug: 'appointments' })).status).toBe(200);
    expect(content.git('branch', '--list', 'cms/riverside/pages/appointments')).toBe('');
    expect(content.git('rev-parse', 'main')).toBe(mainBefore);
  });

  it('lets only a clinical reviewer who did not write it publish clinical content, naming them in Reviewed-by', async () => {
    const raw = fileAt('main', fluPath).replace(/\n---\n/, '\n---\nBook your flu vaccine from 1 September.\n\n');
    expect((await saveDraft('editor', 'services', 'flu-clinic', fluPath, raw, await versionOf(fluPath))).status).toBe(200);
    expect((await cms('editor', 'updateUnpublishedEntryStatus', { collection: 'services', slug: 'flu-clinic', newStatus: 'pending_review' })).status).toBe(200);
    // Clinical: every clinical reviewer of the practice is told, not the author (an editor) nor anyone else.
    expect(sentTo(/waiting for your review/)).toEqual([emailOf('reviewer'), emailOf('reviewer2')].sort());
    expect(sent).toHaveLength(2);
    const waiting = sent[0]!;
    expect(waiting.subject).toBe('A change is waiting for your review: Flu clinic');
    expect(waiting.text).toContain('Saved by: Ed Editor');
    expect(waiting.text).toContain('Riverside Medical Practice');
    expect(waiting.html).toContain('href="http://portal.localhost:8787/cms/#/workflow"');
    // The email names the entry; the change itself is read in the CMS, signed in.
    expect(waiting.text).not.toContain('Book your flu vaccine');
    expect(waiting.html).not.toContain('Book your flu vaccine');
    sent.length = 0;
    // Asking again while it is already in review sends nothing more.
    expect((await cms('editor', 'updateUnpublishedEntryStatus', { collection: 'services', slug: 'flu-clinic', newStatus: 'pending_review' })).status).toBe(200);
    expect(sent).toEqual([]);

    const before = refs();
    const byEditor = await cms('editor', 'publishUnpublishedEntry', { collection: 'services', slug: 'flu-clinic' });
    expect(byEditor.status).toBe(403);
    expect(byEditor.json.error).toMatch(/clinical reviewer/);
    expect((await cms('manager', 'publishUnpublishedEntry', { collection: 'services', slug: 'flu-clinic' })).status).toBe(403);
    expect((await cms('editor', 'updateUnpublishedEntryStatus', { collection: 'services', slug: 'flu-clinic', newStatus: 'pending_publish' })).status).toBe(403);
    expect(refs()).toBe(before);

    // A reviewer who edits the draft becomes one of its authors, and cannot approve it.
    const branch = 'cms/riverside/services/flu-clinic';
    const edited = raw.replace('1 September', '2 September');
    expect((await saveDraft('reviewer', 'services', 'flu-clinic', fluPath, edited, await versionOf(fluPath, branch))).status).toBe(200);
    const own = await cms('reviewer', 'publishUnpublishedEntry', { collection: 'services', slug: 'flu-clinic' });
    expect(own.status).toBe(403);
    expect(own.json.error).toMatch(/you wrote part of this change/);

    expect((await cms('reviewer2', 'updateUnpublishedEntryStatus', { collection: 'services', slug: 'flu-clinic', newStatus: 'pending_publish' })).status).toBe(200);
    const ok = await cms('reviewer2', 'publishUnpublishedEntry', { collection: 'services', slug: 'flu-clinic' });
    expect(ok.status).toBe(200);
    expect(fileAt('main', fluPath)).toBe(edited);
    const log = content.git('log', '-1', '--format=%an <%ae>|%cn|%P|%s%n%(trailers:only)', 'main');
    const [first, ...trailers] = log.split('\n');
    const [author, committer, parents, subject] = first!.split('|');
    expect(author).toBe(`Ed Editor <${emailOf('editor')}>`);
    expect(committer).toBe('Practice Digital');
    expect(parents!.split(' ')).toHaveLength(2);
    expect(subject).toMatch(/^Publish "/);
    expect(trailers).toEqual(expect.arrayContaining(['Practice: riverside', 'Role: editor', 'Entry: services/flu-clinic', `Reviewed-by: Dr Ben Okafor <${emailOf('reviewer2')}>`]));
    expect(content.git('branch', '--list', branch)).toBe('');
    expect(published.at(-1)).toMatchObject({ practice: 'riverside', paths: [fluPath] });
    // Both people who wrote it hear it is live; the reviewer who published it does not.
    expect(sentTo(/is live/)).toEqual([emailOf('editor'), emailOf('reviewer')]);
    const live = sent.find((m) => m.to === emailOf('editor'))!;
    expect(live.subject).toBe('Your change is live: Flu clinic');
    expect(live.text).toContain('Dr Ben Okafor reviewed and approved it.');
    expect(live.text).toContain('https://riverside-medical.example/services/flu-clinic/');
  });

  it('treats removing the clinical flag as clinical, so it cannot skip review', async () => {
    const raw = fileAt('main', fluPath).replace('clinical: true', 'clinical: false');
    expect((await saveDraft('editor', 'services', 'flu-clinic', fluPath, raw, await versionOf(fluPath))).status).toBe(200);
    expect((await cms('editor', 'publishUnpublishedEntry', { collection: 'services', slug: 'flu-clinic' })).status).toBe(403);
    expect((await cms('editor', 'deleteUnpublishedEntry', { collection: 'services', slug: 'flu-clinic' })).status).toBe(200);
  });

  it('lets an editor publish non-clinical content where the practice allows it', async () => {
    const raw = withTitle(fileAt('main', hoursPath), 'Appointments');
    const changed = raw.replace(/\n---\n/, '\n---\nWe now open at 07:30 on Tuesdays.\n\n');
    expect((await saveDraft('editor', 'pages', 'appointments', hoursPath, changed, await versionOf(hoursPath))).status).toBe(200);
    const r = await cms('editor', 'publishUnpublishedEntry', { collection: 'pages', slug: 'appointments' });
    expect(r.status).toBe(200);
    expect(content.git('log', '-1', '--format=%(trailers:key=Published-by,valueonly)', 'main')).toContain(emailOf('editor'));
    // The only author published it: there is nobody else to tell.
    expect(sent).toEqual([]);
  });

  it('refuses to publish a draft whose file changed on main since it began', async () => {
    const branch = 'cms/riverside/pages/appointments';
    const start = fileAt('main', hoursPath);
    expect((await saveDraft('editor', 'pages', 'appointments', hoursPath, start.replace('07:30', '07:00'), await versionOf(hoursPath))).status).toBe(200);
    // Meanwhile the same page is changed and published through another draft's route: directly on main.
    const direct = await cms('manager', 'persistEntry', {
      dataFiles: [{ path: hoursPath, slug: 'appointments', raw: start.replace('07:30', '08:00') }],
      options: { collectionName: 'pages', useWorkflow: false },
      versions: { [hoursPath]: await versionOf(hoursPath) },
    });
    expect(direct.status).toBe(200);
    const before = refs();
    const r = await cms('manager', 'publishUnpublishedEntry', { collection: 'pages', slug: 'appointments' });
    expect(r.status).toBe(409);
    expect(r.json.error).toMatch(/changed on the live site after this draft was started/);
    expect(refs()).toBe(before);
    expect(fileAt('main', hoursPath)).toContain('08:00');
    expect(content.git('rev-parse', branch)).toMatch(/^[0-9a-f]{40}$/);
    await cms('editor', 'deleteUnpublishedEntry', { collection: 'pages', slug: 'appointments' });
  });

  it('refuses to publish content that would not validate, listing the problems', async () => {
    const raw = fileAt('main', hoursPath).replace(/^review_by: .*$/m, 'review_by: 2027-02-30');
    expect((await saveDraft('editor', 'pages', 'appointments', hoursPath, raw, await versionOf(hoursPath))).status).toBe(200);
    const before = refs();
    const r = await cms('manager', 'publishUnpublishedEntry', { collection: 'pages', slug: 'appointments' });
    expect(r.status).toBe(422);
    expect(r.json.error).toMatch(/appointments\.md:\d+: review_by/);
    expect(refs()).toBe(before);
    await cms('editor', 'deleteUnpublishedEntry', { collection: 'pages', slug: 'appointments' });
  });

  it('keeps review notes on the draft: anyone may resolve, only the writer may edit', async () => {
    const raw = fileAt('main', fluPath).replace('clinical: true', 'clinical: true\n');
    expect((await saveDraft('editor', 'services', 'flu-clinic', fluPath, raw.replace(/\n---\n/, '\n---\nNew clinic dates.\n\n'), await versionOf(fluPath))).status).toBe(200);
    const where = { collection: 'services', slug: 'flu-clinic' };
    const added = await cms('reviewer', 'addNote', { ...where, note: { content: 'Please add the age groups.', author: 'spoofed', resolved: false } });
    expect(added.status).toBe(200);
    expect(added.json.note).toMatchObject({ content: 'Please add the age groups.', author: 'Dr Asha Patel', resolved: false });
    const id = added.json.note.id;
    expect((await cms('editor', 'updateNote', { ...where, noteId: id, updates: { content: 'rewritten' } })).status).toBe(403);
    expect((await cms('editor', 'toggleNoteResolution', { ...where, noteId: id })).json.note.resolved).toBe(true);
    expect((await cms('editor', 'getNotes', where)).json.notes).toEqual([expect.objectContaining({ id, resolved: true, content: 'Please add the age groups.' })]);
    expect((await cms('editor', 'deleteNote', { ...where, noteId: id })).status).toBe(403);
    expect((await cms('reviewer', 'deleteNote', { ...where, noteId: id })).status).toBe(200);
    expect((await cms('editor', 'getNotes', where)).json.notes).toEqual([]);
    // The conversation is in git.
    expect(content.git('log', '--format=%s', 'cms/riverside/services/flu-clinic')).toContain('Review note on "flu-clinic"');
    await cms('editor', 'deleteUnpublishedEntry', where);
  });
});

describe('urgent notices', () => {
  const notice = (expires: string) => ({ title: 'Closed this afternoon', body: 'The surgery is closed from 13:00 for staff training. Call 111 if you need help.', expires });

  it('go straight to main for a practice manager or an urgent publisher, ending within 14 days', async () => {
    const r = await cms('urgent', 'postUrgentNotice', notice('2026-12-05T17:00'));
    expect(r.status).toBe(200);
    expect(r.json.path).toBe('content/practices/riverside/notices/2026-12-04-closed-this-afternoon.md');
    expect(fileAt('main', r.json.path)).toContain('severity: urgent');
    expect(fileAt('main', r.json.path)).toContain('expires: 2026-12-05T17:00');
    expect(content.git('log', '-1', '--format=%an|%s|%(trailers:key=Role,valueonly)', 'main')).toMatch(/^Una Urgent\|Post urgent notice "Closed this afternoon" until .*\|urgent_publisher/);
    expect(published.at(-1)?.paths).toEqual([r.json.path]);
    // The practice's managers (only Riverside's) are told what was posted, until when and by whom.
    expect(sentTo(/Urgent notice posted/)).toEqual([emailOf('manager')]);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.subject).toBe('Urgent notice posted: Closed this afternoon');
    expect(sent[0]!.text).toContain('Una Urgent posted an urgent notice');
    expect(sent[0]!.text).toContain('until Saturday 5 December 2026 at 17:00');
  });

  it('are refused beyond 14 days, without an end, in the past, or from an editor', async () => {
    const before = refs();
    const far = await cms('manager', 'postUrgentNotice', notice('2026-12-19T13:00'));
    expect(far.status).toBe(403);
    expect(far.json.error).toMatch(/at most 14 days/);
    expect((await cms('manager', 'postUrgentNotice', notice('2026-12-01T09:00'))).status).toBe(403);
    expect((await cms('manager', 'postUrgentNotice', { title: 'x', body: 'y' })).status).toBe(400);
    expect((await cms('editor', 'postUrgentNotice', { ...notice('2026-12-05T17:00'), title: 'Another' })).status).toBe(403);
    expect(refs()).toBe(before);
    expect(sent).toEqual([]);
  });
});

describe('emails that cannot be sent', () => {
  it('never fail the request or change what is written to git, and log no addresses', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      failing.mail = true;
      const raw = fileAt('main', fluPath).replace(/\n---\n/, '\n---\nClinic moved to the Millbrook branch.\n\n');
      expect((await saveDraft('editor', 'services', 'flu-clinic', fluPath, raw, await versionOf(fluPath))).status).toBe(200);
      const toReview = await cms('editor', 'updateUnpublishedEntryStatus', { collection: 'services', slug: 'flu-clinic', newStatus: 'pending_review' });
      expect(toReview.status).toBe(200);
      expect((await cms('editor', 'unpublishedEntry', { collection: 'services', slug: 'flu-clinic' })).json.status).toBe('pending_review');
      expect(content.git('log', '-1', '--format=%(trailers:key=Status,valueonly)', 'cms/riverside/services/flu-clinic')).toBe('pending_review');

      expect((await cms('reviewer', 'updateUnpublishedEntryStatus', { collection: 'services', slug: 'flu-clinic', newStatus: 'pending_publish' })).status).toBe(200);
      const publish = await cms('reviewer', 'publishUnpublishedEntry', { collection: 'services', slug: 'flu-clinic' });
      expect(publish.status).toBe(200);
      expect(fileAt('main', fluPath)).toBe(raw);
      expect(content.git('rev-parse', 'main')).toBe(publish.json.commit);

      // Finding who to tell can fail too.
      failing.recipients = true;
      const notice = await cms('manager', 'postUrgentNotice', { title: 'Phones down this morning', body: 'Our phone lines are down. Use the NHS App or call 111.', expires: '2026-12-04T18:00' });
      expect(notice.status).toBe(200);
      expect(content.git('rev-parse', 'main')).toBe(notice.json.commit);
      expect(fileAt('main', notice.json.path)).toContain('Phones down this morning');

      expect(sent).toEqual([]);
      const logged = errors.mock.calls.map((c) => c.join(' '));
      expect(logged.some((l) => /review-waiting email for riverside failed: MailDown/.test(l))).toBe(true);
      expect(logged.some((l) => /change-live email for riverside failed: MailDown/.test(l))).toBe(true);
      expect(logged.some((l) => /urgent-notice-posted email for riverside: finding the recipients failed: MailDown/.test(l))).toBe(true);
      for (const l of logged) expect(l).not.toMatch(/@|could not send|no recipients/);
    } finally {
      errors.mockRestore();
    }
  });
});
