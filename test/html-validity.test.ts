// Every built HTML page of every demo practice is valid HTML, checked offline by html-validate
// with its recommended preset. The only rules switched off are ones the NHS.UK design system's
// own component markup trips over, each with its reason.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { HtmlValidate, StaticConfigLoader, type Message } from 'html-validate';
import { demoPractices, startDemo, type DemoSite } from './support/demo-site.ts';

const validator = new HtmlValidate(
  new StaticConfigLoader({
    root: true,
    extends: ['html-validate:recommended'],
    rules: {},
  }),
);

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
  it('builds every demo practice', () => {
    expect(demo.report.practices.filter((p) => p.ok).map((p) => p.slug).sort()).toEqual(demoPractices);
  });

  it('has pages of every practice to check', () => {
    for (const slug of demoPractices) expect(pages.filter((p) => p.slug === slug).length).toBeGreaterThanOrEqual(30);
  });

  it('has no html-validate errors on any page', async () => {
    const problems: string[] = [];
    for (const p of pages) {
      const report = await validator.validateString(p.html, `${p.slug}/${p.file}`);
      for (const r of report.results)
        for (const m of r.messages as Message[]) problems.push(`${p.slug}/${p.file}:${m.line}:${m.column} ${m.ruleId} ${m.message}`);
    }
    expect(problems, `${problems.length} HTML problems on ${pages.length} pages:\n${problems.join('\n')}`).toEqual([]);
  });
});
