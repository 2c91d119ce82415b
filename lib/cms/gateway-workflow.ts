// The editorial workflow through the gateway: saving drafts (one branch per entry), moving them
// through review, and publishing (a merge into `main` that names the reviewer). Every save says
// which version of each file it edited, so a save from a stale copy is refused, never merged.
import { collections } from '../../schemas/model.ts';
import { ConflictError } from '../git-store/types.ts';
import { overlapping } from '../git-store/objects.ts';
import type { Role } from '../members/members.ts';
import { blobId, fromBase64 } from './blob-id.ts';
import { contentKey, draftBranch, draftPrefix, readDraft, statusWords, workflowStatuses, type Draft, type WorkflowStatus } from './drafts.ts';
import { entryFacts } from './entry-facts.ts';
import { changeLiveEmail } from '../email/messages/change-live.ts';
import { reviewWaitingEmail } from '../email/messages/review-waiting.ts';
import { allow, announcePublished, checkedPath, commitAs, mediaFolder, notifyPeople, object, personOf, practiceFacts, text, type Ctx } from './gateway-context.ts';
import { badRequest, conflict, GatewayError, notFound } from './gateway-error.ts';
import { mediaFile } from './gateway-reads.ts';
import { maxMediaBytes, mediaProblem } from './media.ts';
import { assertPracticeValid, complianceGate, publishesWithoutReview } from './practice-check.ts';

const collectionNames = new Set(collections.map((c) => c.name));
const encoder = new TextEncoder();
const maxEntryBytes = 256 * 1024;
const isDataFile = (path: string) => /\.(md|ya?ml)$/.test(path);

function collectionOf(ctx: Ctx, value: unknown): string {
  if (typeof value !== 'string' || !collectionNames.has(value)) throw badRequest(`"${String(value).slice(0, 60)}" is not a collection of this CMS`);
  return value;
}

function entryAddress(ctx: Ctx): { collection: string; slug: string; branch: string } {
  let collection = ctx.params.collection;
  let slug = ctx.params.slug;
  if (typeof ctx.params.id === 'string' && !collection) [collection, slug] = ctx.params.id.split(/\/(.*)/s);
  const name = collectionOf(ctx, collection);
  return { collection: name, slug: String(slug), branch: safeBranch(ctx, name, slug) };
}

function safeBranch(ctx: Ctx, collection: string, slug: unknown): string {
  try {
    return draftBranch(ctx.practice, collection, slug as string);
  } catch (e) {
    throw badRequest((e as Error).message);
  }
}

async function draftOrNotFound(ctx: Ctx, branch: string): Promise<Draft> {
  const draft = await readDraft(ctx.store, ctx.main, branch);
  if (!draft) throw notFound('There is no draft of this entry (it may have been published or deleted); reload the page.');
  return draft;
}

async function fileId(ctx: Ctx, path: string, ref: string): Promise<string | null> {
  const bytes = await ctx.store.readFile(path, { ref, encoding: 'binary' });
  return bytes ? blobId(bytes) : null;
}

/** Is the change clinical: its collection always is, or the entry says so before or after the change. */
async function isClinical(ctx: Ctx, collection: string, paths: string[], refs: string[]): Promise<boolean> {
  if (ctx.deps.clinicalCollections?.includes(collection)) return true;
  for (const path of paths.filter(isDataFile))
    for (const ref of refs) if (entryFacts(path, await ctx.store.readFile(path, { ref })).clinical) return true;
  return false;
}

async function entryTitle(ctx: Ctx, paths: string[], ref: string, fallback: string): Promise<string> {
  for (const path of paths.filter(isDataFile)) {
    const title = entryFacts(path, await ctx.store.readFile(path, { ref })).title;
    if (title) return title;
  }
  return fallback;
}

export async function unpublishedEntries(ctx: Ctx): Promise<string[]> {
  const branches = await ctx.store.listBranches(draftPrefix(ctx.practice));
  return branches.flatMap((b) => contentKey(ctx.practice, b.name) ?? []);
}

