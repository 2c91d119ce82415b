// A small zlib inflater (RFC 1950 and 1951) for the audit's object reader. Most git objects in a
// history are small (commits of a few hundred bytes, tree deltas of a few dozen), and Node's zlib
// costs several microseconds of set-up per call (a stream object, a native handle, an output
// buffer) before it inflates a byte: for 35,000 objects that set-up, and the garbage it leaves,
// was most of an audit's time. This inflates straight into an array of the size the pack header
// gives, with Huffman lookup tables kept between calls. The Adler-32 checksum is checked, as zlib
// does, so a damaged object is an error rather than wrong bytes.

const lengthBase = Uint16Array.of(3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258);
const lengthExtra = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0);
const distBase = Uint16Array.of(1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577);
const distExtra = Uint8Array.of(0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13);
const codeLengthOrder = Uint8Array.of(16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15);

/** 15-bit reversals: Huffman codes are packed into bytes starting from the code's last bit. */
const reversed = new Uint16Array(1 << 15);
for (let i = 0; i < 1 << 15; i++) {
  let r = 0;
  for (let b = 0; b < 15; b++) if (i & (1 << b)) r |= 1 << (14 - b);
  reversed[i] = r;
}

/**
 * Small arrays carved out of shared blocks: every array over 64 bytes otherwise gets memory of its
 * own from the system, which for tens of thousands of small objects costs more than inflating them.
 * A block is freed once none of its arrays is in use.
 */
let block = new Uint8Array(0);
let blockUsed = 0;
export function allocate(n: number): Uint8Array {
  if (n > 16 * 1024) return new Uint8Array(n);
  if (blockUsed + n > block.length) {
    block = new Uint8Array(256 * 1024);
    blockUsed = 0;
  }
  const out = block.subarray(blockUsed, blockUsed + n);
  // Keep each array 8-byte aligned, as a fresh one would be.
  blockUsed += (n + 7) & ~7;
  return out;
}

/** A bigger output array holding the `used` bytes so far (for a stream of unknown size). */
function grown(out: Uint8Array, used: number, need: number): Uint8Array {
  let n = out.length * 2;
  while (n < need) n *= 2;
  const bigger = allocate(n);
  bigger.set(out.subarray(0, used));
  return bigger;
}

export class InflateError extends Error {
  override name = 'InflateError';
}

/**
 * A Huffman code as lookup tables: `table` by the next `root` input bits (each entry the symbol
 * << 4 | its code length; 0 where no code matches, an incomplete code; -1 where the code is longer
 * than `root` bits), and for those longer, rare codes the code lengths' counts and the symbols in
 * code order, read a bit at a time.
 */
interface Huffman {
  table: Int32Array;
  root: number;
  /** The longest code's length. */
  bits: number;
  counts: Uint16Array;
  symbols: Uint16Array;
}

const huffman = (): Huffman => ({ table: new Int32Array(1 << rootBits), root: 0, bits: 0, counts: new Uint16Array(16), symbols: new Uint16Array(288) });
/** Tables of 2^9 entries: a longer table costs more to fill, for every block, than the rare long codes cost to read. */
const rootBits = 9;
const nextCode = new Uint16Array(16);

function buildTable(lengths: Uint8Array, n: number, t: Huffman): void {
  const counts = t.counts;
  counts.fill(0);
  for (let i = 0; i < n; i++) counts[lengths[i]!]!++;
  counts[0] = 0;
  let bits = 0;
  for (let l = 15; l > 0; l--)
    if (counts[l]) {
      bits = l;
      break;
    }
  let code = 0;
  for (let l = 1; l <= 15; l++) {
    code = (code + counts[l - 1]!) << 1;
    nextCode[l] = code;
  }
  const root = Math.min(bits, rootBits);
  const size = 1 << root;
  const table = t.table;
  t.bits = bits;
  t.root = root;
  // A complete code fills every entry; only an incomplete one leaves stale entries to clear.
  let used = 0;
  for (let l = 1; l <= bits; l++) used += counts[l]! << (bits - l);
  if (used !== 1 << bits) table.fill(0, 0, size);
  for (let sym = 0; sym < n; sym++) {
    const l = lengths[sym]!;
    if (l === 0) continue;
    const c = nextCode[l]!++;
    if (c >= 1 << l) throw new InflateError('a Huffman code is over-subscribed');
    if (l <= root) {
      const entry = (sym << 4) | l;
      for (let j = reversed[c]! >>> (15 - l); j < size; j += 1 << l) table[j] = entry;
    } else table[reversed[c >>> (l - root)]! >>> (15 - root)] = -1;
  }
  if (bits > root) {
    // Symbols in code order (by length, then symbol) for `slowDecode`.
    const offsets = nextCode;
    offsets[1] = 0;
    for (let l = 1; l < 15; l++) offsets[l + 1] = offsets[l]! + counts[l]!;
    for (let sym = 0; sym < n; sym++) if (lengths[sym]) t.symbols[offsets[lengths[sym]!]!++] = sym;
  }
}

