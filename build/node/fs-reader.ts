// The content reader over the local file system (the embedded default; production reads the
// same tree from a git checkout).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ContentReader } from '../../lib/content/reader.ts';

export function fsReader(root: string): ContentReader {
  return {
    async listFiles(dir) {
      const base = path.join(root, dir);
      let entries;
      try {
        entries = await readdir(base, { recursive: true, withFileTypes: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw e;
      }
      return entries
        .filter((e) => e.isFile())
        .map((e) => path.relative(base, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
        .sort();
    },
    readText: (file) => readFile(path.join(root, file), 'utf8'),
    readBytes: async (file) => new Uint8Array(await readFile(path.join(root, file))),
  };
}
