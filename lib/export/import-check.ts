// Checks an export document before anything is written, and says which files importing it writes.
// Refused, with every problem and its JSON Pointer: a document that is not an export, one that
// fails the published schema, a media file whose bytes do not match its size or hash, a path
// given twice, content that fails the content checks, and typed values that disagree with their
// source text (the sources are what is written; the typed values must say the same). Runtime-neutral.
import schema from '../../schemas/json/export.schema.json' with { type: 'json' };
import { loadPractice, mediaTypes, practicesDir } from '../content/load-practice.ts';
import type { Entry } from '../content/practice.ts';
import { formatProblem } from '../content/problems.ts';
import { collections, folderCollections, practiceProfile } from '../../schemas/model.ts';
import { fromBase64 } from '../cms/blob-id.ts';
import { memoryReader, sha256Hex } from './files.ts';
import { exportFormat, exportVersion, type PracticeExport } from './format.ts';
import { deepEqual, schemaValidator, type SchemaProblem } from './json-schema.ts';

export type ImportProblem = SchemaProblem;

export interface ImportPlan {
  practice: string;
  /** The commit the export was read from. */
  sourceCommit: string;
  /** Repository-relative paths and their bytes, in path order. */
  files: { path: string; content: Uint8Array }[];
  items: number;
  media: number;
  document: PracticeExport;
}

export type ImportCheck = { ok: true; plan: ImportPlan } | { ok: false; problems: ImportProblem[] };

const validate = schemaValidator(schema as Record<string, unknown>);
const encoder = new TextEncoder();