/** A code longer than the table's root, a bit at a time (as zlib's puff does); 0 if none matches. */
function slowDecode(bitBuf: number, t: Huffman): number {
  let code = 0;
  let first = 0;
  let index = 0;
  for (let len = 1; len <= t.bits; len++) {
    code |= (bitBuf >>> (len - 1)) & 1;
    const count = t.counts[len]!;
    if (code - first < count) return (t.symbols[index + code - first]! << 4) | len;
    index += count;
    first = (first + count) << 1;
    code <<= 1;
  }
  return 0;
}

const fixedLiteral = huffman();
const fixedDistance = huffman();
{
  const l = new Uint8Array(288);
  l.fill(8, 0, 144);
  l.fill(9, 144, 256);
  l.fill(7, 256, 280);
  l.fill(8, 280, 288);
  buildTable(l, 288, fixedLiteral);
  buildTable(new Uint8Array(30).fill(5), 30, fixedDistance);
}
const dynamicLiteral = huffman();
const dynamicDistance = huffman();
const codeLengthCode = huffman();
const lengths = new Uint8Array(288 + 32);
const codeLengthLengths = new Uint8Array(19);

/**
 * Inflates a zlib stream. `size` is the inflated size when known (0 when not): the output is then
 * allocated once at that size, or written into `into` when that is given and large enough (for
 * bytes used at once and dropped, like a delta's instructions). Bytes after the stream's checksum
 * are ignored.
 */
