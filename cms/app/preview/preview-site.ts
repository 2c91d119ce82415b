// The page an entry makes, worked out the way `pd build` works it out: each file's data goes
// through the content model's own field checks (which also give defaults and UK times), the
// practice is assembled with the edited entry in place of its published version, and the
// build's siteView()/routesFor() turn it into the route the theme renders. What the checks and
// rules refuse is returned as problems, in the words `pd validate` uses.
import type { FolderCollection, SingleFile } from '../../../schemas/dsl.ts';
import { folderCollections, singleFiles } from '../../../schemas/model.ts';
import type { NewsPost, Notice, Page, PracticeProfile, Service, TeamMember } from '../../../schemas/generated/types.ts';
import { checkFields, type FieldProblem } from '../../../lib/content/check-fields.ts';
import type { Entry, Practice } from '../../../lib/content/practice.ts';
import { newsRules, noticeRules, pageRules, policyRules, profileRules, serviceRules } from '../../../lib/content/rules.ts';
import { renderMarkdown } from '../../../lib/markdown/render.ts';
import { routesFor, siteView, type Route } from '../../../build/site/routes.ts';

/** One file as the CMS holds it: its path and its data (a Markdown file's text under `body`). */
export interface SourceEntry {
  path: string;
  data: Record<string, unknown>;
}

export interface PreviewSite {
  route: Route;
  /** What the build would refuse in the edited entry, as "Field: message: how to fix". */
  problems: string[];
}

/** Why a page cannot be shown at all (as opposed to shown with problems). */
export class PreviewError extends Error {}

type Owner = { folder: FolderCollection } | { file: SingleFile };

type Rule = (d: never) => FieldProblem[];
const folderRules: Record<string, Rule> = { pages: pageRules as Rule, services: serviceRules as Rule, news: newsRules as Rule, notices: noticeRules as Rule };

/** The rules loadPractice() applies to a file once its fields are sound. */
const rulesOf = (owner: Owner): Rule | undefined =>
  'folder' in owner ? folderRules[owner.folder.name] : owner.file.file === 'practice.yml' ? (profileRules as Rule) : (policyRules as Rule);

/** YAML read with the failsafe schema gives text for every scalar; the CMS holds numbers and booleans. */
function asFailsafe(v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) return v.map(asFailsafe);
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asFailsafe(x)]).filter(([, x]) => x !== undefined));
  return String(v);
}

function ownerOf(dir: string, path: string): { owner: Owner; rel: string } | undefined {
  if (!path.startsWith(`${dir}/`)) return undefined;
  const rel = path.slice(dir.length + 1);
  const file = singleFiles.find((f) => f.file === rel);
  if (file) return { owner: { file }, rel };
  const folder = folderCollections.find((c) => rel.startsWith(`${c.folder}/`) && rel.endsWith('.md') && !rel.slice(c.folder.length + 1).includes('/'));
  return folder ? { owner: { folder }, rel } : undefined;
}

/** An entry as loadPractice() makes it (lib/content/load-practice.ts), with the problems it would report. */
function typedEntry(dir: string, source: SourceEntry): { entry: Entry<unknown>; owner: Owner; problems: FieldProblem[] } | undefined {
  const found = ownerOf(dir, source.path);
  if (!found) return undefined;
  const { owner, rel } = found;
  const fields = 'folder' in owner ? owner.folder.fields : owner.file.fields;
  const body = 'folder' in owner ? owner.folder.body : owner.file.body;
  const { body: text, ...front } = source.data;
  const { value, problems } = checkFields(fields, asFailsafe(front));
  if (!problems.length) problems.push(...(rulesOf(owner)?.(value as never) ?? []));
  const markdown = typeof text === 'string' ? text : '';
  if (body && !body.optional && !markdown.trim()) problems.push({ path: ['body'], message: 'the page has no text', fix: 'write the page text' });
  const rendered = renderMarkdown(markdown);
  for (const u of rendered.unsafe) problems.push({ path: ['body'], message: u.message, fix: u.fix });
  const slug = rel.split('/').pop()!.replace(/\.(md|yml)$/, '');
  const url = ('folder' in owner ? owner.folder.url : owner.file.url)?.replace('{slug}', slug);
  const data = body ? { ...value, body: markdown } : value;
  return { entry: { file: source.path, slug, ...(url ? { url } : {}), data, html: markdown.trim() ? rendered.html : '' }, owner, problems };
}

/** The published site's entries, checked once per load of it rather than on every keystroke. */
const checked = new WeakMap<readonly SourceEntry[], Map<string, { entry: Entry<unknown>; owner: Owner }>>();
function publishedEntries(dir: string, published: readonly SourceEntry[]): Map<string, { entry: Entry<unknown>; owner: Owner }> {
  let entries = checked.get(published);
  if (!entries) {
    entries = new Map();
    for (const source of published) {
      const typed = typedEntry(dir, source);
      // A published file the checks refuse would not be on the live site either.
      if (typed && !typed.problems.length) entries.set(source.path, { entry: typed.entry, owner: typed.owner });
    }
    checked.set(published, entries);
  }
  return entries;
}

