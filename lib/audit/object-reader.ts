// Reading git objects for the audit: every commit on `main`, its trees, and the blobs of the
// entries it changed. A whole repository's history is tens of thousands of objects, and reading
// each through isomorphic-git's `readObject` costs about a millisecond (a stat and an open for a
// loose object first, then a fresh pako inflater), so a 10,000-commit audit took 20 seconds. This
// reader parses the pack indexes once, reads each pack into memory when opened, inflates small
// objects with its own inflater (`inflate.ts`) and large ones with the function it is given
// (Node's zlib in practice), and keeps resolved delta bases and parsed commits. Packed objects can
// be read without waiting (`commitSync`, `treeSync`), which spares a history walk a promise per
// object. Anything it cannot read itself (another idx version, alternates) is read through
// isomorphic-git, which also resolves refs. Runtime-neutral: the file system and the inflater are
// handed in.
import git from 'isomorphic-git';
import type { FsClient } from 'isomorphic-git';
import { allocate, inflate } from './inflate.ts';

export interface Signature {
  name: string;
  email: string;
  /** Seconds since the Unix epoch. */
  timestamp: number;
  /** As written, e.g. `+0100`. */
  zone: string;
}

export interface Commit {
  oid: string;
  tree: string;
  parents: string[];
  author: Signature;
  committer: Signature;
  message: string;
}

export interface TreeEntry {
  name: string;
  mode: string;
  oid: string;
  isTree: boolean;
}

/** Inflates one zlib stream; `size` is the inflated size when known (0 when not), a hint for the output buffer. */
export type Inflate = (data: Uint8Array, size: number) => Uint8Array;

export interface ObjectReaderOptions {
  fs: FsClient;
  /** The git directory (`<repository>/.git`, or a bare repository's folder). */
  gitdir: string;
  /**
   * Inflates one zlib stream, e.g. with Node's `zlib.inflateSync` (see `nodeInflate` in the audit
   * command); used for objects over 64 KB, smaller ones are inflated by `inflate.ts`. Without it
   * every object is read through isomorphic-git: correct everywhere, but slow for a whole history.
   */
  inflate?: Inflate;
}

export interface ObjectReader {
  readonly gitdir: string;
  /** The commit a branch, tag or full oid names; throws `MissingObjectError` if none. */
  resolve(ref: string): Promise<string>;
  commit(oid: string): Promise<Commit>;
  /** A tree's raw bytes (entries as git stores them); read them with `lib/audit/trees.ts`. */
  tree(oid: string): Promise<Uint8Array>;
  blob(oid: string): Promise<Uint8Array>;
  /**
   * `commit` and `tree` without waiting, for the many objects that are packed: undefined when the
   * object cannot be read that way (loose, missing, or of another type), so call the async one.
   * Walks over a whole history use these to spare a promise per object.
   */
  commitSync(oid: string): Commit | undefined;
  treeSync(oid: string): Uint8Array | undefined;
  blobSync(oid: string): Uint8Array | undefined;
  /** `treeSync` for the oid held as 20 bytes at `at` (as a parent tree holds it): no hex between. */
  treeAtSync(bytes: Uint8Array, at: number): Uint8Array | undefined;
  /** Whether the object is in the repository at all. */
  has(oid: string): Promise<boolean>;
}

export class MissingObjectError extends Error {
  override name = 'MissingObjectError';
}

const decoder = new TextDecoder();
const hex: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const typeNames = ['', 'commit', 'tree', 'blob', 'tag'] as const;

function toHex(bytes: Uint8Array, start: number): string {
  let s = '';
  for (let i = start; i < start + 20; i++) s += hex[bytes[i]!];
  return s;
}