export function inflate(src: Uint8Array, size: number, into?: Uint8Array): Uint8Array {
  if (src.length < 6) throw new InflateError('a zlib stream is too short');
  const cmf = src[0]!;
  const flg = src[1]!;
  if ((cmf & 0x0f) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0 || flg & 0x20) throw new InflateError('not a zlib stream');
  let out = into && size > 0 && into.length >= size ? into : allocate(size > 0 ? size : Math.max(256, src.length * 4));
  let o = 0;
  let pos = 2;
  let bitBuf = 0;
  let bitCount = 0;
  const end = src.length;
  let last = 0;
  do {
    while (bitCount < 3) {
      bitBuf |= (pos < end ? src[pos++]! : (pos++, 0)) << bitCount;
      bitCount += 8;
    }
    last = bitBuf & 1;
    const type = (bitBuf >>> 1) & 3;
    bitBuf >>>= 3;
    bitCount -= 3;
    if (type === 0) {
      // Stored: to the byte boundary, then LEN and its complement.
      pos -= bitCount >> 3;
      bitBuf = 0;
      bitCount = 0;
      if (pos + 4 > end) throw new InflateError('a zlib stream is cut short');
      const len = src[pos]! | (src[pos + 1]! << 8);
      const nlen = src[pos + 2]! | (src[pos + 3]! << 8);
      if ((len ^ 0xffff) !== nlen) throw new InflateError('a stored block has a bad length');
      pos += 4;
      if (pos + len > end) throw new InflateError('a zlib stream is cut short');
      if (o + len > out.length) out = grown(out, o, o + len);
      out.set(src.subarray(pos, pos + len), o);
      o += len;
      pos += len;
      continue;
    }
    let litCode: Huffman;
    let distCode: Huffman;
    if (type === 1) {
      litCode = fixedLiteral;
      distCode = fixedDistance;
    } else if (type === 2) {
      while (bitCount < 14) {
        bitBuf |= (pos < end ? src[pos++]! : (pos++, 0)) << bitCount;
        bitCount += 8;
      }
      const hlit = (bitBuf & 31) + 257;
      const hdist = ((bitBuf >>> 5) & 31) + 1;
      const hclen = ((bitBuf >>> 10) & 15) + 4;
      bitBuf >>>= 14;
      bitCount -= 14;
      if (hlit > 286 || hdist > 30) throw new InflateError('a block has too many codes');
      codeLengthLengths.fill(0);
      for (let i = 0; i < hclen; i++) {
        while (bitCount < 3) {
          bitBuf |= (pos < end ? src[pos++]! : (pos++, 0)) << bitCount;
          bitCount += 8;
        }
        codeLengthLengths[codeLengthOrder[i]!] = bitBuf & 7;
        bitBuf >>>= 3;
        bitCount -= 3;
      }
      buildTable(codeLengthLengths, 19, codeLengthCode);
      const clTable = codeLengthCode.table;
      const clMask = (1 << codeLengthCode.root) - 1;
      const total = hlit + hdist;
      for (let i = 0; i < total; ) {
        while (bitCount < 14) {
          bitBuf |= (pos < end ? src[pos++]! : (pos++, 0)) << bitCount;
          bitCount += 8;
        }
        // Code length codes are at most 7 bits, within the root.
        const e = clTable[bitBuf & clMask]!;
        const l = e & 15;
        if (l === 0) throw new InflateError('a bad code length code');
        bitBuf >>>= l;
        bitCount -= l;
        const sym = e >>> 4;
        if (sym < 16) {
          lengths[i++] = sym;
          continue;
        }
        let repeat: number;
        let value = 0;
        if (sym === 16) {
          if (i === 0) throw new InflateError('a repeat with nothing to repeat');
          value = lengths[i - 1]!;
          repeat = 3 + (bitBuf & 3);
          bitBuf >>>= 2;
          bitCount -= 2;
        } else if (sym === 17) {
          repeat = 3 + (bitBuf & 7);
          bitBuf >>>= 3;
          bitCount -= 3;
        } else {
          repeat = 11 + (bitBuf & 127);
          bitBuf >>>= 7;
          bitCount -= 7;
        }
        if (i + repeat > total) throw new InflateError('code lengths run past their end');
        lengths.fill(value, i, i + repeat);
        i += repeat;
      }
      if (lengths[256] === 0) throw new InflateError('a block without an end code');
      buildTable(lengths.subarray(0, hlit), hlit, dynamicLiteral);
      buildTable(lengths.subarray(hlit, total), hdist, dynamicDistance);
      litCode = dynamicLiteral;
      distCode = dynamicDistance;
    } else {
      throw new InflateError('a block of reserved type 3');
    }
    const lit = litCode.table;
    const dist = distCode.table;
    const litBits = litCode.bits;
    const distBits = distCode.bits;
    const litMask = (1 << litCode.root) - 1;
    const distMask = (1 << distCode.root) - 1;
    for (;;) {
      if (bitCount < litBits) {
        // Two bytes at once while there are two: at most 30 bits held.
        if (pos + 1 < end) {
          bitBuf |= (src[pos]! | (src[pos + 1]! << 8)) << bitCount;
          pos += 2;
          bitCount += 16;
        } else {
          while (bitCount < litBits) {
            bitBuf |= (pos < end ? src[pos++]! : (pos++, 0)) << bitCount;
            bitCount += 8;
          }
        }
      }
      let e = lit[bitBuf & litMask]!;
      if (e < 0) e = slowDecode(bitBuf, litCode);
      const l = e & 15;
      if (l === 0) throw new InflateError('a bad literal or length code');
      bitBuf >>>= l;
      bitCount -= l;
      const sym = e >>> 4;
      if (sym < 256) {
        if (o >= out.length) out = grown(out, o, o + 1);
        out[o++] = sym;
        continue;
      }
      if (sym === 256) break;
      const li = sym - 257;
      if (li >= 29) throw new InflateError('a bad length code');
      const le = lengthExtra[li]!;
      while (bitCount < le + distBits) {
        bitBuf |= (pos < end ? src[pos++]! : (pos++, 0)) << bitCount;
        bitCount += 8;
      }
      const len = lengthBase[li]! + (bitBuf & ((1 << le) - 1));
      bitBuf >>>= le;
      bitCount -= le;
      let de = dist[bitBuf & distMask]!;
      if (de < 0) de = slowDecode(bitBuf, distCode);
      const dl = de & 15;
      if (dl === 0) throw new InflateError('a bad distance code');
      bitBuf >>>= dl;
      bitCount -= dl;
      const di = de >>> 4;
      if (di >= 30) throw new InflateError('a bad distance code');
      const dx = distExtra[di]!;
      while (bitCount < dx) {
        bitBuf |= (pos < end ? src[pos++]! : (pos++, 0)) << bitCount;
        bitCount += 8;
      }
      const d = distBase[di]! + (bitBuf & ((1 << dx) - 1));
      bitBuf >>>= dx;
      bitCount -= dx;
      if (d > o) throw new InflateError('a distance before the start');
      if (o + len > out.length) out = grown(out, o, o + len);
      // A short copy is quicker as a loop than as a call; an overlapping one must be a loop.
      if (len > 32 && d >= len) out.copyWithin(o, o - d, o - d + len);
      else for (let k = 0; k < len; k++) out[o + k] = out[o - d + k]!;
      o += len;
    }
    if (pos - (bitCount >> 3) > end) throw new InflateError('a zlib stream is cut short');
  } while (!last);
  pos -= bitCount >> 3;
  if (pos + 4 > end) throw new InflateError('a zlib stream is cut short');
  const expected = ((src[pos]! << 24) | (src[pos + 1]! << 16) | (src[pos + 2]! << 8) | src[pos + 3]!) >>> 0;
  let a = 1;
  let b = 0;
  for (let i = 0; i < o; ) {
    const stop = Math.min(i + 5552, o);
    for (; i < stop; i++) {
      a += out[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  if (((b << 16) | a) >>> 0 !== expected) throw new InflateError('a zlib stream fails its checksum');
  return o === out.length ? out : out.subarray(0, o);
}
