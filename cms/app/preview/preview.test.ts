// The CMS preview against the real thing: every entry of a demo practice, read the way Decap
// reads it and drawn by the preview's code with the theme's templates, gives the same <body> as
// `pd build` writes for that page. Then what the preview does with an entry being edited.
import matter from 'gray-matter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import nunjucks from 'nunjucks';
import type { UserConfig } from '@11ty/eleventy';
import theme from '../../../build/eleventy/theme.ts';
import { themeTemplates } from '../../../build/portal/theme-templates.ts';
import { practiceTree } from '../../../test/support/content-copy.ts';
import { demoNow, get, repo, startDemo, type DemoSite } from '../../../test/support/demo-site.ts';
import { themeEnvironment, type ThemeEnvironment } from './environment.ts';
import { selectLabels } from './labels.ts';
import { PreviewError, previewSite, type SourceEntry } from './preview-site.ts';
import { renderPage } from './render-preview.ts';

let demo: DemoSite;
let env: ThemeEnvironment;
let published: SourceEntry[];

/** A file's data as Decap's YAML and front-matter formats read it (YAML 1.2 core schema, the body under `body`). */
function asDecapReadsIt(path: string, text: string): SourceEntry {
  if (path.endsWith('.yml')) return { path, data: parse(text) as Record<string, unknown> };
  const m = matter(text, { engines: { yaml: (s: string) => parse(s) as object } });
  return { path, data: { ...m.data, body: m.content } };
}

const bodyOf = (html: string) => /<body\b[^>]*>([\s\S]*)<\/body>/.exec(html)![1]!;
const at = (path: string) => published.find((e) => e.path === `content/practices/riverside/${path}`)!;

beforeAll(async () => {
  demo = await startDemo({ practices: ['riverside'] });
  env = themeEnvironment(await themeTemplates(repo));
  const tree = await practiceTree('riverside');
  published = [...tree].filter(([p]) => /\.(md|yml)$/.test(p)).map(([p, raw]) => asDecapReadsIt(p, Buffer.from(raw, 'latin1').toString('utf8')));
});

afterAll(async () => {
  await demo?.close();
});

describe('the preview of an unchanged entry', () => {
  it('is the page the build writes, byte for byte, for every entry with a page of its own and for the pages that show the others', async () => {
    let compared = 0;
    const seen = new Set<string>();
    for (const entry of published) {
      const { route, problems } = previewSite({ practice: 'riverside', published, edited: entry, now: demoNow });
      expect(problems, entry.path).toEqual([]);
      // A notice being edited shows whatever its dates (see below); the built home page has only the live ones.
      const { starts, expires } = entry.data as { starts?: string; expires?: string };
      if (starts && expires && !(new Date(`${starts}Z`) <= demoNow && demoNow < new Date(`${expires}Z`))) continue;
      if (seen.has(route.url)) continue;
      seen.add(route.url);
      const built = await get(demo.server, 'riverside', route.url);
      expect(built.status, route.url).toBe(200);
      const page = renderPage(env, route);
      expect(page.body, `${entry.path} → ${route.url}`).toBe(bodyOf(built.body));
      expect(page.bodyClass).toBe('nhsuk-template__body');
      expect(page.htmlClass).toBe('nhsuk-template');
      compared++;
    }
    // Pages, services, news and policies each have a page; team members share /team/, notices the home page, the profile /contact/.
    expect(compared).toBeGreaterThan(50);
    expect(seen).toContain('/team/');
    expect(seen).toContain('/');
    expect(seen).toContain('/contact/');
  });
});

