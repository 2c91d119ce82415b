// Benchmark content: many copies of one demo practice, each given its own identity so content
// checks pass, and the same page Markdown laid out for a bare Eleventy (and Hugo) build.
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface FixtureOptions {
  /** The demo practice copied for every benchmark practice. */
  template: string;
  /** Gets content/practices/<slug>/ for pd, and bare/ for the bare generators. */
  dir: string;
  practices: number;
  pagesPerPractice: number;
}

export interface Fixture {
  /** The contentRoot for buildSites. */
  contentRoot: string;
  slugs: string[];
  /** Input folder for the bare Eleventy build: <slug>/<page>.md plus a plain layout. */
  bareInput: string;
  bareConfig: string;
  pages: number;
  /** Every Markdown file pd reads, which the bare build renders too. */
  markdownFiles: number;
}

const templateOds = 'Z99901';

export const slugOf = (i: number) => `bench-${String(i).padStart(3, '0')}`;
// Z1 + four digits is a valid ODS code (one letter, five digits) that no real practice has.
const odsOf = (i: number) => `Z1${String(i).padStart(4, '0')}`;

export async function makeFixture(o: FixtureOptions): Promise<Fixture> {
  const profile = await readFile(path.join(o.template, 'practice.yml'), 'utf8');
  const domain = /^domain:\s*(\S+)/m.exec(profile)?.[1];
  if (!profile.includes(`ods_code: ${templateOds}`) || !domain) throw new Error(`${o.template} is not the expected template practice`);
  const pageSources = await pagesOf(o.template, o.pagesPerPractice);

  const contentRoot = path.join(o.dir, 'pd');
  const bareInput = path.join(o.dir, 'bare', 'src');
  const slugs = Array.from({ length: o.practices }, (_, i) => slugOf(i + 1));
  const counts = await Promise.all(
    slugs.map(async (slug, i) => {
      const target = path.join(contentRoot, 'content/practices', slug);
      await cp(o.template, target, { recursive: true });
      // The ODS code is inside supplier links, which are checked against the practice's own code.
      const identify = (text: string) => text.replaceAll(templateOds, odsOf(i + 1)).replaceAll(domain, `${slug}.example`);
      await rewriteText(target, identify);
      await rm(path.join(target, 'pages'), { recursive: true });
      await mkdir(path.join(target, 'pages'));
      await mkdir(path.join(bareInput, slug), { recursive: true });
      await Promise.all(pageSources.map((p) => writeFile(path.join(target, 'pages', p.name), identify(p.text))));
      // The bare build gets the same Markdown pd reads: every .md of the practice (pages,
      // services, news, team, notices, policies), each as a page of its own.
      for (const e of await readdir(target, { recursive: true, withFileTypes: true })) {
        if (!e.isFile() || !e.name.endsWith('.md')) continue;
        const rel = path.relative(target, path.join(e.parentPath, e.name));
        await mkdir(path.join(bareInput, slug, path.dirname(rel)), { recursive: true });
        await cp(path.join(e.parentPath, e.name), path.join(bareInput, slug, rel));
      }
      return (await readdir(target, { recursive: true })).filter((f) => f.endsWith('.md')).length;
    }),
  );

  // Bare means plain: Markdown rendered straight into a minimal shell, no Liquid pre-pass.
  await mkdir(path.join(bareInput, '_includes'), { recursive: true });
  await writeFile(
    path.join(bareInput, '_includes/plain.njk'),
    '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>{{ title }}</title></head>\n<body>\n<h1>{{ title }}</h1>\n{{ content | safe }}\n</body>\n</html>\n',
  );
  await writeFile(path.join(bareInput, 'src.11tydata.json'), JSON.stringify({ layout: 'plain.njk' }));
  const bareConfig = path.join(o.dir, 'bare', 'eleventy.config.mjs');
  await writeFile(
    bareConfig,
    "export default function () {\n  return { dir: { includes: '_includes' }, templateFormats: ['md'], markdownTemplateEngine: false };\n}\n",
  );
  const markdownFiles = counts.reduce((a, b) => a + b, 0);
  return { contentRoot, slugs, bareInput, bareConfig, pages: slugs.length * pageSources.length, markdownFiles };
}

/**
 * Exactly `count` pages: the template's own, trimmed or topped up with numbered copies. Copies
 * drop `task` and `nav` so each site's navigation and home-page tasks stay as the template has them.
 */
async function pagesOf(template: string, count: number): Promise<{ name: string; text: string }[]> {
  const dir = path.join(template, 'pages');
  const names = (await readdir(dir)).filter((n) => n.endsWith('.md')).sort();
  if (!names.length) throw new Error(`${dir} has no pages`);
  const texts = await Promise.all(names.map((n) => readFile(path.join(dir, n), 'utf8')));
  return Array.from({ length: count }, (_, i) => {
    const k = i % names.length;
    const round = Math.floor(i / names.length);
    if (round === 0) return { name: names[k]!, text: texts[k]! };
    // "appointments-2" is a valid page name and never one of the reserved addresses.
    return { name: names[k]!.replace(/\.md$/, `-${round + 1}.md`), text: withoutNavigation(texts[k]!) };
  });
}

function withoutNavigation(text: string): string {
  const end = text.indexOf('\n---', 4);
  const front = text
    .slice(0, end)
    .replace(/^task:.*\n/m, '')
    .replace(/^nav:\n(?:[ \t]+.*\n?)*/m, '');
  return front.replace(/\n*$/, '') + text.slice(end);
}

async function rewriteText(dir: string, change: (text: string) => string): Promise<void> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  await Promise.all(
    entries
      .filter((e) => e.isFile() && /\.(md|ya?ml)$/.test(e.name))
      .map(async (e) => {
        const file = path.join(e.parentPath, e.name);
        const before = await readFile(file, 'utf8');
        const after = change(before);
        if (after !== before) await writeFile(file, after);
      }),
  );
}
