// The content loader's reader over one commit of the git store: the whole practice folder is
// read in one tree walk, so checking a draft before publishing costs one pass, not a read per file.
import type { ContentReader } from '../content/reader.ts';
import type { GitStore } from '../git-store/types.ts';

/**
 * `overrides` replace files (or remove them, with `null`) on top of the commit: the practice as it
 * would be once a draft is merged or a notice posted, checked before anything is written.
 */
export async function practiceReaderAt(
  store: GitStore,
  practice: string,
  ref: string,
  overrides: ReadonlyMap<string, Uint8Array | null> = new Map(),
): Promise<ContentReader> {
  const root = `content/practices/${practice}`;
  const files = new Map((await store.readFolder(root, { ref })).map((f) => [f.path, f.content]));
  for (const [path, content] of overrides) {
    if (content === null) files.delete(path);
    else if (path.startsWith(`${root}/`)) files.set(path, content);
  }
  const decoder = new TextDecoder();
  const bytes = (file: string): Uint8Array => {
    const content = files.get(file);
    if (!content) throw Object.assign(new Error(`${file} does not exist at ${ref.slice(0, 12)}`), { code: 'ENOENT' });
    return content;
  };
  return {
    async listFiles(dir) {
      const prefix = `${dir.replace(/\/+$/, '')}/`;
      return [...files.keys()].filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length)).sort();
    },
    readText: async (file) => decoder.decode(bytes(file)),
    readBytes: async (file) => bytes(file),
  };
}