describe('the preview of an entry being edited', () => {
  it('shows the change in its place on the site: a new title in the page and in the navigation', () => {
    const entry = at('pages/appointments.md');
    const { route } = previewSite({ practice: 'riverside', published, edited: { ...entry, data: { ...entry.data, title: 'Booking an appointment' } }, now: demoNow });
    const page = renderPage(env, route);
    expect(page.title).toBe('Booking an appointment - Riverside Medical Practice');
    expect(page.body).toContain('<h1>Booking an appointment</h1>');
    const nav = /<nav class="nhsuk-header__navigation"[\s\S]*?<\/nav>/.exec(page.body)![0];
    expect(nav).toMatch(/>\s*Booking an appointment\s*</);
    expect(nav).not.toMatch(/>\s*Appointments\s*</);
  });

  it('shows a notice on the home page whatever its dates, as it will look while it shows', () => {
    const { route } = previewSite({
      practice: 'riverside',
      published,
      edited: {
        path: 'content/practices/riverside/notices/new-notice.md',
        data: { title: 'Flu clinic moved', severity: 'warning', starts: '2030-01-01T09:00', expires: '2030-01-08T17:00', placement: 'home', clinical: false, body: 'The clinic is in **room 2** this week.' },
      },
      now: demoNow,
    });
    expect(route.url).toBe('/');
    const page = renderPage(env, route);
    expect(page.body).toMatch(/pd-notice--warning[\s\S]*Important: <\/span>Flu clinic moved[\s\S]*<strong>room 2<\/strong>[\s\S]*shown until 8 January 2030 at 5pm/);
  });

  it('lists what the build would refuse, in the words pd validate uses, and still draws the page', () => {
    const entry = at('pages/appointments.md');
    const { route, problems } = previewSite({
      practice: 'riverside',
      published,
      edited: { ...entry, data: { ...entry.data, review_by: '2099-01-01', body: 'See <script>alert(1)</script> here.' } },
      now: demoNow,
    });
    expect(problems).toEqual([
      'Review by: is more than 12 months after the last review: set it on or before 2027-10-12',
      expect.stringMatching(/^Page text: .*script/),
    ]);
    expect(renderPage(env, route).body).not.toContain('<script>alert');
  });

  it('draws a new page before it has a name, with its missing fields listed', () => {
    const { route, problems } = previewSite({ practice: 'riverside', published, edited: { path: 'content/practices/riverside/pages/new-entry.md', data: { title: 'Parking', body: 'Park at the back.' } }, now: demoNow });
    expect(route.url).toBe('/new-entry/');
    const body = renderPage(env, route).body;
    expect(body).toContain('<h1>Parking</h1>');
    expect(body).not.toContain('Page last reviewed');
    expect(problems).toContain('Summary is required: add "summary:" with some text');
  });

  it('explains why a page cannot be drawn when the profile is missing', () => {
    const entry = at('pages/appointments.md');
    expect(() => previewSite({ practice: 'riverside', published: [entry], edited: entry, now: demoNow })).toThrow(PreviewError);
    expect(() => previewSite({ practice: 'riverside', published, edited: { path: 'content/practices/fellside/pages/x.md', data: {} }, now: demoNow })).toThrow(/is not a file of this practice's site/);
  });
});

describe('the theme in the browser', () => {
  it('has every template the page layout reaches, and templates/pages.njk without its Eleventy front matter', async () => {
    const templates = await themeTemplates(repo);
    expect(templates['templates/pages.njk']).toMatch(/^\{#-/);
    expect(templates['templates/pages.njk']).not.toContain('pagination:');
    expect(Object.keys(templates)).toEqual(expect.arrayContaining(['layouts/base.njk', 'views/content.njk', 'nhsuk/components/header/template.njk', 'nhsuk/macros/attributes.njk']));
    expect(Object.keys(templates).some((k) => k.startsWith('files/'))).toBe(false);
  });

  it('shows the same choice labels as the build gives Eleventy', () => {
    let labels: unknown;
    const config = { setLibrary: () => {}, addGlobalData: (name: string, value: unknown) => name === 'labels' && (labels = value) } as unknown as UserConfig;
    theme(config, { themeDir: `${repo}/themes/nhsuk` });
    expect(selectLabels()).toEqual(labels);
    expect(nunjucks).toBeDefined();
  });
});
