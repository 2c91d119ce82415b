// Before anything reaches `main`, the practice is loaded as it would then be and checked with the
// same rules as `pd validate`: a change that would break the site's build is refused with every
// problem listed, instead of being published and failing later.
import yaml from 'js-yaml';
import { loadPractice } from '../content/load-practice.ts';
import { formatProblem } from '../content/problems.ts';
import type { GitStore } from '../git-store/types.ts';
import { GatewayError } from './gateway-error.ts';
import { practiceReaderAt } from './git-reader.ts';

export async function assertPracticeValid(
  store: GitStore,
  practice: string,
  ref: string,
  overrides: ReadonlyMap<string, Uint8Array | null>,
): Promise<void> {
  const { problems } = await loadPractice(await practiceReaderAt(store, practice, ref, overrides), practice);
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length === 0) return;
  const list = errors.slice(0, 20).map(formatProblem);
  throw new GatewayError(
    422,
    'invalid-content',
    `This change cannot go live until ${errors.length === 1 ? 'this problem is' : `these ${errors.length} problems are`} fixed: ${list.join('; ')}`,
    { problems: errors },
  );
}

/** Whether the practice lets non-clinical changes go live without review (on unless it says otherwise). */
export async function publishesWithoutReview(store: GitStore, practice: string, ref: string): Promise<boolean> {
  const profile = await store.readFile(`content/practices/${practice}/practice.yml`, { ref });
  if (!profile) return false;
  try {
    const data = yaml.load(profile, { schema: yaml.CORE_SCHEMA }) as { settings?: { publish_without_review?: unknown } } | null;
    return data?.settings?.publish_without_review !== false;
  } catch {
    return false;
  }
}