export async function unpublishedEntry(ctx: Ctx) {
  const { collection, slug, branch } = entryAddress(ctx);
  const draft = await draftOrNotFound(ctx, branch);
  const paths = await ctx.store.changedPaths(draft.base, draft.head);
  const diffs = await Promise.all(
    paths.map(async (path) => ({
      id: path,
      path,
      newFile: (await ctx.store.readFile(path, { ref: draft.base, encoding: 'binary' })) === undefined,
      status: 'modified',
      binary: !isDataFile(path),
    })),
  );
  return {
    collection,
    slug,
    status: draft.status,
    diffs,
    updatedAt: draft.updatedAt.toISOString(),
    authors: draft.authors.map((a) => a.name),
    clinical: await isClinical(ctx, collection, paths, [draft.head, ctx.main]),
  };
}

export async function unpublishedEntryDataFile(ctx: Ctx) {
  const { branch } = entryAddress(ctx);
  const path = checkedPath(ctx, ctx.params.path);
  const data = await ctx.store.readFile(path, { ref: branch });
  if (data === undefined) throw notFound(`The draft has no file ${path}.`);
  return { data, id: await blobId(data) };
}

export async function unpublishedEntryMediaFile(ctx: Ctx) {
  const { branch } = entryAddress(ctx);
  const path = checkedPath(ctx, ctx.params.path);
  const bytes = await ctx.store.readFile(path, { ref: branch, encoding: 'binary' });
  if (!bytes) throw notFound(`The draft has no file ${path}.`);
  return mediaFile(path, await blobId(bytes), bytes);
}

interface DataFileParam {
  path: string;
  newPath?: string;
  slug: string;
  raw: string;
}

function dataFilesOf(ctx: Ctx): DataFileParam[] {
  const list = ctx.params.dataFiles ?? (ctx.params.entry ? [ctx.params.entry] : undefined);
  if (!Array.isArray(list) || list.length === 0 || list.length > 20) throw badRequest('"dataFiles" must list the entry\'s files');
  return list.map((f) => {
    const o = (typeof f === 'object' && f !== null ? f : {}) as Record<string, unknown>;
    const path = checkedPath(ctx, o.path);
    if (!isDataFile(path) || path.startsWith(`${mediaFolder(ctx.practice)}/`)) throw badRequest(`${path} is not an entry file (.md or .yml)`);
    if (typeof o.raw !== 'string') throw badRequest(`"raw" for ${path} must be the file's text`);
    if (encoder.encode(o.raw).byteLength > maxEntryBytes) throw new GatewayError(413, 'too-large', `${path} is larger than ${maxEntryBytes / 1024} KB; split it into several pages`);
    if (typeof o.slug !== 'string') throw badRequest(`"slug" for ${path} must be a string`);
    const newPath = o.newPath === undefined || o.newPath === null ? undefined : checkedPath(ctx, o.newPath, 'new path');
    return { path, slug: o.slug, raw: o.raw, ...(newPath && newPath !== path ? { newPath } : {}) };
  });
}

function assetsOf(ctx: Ctx): { path: string; bytes: Uint8Array }[] {
  const list = ctx.params.assets ?? [];
  if (!Array.isArray(list) || list.length > 20) throw badRequest('"assets" must be a list of at most 20 files');
  return list.map((a) => {
    const o = (typeof a === 'object' && a !== null ? a : {}) as Record<string, unknown>;
    return checkedAsset(ctx, o);
  });
}

