// Reads one practice's folder, checks every file against the content model and the rules, and
// returns either the typed practice or every problem found (never just the first).
import type { Fields, FolderCollection, MarkdownField, SingleFile } from '../../schemas/dsl.ts';
import { folderCollections, singleFiles } from '../../schemas/model.ts';
import { formats } from '../../schemas/formats.ts';
import type { NewsPost, Notice, Page, PracticeProfile, Service, TeamMember } from '../../schemas/generated/types.ts';
import { renderMarkdown } from '../markdown/render.ts';
import { checkFields, type FieldProblem } from './check-fields.ts';
import type { Entry, Practice } from './practice.ts';
import { hasErrors, type Problem } from './problems.ts';
import type { ContentReader } from './reader.ts';
import { newsRules, noticeRules, pageRules, policyRules, profileRules, serviceRules } from './rules.ts';
import { readSourceFile } from './source-file.ts';
import { checkSupplierLink } from './suppliers.ts';

export const practicesDir = 'content/practices';
export const mediaTypes: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  pdf: 'application/pdf',
};

/** Top-level addresses the site generates itself, which a page file must not take. */
export const reservedPaths: ReadonlySet<string> = new Set([
  'about', 'contact', 'team', 'news', 'services', 'leaflet', 'media', 'assets', 'api', 'admin', 'well-known', '404',
  ...singleFiles.flatMap((f) => (f.url ? [f.url.replaceAll('/', '')] : [])),
]);

export interface LoadResult {
  practice?: Practice;
  problems: Problem[];
}

const folderRules: Record<string, (d: never) => FieldProblem[]> = {
  pages: pageRules,
  services: serviceRules,
  news: newsRules,
  notices: noticeRules,
};

/** Lists the practice folders (slugs) in the content tree. */
export async function listPractices(reader: ContentReader): Promise<string[]> {
  const files = await reader.listFiles(practicesDir);
  return [...new Set(files.filter((f) => f.endsWith('/practice.yml') && f.split('/').length === 2).map((f) => f.split('/')[0]!))].sort();
}

