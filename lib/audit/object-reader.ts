// Reading git objects for the audit: every commit on `main`, its trees, and the blobs of the
// entries it changed. A whole repository's history is tens of thousands of objects, and reading
// each through isomorphic-git's `readObject` costs about a millisecond (a stat and an open for a
// loose object first, then a fresh pako inflater), so a 10,000-commit audit took 20 seconds. This
// reader parses the pack indexes once, keeps each pack in memory, inflates with the function it is
// given (Node's zlib in practice) and keeps resolved delta bases and parsed trees by oid. Anything
// it cannot read itself (another idx version, alternates) is read through isomorphic-git, which
// also resolves refs. Runtime-neutral: the file system and the inflater are handed in.
import git from 'isomorphic-git';
import type { FsClient } from 'isomorphic-git';

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
   * command). Without it every object is read
   * through isomorphic-git: correct everywhere, but slow for a whole history.
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

/** One pack and its version-2 index, read whole into memory. */
class Pack {
  private offsets: Uint32Array | undefined;
  private pack: Uint8Array | undefined;
  private readonly bases = new Map<number, RawObject>();
  private readonly idx: Uint8Array;
  private readonly packPath: string;
  private readonly files: Files;
  private readonly inflate: Inflate;
  private readonly resolveExternal: (oid: string) => Promise<RawObject>;
  constructor(idx: Uint8Array, packPath: string, files: Files, inflate: Inflate, resolveExternal: (oid: string) => Promise<RawObject>) {
    this.idx = idx;
    this.packPath = packPath;
    this.files = files;
    this.inflate = inflate;
    this.resolveExternal = resolveExternal;
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

  /** The object's offset in the pack, or -1 if this pack does not hold it. */
  private readonly want = new Uint8Array(20);

  find(oid: string): number {
    const want = fromHex(oid, this.want);
    const first = want[0]!;
    let lo = first === 0 ? 0 : this.u32(8 + (first - 1) * 4);
    let hi = this.u32(8 + first * 4);
    const names = 8 + 256 * 4;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      let cmp = 0;
      const at = names + mid * 20;
      for (let i = 0; i < 20 && cmp === 0; i++) cmp = this.idx[at + i]! - want[i]!;
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

  /** The object at `offset` if it is in the cache: no promise for the common case. */
  cached(offset: number): RawObject | undefined {
    return this.bases.get(offset);
  }

  async read(offset: number): Promise<RawObject> {
    const cached = this.bases.get(offset);
    if (cached) return cached;
    if (!this.pack) {
      // A plain byte view: slicing a Node Buffer makes a Buffer each time, which costs more.
      const bytes = await this.files.readFile(this.packPath);
      this.pack = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    const p = this.pack;
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
      object = { type: typeNames[type]!, data: plain(this.inflate(p.subarray(at, this.endOf(offset, p.length)), size)) };
    } else if (type === 6 || type === 7) {
      let base: RawObject;
      if (type === 6) {
        c = p[at++]!;
        let back = c & 0x7f;
        while (c & 0x80) {
          c = p[at++]!;
          back = ((back + 1) * 128) + (c & 0x7f);
        }
        base = this.bases.get(offset - back) ?? (await this.read(offset - back));
      } else {
        const baseOid = toHex(p, at);
        at += 20;
        const inPack = this.find(baseOid);
        base = inPack >= 0 ? await this.read(inPack) : await this.resolveExternal(baseOid);
      }
      object = { type: base.type, data: applyDelta(base.data, this.inflate(p.subarray(at, this.endOf(offset, p.length)), size)) };
    } else {
      throw new Error(`unknown object type ${type} at offset ${offset} of ${this.packPath}`);
    }
    // Trees (and blobs) are the delta bases a history walk needs again and again; keep the most
    // recent few thousand. Commits are never bases in practice and are cached by oid anyway.
    if (object.type !== 'commit') {
      if (this.bases.size >= 4096) this.bases.delete(this.bases.keys().next().value!);
      this.bases.set(offset, object);
    }
    return object;
  }
}

/** A plain byte view of what an inflater returned (a Node Buffer, say): one array type, quicker to index. */
function plain(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function applyDelta(base: Uint8Array, delta: Uint8Array): Uint8Array {
  let at = 0;
  const varint = () => {
    let value = 0;
    let shift = 0;
    let c: number;
    do {
      c = delta[at++]!;
      value += (c & 0x7f) * 2 ** shift;
      shift += 7;
    } while (c & 0x80);
    return value;
  };
  const baseSize = varint();
  if (baseSize !== base.length) throw new Error(`a delta expects a base of ${baseSize} bytes, found ${base.length}`);
  const out = new Uint8Array(varint());
  let o = 0;
  while (at < delta.length) {
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
      out.set(base.subarray(offset, offset + size), o);
      o += size;
    } else if (op > 0) {
      out.set(delta.subarray(at, at + op), o);
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
  // The header is ASCII up to the author line; read tree and parents straight from the bytes.
  let at = 0;
  let tree = '';
  const parents: string[] = [];
  const ascii = (from: number, to: number) => String.fromCharCode.apply(null, data.subarray(from, to) as unknown as number[]);
  let author: Signature | undefined;
  let committer: Signature | undefined;
  while (at < data.length && data[at] !== 0x0a) {
    let end = at;
    while (end < data.length && data[end] !== 0x0a) end++;
    const c0 = data[at];
    if (c0 === 0x74 && data[at + 4] === 0x20) tree = ascii(at + 5, at + 45);
    else if (c0 === 0x70 && data[at + 6] === 0x20) parents.push(ascii(at + 7, at + 47));
    else if (c0 === 0x61 && data[at + 6] === 0x20) author = parseSignature(decoder.decode(data.subarray(at + 7, end)));
    else if (c0 === 0x63 && data[at + 9] === 0x20 && data[at + 1] === 0x6f) committer = parseSignature(decoder.decode(data.subarray(at + 10, end)));
    at = end + 1;
  }
  const message = at < data.length ? decoder.decode(data.subarray(at + 1)) : '';
  const unknown = { name: '', email: '', timestamp: 0, zone: '+0000' };
  return { oid, tree, parents, author: author ?? committer ?? unknown, committer: committer ?? author ?? unknown, message };
}

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
  if (o.inflate) {
    const names = await files.readdir(`${gitdir}/objects/pack`).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith('.idx')).sort()) {
      const idx = await files.readFile(`${gitdir}/objects/pack/${name}`);
      if (Pack.parse(idx)) packs.push(new Pack(idx, `${gitdir}/objects/pack/${name.replace(/\.idx$/, '.pack')}`, files, o.inflate, (oid) => raw(oid)));
    }
  }
  const inflate = o.inflate;

  async function raw(oid: string): Promise<RawObject> {
    if (!/^[0-9a-f]{40}$/.test(oid)) throw new MissingObjectError(`"${oid.slice(0, 60)}" is not an object id`);
    if (!inflate) return viaIsomorphicGit(oid);
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
    const all = plain(inflate(loose, 0));
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

  const reader: ObjectReader = {
    gitdir,
    async resolve(ref) {
      if (/^[0-9a-f]{40}$/.test(ref)) {
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
      let c = commits.get(oid);
      if (!c) {
        c = parseCommit(oid, await typed(oid, 'commit'));
        commits.set(oid, c);
      }
      return c;
    },
    async tree(oid) {
      const cached = looseTrees.get(oid);
      if (cached) return cached;
      for (const pack of packs) {
        const at = pack.find(oid);
        if (at >= 0) {
          const r = pack.cached(at) ?? (await pack.read(at));
          if (r.type !== 'tree') throw new MissingObjectError(`object ${oid} is a ${r.type}, not a tree`);
          return r.data;
        }
      }
      const data = await typed(oid, 'tree');
      if (looseTrees.size >= 4096) looseTrees.delete(looseTrees.keys().next().value!);
      looseTrees.set(oid, data);
      return data;
    },
    blob: (oid) => typed(oid, 'blob'),
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
