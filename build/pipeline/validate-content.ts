import { listPractices, loadPractice, practicesDir, type LoadResult } from '../../lib/content/load-practice.ts';
import type { ContentReader } from '../../lib/content/reader.ts';
import { fsReader } from '../node/fs-reader.ts';

export interface PracticeResult extends LoadResult {
  slug: string;
}

/** Loads and checks one practice, or all of them. */
export async function validateContent(root: string, only?: string, reader: ContentReader = fsReader(root)): Promise<PracticeResult[]> {
  const all = await listPractices(reader);
  if (only && !all.includes(only)) {
    const known = all.length ? `the practices are ${all.join(', ')}` : 'there are no practices yet';
    throw new Error(`there is no practice "${only}" in ${practicesDir}/ (${known})`);
  }
  const slugs = only ? [only] : all;
  return Promise.all(slugs.map(async (slug) => ({ slug, ...(await loadPractice(reader, slug)) })));
}