export async function loadPractice(reader: ContentReader, slug: string): Promise<LoadResult> {
  const dir = `${practicesDir}/${slug}`;
  const problems: Problem[] = [];
  if (!new RegExp(formats.slug.pattern).test(slug))
    problems.push({ file: dir, field: '', message: `"${slug}" is not a valid practice folder name`, fix: formats.slug.fix, severity: 'error' });
  const files = await reader.listFiles(dir);
  if (!files.includes('practice.yml')) {
    problems.push({ file: `${dir}/practice.yml`, field: '', message: 'is missing', fix: 'every practice folder needs a practice.yml profile', severity: 'error' });
    return { problems };
  }

  // Every text file is read at once, so the disk works while the checks run.
  const texts = new Map(files.filter((f) => /\.(md|yml)$/.test(f)).map((f) => [f, reader.readText(`${dir}/${f}`)] as const));
  for (const t of texts.values()) t.catch(() => {});
  const read = async (rel: string, fields: Fields, body: MarkdownField | undefined, extra: (d: never) => FieldProblem[], ods?: string) => {
    const file = `${dir}/${rel}`;
    const sf = readSourceFile(file, (await texts.get(rel)) ?? (await reader.readText(file)));
    problems.push(...sf.problems);
    if (sf.problems.length) return undefined;
    const { value, problems: fieldProblems } = checkFields(fields, sf.data);
    const place = (fp: FieldProblem): Problem => ({
      file,
      line: sf.lineOf(fp.path),
      field: fp.path.join('.'),
      message: fp.message,
      fix: fp.fix,
      severity: 'error',
    });
    problems.push(...fieldProblems.map(place));
    if (fieldProblems.length) return undefined;
    problems.push(...extra(value as never).map(place));
    // Markdown inside front matter or the profile gets the same safety and supplier checks as a body.
    for (const [fieldPath, md] of markdownValues(fields, value)) {
      const r = renderMarkdown(md);
      const line = sf.lineOf(fieldPath);
      const field = fieldPath.join('.');
      for (const u of r.unsafe) problems.push({ file, line, field, message: u.message, fix: u.fix, severity: 'error' });
      for (const l of r.links) {
        const v = /^https?:/i.test(l.href) ? checkSupplierLink(l.href, ods ?? String(value.ods_code ?? '')) : undefined;
        if (v) problems.push({ file, line, field, ...v, severity: 'error' });
      }
    }
    let html = '';
    const text = sf.body ?? '';
    if (body && !body.optional && !text.trim())
      problems.push({ file, line: sf.bodyLine, field: 'body', message: 'the page has no text', fix: 'write the page text below the closing ---', severity: 'error' });
    if (text.trim()) {
      const r = renderMarkdown(text);
      html = r.html;
      for (const u of r.unsafe) problems.push({ file, line: sf.bodyLine + u.line, field: 'body', message: u.message, fix: u.fix, severity: 'error' });
      if (ods)
        for (const l of r.links) {
          const v = /^https?:/i.test(l.href) ? checkSupplierLink(l.href, ods) : undefined;
          if (v) problems.push({ file, line: sf.bodyLine + l.line, field: 'body', ...v, severity: 'error' });
        }
    }
    return { data: value, html, body: text };
  };

  const profileFile = singleFiles.find((f) => f.file === 'practice.yml')!;
  const profileRead = await read('practice.yml', profileFile.fields, undefined, profileRules as (d: never) => FieldProblem[]);
  const profile = profileRead?.data as PracticeProfile | undefined;
  const ods = profile?.ods_code;

  const collections: Record<string, Entry<unknown>[]> = {};
  const policies: Record<string, Entry<unknown>> = {};
  const media: string[] = [];
  const claimed = new Set<string>(['practice.yml']);

  for (const sf of singleFiles.filter((f) => f.file !== 'practice.yml')) {
    claimed.add(sf.file);
    if (!files.includes(sf.file)) {
      problems.push({ file: `${dir}/${sf.file}`, field: '', message: `"${sf.label}" is missing`, fix: `create ${sf.file}; every practice must publish it`, severity: 'error' });
      continue;
    }
    const r = await read(sf.file, sf.fields, sf.body, policyRules as (d: never) => FieldProblem[], ods);
    if (r) policies[sf.name] = entry(dir, sf.file, r, sf);
  }

  for (const c of folderCollections) {
    const list: Entry<unknown>[] = [];
    for (const rel of files.filter((f) => f.startsWith(`${c.folder}/`))) {
      claimed.add(rel);
      const name = rel.slice(c.folder.length + 1);
      if (!name.endsWith('.md') || name.includes('/')) {
        problems.push({ file: `${dir}/${rel}`, field: '', message: `is not a Markdown file directly in ${c.folder}/`, fix: `move or rename it to ${c.folder}/<name>.md`, severity: 'error' });
        continue;
      }
      const slug = name.slice(0, -3);
      if (!new RegExp(formats.slug.pattern).test(slug)) {
        problems.push({ file: `${dir}/${rel}`, field: '', message: `the file name "${slug}" cannot be a web address`, fix: `rename it: ${formats.slug.fix}`, severity: 'error' });
        continue;
      }
      if (c.url === '/{slug}/' && reservedPaths.has(slug)) {
        problems.push({ file: `${dir}/${rel}`, field: '', message: `the address /${slug}/ is used by a page the site makes itself`, fix: `rename the file; these names are taken: ${[...reservedPaths].join(', ')}`, severity: 'error' });
        continue;
      }
      const r = await read(rel, c.fields, c.body, folderRules[c.name] ?? (() => []), ods);
      if (r) list.push(entry(dir, rel, r, c, slug));
    }
    collections[c.name] = list;
  }

  for (const rel of files) {
    if (claimed.has(rel)) continue;
    const ext = rel.split('.').pop()?.toLowerCase() ?? '';
    if (rel.startsWith('media/') && ext in mediaTypes) media.push(rel);
    else
      problems.push({
        file: `${dir}/${rel}`,
        field: '',
        message: 'is not part of the content model',
        fix: rel.startsWith('media/')
          ? `media files must be one of ${Object.keys(mediaTypes).join(', ')}`
          : `put pages in pages/, news in news/, services in services/, team in team/, notices in notices/, images in media/`,
        severity: 'error',
      });
  }
  if (profile?.boundary.map && !media.includes(profile.boundary.map.replace(/^\/+/, '')))
    problems.push({ file: `${dir}/practice.yml`, field: 'boundary.map', message: `"${profile.boundary.map}" is not in the media folder`, fix: 'upload the map image to media/ and give its path, like media/boundary.png', severity: 'error' });

  if (hasErrors(problems) || !profile) return { problems };
  const of = <T>(name: string) => collections[name] as Entry<T>[];
  const practice: Practice = {
    slug,
    dir,
    profile,
    // Navigation order first, then title; news newest first; team by their order.
    pages: of<Page>('pages').sort((a, b) => (a.data.nav?.order ?? 999) - (b.data.nav?.order ?? 999) || a.data.title.localeCompare(b.data.title)),
    news: of<NewsPost>('news').sort((a, b) => b.data.date.localeCompare(a.data.date) || a.slug.localeCompare(b.slug)),
    services: of<Service>('services').sort((a, b) => a.data.title.localeCompare(b.data.title)),
    team: of<TeamMember>('team').sort((a, b) => a.data.order - b.data.order || a.data.name.localeCompare(b.data.name)),
    notices: of<Notice>('notices').sort((a, b) => a.data.starts.localeCompare(b.data.starts)),
    policies: policies as Practice['policies'],
    media,
  };
  return { practice, problems };
}

/** Every Markdown value inside a checked record, with its field path. */
function markdownValues(fields: Fields, value: Record<string, unknown>, at: (string | number)[] = []): [(string | number)[], string][] {
  const out: [(string | number)[], string][] = [];
  for (const [key, f] of Object.entries(fields)) {
    const v = value[key];
    if (v === undefined) continue;
    if (f.kind === 'markdown' && typeof v === 'string') out.push([[...at, key], v]);
    if (f.kind === 'object') out.push(...markdownValues(f.fields, v as Record<string, unknown>, [...at, key]));
    if (f.kind === 'list' && f.of.kind === 'object') {
      const of = f.of;
      (v as Record<string, unknown>[]).forEach((item, i) => out.push(...markdownValues(of.fields, item, [...at, key, i])));
    }
  }
  return out;
}

function entry(
  dir: string,
  rel: string,
  r: { data: Record<string, unknown>; html: string; body: string },
  owner: FolderCollection | SingleFile,
  slug = rel.split('/').pop()!.replace(/\.(md|yml)$/, ''),
): Entry<unknown> {
  const url = owner.url?.replace('{slug}', slug);
  return { file: `${dir}/${rel}`, slug, ...(url ? { url } : {}), data: 'file' in owner && !owner.body ? r.data : { ...r.data, body: r.body }, html: r.html };
}
