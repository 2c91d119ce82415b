import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { derivedFiles } from './derived-files.ts';

/** Writes every derived file that differs; returns the paths written. */
export async function writeDerived(root: string): Promise<string[]> {
  const written: string[] = [];
  for (const f of derivedFiles()) {
    const target = path.join(root, f.path);
    const current = await readFile(target, 'utf8').catch(() => undefined);
    if (current === f.text) continue;
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, f.text);
    written.push(f.path);
  }
  return written;
}