export function checkedAsset(ctx: Ctx, o: Record<string, unknown>): { path: string; bytes: Uint8Array } {
  const path = checkedPath(ctx, o.path, 'media path');
  if (!path.startsWith(`${mediaFolder(ctx.practice)}/`) || path.split('/').length !== 5) throw badRequest(`Media must be uploaded into ${mediaFolder(ctx.practice)}/`);
  if (o.encoding !== 'base64') throw badRequest(`Send ${path} base64-encoded ("encoding": "base64")`);
  const bytes = fromBase64(String(o.content ?? ''));
  if (!bytes) throw badRequest(`The content of ${path} is not valid base64`);
  const limit = ctx.deps.maxMediaBytes ?? maxMediaBytes;
  const problem = mediaProblem(path, bytes, limit);
  if (problem) throw new GatewayError(bytes.byteLength > limit ? 413 : 415, 'media-refused', problem);
  return { path, bytes };
}

/** The versions of the entry's files the CMS read, as it sent them: a missing one is an error, not a pass. */
async function assertFresh(ctx: Ctx, files: DataFileParam[], ref: string, isNew: boolean): Promise<void> {
  const versions = ctx.params.versions;
  if (typeof versions !== 'object' || versions === null || Array.isArray(versions))
    throw badRequest('"versions" must say which version of each file this edit started from (null for a new file)');
  for (const f of files) {
    const sent = (versions as Record<string, unknown>)[f.path];
    if (sent === undefined) throw badRequest(`"versions" does not say which version of ${f.path} this edit started from`);
    const current = await fileId(ctx, f.path, ref);
    if (isNew && current !== null) throw conflict(`An entry already exists at ${f.path}: choose another title, or open that entry instead.`);
    if (sent !== current)
      throw conflict(`Someone saved ${f.path} after you opened it, so saving now would overwrite their change. Copy your changes, reload the entry and apply them again.`, {
        path: f.path,
      });
  }
}

export async function persistEntry(ctx: Ctx) {
  const files = dataFilesOf(ctx);
  const assets = assetsOf(ctx);
  const options = object(ctx.params, 'options');
  const collection = collectionOf(ctx, options.collectionName);
  const slug = files[0]!.slug;
  const entry = `${collection}/${slug}`;
  const title = entryFacts(files[0]!.path, files[0]!.raw).title ?? slug;
  const changes = [
    ...files.flatMap((f) => (f.newPath ? [{ path: f.path, content: null }, { path: f.newPath, content: f.raw }] : [{ path: f.path, content: f.raw }])),
    ...assets.map((a) => ({ path: a.path, content: a.bytes })),
  ];
  const mainHead = await ctx.store.head(ctx.main);

  if (options.useWorkflow === false) {
    const paths = changes.map((c) => c.path);
    const overrides = new Map(changes.map((c) => [c.path, typeof c.content === 'string' ? encoder.encode(c.content) : c.content]));
    const clinical = (await isClinical(ctx, collection, paths, [mainHead])) || files.some((f) => entryFacts(f.path, f.raw).clinical);
    allow(ctx, 'publish', { clinical, authors: [ctx.member.email.toLowerCase()], publishWithoutReview: await publishesWithoutReview(ctx.store, ctx.practice, mainHead) });
    await assertFresh(ctx, files, mainHead, options.newEntry === true);
    await assertPracticeValid(ctx.store, ctx.practice, mainHead, overrides, complianceGate(ctx));
    const commit = await commitAs(ctx, { branch: ctx.main, changes, change: { kind: 'publish', entry, title }, expectedHead: mainHead });
    await announcePublished(ctx, commit, paths);
    return { message: `Published "${title}"`, versions: await versionsOf(files) };
  }

  allow(ctx, 'save-draft');
  const branch = safeBranch(ctx, collection, slug);
  const existing = (await ctx.store.listBranches(branch)).find((b) => b.name === branch);
  await assertFresh(ctx, files, existing?.head ?? mainHead, options.newEntry === true && !existing);
  if (!existing) await ctx.store.createBranch(branch, mainHead);
  const status = typeof options.status === 'string' && (workflowStatuses as readonly string[]).includes(options.status) ? options.status : 'draft';
  try {
    await commitAs(ctx, {
      branch,
      changes,
      change: { kind: 'save-draft', entry, title },
      expectedHead: existing?.head ?? mainHead,
      extraTrailers: { 'Draft-action': 'save', ...(existing ? {} : { Status: status }) },
    });
  } catch (e) {
    if (!existing) await ctx.store.deleteBranch(branch, { expectedHead: mainHead }).catch(() => undefined);
    throw e;
  }
  return { message: `Saved a draft of "${title}"`, versions: await versionsOf(files) };
}