export async function checkExport(document: unknown): Promise<ImportCheck> {
  const refuse = (problems: ImportProblem[]): ImportCheck => ({ ok: false, problems });
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return refuse([{ path: '', message: 'is not an export: an export is one JSON object' }]);
  const d = document as Record<string, unknown>;
  if (d.format !== exportFormat)
    return refuse([{ path: '/format', message: `is ${JSON.stringify(d.format) ?? 'missing'}, not "${exportFormat}": this is not a Practice Digital export` }]);
  if (typeof d.version === 'number' && d.version > exportVersion)
    return refuse([{ path: '/version', message: `is ${d.version}: the export was made by a newer version of Practice Digital; this one reads version ${exportVersion}` }]);
  const invalid = validate(document);
  if (invalid.length) return refuse(invalid);

  const doc = document as PracticeExport;
  const problems: ImportProblem[] = [];
  const dir = `${practicesDir}/${doc.practice}`;

  const seen = new Map<string, string>();
  const once = (path: string, at: string) => {
    const before = seen.get(path.toLowerCase());
    if (before) problems.push({ path: at, message: `gives the file ${path} again (as ${before} does)` });
    else seen.set(path.toLowerCase(), at);
  };
  doc.items.forEach((item, i) => once(item.path, `/items/${i}/path`));

  const bytes = new Map<string, Uint8Array>();
  for (const [i, m] of doc.media.entries()) {
    const at = `/media/${i}`;
    once(m.path, `${at}/path`);
    const ext = m.path.split('.').pop()!.toLowerCase();
    if (mediaTypes[ext] !== m.type) problems.push({ path: `${at}/type`, message: `is "${m.type}", but a .${ext} file is ${mediaTypes[ext]}` });
    const content = fromBase64(m.base64);
    if (!content) {
      problems.push({ path: `${at}/base64`, message: 'is not valid base64' });
      continue;
    }
    if (content.byteLength !== m.size) problems.push({ path: `${at}/size`, message: `says ${m.size} bytes, but the content is ${content.byteLength} bytes` });
    const hash = await sha256Hex(content);
    if (hash !== m.sha256) problems.push({ path: `${at}/sha256`, message: `does not match the content, whose SHA-256 is ${hash}: the file was changed or damaged` });
    bytes.set(`${dir}/${m.path}`, content);
  }
  if (problems.length) return refuse(problems);

  // The practice as it will be written, checked as the build checks it.
  const texts = new Map(doc.items.map((item) => [`${dir}/${item.path}`, item.source]));
  const indexOf = new Map(doc.items.map((item, i) => [`${dir}/${item.path}`, i]));
  const loaded = await loadPractice(memoryReader(texts, bytes), doc.practice);
  for (const p of loaded.problems.filter((x) => x.severity === 'error')) {
    const i = indexOf.get(p.file);
    problems.push({ path: i === undefined ? '/items' : `/items/${i}/source`, message: formatProblem(p) });
  }
  if (problems.length || !loaded.practice) return refuse(problems);

  // The typed values (and slugs, addresses and bodies) must be what the sources say.
  const practice = loaded.practice;
  const expected = new Map<string, { collection: string; slug: string; url?: string; data: Record<string, unknown>; body?: string }>();
  const profileCollection = collections.find((c) => c.kind === 'files' && c.files.includes(practiceProfile))!.name;
  expected.set(`${dir}/${practiceProfile.file}`, { collection: profileCollection, slug: 'practice', ...(practiceProfile.url ? { url: practiceProfile.url } : {}), data: { ...practice.profile } });
  const add = (collection: string, e: Entry<unknown>) => {
    const { body, ...data } = e.data as Record<string, unknown> & { body?: string };
    expected.set(e.file, { collection, slug: e.slug, ...(e.url ? { url: e.url } : {}), data, ...(body !== undefined ? { body } : {}) });
  };
  for (const c of folderCollections) for (const e of practice[c.name as 'pages'] as Entry<unknown>[]) add(c.name, e);
  for (const c of collections)
    if (c.kind === 'files') for (const f of c.files) if (f !== practiceProfile) add(c.name, (practice.policies as Record<string, Entry<unknown>>)[f.name]!);
  doc.items.forEach((item, i) => {
    const want = expected.get(`${dir}/${item.path}`)!;
    for (const key of ['collection', 'slug', 'url', 'data', 'body'] as const) {
      const at = firstDifference(item[key], want[key], `/items/${i}/${key}`);
      if (at) problems.push({ path: at.path, message: `${at.message}; the source text is what is imported, so change both or neither` });
    }
  });
  const profileAt = firstDifference(doc.profile, practice.profile, '/profile');
  if (profileAt) problems.push({ path: profileAt.path, message: `${profileAt.message} (practice.yml); the source text is what is imported, so change both or neither` });
  if (problems.length) return refuse(problems);

  const files = [
    ...doc.items.map((item) => ({ path: `${dir}/${item.path}`, content: encoder.encode(item.source) })),
    ...doc.media.map((m) => ({ path: `${dir}/${m.path}`, content: bytes.get(`${dir}/${m.path}`)! })),
  ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { ok: true, plan: { practice: doc.practice, sourceCommit: doc.commit.oid, files, items: doc.items.length, media: doc.media.length, document: doc } };
}

/** Where a value first differs from what the source text says, as a JSON Pointer under `at`. */
function firstDifference(given: unknown, want: unknown, at: string): SchemaProblem | undefined {
  if (deepEqual(given, want)) return undefined;
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(given) && isObject(want)) {
    for (const k of new Set([...Object.keys(want), ...Object.keys(given)])) {
      const sub = `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (!Object.hasOwn(given, k)) return { path: sub, message: `is missing, but the source text gives ${show(want[k])}` };
      if (!Object.hasOwn(want, k)) return { path: sub, message: 'is not in the source text' };
      const d = firstDifference(given[k], want[k], sub);
      if (d) return d;
    }
  }
  if (Array.isArray(given) && Array.isArray(want)) {
    if (given.length !== want.length) return { path: at, message: `has ${given.length} items, but the source text has ${want.length}` };
    for (let i = 0; i < given.length; i++) {
      const d = firstDifference(given[i], want[i], `${at}/${i}`);
      if (d) return d;
    }
  }
  if (given === undefined) return { path: at, message: `is missing, but the source text gives ${show(want)}` };
  if (want === undefined) return { path: at, message: 'is not in the source text' };
  return { path: at, message: `is ${show(given)}, but the source text says ${show(want)}` };
}

function show(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
