// A practice's files held in memory (repository path → bytes), the content reader over them, and
// the hashing and text decoding both directions of the export need. Runtime-neutral.
import type { ContentReader } from '../content/reader.ts';

/** UTF-8, strictly: a byte-order mark is kept, and bytes that are not UTF-8 are an error, so text round-trips exactly. */
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The exact text of a file, or undefined if its bytes are not UTF-8. */
export function exactText(bytes: Uint8Array): string | undefined {
  try {
    return strict.decode(bytes);
  } catch {
    return undefined;
  }
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A content reader over files in memory: text files are served as the exact text given. */
export function memoryReader(texts: ReadonlyMap<string, string>, bytes: ReadonlyMap<string, Uint8Array>): ContentReader {
  const paths = [...new Set([...texts.keys(), ...bytes.keys()])].sort();
  const missing = (file: string) => Object.assign(new Error(`${file} does not exist`), { code: 'ENOENT' });
  return {
    async listFiles(dir) {
      const prefix = `${dir.replace(/\/+$/, '')}/`;
      return paths.filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length));
    },
    async readText(file) {
      const t = texts.get(file);
      if (t === undefined) throw missing(file);
      return t;
    },
    async readBytes(file) {
      const b = bytes.get(file) ?? (texts.has(file) ? new TextEncoder().encode(texts.get(file)) : undefined);
      if (!b) throw missing(file);
      return b;
    },
  };
}