async function versionsOf(files: DataFileParam[]): Promise<Record<string, string>> {
  return Object.fromEntries(await Promise.all(files.map(async (f) => [f.newPath ?? f.path, await blobId(f.raw)] as const)));
}

/** What publishing needs to know about a draft: what it changes, whether that is clinical, who wrote it. */
async function publishFacts(ctx: Ctx, collection: string, draft: Draft, mainHead: string) {
  const paths = await ctx.store.changedPaths(draft.base, draft.head);
  const clinical = await isClinical(ctx, collection, paths, [draft.head, mainHead]);
  const authors = draft.authors.map((a) => a.email.toLowerCase());
  const publishWithoutReview = await publishesWithoutReview(ctx.store, ctx.practice, mainHead);
  return { paths, clinical, authors, publishWithoutReview };
}

export async function updateUnpublishedEntryStatus(ctx: Ctx) {
  const { collection, slug, branch } = entryAddress(ctx);
  const next = text(ctx.params, 'newStatus');
  if (!(workflowStatuses as readonly string[]).includes(next)) throw badRequest(`"newStatus" must be one of ${workflowStatuses.join(', ')}`);
  const draft = await draftOrNotFound(ctx, branch);
  const mainHead = await ctx.store.head(ctx.main);
  // Marking a draft ready is the approval: it needs the same right as publishing it.
  if (next === 'pending_publish') {
    const facts = await publishFacts(ctx, collection, draft, mainHead);
    allow(ctx, 'publish', facts);
  } else allow(ctx, 'change-status');
  const paths = await ctx.store.changedPaths(draft.base, draft.head);
  const title = await entryTitle(ctx, paths, draft.head, slug);
  await commitAs(ctx, {
    branch,
    changes: [],
    allowEmpty: true,
    change: { kind: 'status', entry: `${collection}/${slug}`, title, status: statusWords[next as WorkflowStatus] },
    expectedHead: draft.head,
    extraTrailers: { 'Draft-action': 'status', Status: next },
  });
  if (next === 'pending_review' && draft.status !== 'pending_review' && ctx.deps.notify && (await isClinical(ctx, collection, paths, [draft.head, mainHead])))
    await tellReviewers(ctx, draft, title);
  return { message: `"${title}" is now ${statusWords[next as WorkflowStatus]}` };
}

export async function deleteUnpublishedEntry(ctx: Ctx) {
  const { branch } = entryAddress(ctx);
  const draft = await draftOrNotFound(ctx, branch);
  allow(ctx, 'delete-draft');
  await ctx.store.deleteBranch(branch, { expectedHead: draft.head });
  return { message: 'The draft was deleted; the live page is unchanged.' };
}

