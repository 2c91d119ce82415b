// Every draft of a practice in one answer, for the dashboard: what it is, its workflow status, who
// wrote it and when it last changed. Decap asks for drafts one by one; a dashboard should not.
import { allow, type Ctx } from './gateway-context.ts';
import { unpublishedEntries, unpublishedEntry } from './gateway-workflow.ts';

export async function drafts(ctx: Ctx) {
  allow(ctx, 'read');
  const keys = await unpublishedEntries(ctx);
  const out = await Promise.all(
    keys.map(async (id) => {
      const entry = await unpublishedEntry({ ...ctx, params: { id } });
      return { id, collection: entry.collection, slug: entry.slug, status: entry.status, authors: entry.authors, updatedAt: entry.updatedAt, clinical: entry.clinical, files: entry.diffs.map((d) => d.path) };
    }),
  );
  // Waiting for review first, then ready to publish, then drafts; oldest first within each.
  const order = { pending_review: 0, pending_publish: 1, draft: 2 } as Record<string, number>;
  return { drafts: out.sort((a, b) => (order[a.status] ?? 3) - (order[b.status] ?? 3) || a.updatedAt.localeCompare(b.updatedAt)) };
}
