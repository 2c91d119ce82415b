// Comparing and searching git trees as git stores them (entries sorted by name, each `mode name\0`
// and a 20-byte oid), without turning every entry into an object first: a commit on `main` changes
// one or two files among thousands, so a diff compares oids byte for byte and decodes only the
// entries that differ.
import { toHex, type ObjectReader } from './object-reader.ts';

export type FileStatus = 'added' | 'modified' | 'deleted';

export interface FileChange {
  path: string;
  status: FileStatus;
  /** The blob before and after (absent when added or deleted). */
  before?: string;
  after?: string;
}

const decoder = new TextDecoder();
const SLASH = 0x2f;

interface Cursor {
  data: Uint8Array;
  at: number;
  nameStart: number;
  nameEnd: number;
  oidAt: number;
  isTree: boolean;
  modeEnd: number;
}

function cursor(data: Uint8Array | undefined): Cursor {
  const c: Cursor = { data: data ?? new Uint8Array(0), at: 0, nameStart: 0, nameEnd: 0, oidAt: 0, isTree: false, modeEnd: 0 };
  load(c);
  return c;
}

/** Reads the entry at `c.at` into the cursor; `c.at >= data.length` when done. */
function load(c: Cursor): void {
  const d = c.data;
  if (c.at >= d.length) return;
  // Plain loops: TypedArray#indexOf is a call into the runtime, costly at a few hundred per tree.
  let space = c.at;
  while (d[space] !== 0x20) space++;
  let nul = space + 1;
  while (d[nul] !== 0) nul++;
  c.modeEnd = space;
  c.nameStart = space + 1;
  c.nameEnd = nul;
  c.oidAt = nul + 1;
  c.isTree = d[c.at] === 0x34;
}

function next(c: Cursor): void {
  c.at = c.oidAt + 20;
  load(c);
}

const done = (c: Cursor) => c.at >= c.data.length;

/** Git's tree order: names compared bytewise, a tree's name as if it ended in "/". */
function compare(a: Cursor, b: Cursor): number {
  const la = a.nameEnd - a.nameStart;
  const lb = b.nameEnd - b.nameStart;
  const n = Math.min(la, lb);
  for (let i = 0; i < n; i++) {
    const d = a.data[a.nameStart + i]! - b.data[b.nameStart + i]!;
    if (d !== 0) return d;
  }
  const ca = la > n ? a.data[a.nameStart + n]! : a.isTree ? SLASH : 0;
  const cb = lb > n ? b.data[b.nameStart + n]! : b.isTree ? SLASH : 0;
  return ca - cb;
}

function sameEntry(a: Cursor, b: Cursor): boolean {
  for (let i = 0; i < 20; i++) if (a.data[a.oidAt + i] !== b.data[b.oidAt + i]) return false;
  const ma = a.modeEnd - a.at;
  if (ma !== b.modeEnd - b.at) return false;
  for (let i = 0; i < ma; i++) if (a.data[a.at + i] !== b.data[b.at + i]) return false;
  return true;
}

const nameOf = (c: Cursor) => decoder.decode(c.data.subarray(c.nameStart, c.nameEnd));

/**
 * Files that differ between two trees (either may be absent: everything added or deleted), in
 * path order. `within` limits the walk to one folder (e.g. `content/practices/riverside`).
 */
export async function diffTrees(reader: ObjectReader, a: string | undefined, b: string | undefined, within?: string): Promise<FileChange[]> {
  if (within) {
    const [sa, sb] = await Promise.all([a ? entryAt(reader, a, within) : undefined, b ? entryAt(reader, b, within) : undefined]);
    const ta = sa?.isTree ? sa.oid : undefined;
    const tb = sb?.isTree ? sb.oid : undefined;
    return ta !== tb ? diffFrom(reader, ta, tb, within) : [];
  }
  return diffFrom(reader, a, b, '');
}

async function diffFrom(reader: ObjectReader, a: string | undefined, b: string | undefined, prefix: string): Promise<FileChange[]> {
  // Packed trees are read without waiting, which spares a promise per folder; any other (a loose
  // tree) sends the whole diff the slower way.
  const out: FileChange[] = [];
  if (walkSync(reader, a, b, prefix, out)) return out;
  out.length = 0;
  await walk(reader, a, b, prefix, out);
  return out;
}

