// pd audit verify: a clean history passes; each kind of breach is caught and named with its commit
// (or revision), file and what to do: a commit without (or with the wrong) Practice: trailer, a
// clinical change its own writer approved or published, main rewritten under a published revision,
// and revision folders or manifests changed after publishing.
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../build/cli/commands/audit.ts';
import { runCommand } from './support/audit-output.ts';
import { afterFrontMatter, auditRepo, fluFile, saveDraft, staff, type AuditRepo } from './support/audit-repo.ts';

const verify = (r: AuditRepo, ...args: string[]) => runCommand(audit, ['verify', ...args], { PD_CONTENT_ROOT: r.dir, PD_STORE_DIR: r.storeDir });
const findings = async (r: AuditRepo, ...args: string[]) => {
  const ran = await verify(r, ...args, '--json');
  return { ...ran, json: JSON.parse(ran.stdout) as { ok: boolean; errors: number; warnings: number; findings: any[] } };
};
const trailers = (t: Record<string, string>) => Object.entries(t).map(([k, v]) => `${k}: ${v}`).join('\n');
const reviewerSig = `${staff.reviewer.name} <${staff.reviewer.email}>`;

/** A clinical draft saved by the editor and published by the clinical reviewer, through the gateway. */
async function reviewedFluChange(r: AuditRepo, day: string, text: string) {
  const flu = { collection: 'services', slug: 'flu-clinic' };
  await saveDraft(r, 'editor', `${day}T10:00:00Z`, flu.collection, flu.slug, fluFile, afterFrontMatter(text));
  await r.cms('reviewer', `${day}T10:20:00Z`, 'updateUnpublishedEntryStatus', { ...flu, newStatus: 'pending_publish' });
  await r.cms('reviewer', `${day}T10:25:00Z`, 'publishUnpublishedEntry', flu);
  return r.git('rev-parse', 'main');
}

describe('a clean history', () => {
  let r: AuditRepo;
  beforeAll(async () => {
    // The import itself names its practice and its clinical reviewer, so even --strict passes.
    r = await auditRepo({ practices: ['riverside'], seedMessage: `Import Riverside\n\n${trailers({ Practice: 'riverside', 'Reviewed-by': reviewerSig })}` });
    const published = await reviewedFluChange(r, '2026-11-23', 'Book your flu jab from 1 December.');
    await r.revision('riverside', r.git('rev-parse', 'main~1'), '2026-11-20T09:30:00.000Z');
    await r.revision('riverside', published, '2026-11-23T10:30:00.000Z');
  });
  afterAll(() => r?.remove());

  it('passes, and says what it checked', async () => {
    const { code, stdout, stderr } = await verify(r, '--strict');
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/The history keeps the rules: 2 changes on main and 2 revisions checked, nothing to report\./);
  });

  it('accepts a clinical entry removed by a clinical reviewer, and a rollback by the practice manager', async () => {
    const seed = r.git('rev-list', '--max-parents=0', 'main');
    await r.cms('reviewer', '2026-11-24T09:00:00Z', 'deleteFiles', { paths: ['content/practices/riverside/services/minor-surgery.md'], options: {} });
    await r.cms('manager', '2026-11-24T10:00:00Z', 'rollbackContent', { to: seed });
    const { code, json } = await findings(r, '--strict');
    expect(json.findings).toEqual([]);
    expect(code).toBe(0);
  });
});