/** "Review by: is not after the last review: set a date after …"; a message that names its field already is left alone. */
function describe(owner: Owner, p: FieldProblem): string {
  const fields = 'folder' in owner ? owner.folder.fields : owner.file.fields;
  const top = p.path[0] === 'body' ? ('folder' in owner ? owner.folder.body : owner.file.body) : fields[String(p.path[0])];
  const label = top?.label ?? '';
  const text = `${p.message}: ${p.fix}`;
  return !label || p.message.startsWith(label) ? text[0]!.toUpperCase() + text.slice(1) : `${label}: ${text}`;
}

/** The same order loadPractice() gives each list: navigation order then title, news newest first, team by order. */
function sorted(practice: Practice): Practice {
  return {
    ...practice,
    pages: [...practice.pages].sort((a, b) => (a.data.nav?.order ?? 999) - (b.data.nav?.order ?? 999) || String(a.data.title).localeCompare(String(b.data.title))),
    news: [...practice.news].sort((a, b) => String(b.data.date).localeCompare(String(a.data.date)) || a.slug.localeCompare(b.slug)),
    services: [...practice.services].sort((a, b) => String(a.data.title).localeCompare(String(b.data.title))),
    team: [...practice.team].sort((a, b) => (a.data.order ?? 999) - (b.data.order ?? 999) || String(a.data.name).localeCompare(String(b.data.name))),
    notices: [...practice.notices].sort((a, b) => String(a.data.starts).localeCompare(String(b.data.starts))),
  };
}

/**
 * The route for `edited` on the practice's site, with every other page as published. The
 * profile comes from `published` unless it is what is being edited; without it there is no site.
 */
export function previewSite(o: { practice: string; published: readonly SourceEntry[]; edited: SourceEntry; now: Date }): PreviewSite {
  const dir = `content/practices/${o.practice}`;
  const edited = typedEntry(dir, o.edited);
  if (!edited) throw new PreviewError(`"${o.edited.path}" is not a file of this practice's site`);
  const entries = new Map(publishedEntries(dir, o.published));
  entries.set(o.edited.path, edited);

  const all = [...entries.values()];
  const inFolder = <T>(name: string) => all.filter((e) => 'folder' in e.owner && e.owner.folder.name === name).map((e) => e.entry as Entry<T>);
  const profile = all.find((e) => 'file' in e.owner && e.owner.file.file === 'practice.yml')?.entry.data as PracticeProfile | undefined;
  if (!profile) throw new PreviewError("the practice profile could not be loaded, so the page cannot be shown as patients see it");
  // In the model's order, as loadPractice() gives them (the footer lists them so).
  const policies = Object.fromEntries(
    singleFiles.flatMap((f) => {
      const found = f.body ? all.find((e) => 'file' in e.owner && e.owner.file === f) : undefined;
      return found ? [[f.name, found.entry]] : [];
    }),
  );
  const practice = sorted({
    slug: o.practice,
    dir,
    profile,
    pages: inFolder<Page>('pages'),
    news: inFolder<NewsPost>('news'),
    services: inFolder<Service>('services'),
    team: inFolder<TeamMember>('team'),
    notices: inFolder<Notice>('notices'),
    policies: policies as Practice['policies'],
    media: [],
  });

  let site: ReturnType<typeof siteView>;
  try {
    site = siteView(practice, { now: o.now, revision: 'preview' });
  } catch {
    throw new PreviewError('the practice profile is incomplete, so the page cannot be shown yet: fill in the required fields');
  }
  const owner = edited.owner;
  if ('folder' in owner && owner.folder.name === 'notices') {
    // A notice is previewed as it will look while it is showing, whatever today's date.
    const notice = edited.entry as Entry<Notice>;
    site.notices = [...site.notices.filter((n) => n.entry.file !== notice.file), { entry: notice, everyPage: notice.data.placement === 'all', html: notice.html }];
  }
  // A page not yet reviewed cannot say when it was: the review line is left out until both dates are set.
  const d = edited.entry.data as { last_reviewed?: unknown; review_by?: unknown };
  const unreviewed = 'review_by' in (('folder' in owner ? owner.folder : owner.file).fields) && (typeof d.last_reviewed !== 'string' || typeof d.review_by !== 'string');
  if (unreviewed) edited.entry.data = { ...d, last_reviewed: '1970-01-01', review_by: '1970-01-01' };
  const routes = routesFor(site);
  // Entries with an address of their own are that page; team members appear on the team page,
  // notices on the home page, and the profile on the contact page (its address in the model).
  const url = 'folder' in owner ? (owner.folder.url ? undefined : owner.folder.name === 'team' ? '/team/' : '/') : owner.file.url;
  const route = routes.find((r) => (url ? r.url === url : r.entry?.file === o.edited.path));
  if (!route) throw new PreviewError('this entry has no page of its own on the site');
  return { route: unreviewed && route.entry === edited.entry ? { ...route, reviewed: undefined } : route, problems: edited.problems.map((p) => describe(owner, p)) };
}