/** 40 lower-case hex digits (a loop: quicker than a regular expression for every object). */
function isHexOid(oid: string): boolean {
  if (oid.length !== 40) return false;
  for (let i = 0; i < 40; i++) {
    const c = oid.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

const nibble = (code: number) => (code <= 0x39 ? code - 0x30 : code - 0x57);

function fromHex(oid: string, out: Uint8Array): Uint8Array {
  for (let i = 0; i < 20; i++) out[i] = (nibble(oid.charCodeAt(i * 2)) << 4) | nibble(oid.charCodeAt(i * 2 + 1));
  return out;
}

interface RawObject {
  type: string;
  data: Uint8Array;
}

interface Files {
  readFile(path: string): Promise<Uint8Array>;
  readdir(path: string): Promise<string[]>;
}

function filesOf(fs: FsClient): Files {
  if ('promises' in fs) {
    const p = fs.promises as unknown as { readFile(path: string): Promise<Uint8Array>; readdir(path: string): Promise<string[]> };
    return { readFile: (path) => p.readFile(path), readdir: (path) => p.readdir(path) };
  }
  const call = <T>(fn: Function, path: string) =>
    new Promise<T>((resolve, reject) => fn.call(fs, path, (err: unknown, value: T) => (err ? reject(err) : resolve(value))));
  return { readFile: (path) => call<Uint8Array>(fs.readFile, path), readdir: (path) => call<string[]>(fs.readdir, path) };
}

const baseCacheSize = 4096;

/** A REF_DELTA whose base is outside the pack and not yet read: `Pack#read` fetches it and retries. */
class NeedsBase {
  readonly oid: string;
  constructor(oid: string) {
    this.oid = oid;
  }
}

/** One pack and its version-2 index, read whole into memory. */
class Pack {
  private offsets: Uint32Array | undefined;
  private pack: Uint8Array | undefined;
  private readonly bases = new Map<number, RawObject>();
  /** The offsets in `bases`, oldest first, as a ring: dropping a Map's first key is slow once many were dropped. */
  private readonly ring = new Float64Array(baseCacheSize);
  private ringAt = 0;
  /** Bases of reference deltas found outside this pack (a thin pack): rare, kept. */
  private readonly external = new Map<string, RawObject>();
  private readonly idx: Uint8Array;
  private readonly packPath: string;
  private readonly files: Files;
  private readonly inflate: Inflate;
  private readonly resolveExternal: (oid: string) => Promise<RawObject>;
  private readonly resolveExternalSync: (oid: string) => RawObject | undefined;
  constructor(
    idx: Uint8Array,
    packPath: string,
    files: Files,
    inflate: Inflate,
    resolveExternal: (oid: string) => Promise<RawObject>,
    resolveExternalSync: (oid: string) => RawObject | undefined,
  ) {
    this.idx = idx;
    this.packPath = packPath;
    this.files = files;
    this.inflate = inflate;
    this.resolveExternal = resolveExternal;
    this.resolveExternalSync = resolveExternalSync;
  }

  static parse(idx: Uint8Array): boolean {
    return idx.length > 8 && idx[0] === 0xff && idx[1] === 0x74 && idx[2] === 0x4f && idx[3] === 0x63 && idx[7] === 2;
  }

  private u32(at: number): number {
    const b = this.idx;
    return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
  }

  private get count(): number {
    return this.u32(8 + 255 * 4);
  }

  private readonly want = new Uint8Array(20);

  /** The object's offset in the pack, or -1 if this pack does not hold it. */
  find(oid: string): number {
    return this.findBytes(fromHex(oid, this.want), 0);
  }

  /** `find` for an oid given as 20 bytes at `at` (as trees hold them). */
  findBytes(want: Uint8Array, at: number): number {
    const idx = this.idx;
    const first = want[at]!;
    let lo = first === 0 ? 0 : this.u32(8 + (first - 1) * 4);
    let hi = this.u32(8 + first * 4);
    const names = 8 + 256 * 4;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      let cmp = 0;
      const name = names + mid * 20;
      for (let i = 1; i < 20 && cmp === 0; i++) cmp = idx[name + i]! - want[at + i]!;
      if (cmp === 0) return this.offsetAt(mid);
      if (cmp < 0) lo = mid + 1;
      else hi = mid;
    }
    return -1;
  }

  private offsetAt(i: number): number {
    const n = this.count;
    const table = 8 + 256 * 4 + n * 24;
    const small = this.u32(table + i * 4);
    if (!(small & 0x80000000)) return small;
    const at = table + n * 4 + (small & 0x7fffffff) * 8;
    return this.u32(at) * 2 ** 32 + this.u32(at + 4);
  }

  /** Where the compressed data of the object at `offset` ends: where the next object begins. */
  private endOf(offset: number, packLength: number): number {
    if (!this.offsets) {
      const n = this.count;
      const all = new Float64Array(n);
      for (let i = 0; i < n; i++) all[i] = this.offsetAt(i);
      all.sort();
      this.offsets = Uint32Array.from(all);
      if (all.length && all[all.length - 1]! > 0xffffffff) this.offsets = undefined;
    }
    const o = this.offsets;
    if (!o) return packLength - 20;
    let lo = 0;
    let hi = o.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (o[mid]! <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo < o.length ? o[lo]! : packLength - 20;
  }

  async load(): Promise<void> {
    if (this.pack) return;
    // A plain byte view: slicing a Node Buffer makes a Buffer each time, which costs more.
    const bytes = await this.files.readFile(this.packPath);
    this.pack = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get loaded(): boolean {
    return this.pack !== undefined;
  }

  async read(offset: number): Promise<RawObject> {
    await this.load();
    for (;;) {
      const r = this.readSync(offset);
      if (!(r instanceof NeedsBase)) return r;
      this.external.set(r.oid, await this.resolveExternal(r.oid));
    }
  }

  /**
   * The object at `offset`, read without waiting (the pack is loaded); a `NeedsBase` when a
   * reference delta's base is outside the pack and has to be read first.
   */
  readSync(offset: number): RawObject | NeedsBase {
    const cached = this.bases.get(offset);
    if (cached) return cached;
    const p = this.pack!;
    let at = offset;
    let c = p[at++]!;
    const type = (c >> 4) & 7;
    let size = c & 0x0f;
    let shift = 4;
    while (c & 0x80) {
      c = p[at++]!;
      size += (c & 0x7f) * 2 ** shift;
      shift += 7;
    }
    let object: RawObject;
    if (type >= 1 && type <= 4) {
      object = { type: typeNames[type]!, data: this.inflated(p, at, offset, size) };
    } else if (type === 6 || type === 7) {
      let base: RawObject | NeedsBase;
      if (type === 6) {
        c = p[at++]!;
        let back = c & 0x7f;
        while (c & 0x80) {
          c = p[at++]!;
          back = (back + 1) * 128 + (c & 0x7f);
        }
        base = this.readSync(offset - back);
      } else {
        const inPack = this.findBytes(p, at);
        if (inPack >= 0) base = this.readSync(inPack);
        else {
          const baseOid = toHex(p, at);
          base = this.external.get(baseOid) ?? this.resolveExternalSync(baseOid) ?? new NeedsBase(baseOid);
        }
        at += 20;
      }
      if (base instanceof NeedsBase) return base;
      object = { type: base.type, data: applyDelta(base.data, this.inflated(p, at, offset, size, true)) };
    } else {
      throw new Error(`unknown object type ${type} at offset ${offset} of ${this.packPath}`);
    }
    // Trees (and blobs) are the delta bases a history walk needs again and again; keep the most
    // recent few thousand. Commits are never bases in practice and are cached by oid anyway.
    if (object.type !== 'commit') {
      if (this.bases.size >= baseCacheSize) this.bases.delete(this.ring[this.ringAt]!);
      this.ring[this.ringAt] = offset;
      this.ringAt = (this.ringAt + 1) % baseCacheSize;
      this.bases.set(offset, object);
    }
    return object;
  }

  /**
   * The zlib stream at `at` inflated: small objects by the built-in inflater, large ones by the one
   * handed in. A delta's instructions (`transient`) go into a buffer reused for the next.
   */
  private inflated(p: Uint8Array, at: number, offset: number, size: number, transient = false): Uint8Array {
    const data = p.subarray(at, this.endOf(offset, p.length));
    if (size > smallObject) return plain(this.inflate(data, size));
    if (!transient) return inflate(data, size);
    if (scratch.length < size) scratch = new Uint8Array(Math.max(size, scratch.length * 2));
    return inflate(data, size, scratch);
  }
}

/**
 * Objects up to this size are inflated by `lib/audit/inflate.ts`: for them zlib's set-up costs
 * more than the inflating. Larger ones (big blobs) go to the inflater handed in.
 */
const smallObject = 64 * 1024;
let scratch = new Uint8Array(4096);

/** A plain byte view of what an inflater returned (a Node Buffer, say): one array type, quicker to index. */
function plain(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function applyDelta(base: Uint8Array, delta: Uint8Array): Uint8Array {
  let at = 0;
  let c: number;
  let baseSize = 0;
  let shift = 0;
  do {
    c = delta[at++]!;
    baseSize += (c & 0x7f) * 2 ** shift;
    shift += 7;
  } while (c & 0x80);
  if (baseSize !== base.length) throw new Error(`a delta expects a base of ${baseSize} bytes, found ${base.length}`);
  let outSize = 0;
  shift = 0;
  do {
    c = delta[at++]!;
    outSize += (c & 0x7f) * 2 ** shift;
    shift += 7;
  } while (c & 0x80);
  const out = allocate(outSize);
  const end = delta.length;
  let o = 0;
  while (at < end) {
    const op = delta[at++]!;
    if (op & 0x80) {
      let offset = 0;
      let size = 0;
      if (op & 0x01) offset = delta[at++]!;
      if (op & 0x02) offset |= delta[at++]! << 8;
      if (op & 0x04) offset |= delta[at++]! << 16;
      if (op & 0x08) offset = (offset | (delta[at++]! << 24)) >>> 0;
      if (op & 0x10) size = delta[at++]!;
      if (op & 0x20) size |= delta[at++]! << 8;
      if (op & 0x40) size |= delta[at++]! << 16;
      if (size === 0) size = 0x10000;
      if (offset + size > base.length || o + size > outSize) throw new Error('a delta copies outside its base or result');
      // Short copies as a loop: a call and a view for a few bytes cost more than copying them.
      if (size < 64) for (let i = 0; i < size; i++) out[o + i] = base[offset + i]!;
      else out.set(base.subarray(offset, offset + size), o);
      o += size;
    } else if (op > 0) {
      if (at + op > end || o + op > outSize) throw new Error('a delta inserts past its end');
      for (let i = 0; i < op; i++) out[o + i] = delta[at + i]!;
      at += op;
      o += op;
    } else {
      throw new Error('a delta has a reserved instruction (0)');
    }
  }
  if (o !== out.length) throw new Error(`a delta produced ${o} bytes, expected ${out.length}`);
  return out;
}

const signature = /^(.*) <([^>]*)> (\d+) ([+-]\d{4})$/;

function parseSignature(line: string): Signature {
  const m = signature.exec(line);
  if (!m) return { name: line, email: '', timestamp: 0, zone: '+0000' };
  return { name: m[1]!, email: m[2]!, timestamp: Number(m[3]), zone: m[4]! };
}

export function parseCommit(oid: string, data: Uint8Array): Commit {
  // Decoded once and read as text: one call, where a decode per line (and building the oids from
  // bytes) cost more than the inflating. Parts decoded on their own used to lose a leading
  // byte-order mark; that is kept.
  const text = decoder.decode(data);
  const n = text.length;
  let at = 0;
  let tree = '';
  const parents: string[] = [];
  let author: Signature | undefined;
  let committer: Signature | undefined;
  while (at < n && text.charCodeAt(at) !== 0x0a) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = n;
    const c0 = text.charCodeAt(at);
    if (c0 === 0x74 && text.charCodeAt(at + 4) === 0x20) tree = text.slice(at + 5, at + 45);
    else if (c0 === 0x70 && text.charCodeAt(at + 6) === 0x20) parents.push(text.slice(at + 7, at + 47));
    else if (c0 === 0x61 && text.charCodeAt(at + 6) === 0x20) author = parseSignature(withoutBom(text.slice(at + 7, end)));
    else if (c0 === 0x63 && text.charCodeAt(at + 9) === 0x20 && text.charCodeAt(at + 1) === 0x6f) committer = parseSignature(withoutBom(text.slice(at + 10, end)));
    at = end + 1;
  }
  const message = at < n ? withoutBom(text.slice(at + 1)) : '';
  const unknown = { name: '', email: '', timestamp: 0, zone: '+0000' };
  return { oid, tree, parents, author: author ?? committer ?? unknown, committer: committer ?? author ?? unknown, message };
}

const withoutBom = (s: string) => (s.charCodeAt(0) === 0xfeff ? s.slice(1) : s);

/** Every entry of a tree's raw bytes. */
export function parseTree(data: Uint8Array): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    const nul = data.indexOf(0, space);
    const mode = decoder.decode(data.subarray(at, space));
    entries.push({ name: decoder.decode(data.subarray(space + 1, nul)), mode, oid: toHex(data, nul + 1), isTree: data[at] === 0x34 });
    at = nul + 21;
  }
  return entries;
}

export { toHex };

export async function openObjectReader(o: ObjectReaderOptions): Promise<ObjectReader> {
  const files = filesOf(o.fs);
  const gitdir = o.gitdir.replace(/\/+$/, '');
  const cache = {};
  const packs: Pack[] = [];
  const viaIsomorphicGit = async (oid: string): Promise<RawObject> => {
    try {
      const r = await git.readObject({ fs: o.fs, gitdir, oid, format: 'content', cache });
      return { type: r.type, data: r.object as Uint8Array };
    } catch {
      throw new MissingObjectError(`object ${oid} is not in the repository`);
    }
  };
  const handedIn = o.inflate;
  if (handedIn) {
    const names = await files.readdir(`${gitdir}/objects/pack`).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith('.idx')).sort()) {
      const idx = await files.readFile(`${gitdir}/objects/pack/${name}`);
      if (Pack.parse(idx)) packs.push(new Pack(idx, `${gitdir}/objects/pack/${name.replace(/\.idx$/, '.pack')}`, files, handedIn, (oid) => raw(oid), (oid) => packedSync(oid)));
    }
    // Read now, so that packed objects can be read without waiting (see `commitSync`, `treeSync`).
    await Promise.all(packs.map((p) => p.load()));
  }

  /** A packed object read without waiting; undefined if it is not packed (or needs a base that is not). */
  function packedSync(oid: string): RawObject | undefined {
    for (const pack of packs) {
      if (!pack.loaded) continue;
      const at = pack.find(oid);
      if (at >= 0) {
        const r = pack.readSync(at);
        return r instanceof NeedsBase ? undefined : r;
      }
    }
    return undefined;
  }

  async function raw(oid: string): Promise<RawObject> {
    if (!/^[0-9a-f]{40}$/.test(oid)) throw new MissingObjectError(`"${oid.slice(0, 60)}" is not an object id`);
    if (!handedIn) return viaIsomorphicGit(oid);
    for (const pack of packs) {
      const at = pack.find(oid);
      if (at >= 0) return pack.read(at);
    }
    let loose: Uint8Array | undefined;
    try {
      loose = await files.readFile(`${gitdir}/objects/${oid.slice(0, 2)}/${oid.slice(2)}`);
    } catch {
      return viaIsomorphicGit(oid);
    }
    const all = loose.length <= smallObject ? inflate(loose, 0) : plain(handedIn(loose, 0));
    const nul = all.indexOf(0);
    const header = decoder.decode(all.subarray(0, nul));
    return { type: header.slice(0, header.indexOf(' ')), data: all.subarray(nul + 1) };
  }

  const commits = new Map<string, Commit>();
  // Loose trees by oid (packed ones are kept by their pack); bounded, oldest dropped first.
  const looseTrees = new Map<string, Uint8Array>();
  const typed = async (oid: string, type: string): Promise<Uint8Array> => {
    const r = await raw(oid);
    if (r.type !== type) throw new MissingObjectError(`object ${oid} is a ${r.type}, not a ${type}`);
    return r.data;
  };
  const isOid = /^[0-9a-f]{40}$/;

  const reader: ObjectReader = {
    gitdir,
    async resolve(ref) {
      if (isOid.test(ref)) {
        await reader.commit(ref);
        return ref;
      }
      try {
        return await git.resolveRef({ fs: o.fs, gitdir, ref });
      } catch {
        throw new MissingObjectError(`there is no branch or tag "${ref}" in the repository`);
      }
    },
    async commit(oid) {
      let c = commits.get(oid) ?? reader.commitSync(oid);
      if (!c) {
        c = parseCommit(oid, await typed(oid, 'commit'));
        commits.set(oid, c);
      }
      return c;
    },
    commitSync(oid) {
      let c = commits.get(oid);
      if (c) return c;
      if (!isHexOid(oid)) return undefined;
      const r = packedSync(oid);
      if (!r || r.type !== 'commit') return undefined;
      c = parseCommit(oid, r.data);
      commits.set(oid, c);
      return c;
    },
    async tree(oid) {
      const found = reader.treeSync(oid);
      if (found) return found;
      const data = await typed(oid, 'tree');
      if (looseTrees.size >= 4096) looseTrees.delete(looseTrees.keys().next().value!);
      looseTrees.set(oid, data);
      return data;
    },
    treeSync(oid) {
      const cached = looseTrees.get(oid);
      if (cached) return cached;
      if (!isHexOid(oid)) return undefined;
      const r = packedSync(oid);
      return r?.type === 'tree' ? r.data : undefined;
    },
    treeAtSync(bytes, at) {
      for (const pack of packs) {
        const offset = pack.findBytes(bytes, at);
        if (offset >= 0) {
          const r = pack.readSync(offset);
          return r instanceof NeedsBase || r.type !== 'tree' ? undefined : r.data;
        }
      }
      return looseTrees.get(toHex(bytes, at));
    },
    blob: (oid) => typed(oid, 'blob'),
    blobSync(oid) {
      if (!isHexOid(oid)) return undefined;
      const r = packedSync(oid);
      return r?.type === 'blob' ? r.data : undefined;
    },
    async has(oid) {
      try {
        await raw(oid);
        return true;
      } catch (e) {
        if (e instanceof MissingObjectError) return false;
        throw e;
      }
    },
  };
  return reader;
}