export async function publishUnpublishedEntry(ctx: Ctx) {
  const { collection, slug, branch } = entryAddress(ctx);
  const draft = await draftOrNotFound(ctx, branch);
  const mainHead = await ctx.store.head(ctx.main);
  const facts = await publishFacts(ctx, collection, draft, mainHead);
  allow(ctx, 'publish', facts);
  const changedOnMain = await ctx.store.changedPaths(draft.base, mainHead);
  const clashes = overlapping(facts.paths, changedOnMain);
  if (clashes.length > 0)
    throw conflict(
      `${clashes.join(', ')} changed on the live site after this draft was started, so publishing it would undo that change. Open the draft, copy your edits, delete the draft and make them again on the current page.`,
      { paths: clashes },
    );
  const contents = await Promise.all(facts.paths.map(async (path) => [path, (await ctx.store.readFile(path, { ref: draft.head, encoding: 'binary' })) ?? null] as const));
  await assertPracticeValid(ctx.store, ctx.practice, mainHead, new Map(contents), complianceGate(ctx));
  const title = await entryTitle(ctx, facts.paths, draft.head, slug);
  const author = draft.authors[0] ?? { name: ctx.member.name || ctx.member.email, email: ctx.member.email, role: ctx.member.role };
  const reviewed = !facts.authors.includes(ctx.member.email.toLowerCase());
  let commit: string;
  try {
    commit = await commitAs(ctx, {
      branch: ctx.main,
      changes: contents.map(([path, content]) => ({ path, content })),
      change: {
        kind: 'publish',
        entry: `${collection}/${slug}`,
        title,
        ...(reviewed ? { reviewer: { name: ctx.member.name || ctx.member.email, email: ctx.member.email, role: ctx.member.role } } : {}),
      },
      author: { name: author.name, email: author.email },
      role: (author.role as Role | undefined) ?? ctx.member.role,
      mergeParent: draft.head,
      expectedHead: mainHead,
      extraTrailers: reviewed ? {} : { 'Published-by': `${ctx.member.name || ctx.member.email} <${ctx.member.email}>` },
    });
  } catch (e) {
    if (e instanceof ConflictError) throw conflict('The live site changed while publishing; publish again.');
    throw e;
  }
  await ctx.store.deleteBranch(branch, { expectedHead: draft.head }).catch(() => undefined);
  await announcePublished(ctx, commit, facts.paths);
  await tellAuthors(ctx, draft, collection, slug, title, reviewed);
  return { message: `Published "${title}"`, commit };
}

const isCaller = (ctx: Ctx, email: string) => email.toLowerCase() === ctx.member.email.toLowerCase();

/** A clinical draft went to review: each clinical reviewer who wrote none of it (and did not send it) is told. */
async function tellReviewers(ctx: Ctx, draft: Draft, title: string): Promise<void> {
  if (!ctx.deps.notify) return;
  const authors = new Set(draft.authors.map((a) => a.email.toLowerCase()));
  const practice = await practiceFacts(ctx);
  await notifyPeople(
    ctx,
    'review-waiting',
    async (n) => (await n.recipients(ctx.practice, ['clinical_reviewer'])).filter((p) => !authors.has(p.email.toLowerCase()) && !isCaller(ctx, p.email)),
    (person, n) =>
      reviewWaitingEmail({
        to: person.email,
        practiceName: practice.name,
        title,
        savedBy: draft.authors.map((a) => a.name),
        requestedBy: personOf(ctx.member).name,
        portalUrl: n.portalUrl,
      }),
  );
}

/** A draft was published: its authors are told, except whoever pressed Publish. */
async function tellAuthors(ctx: Ctx, draft: Draft, collection: string, slug: string, title: string, reviewed: boolean): Promise<void> {
  if (!ctx.deps.notify) return;
  const practice = await practiceFacts(ctx);
  const pattern = collections.find((c) => c.name === collection && c.kind === 'folder');
  const url = pattern && 'url' in pattern && typeof pattern.url === 'string' ? pattern.url.replace('{slug}', slug) : undefined;
  const pageUrl = practice.siteUrl && url ? `${practice.siteUrl}${url}` : undefined;
  await notifyPeople(
    ctx,
    'change-live',
    async () => draft.authors.filter((a) => !isCaller(ctx, a.email)).map((a) => ({ email: a.email, name: a.name })),
    (person) =>
      changeLiveEmail({
        to: person.email,
        practiceName: practice.name,
        title,
        publishedBy: personOf(ctx.member).name,
        reviewed,
        ...(pageUrl ? { pageUrl } : {}),
      }),
  );
}