/** Skips what two versions of a folder share at the start; the length of what they share at the end. */
function skipShared(da: Uint8Array, db: Uint8Array, l: Cursor, r: Cursor): number {
  // Two versions of a folder usually differ in one entry: skip the identical bytes at the start
  // entry by entry, and stop once what is left on both sides is the identical end. Big folders
  // (a hundred practices) are compared four bytes at a time where both are aligned alike.
  const n = Math.min(da.length, db.length);
  let same = 0;
  const words = n >= 256 && (da.byteOffset & 3) === 0 && (db.byteOffset & 3) === 0;
  if (words) {
    const wa = new Int32Array(da.buffer, da.byteOffset, n >> 2);
    const wb = new Int32Array(db.buffer, db.byteOffset, n >> 2);
    let w = 0;
    while (w < wa.length && wa[w] === wb[w]) w++;
    same = w << 2;
  }
  while (same < n && da[same] === db[same]) same++;
  while (!done(l) && l.oidAt + 20 <= same) {
    next(l);
    next(r);
  }
  let tail = 0;
  if (words && da.length === db.length && ((da.byteOffset + da.length) & 3) === 0) {
    // Same length, so the ends are aligned alike too.
    const wa = new Int32Array(da.buffer, da.byteOffset, da.length >> 2);
    const wb = new Int32Array(db.buffer, db.byteOffset, db.length >> 2);
    const stop = (same + 3) >> 2;
    let w = wa.length;
    while (w > stop && wa[w - 1] === wb[w - 1]) w--;
    tail = (wa.length - w) << 2;
  }
  while (tail < n - same && da[da.length - 1 - tail] === db[db.length - 1 - tail]) tail++;
  return tail;
}

/** `walk` with trees read without waiting; false (and `out` partly filled) if one cannot be. */
function walkSync(reader: ObjectReader, a: string | undefined, b: string | undefined, prefix: string, out: FileChange[]): boolean {
  if (a === b) return true;
  const da = a ? reader.treeSync(a) : undefined;
  const db = b ? reader.treeSync(b) : undefined;
  if ((a && !da) || (b && !db)) return false;
  return walkTreesSync(reader, da, db, prefix, out);
}

/** The folder's two versions as bytes; subfolders are read by the oid bytes their entries hold. */
function walkTreesSync(reader: ObjectReader, da: Uint8Array | undefined, db: Uint8Array | undefined, prefix: string, out: FileChange[]): boolean {
  const l = cursor(da);
  const r = cursor(db);
  const same = da && db ? skipShared(da, db, l, r) : 0;
  while (!done(l) || !done(r)) {
    if (da && db && da.length - l.at === db.length - r.at && da.length - l.at <= same) break;
    const order = done(l) ? 1 : done(r) ? -1 : compare(l, r);
    if (order < 0) {
      if (l.isTree) {
        const sub = reader.treeAtSync(l.data, l.oidAt);
        if (!sub || !walkTreesSync(reader, sub, undefined, pathOf(prefix, l), out)) return false;
      } else out.push({ path: pathOf(prefix, l), status: 'deleted', before: toHex(l.data, l.oidAt) });
      next(l);
    } else if (order > 0) {
      if (r.isTree) {
        const sub = reader.treeAtSync(r.data, r.oidAt);
        if (!sub || !walkTreesSync(reader, undefined, sub, pathOf(prefix, r), out)) return false;
      } else out.push({ path: pathOf(prefix, r), status: 'added', after: toHex(r.data, r.oidAt) });
      next(r);
    } else {
      if (!sameEntry(l, r)) {
        if (l.isTree && r.isTree) {
          const subA = reader.treeAtSync(l.data, l.oidAt);
          const subB = reader.treeAtSync(r.data, r.oidAt);
          if (!subA || !subB || !walkTreesSync(reader, subA, subB, pathOf(prefix, l), out)) return false;
        } else out.push({ path: pathOf(prefix, l), status: 'modified', before: toHex(l.data, l.oidAt), after: toHex(r.data, r.oidAt) });
      }
      next(l);
      next(r);
    }
  }
  return true;
}