describe('breaches', () => {
  let r: AuditRepo;
  type Key = 'developer' | 'noPractice' | 'wrongPractice' | 'selfReviewed' | 'selfPublished' | 'unreviewedClinical' | 'mergedSelfApproved' | 'fellsideFix' | 'lost' | 'lostRevision' | 'ghostRevision' | 'tamperedRevision' | 'editedRevision' | 'dirtyRevision';
  const c = {} as Record<Key, string>;
  const page = 'content/practices/riverside/pages/appointments.md';
  const fellPage = 'content/practices/fellside/pages/appointments.md';
  const edit = (file: string, text: string) => ({ [file]: afterFrontMatter(text)(r.show('main', file)) });

  beforeAll(async () => {
    r = await auditRepo();
    c.developer = r.commit('2026-11-21T09:00:00Z', 'Tidy the appointments page', edit(page, 'Developer tidy.'));
    c.noPractice = r.commit('2026-11-21T10:00:00Z', `Publish "Appointments"\n\n${trailers({ Role: 'editor', Entry: 'pages/appointments' })}`, edit(page, 'No practice named.'), { author: staff.editor });
    c.wrongPractice = r.commit('2026-11-21T11:00:00Z', `Publish "Appointments"\n\n${trailers({ Practice: 'fellside', Role: 'editor', Entry: 'pages/appointments' })}`, edit(page, 'Wrong practice named.'), { author: staff.editor });
    c.selfReviewed = r.commit(
      '2026-11-21T12:00:00Z',
      `Publish "Flu clinic"\n\n${trailers({ Practice: 'riverside', Role: 'clinical_reviewer', Entry: 'services/flu-clinic', 'Reviewed-by': reviewerSig })}`,
      edit(fluFile, 'Reviewed by its own writer.'),
      { author: staff.reviewer },
    );
    c.selfPublished = r.commit(
      '2026-11-21T13:00:00Z',
      `Publish "Flu clinic"\n\n${trailers({ Practice: 'riverside', Role: 'editor', Entry: 'services/flu-clinic', 'Published-by': `${staff.editor.name} <${staff.editor.email}>` })}`,
      edit(fluFile, 'Published by its writer.'),
      { author: staff.editor },
    );
    c.unreviewedClinical = r.commit('2026-11-21T14:00:00Z', 'Update the flu clinic times', edit(fluFile, 'Straight from a developer.'));
    // A draft one clinical reviewer saved, merged naming that same reviewer as the approver.
    r.git('checkout', '-q', '-b', 'cms/riverside/services/flu-clinic');
    const draftText = afterFrontMatter('Saved by the GP who then approved it.')(r.show('main', fluFile));
    await writeFile(path.join(r.dir, fluFile), draftText);
    r.gitAs(staff.gp, '2026-11-21T15:00:00Z', 'commit', '-q', '-am', `Save draft of "Flu clinic"\n\n${trailers({ Practice: 'riverside', Role: 'clinical_reviewer', Entry: 'services/flu-clinic', 'Draft-action': 'save' })}`);
    r.git('checkout', '-q', 'main');
    r.gitAs(staff.editor, '2026-11-21T15:10:00Z', 'merge', '-q', '--no-ff', 'cms/riverside/services/flu-clinic', '-m', `Publish "Flu clinic"\n\n${trailers({ Practice: 'riverside', Role: 'editor', Entry: 'services/flu-clinic', 'Reviewed-by': `${staff.gp.name} <${staff.gp.email}>` })}`);
    c.mergedSelfApproved = r.git('rev-parse', 'main');
    r.git('branch', '-q', '-D', 'cms/riverside/services/flu-clinic');
    c.fellsideFix = r.commit('2026-11-21T16:00:00Z', 'Fix Fellside', edit(fellPage, 'Fellside fix.'));

    // Revisions: one built from a commit main later lost, one naming a commit that never existed
    // here, one whose folder was changed after publishing, one whose manifest was edited, and a
    // local build with uncommitted changes.
    const lost = r.commit('2026-11-22T09:00:00Z', 'A change that was later force-pushed away', edit(page, 'Lost.'));
    c.lost = lost;
    c.lostRevision = (await r.revision('riverside', lost, '2026-11-22T09:05:00.000Z')).revision;
    r.git('reset', '-q', '--hard', 'main~1');
    c.ghostRevision = (await r.revision('riverside', '0123456789abcdef0123456789abcdef01234567', '2026-11-22T09:10:00.000Z')).revision;
    const tampered = await r.revision('riverside', c.developer, '2026-11-22T09:15:00.000Z', '<p>Before</p>\n');
    c.tamperedRevision = tampered.revision;
    const folder = path.join(r.storeDir, 'riverside/revisions', tampered.revision);
    await chmod(path.join(folder, 'index.html'), 0o644);
    await writeFile(path.join(folder, 'index.html'), '<p>After</p>\n');
    await writeFile(path.join(folder, 'extra.html'), '<p>Added later</p>\n');
    await rm(path.join(folder, '_headers'), { force: true });
    const edited = await r.revision('riverside', c.developer, '2026-11-22T09:20:00.000Z', '<p>Edited manifest</p>\n');
    c.editedRevision = edited.revision;
    const manifestFile = path.join(r.storeDir, 'riverside/revisions', `${edited.revision}.json`);
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
    await writeFile(manifestFile, JSON.stringify({ ...manifest, contentHash: '0'.repeat(64) }));
    const dirtyBuild = path.join(r.storeDir, '..', 'dirty-build');
    await mkdir(dirtyBuild, { recursive: true });
    await writeFile(path.join(dirtyBuild, 'index.html'), '<p>dirty</p>\n');
    const dirty = await r.store.publish('fellside', dirtyBuild, { commit: c.fellsideFix, dirty: true, builtAt: '2026-11-22T09:30:00.000Z' });
    c.dirtyRevision = dirty.revision;
    await writeFile(path.join(r.storeDir, 'riverside/revisions', '20261122T093500Z-broken.json'), '{ not json');
    await writeFile(path.join(r.storeDir, 'riverside/live-history.jsonl'), `${await readFile(path.join(r.storeDir, 'riverside/live-history.jsonl'), 'utf8')}${JSON.stringify({ revision: '20261101T000000Z-deadbeef00', at: '2026-11-22T10:00:00.000Z', reason: 'rollback' })}\n`);
  });
  afterAll(() => r?.remove());

  const find = (all: any[], rule: string, where: Record<string, string>) => all.filter((f) => f.rule === rule && Object.entries(where).every(([k, v]) => f[k] === v));

  it('fails, listing each breach with its commit or revision, file and what to do', async () => {
    const { code, json } = await findings(r);
    expect(code).toBe(1);
    expect(json.ok).toBe(false);
    const all = json.findings;
    for (const f of all) expect(f.fix, f.message).toMatch(/\w/);

    expect(find(all, 'practice-trailer', { commit: c.developer, severity: 'warning', file: page })).toHaveLength(1);
    expect(find(all, 'practice-trailer', { commit: c.noPractice, severity: 'error', file: page })[0].message).toMatch(/carries CMS trailers but no Practice: trailer/);
    expect(find(all, 'practice-trailer', { commit: c.wrongPractice, severity: 'error', practice: 'riverside' })[0].message).toMatch(/says Practice: fellside but changes riverside's content/);

    expect(find(all, 'clinical-approval', { commit: c.selfReviewed, severity: 'error', file: fluFile })[0].message).toMatch(
      /was approved by Dr Asha Patel <reviewer@riverside\.example\.nhs\.uk>, who also wrote it/,
    );
    expect(find(all, 'clinical-approval', { commit: c.selfPublished, severity: 'error' })[0].message).toMatch(/published by its own author Ed Editor .* without a clinical review/);
    expect(find(all, 'clinical-approval', { commit: c.unreviewedClinical, severity: 'error' })[0].message).toMatch(/reached main without an approval/);
    expect(find(all, 'clinical-approval', { commit: c.mergedSelfApproved, severity: 'error' })[0].message).toMatch(/approved by Dr Ben Okafor <gp@riverside\.example\.nhs\.uk>, who also wrote it \(writers: Ed Editor .*, Dr Ben Okafor/);

    expect(find(all, 'main-rewritten', { revision: c.lostRevision, commit: c.lost, severity: 'error' })[0].message).toMatch(/is no longer in the history of main: main was rewritten/);
    expect(find(all, 'main-rewritten', { revision: c.ghostRevision, severity: 'error' })[0].message).toMatch(/which is not in this repository at all/);

    expect(find(all, 'revision-files', { revision: c.tamperedRevision, file: 'index.html' })[0].message).toMatch(/has changed since it was published/);
    expect(find(all, 'revision-files', { revision: c.tamperedRevision, file: '_headers' })[0].message).toMatch(/is missing from revision/);
    expect(find(all, 'revision-files', { revision: c.tamperedRevision, file: 'extra.html' })[0].message).toMatch(/was added to revision/);
    expect(find(all, 'revision-manifest', { revision: c.editedRevision })[0].message).toMatch(/was edited: its contentHash is not the hash of its files/);
    expect(find(all, 'revision-manifest', { file: '20261122T093500Z-broken.json' })[0].message).toMatch(/cannot be read/);
    expect(find(all, 'revision-missing', { revision: '20261101T000000Z-deadbeef00' })[0].message).toMatch(/live history of riverside names revision .* which is not in the revision store/);
    expect(find(all, 'uncommitted-build', { revision: c.dirtyRevision, severity: 'warning' })).toHaveLength(1);

    // Nothing else: the untouched revisions and the reviewed changes pass.
    expect(all.filter((f: any) => f.severity === 'error').length).toBe(json.errors);
    expect(json.errors).toBe(14);
  });

  it('prints each breach with what to do, errors first, and a summary', async () => {
    const { code, stdout, stderr } = await verify(r);
    expect(code).toBe(1);
    const blocks = stdout.trim().split('\n\n');
    expect(blocks[0]).toMatch(/^error/);
    expect(blocks.at(-1)).toMatch(/^warning/);
    for (const b of blocks) expect(b).toMatch(/^(error|warning)\s+\S+  .+\n  .+\n  What to do: .+/);
    expect(stdout).toContain(`error   main-rewritten  riverside  commit ${c.lost.slice(0, 7)}  revision ${c.lostRevision}`);
    expect(stderr).toMatch(/14 errors and \d+ warnings in \d+ changes on main and \d+ revisions\. Warnings do not fail the check \(--strict makes them errors\)\./);
  });

  it('makes warnings errors with --strict', async () => {
    const { json } = await findings(r, '--strict');
    expect(json.warnings).toBe(0);
    expect(find(json.findings, 'practice-trailer', { commit: c.developer, severity: 'error' })).toHaveLength(1);
  });

  it('checks one practice, or a period, when asked', async () => {
    const fellside = (await findings(r, 'fellside')).json.findings;
    expect(new Set(fellside.map((f: any) => f.practice))).toEqual(new Set(['fellside']));
    expect(find(fellside, 'practice-trailer', { commit: c.fellsideFix })).toHaveLength(1);
    const morning = (await findings(r, 'riverside', '--from', '2026-11-21T09:30', '--to', '2026-11-21T10:30')).json.findings.filter((f: any) => f.commit && !f.revision);
    expect(morning.map((f: any) => f.commit)).toEqual([c.noPractice]);
  });

  it('refuses an unknown practice clearly', async () => {
    await expect(verify(r, 'nowhere')).rejects.toThrow(/there is no practice "nowhere" in the history of main \(the practices are fellside, riverside\)/);
    await expect(verify(r, '--from', '2026-11-22', '--to', '2026-11-21')).rejects.toThrow(/--to 2026-11-21 is before --from 2026-11-22/);
  });
});
