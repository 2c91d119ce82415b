// An export as a download, for the portal: who may take one, what the file is called, and the
// checks in the order the portal answers them (no such practice: 404; not allowed: 403).
import { practicesDir } from '../content/load-practice.ts';
import { ukDate } from '../content/dates.ts';
import type { GitStore } from '../git-store/types.ts';
import type { Role } from '../members/members.ts';
import { ExportError } from './errors.ts';
import { exportPractice } from './export-practice.ts';
import type { PracticeExport } from './format.ts';
import type { GitAccess } from './history.ts';

/**
 * Practice managers answer for the practice's content and may take it elsewhere; auditors read
 * everything, history included, and an export is that reading in one file. Editors, clinical
 * reviewers and urgent publishers work on single entries and have no need of a whole copy.
 */
export const exportRoles: readonly Role[] = ['practice_manager', 'auditor'];

export const mayExport = (role: Role | null | undefined): boolean => role != null && exportRoles.includes(role);

/** `riverside-2026-12-04.json`: the practice and the UK date of the export. */
export const exportFileName = (practice: string, at: Date): string => `${practice}-${ukDate(at)}.json`;

export interface ExportSource {
  store: GitStore;
  /** isomorphic-git's view of the store's repository, where the platform has it: a faster history read. */
  git?: GitAccess;
  /** The branch exported; `main` by default. */
  branch?: string;
  now?: () => Date;
}

export interface ExportDownload {
  filename: string;
  /** The document as UTF-8 JSON text. */
  json: string;
  document: PracticeExport;
}

/** The practice's export at the branch, for a caller whose role in it `roleOf` gives (null: none). */
export async function exportDownload(source: ExportSource, practice: string, roleOf: (practice: string) => Promise<Role | null>): Promise<ExportDownload> {
  const branch = source.branch ?? 'main';
  const slug = /^[a-z0-9]+(-[a-z0-9]+)*$/.test(practice) ? practice : undefined;
  const exists = slug ? await source.store.readFile(`${practicesDir}/${slug}/practice.yml`, { ref: branch }) : undefined;
  if (!slug || exists === undefined) throw new ExportError('unknown-practice', `there is no practice "${practice.slice(0, 80)}"`);
  const role = await roleOf(slug);
  if (!mayExport(role))
    throw new ExportError('forbidden', role ? "only the practice's managers and auditors can export its content" : 'you are not a member of this practice, or your access has ended');
  const now = source.now?.() ?? new Date();
  const document = await exportPractice(source.store, { practice: slug, ref: branch, now, ...(source.git ? { git: source.git } : {}) });
  return { filename: exportFileName(slug, now), json: `${JSON.stringify(document, null, 2)}\n`, document };
}
