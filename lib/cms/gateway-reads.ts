// Reading through the gateway: entries by folder and by files, one entry, and media. Every path
// is checked against the caller's practice first; reads are of `main` (drafts are read through
// the workflow actions).
import { blobId, toBase64 } from './blob-id.ts';
import { badRequest, notFound } from './gateway-error.ts';
import { checkedPath, mediaFolder, text, type Ctx } from './gateway-context.ts';

const decoder = new TextDecoder();

export interface EntryFile {
  data: string;
  file: { path: string; id: string };
}

export interface MediaFile {
  id: string;
  content: string;
  encoding: 'base64';
  path: string;
  name: string;
}

export const mediaFile = (path: string, id: string, bytes: Uint8Array): MediaFile => ({
  id,
  content: toBase64(bytes),
  encoding: 'base64',
  path,
  name: path.split('/').pop()!,
});

export async function entriesByFolder(ctx: Ctx): Promise<EntryFile[]> {
  const folder = checkedPath(ctx, ctx.params.folder, 'folder');
  const extension = typeof ctx.params.extension === 'string' ? ctx.params.extension.replace(/^\./, '') : '';
  const depth = typeof ctx.params.depth === 'number' && ctx.params.depth > 1 ? ctx.params.depth : 1;
  const files = await ctx.store.readFolder(folder, { ref: ctx.main, recursive: depth > 1 });
  return files
    .filter((f) => (!extension || f.path.endsWith(`.${extension}`)) && f.path.split('/').length - folder.split('/').length <= depth)
    .map((f) => ({ data: decoder.decode(f.content), file: { path: f.path, id: f.oid } }));
}

export async function entriesByFiles(ctx: Ctx): Promise<EntryFile[]> {
  const files = ctx.params.files;
  if (!Array.isArray(files) || files.length > 500) throw badRequest('"files" must be a list of at most 500 { path } objects');
  const out: EntryFile[] = [];
  for (const f of files) {
    const path = checkedPath(ctx, (f as { path?: unknown } | null)?.path);
    const data = await ctx.store.readFile(path, { ref: ctx.main });
    if (data !== undefined) out.push({ data, file: { path, id: await blobId(data) } });
  }
  return out;
}

export async function getEntry(ctx: Ctx): Promise<EntryFile> {
  const path = checkedPath(ctx, ctx.params.path);
  const data = await ctx.store.readFile(path, { ref: ctx.main });
  if (data === undefined) throw notFound(`There is no entry at ${path}.`);
  return { data, file: { path, id: await blobId(data) } };
}

export async function getMedia(ctx: Ctx): Promise<MediaFile[]> {
  const folder = checkedPath(ctx, ctx.params.mediaFolder ?? mediaFolder(ctx.practice), 'media folder');
  if (folder !== mediaFolder(ctx.practice)) throw badRequest(`Media lives in ${mediaFolder(ctx.practice)}.`);
  const files = await ctx.store.readFolder(folder, { ref: ctx.main, recursive: false });
  return files.map((f) => mediaFile(f.path, f.oid, f.content));
}

export async function getMediaFile(ctx: Ctx): Promise<MediaFile> {
  const path = checkedPath(ctx, text(ctx.params, 'path'));
  const bytes = await ctx.store.readFile(path, { ref: ctx.main, encoding: 'binary' });
  if (!bytes) throw notFound(`There is no file at ${path}.`);
  return mediaFile(path, await blobId(bytes), bytes);
}
