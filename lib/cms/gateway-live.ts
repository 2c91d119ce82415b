// Changes that go straight to `main`: media uploads and removals, deleting an entry, and urgent
// notices. Each is checked as a publication: a clinical entry can only be removed by a clinical
// reviewer, and nothing is written if the practice would no longer validate.
import { ukLocalDateTime, ukLocalToIso } from '../content/dates.ts';
import { entryFacts } from './entry-facts.ts';
import { urgentNoticePostedEmail } from '../email/messages/urgent-notice-posted.ts';
import { allow, announcePublished, checkedPath, commitAs, mediaFolder, notifyPeople, personOf, practiceFacts, text, type Ctx } from './gateway-context.ts';
import { badRequest, conflict } from './gateway-error.ts';
import { mediaFile } from './gateway-reads.ts';
import { blobId } from './blob-id.ts';
import { checkedAsset } from './gateway-workflow.ts';
import { assertPracticeValid, complianceGate, publishesWithoutReview } from './practice-check.ts';
import { urgentNoticeMaxDays } from './permissions.ts';

const encoder = new TextEncoder();

export async function persistMedia(ctx: Ctx) {
  allow(ctx, 'upload-media');
  const asset = ctx.params.asset;
  if (typeof asset !== 'object' || asset === null) throw badRequest('"asset" must be the uploaded file');
  const { path, bytes } = checkedAsset(ctx, asset as Record<string, unknown>);
  const head = await ctx.store.head(ctx.main);
  const name = path.split('/').pop()!;
  const commit = await commitAs(ctx, { branch: ctx.main, changes: [{ path, content: bytes }], change: { kind: 'upload-media', entry: `media/${name}`, title: name }, expectedHead: head });
  await announcePublished(ctx, commit, [path]);
  return mediaFile(path, await blobId(bytes), bytes);
}

export async function deleteFiles(ctx: Ctx) {
  const raw = ctx.params.paths ?? (ctx.params.path !== undefined ? [ctx.params.path] : undefined);
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > 50) throw badRequest('"paths" must list between 1 and 50 files to delete');
  const paths = [...new Set(raw.map((p) => checkedPath(ctx, p)))];
  const head = await ctx.store.head(ctx.main);
  const media = mediaFolder(ctx.practice);
  const entries = paths.filter((p) => !p.startsWith(`${media}/`));
  if (entries.length === 0) allow(ctx, 'delete-media');
  else {
    let clinical = false;
    for (const p of entries) clinical ||= entryFacts(p, await ctx.store.readFile(p, { ref: head })).clinical;
    // A deletion has no draft to review, so it is published by whoever may approve it.
    allow(ctx, 'publish', { clinical, authors: [], publishWithoutReview: await publishesWithoutReview(ctx.store, ctx.practice, head) });
  }
  for (const p of paths) if ((await ctx.store.readFile(p, { ref: head, encoding: 'binary' })) === undefined) throw conflict(`${p} is not on the live site (already deleted?); reload the page.`);
  await assertPracticeValid(ctx.store, ctx.practice, head, new Map(paths.map((p) => [p, null])), complianceGate(ctx));
  const title = entries.length === 0 ? paths.map((p) => p.split('/').pop()).join(', ') : (entryFacts(entries[0]!, await ctx.store.readFile(entries[0]!, { ref: head })).title ?? entries[0]!.split('/').pop()!);
  const entry = entries[0] ? entries[0].split('/').slice(3).join('/').replace(/\.(md|ya?ml)$/, '') : 'media';
  const commit = await commitAs(ctx, { branch: ctx.main, changes: paths.map((path) => ({ path, content: null })), change: { kind: 'delete', entry, title }, expectedHead: head });
  await announcePublished(ctx, commit, paths);
  return { message: `Removed ${title}` };
}

const slugOf = (title: string) =>
  title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'notice';

/** An urgent notice straight to `main`: a practice manager or urgent publisher, ending within 14 days. */
export async function postUrgentNotice(ctx: Ctx) {
  const title = text(ctx.params, 'title').replace(/\s+/g, ' ').trim();
  const body = text(ctx.params, 'body').trim();
  const expiresText = text(ctx.params, 'expires');
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?$/.test(expiresText)) throw badRequest('"expires" must be a date and time such as 2026-12-10T17:00');
  const expires = new Date(ukLocalToIso(expiresText));
  if (Number.isNaN(expires.getTime())) throw badRequest('"expires" is not a real date and time');
  allow(ctx, 'post-urgent-notice', { noticeExpiresAt: expires });
  const placement = ctx.params.placement === 'home' ? 'home' : 'all';
  const slug = `${ukLocalDateTime(ctx.now).slice(0, 10)}-${slugOf(title)}`;
  const path = `content/practices/${ctx.practice}/notices/${slug}.md`;
  const head = await ctx.store.head(ctx.main);
  if ((await ctx.store.readFile(path, { ref: head })) !== undefined) throw conflict(`A notice called "${title}" was already posted today; give this one another title.`);
  const markdown = [
    '---',
    `title: ${JSON.stringify(title)}`,
    'severity: urgent',
    `starts: ${ukLocalDateTime(ctx.now)}`,
    `expires: ${ukLocalDateTime(expires)}`,
    `placement: ${placement}`,
    'clinical: false',
    '---',
    body,
    '',
  ].join('\n');
  await assertPracticeValid(ctx.store, ctx.practice, head, new Map([[path, encoder.encode(markdown)]]), complianceGate(ctx));
  const commit = await commitAs(ctx, {
    branch: ctx.main,
    changes: [{ path, content: markdown }],
    change: { kind: 'urgent-notice', entry: `notices/${slug}`, title, expires },
    expectedHead: head,
  });
  await announcePublished(ctx, commit, [path]);
  if (ctx.deps.notify) {
    const practice = await practiceFacts(ctx);
    await notifyPeople(
      ctx,
      'urgent-notice-posted',
      (n) => n.recipients(ctx.practice, ['practice_manager']),
      (person, n) => urgentNoticePostedEmail({ to: person.email, practiceName: practice.name, title, until: expires, postedBy: personOf(ctx.member).name, portalUrl: n.portalUrl }),
    );
  }
  return { message: `The notice is live until ${ukLocalDateTime(expires).replace('T', ' ')} (at most ${urgentNoticeMaxDays} days)`, path, commit };
}
