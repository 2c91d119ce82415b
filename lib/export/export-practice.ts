// Exports one practice at one commit of the git store, as one document (./format.ts). The same
// code serves the portal (a remote or local store at `main`) and `pd export` (a local store over
// the repository folder, at any commit). Content that does not pass the checks is refused with
// every problem: the typed values are the checked ones, so there are none to give for a broken file.
import { loadPractice, mediaTypes, practicesDir } from '../content/load-practice.ts';
import type { Entry } from '../content/practice.ts';
import { formatProblem, hasErrors } from '../content/problems.ts';
import { formats } from '../../schemas/formats.ts';
import { collections, folderCollections, practiceProfile as profileFile } from '../../schemas/model.ts';
import { toBase64 } from '../cms/blob-id.ts';
import { GitStoreError } from '../git-store/types.ts';
import type { GitStore } from '../git-store/types.ts';
import { ExportError } from './errors.ts';
import { exactText, memoryReader, sha256Hex } from './files.ts';
import { exportFormat, exportSchemaId, exportVersion, type ExportItem, type ExportMedia, type PracticeExport } from './format.ts';
import { byPath, gitHistory, storeHistory, summarise, type GitAccess, type HistoryLine } from './history.ts';

export interface ExportOptions {
  practice: string;
  /** A branch or a full commit oid. */
  ref: string;
  /** When the export is made; now by default. */
  now?: Date;
  /**
   * isomorphic-git's view of the store's repository (the file system and git folder it was given),
   * where the caller has it: the history is then read from the practice's trees directly, about
   * three times faster than through the store's diffs. The result is the same.
   */
  git?: GitAccess;
}

const slugPattern = new RegExp(formats.slug.pattern);
const profileCollection = collections.find((c) => c.kind === 'files' && c.files.includes(profileFile))!.name;

export async function exportPractice(store: GitStore, o: ExportOptions): Promise<PracticeExport> {
  const { practice } = o;
  if (!slugPattern.test(practice)) throw new ExportError('unknown-practice', `"${practice.slice(0, 80)}" is not a practice name (${formats.slug.fix})`);
  const dir = `${practicesDir}/${practice}`;

  let line: HistoryLine;
  try {
    line = o.git ? await gitHistory(o.git, o.ref) : await storeHistory(store, o.ref);
  } catch (e) {
    if (e instanceof GitStoreError) throw new ExportError('unknown-commit', `there is no commit or branch "${o.ref.slice(0, 80)}" in the repository`);
    throw e;
  }
  const { head } = line;
  const stored = await store.readFolder(dir, { ref: head.oid });
  if (!stored.some((f) => f.path === `${dir}/practice.yml`)) {
    const others = (await store.listFiles(practicesDir, { ref: head.oid })).filter((p) => p.endsWith('/practice.yml')).map((p) => p.split('/')[2]!);
    throw new ExportError(
      'unknown-practice',
      `there is no practice "${practice}" at ${head.oid.slice(0, 7)}${others.length ? ` (there: ${[...new Set(others)].join(', ')})` : ''}`,
    );
  }

  // Text files are decoded once, strictly, and the checks read that same text: what is typed is
  // exactly what is exported as the source.
  const texts = new Map<string, string>();
  const bytes = new Map<string, Uint8Array>();
  const notText: string[] = [];
  for (const f of stored) {
    if (/\.(md|yml)$/.test(f.path)) {
      const text = exactText(f.content);
      if (text === undefined) notText.push(f.path);
      else texts.set(f.path, text);
    } else bytes.set(f.path, f.content);
  }
  if (notText.length)
    throw new ExportError('invalid-content', `${notText.join(', ')} ${notText.length === 1 ? 'is' : 'are'} not UTF-8 text; save ${notText.length === 1 ? 'it' : 'them'} as UTF-8 and commit again`);
  const loaded = await loadPractice(memoryReader(texts, bytes), practice);
  if (hasErrors(loaded.problems) || !loaded.practice) {
    const errors = loaded.problems.filter((p) => p.severity === 'error');
    throw new ExportError(
      'invalid-content',
      `${practice}'s content at ${head.oid.slice(0, 7)} has ${errors.length} problem${errors.length === 1 ? '' : 's'} to fix first (pd validate ${practice}): ${errors.slice(0, 5).map(formatProblem).join('; ')}${errors.length > 5 ? '; ...' : ''}`,
      errors,
    );
  }
  const p = loaded.practice;

  // Which collection each loaded entry belongs to, by its file.
  const entries = new Map<string, { collection: string; entry: Entry<unknown> }>();
  for (const c of folderCollections) for (const entry of p[c.name as 'pages'] as Entry<unknown>[]) entries.set(entry.file, { collection: c.name, entry });
  for (const c of collections)
    if (c.kind === 'files')
      for (const f of c.files) {
        const entry = (p.policies as Record<string, Entry<unknown> | undefined>)[f.name];
        if (entry) entries.set(entry.file, { collection: c.name, entry });
      }

  const items: ExportItem[] = [];
  const media: ExportMedia[] = [];
  for (const path of [...texts.keys(), ...bytes.keys()].sort(byPath)) {
    const rel = path.slice(dir.length + 1);
    if (rel === profileFile.file) {
      items.push({ collection: profileCollection, path: rel, slug: 'practice', ...(profileFile.url ? { url: profileFile.url } : {}), data: { ...p.profile }, source: texts.get(path)! });
      continue;
    }
    const found = entries.get(path);
    if (found) {
      const { body, ...data } = found.entry.data as Record<string, unknown> & { body?: string };
      items.push({
        collection: found.collection,
        path: rel,
        slug: found.entry.slug,
        ...(found.entry.url ? { url: found.entry.url } : {}),
        data,
        source: texts.get(path)!,
        ...(body !== undefined ? { body } : {}),
      });
      continue;
    }
    const content = bytes.get(path)!;
    const ext = rel.split('.').pop()!.toLowerCase();
    media.push({ path: rel, type: mediaTypes[ext]!, size: content.byteLength, sha256: await sha256Hex(content), base64: toBase64(content) });
  }

  const history = summarise(await line.changesUnder(dir), [...items.map((i) => i.path), ...media.map((m) => m.path)], `${dir} at ${head.oid.slice(0, 7)}`);
  return {
    $schema: exportSchemaId,
    format: exportFormat,
    version: exportVersion,
    practice,
    exportedAt: (o.now ?? new Date()).toISOString(),
    commit: { oid: head.oid, at: head.committedAt, subject: head.subject },
    profile: p.profile,
    items,
    media,
    history,
  };
}
