// Every built HTML page of every demo practice is valid HTML, checked offline by html-validate
// with its `recommended` and `document` presets. Nothing is switched off wholesale for the
// theme's own markup: the few things the NHS.UK design system's macros emit that the presets
// dislike are excused one element at a time, each with its reason.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { HtmlValidate, StaticConfigLoader, type Message } from 'html-validate';
import { demoPractices, startDemo, type DemoSite } from './support/demo-site.ts';

const validator = new HtmlValidate(
  new StaticConfigLoader({
    root: true,
    // `document` adds the whole-page rules: heading levels in order starting at <h1>, every
    // id reference resolving, labelled inputs, a doctype.
    extends: ['html-validate:recommended', 'html-validate:document'],
    rules: {
      // Source formatting, not validity: nhsuk-frontend's Nunjucks macros (header, footer,
      // breadcrumb) leave whitespace-only lines, which browsers ignore between elements.
      'no-trailing-whitespace': 'off',
      // A search-snippet heuristic (70 characters), not validity or a WCAG requirement. Pages
      // follow the NHS.UK title pattern "<page> - <organisation>", which with a descriptive
      // page title and a full practice name routinely runs past 70.
      'long-title': 'off',
      // SRI guards files from another origin; every script, style and icon here is the site's
      // own (the CSP allows nothing else), so only cross-origin resources would need it.
      'require-sri': ['error', { target: 'crossorigin' }],
    },
  }),
);

/** Markup that nhsuk-frontend's own macros emit, excused by rule and element, never wholesale. */
const designSystemMarkup: { rule: string; selector: string; why: string }[] = [
  {
    rule: 'no-redundant-role',
    selector: 'html > body > header',
    why: 'the header macro sets role="banner" on <header> on purpose, for assistive technology that does not map the element',
  },
  {
    rule: 'no-redundant-role',
    selector: 'html > body > footer',
    why: 'the footer macro sets role="contentinfo" on <footer> on purpose, for the same reason',
  },
  {
    rule: 'no-implicit-button-type',
    selector: '#toggle-menu',
    why: "the header macro's menu toggle has no type; it sits in no form, so the default (submit) does nothing",
  },
];
const excused = (m: Message) => designSystemMarkup.some((x) => x.rule === m.ruleId && x.selector === m.selector);

interface Page {
  slug: string;
  file: string;
  html: string;
}

let demo: DemoSite;
const pages: Page[] = [];

beforeAll(async () => {
  demo = await startDemo();
  for (const slug of demoPractices) {
    const folder = await demo.store.liveFolder(slug);
    if (!folder) throw new Error(`${slug} has no live revision`);
    const names = (await readdir(folder, { recursive: true })).filter((n) => n.endsWith('.html')).sort();
    for (const name of names) pages.push({ slug, file: name, html: await readFile(path.join(folder, name), 'utf8') });
  }
});

afterAll(async () => {
  await demo?.close();
});

describe('HTML validity of the built sites', () => {
  it('checks every page of every demo practice', () => {
    expect(demo.report.practices.filter((p) => p.ok).map((p) => p.slug).sort()).toEqual([...demoPractices].sort());
    for (const slug of demoPractices) {
      const files = pages.filter((p) => p.slug === slug).map((p) => p.file);
      expect(files.length, slug).toBeGreaterThanOrEqual(30);
      expect(files, slug).toContain('index.html');
      expect(files, slug).toContain('404.html');
    }
  });

  it('has no html-validate errors on any page', async () => {
    const problems: string[] = [];
    const excusedSeen = new Set<string>();
    for (const p of pages) {
      const report = await validator.validateString(p.html, `${p.slug}/${p.file}`);
      for (const r of report.results)
        for (const m of r.messages) {
          if (excused(m)) excusedSeen.add(`${m.ruleId} ${m.selector}`);
          else problems.push(`${p.slug}/${p.file}:${m.line}:${m.column} ${m.ruleId} ${m.message}${m.selector ? ` (${m.selector})` : ''}`);
        }
    }
    expect(problems, `${problems.length} HTML problems on ${pages.length} pages:\n${problems.join('\n')}`).toEqual([]);
    // An excuse the design system no longer needs is removed, not kept "just in case".
    const unused = designSystemMarkup.filter((x) => !excusedSeen.has(`${x.rule} ${x.selector}`));
    expect(unused.map((x) => `${x.rule} ${x.selector}`), 'excuses that matched nothing').toEqual([]);
  });

  it('gives each page exactly one <h1> and one <main>', () => {
    const problems: string[] = [];
    for (const p of pages) {
      const h1 = p.html.match(/<h1[\s>]/g)?.length ?? 0;
      if (h1 !== 1) problems.push(`${p.slug}/${p.file}: ${h1} <h1> elements`);
      const main = p.html.match(/<main[\s>]/g)?.length ?? 0;
      if (main !== 1) problems.push(`${p.slug}/${p.file}: ${main} <main> elements`);
    }
    expect(problems).toEqual([]);
  });
});
