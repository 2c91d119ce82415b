import { listPractices, loadPractice, practicesDir, type LoadResult } from '../../lib/content/load-practice.ts';
import type { ContentReader } from '../../lib/content/reader.ts';
import { fsReader } from '../node/fs-reader.ts';

export interface PracticeResult extends LoadResult {
  slug: string;
}

/** Loads and checks one practice, or all of them. */
export async function validateContent(root: string, only?: string, reader: ContentReader = fsReader(root)): Promise<PracticeResult[]> {
  if (only) {
    // Only list every practice when the one asked for is not there, to name the ones that are.
    if (!(await reader.listFiles(`${practicesDir}/${only}`)).length) {
      const all = await listPractices(reader);
      const known = all.length ? `the practices are ${all.join(', ')}` : 'there are no practices yet';
      throw new Error(`there is no practice "${only}" in ${practicesDir}/ (${known})`);
    }
    return [{ slug: only, ...(await loadPractice(reader, only)) }];
  }
  const slugs = await listPractices(reader);
  return Promise.all(slugs.map(async (slug) => ({ slug, ...(await loadPractice(reader, slug)) })));
}