async function walk(reader: ObjectReader, a: string | undefined, b: string | undefined, prefix: string, out: FileChange[]): Promise<void> {
  if (a === b) return;
  const da = a ? await reader.tree(a) : undefined;
  const db = b ? await reader.tree(b) : undefined;
  const l = cursor(da);
  const r = cursor(db);
  const same = da && db ? skipShared(da, db, l, r) : 0;
  while (!done(l) || !done(r)) {
    if (da && db && da.length - l.at === db.length - r.at && da.length - l.at <= same) break;
    const order = done(l) ? 1 : done(r) ? -1 : compare(l, r);
    if (order < 0) {
      await gone(reader, l, prefix, out);
      next(l);
    } else if (order > 0) {
      await came(reader, r, prefix, out);
      next(r);
    } else {
      if (!sameEntry(l, r)) {
        if (l.isTree && r.isTree) await walk(reader, toHex(l.data, l.oidAt), toHex(r.data, r.oidAt), pathOf(prefix, l), out);
        else out.push({ path: pathOf(prefix, l), status: 'modified', before: toHex(l.data, l.oidAt), after: toHex(r.data, r.oidAt) });
      }
      next(l);
      next(r);
    }
  }
}

const pathOf = (prefix: string, c: Cursor) => (prefix === '' ? nameOf(c) : `${prefix}/${nameOf(c)}`);

async function gone(reader: ObjectReader, c: Cursor, prefix: string, out: FileChange[]): Promise<void> {
  if (c.isTree) await walk(reader, toHex(c.data, c.oidAt), undefined, pathOf(prefix, c), out);
  else out.push({ path: pathOf(prefix, c), status: 'deleted', before: toHex(c.data, c.oidAt) });
}

async function came(reader: ObjectReader, c: Cursor, prefix: string, out: FileChange[]): Promise<void> {
  if (c.isTree) await walk(reader, undefined, toHex(c.data, c.oidAt), pathOf(prefix, c), out);
  else out.push({ path: pathOf(prefix, c), status: 'added', after: toHex(c.data, c.oidAt) });
}

/** The entry at `path` inside a tree, or undefined. */
export async function entryAt(reader: ObjectReader, tree: string, path: string): Promise<{ oid: string; mode: string; isTree: boolean } | undefined> {
  let current = tree;
  const parts = path.split('/').filter((p) => p !== '');
  for (let i = 0; i < parts.length; i++) {
    const found = findEntry(reader.treeSync(current) ?? (await reader.tree(current)), parts[i]!);
    if (!found) return undefined;
    if (i === parts.length - 1) return found;
    if (!found.isTree) return undefined;
    current = found.oid;
  }
  return { oid: tree, mode: '40000', isTree: true };
}

const encoder = new TextEncoder();

/** One entry of a tree's raw bytes, by name. */
export function findEntry(data: Uint8Array, name: string): { oid: string; mode: string; isTree: boolean } | undefined {
  const want = encoder.encode(name);
  const c = cursor(data);
  for (; !done(c); next(c)) {
    if (c.nameEnd - c.nameStart !== want.length) continue;
    let same = true;
    for (let i = 0; i < want.length && same; i++) same = c.data[c.nameStart + i] === want[i];
    if (same) return { oid: toHex(c.data, c.oidAt), mode: decoder.decode(c.data.subarray(c.at, c.modeEnd)), isTree: c.isTree };
  }
  return undefined;
}

/** Every file under a tree, with its blob oid (symbolic links and submodules left out). */
export async function listFiles(reader: ObjectReader, tree: string, prefix = ''): Promise<{ path: string; oid: string; mode: string }[]> {
  const out: { path: string; oid: string; mode: string }[] = [];
  const c = cursor(await reader.tree(tree));
  for (; !done(c); next(c)) {
    const path = prefix === '' ? nameOf(c) : `${prefix}/${nameOf(c)}`;
    const mode = decoder.decode(c.data.subarray(c.at, c.modeEnd));
    if (c.isTree) out.push(...(await listFiles(reader, toHex(c.data, c.oidAt), path)));
    else if (mode === '100644' || mode === '100755') out.push({ path, oid: toHex(c.data, c.oidAt), mode });
  }
  return out;
}
