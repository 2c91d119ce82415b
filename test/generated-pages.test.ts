// The pages the site makes from a practice's structured content rather than from a page file: the
// practice leaflet at /leaflet/ (laid out to print on A4) and the accessibility statement on the
// GOV.UK model, whose enforcement paragraph is fixed wording. Real builds, fetched over HTTP.
import { readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fsReader } from '../build/node/fs-reader.ts';
import { statementView } from '../build/site/accessibility-statement.ts';
import { formatDate, formatSessions } from '../build/site/format.ts';
import { yearAfter } from '../build/site/leaflet.ts';
import { loadPractice } from '../lib/content/load-practice.ts';
import { renderMarkdown } from '../lib/markdown/render.ts';
import type { Practice } from '../lib/content/practice.ts';
import type { AccessibilityStatement } from '../schemas/generated/types.ts';
import { weekdays } from '../schemas/fields.ts';
import { contentCopy, edit, memReader, practiceTree, writeInCopy } from './support/content-copy.ts';
import { demoPractices, get, repo, startDemo, type DemoSite } from './support/demo-site.ts';

/** The GOV.UK model's enforcement paragraph, word for word. It is legally required wording. */
const enforcement =
  "<p>The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the 'accessibility regulations'). If you're not happy with how we respond to your complaint, <a href=\"https://www.equalityadvisoryservice.com/\" rel=\"noopener noreferrer\">contact the Equality Advisory and Support Service (EASS)</a>.</p>";

/** The GOV.UK model's section headings every statement has, in order. */
const modelSections = [
  'h2:How accessible this website is',
  'h2:Feedback and contact information',
  'h2:Reporting accessibility problems with this website',
  'h2:Enforcement procedure',
  'h2:Contacting us by phone or visiting us in person',
  "h2:Technical information about this website's accessibility",
  'h3:Compliance status',
  "h2:What we're doing to improve accessibility",
  'h2:Preparation of this accessibility statement',
];

let demo: DemoSite;
const practices = new Map<string, Practice>();

beforeAll(async () => {
  demo = await startDemo();
  for (const slug of demoPractices) practices.set(slug, (await loadPractice(fsReader(repo), slug)).practice!);
});
afterAll(() => demo?.close());

/** Page text as a reader sees it: tags dropped, entities decoded, white space collapsed. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
const headings = (html: string) => [...html.matchAll(/<(h[23])[^>]*>([\s\S]*?)<\/\1>/g)].map((m) => `${m[1]}:${text(m[2]!).trim()}`);
const page = async (slug: string, p: string) => {
  const r = await get(demo.server, slug, p);
  expect(r.status, `${slug} ${p}`).toBe(200);
  return r.body;
};
const sitemapPaths = async (slug: string) =>
  [...(await page(slug, '/sitemap.xml')).matchAll(/<loc>https:\/\/[^/<]+(\/[^<]*)<\/loc>/g)].map((m) => m[1]!);

describe('the practice leaflet', () => {
  it.each(demoPractices)('%s: holds every required item, taken from the content', async (slug) => {
    const html = await page(slug, '/leaflet/');
    const body = text(html);
    const { profile: p, team, services, policies } = practices.get(slug)!;
    const has = (s: string, what: string) => expect(body, `${slug} leaflet: ${what}`).toContain(squash(s));

    has(p.name, 'practice name');
    for (const pr of p.premises) {
      has(pr.name, 'premises name');
      for (const line of pr.address.lines) has(line, 'address line');
      has(pr.address.postcode, 'postcode');
      has(pr.phone, 'premises phone');
      // Each day's opening hours, in the hours table for that premises.
      for (const day of weekdays) has(`${day[0]!.toUpperCase()}${day.slice(1)} ${formatSessions(pr.hours[day])}`, `${pr.name} ${day} hours`);
    }
    has(p.contact.phone, 'main phone');
    // Markdown fields appear as written, rendered the way every page renders them.
    for (const [what, md] of Object.entries({ core_hours: p.core_hours, out_of_hours: p.out_of_hours, registration: p.registration.how, boundary: p.boundary.description, home_visits: p.home_visits }))
      has(text(renderMarkdown(md).html), what);
    for (const s of p.online_services.filter((s) => s.purpose === 'appointments' || s.purpose === 'prescriptions')) {
      expect(html, `${slug}: online service ${s.label}`).toContain(`href="${s.url}"`);
      has(s.label, 'online service link text');
    }
    has('In an emergency call 999', '999');
    expect(html).toMatch(/\b111\b/);
    expect(html).toContain(`href="${p.registration.online_url}"`);
    has('You do not need proof of address or ID to register', 'registration without ID');
    for (const pc of p.boundary.postcodes ?? []) has(pc, 'boundary postcode');
    for (const s of services) {
      has(s.data.title, 'service');
      expect(html).toContain(`href="${s.url}"`);
    }
    expect(team.length).toBeGreaterThan(0);
    for (const m of team) {
      has(m.data.name, 'team member');
      if (m.data.qualifications.length) has(m.data.qualifications.join(', '), `${m.data.name}'s qualifications`);
    }
    has(p.ownership, 'who runs the practice');
    has(p.accountable_gp, 'named accountable GP');
    for (const name of ['complaints', 'privacy', 'rights-and-responsibilities', 'zero-tolerance'] as const)
      expect(html, `${slug}: link to ${name}`).toMatch(new RegExp(`href="${policies[name].url}" data-print-address="${p.domain.replaceAll('.', '\\.')}${policies[name].url}"`));
    has(p.data_opt_out, 'national data opt-out');
    has(p.icb.name, 'ICB name');
    has(p.icb.phone, 'ICB phone');
    expect(html).toContain(`href="${p.icb.website}"`);
    if (p.cqc.report_url) {
      expect(html).toContain(`href="${p.cqc.report_url}"`);
      has(formatDate(p.cqc.report_date!), 'CQC report date');
    }
    expect(html).toContain(`href="${p.patient_charter_url}"`);
    has(p.alternative_formats, 'alternative formats');
    has(`last reviewed on ${formatDate(p.leaflet.last_reviewed)}`, 'last reviewed date');
    has(`next review is due by ${formatDate(yearAfter(p.leaflet.last_reviewed))}`, 'next review date');
    // Printing needs no script: the page says how, and carries no inline script or style.
    has('Print this leaflet', 'print instruction');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|\sstyle="|\sonclick=/);
  });

  it('shows the CQC rating, and the Welsh practice names its health board and 111 by phone', async () => {
    const riverside = text(await page('riverside', '/leaflet/'));
    expect(riverside).toContain('The Care Quality Commission (CQC) rated us Good');
    const wales = await page('afon-teifi', '/leaflet/');
    expect(text(wales)).toContain('Our health board');
    expect(wales).not.toMatch(/111\.nhs\.uk/);
  });

  it('is linked from every page of every practice, and from the about page', async () => {
    for (const slug of demoPractices) {
      const paths = await sitemapPaths(slug);
      // In the sitemap, so the browser accessibility check and every page walk include it.
      expect(paths).toContain('/leaflet/');
      for (const p of [...paths, '/404.html']) expect(await page(slug, p), `${slug} ${p}`).toMatch(/<a [^>]*href="\/leaflet\/"/);
      expect(await page(slug, '/about/')).toMatch(/<a href="\/leaflet\/">Read or print the practice leaflet<\/a>/);
    }
  });

  it('prints on A4 in black on white without the page chrome, with link addresses written out', async () => {
    const folder = (await demo.store.liveFolder('riverside'))!;
    const cssFile = (await readdir(path.join(folder, 'assets'))).find((f) => f.endsWith('.css'))!;
    const css = await readFile(path.join(folder, 'assets', cssFile), 'utf8');
    expect(await page('riverside', '/leaflet/')).toContain(`href="/assets/${cssFile}"`);
    // Everything inside the @media print blocks, braces balanced.
    const print: string[] = [];
    for (const m of css.matchAll(/@media print\{/g)) {
      let depth = 1;
      let i = m.index! + m[0].length;
      const start = i;
      while (depth && i < css.length) depth += css[i] === '{' ? 1 : css[i] === '}' ? -1 : 0, i++;
      print.push(css.slice(start, i - 1));
    }
    const rules = print.join('\n');
    expect(rules).toMatch(/@page\{size:A4;margin:15mm\}/);
    const hidden = [...rules.matchAll(/([^{}]+)\{display:none ?!important\}/g)].flatMap((m) => m[1]!.trim().split(','));
    for (const chrome of ['.nhsuk-skip-link', '.nhsuk-header', '.nhsuk-footer', '.pd-chat', '.pd-emergency', '.nhsuk-breadcrumb', '.pd-leaflet__print-hint'])
      expect(hidden, `${chrome} is hidden in print`).toContain(chrome);
    expect(rules).toMatch(/\*,\*::before,\*::after\{background:(?:transparent|rgba\(0,0,0,0\)) ?!important;box-shadow:none ?!important;color:#000 ?!important/);
    expect(rules).toContain('a[href^=http]::after{content:" (" attr(href) ")"');
    expect(rules).toContain('a[data-print-address]::after{content:" (" attr(data-print-address) ")"');
    expect(rules).toMatch(/h1,h2,h3\{break-after:avoid/);
    expect(rules).toMatch(/tr,li,\.pd-address,\.pd-leaflet__premises[^{]*\{break-inside:avoid/);
  });

  it('refuses a page file that would take its address', async () => {
    const tree = await practiceTree('fellside');
    const pageFile = [...tree.keys()].find((k) => k.includes('/pages/'))!;
    tree.set(pageFile.replace(/[^/]+\.md$/, 'leaflet.md'), tree.get(pageFile)!);
    const { problems } = await loadPractice(memReader(tree), 'fellside');
    expect(problems.map((p) => p.message)).toContain('the address /leaflet/ is used by a page the site makes itself');
  });

  it('is due for review a year after its last review', () => {
    expect(yearAfter('2026-09-01')).toBe('2027-09-01');
    expect(yearAfter('2028-02-29')).toBe('2029-02-28');
    expect(yearAfter('2026-12-31')).toBe('2027-12-31');
  });
});

describe('the accessibility statement', () => {
  it.each(demoPractices)("%s: has every GOV.UK model section and the exact enforcement paragraph, once", async (slug) => {
    const html = await page(slug, '/accessibility-statement/');
    const found = headings(html);
    const inOrder = found.filter((h) => modelSections.includes(h));
    expect(inOrder).toEqual(modelSections);
    expect(found.filter((h) => h === 'h2:Enforcement procedure')).toHaveLength(1);
    expect(html.split(enforcement)).toHaveLength(2);
    const a = practices.get(slug)!.policies.accessibility.data;
    if (a.non_accessible.length) expect(found).toEqual(expect.arrayContaining(['h2:Non-accessible content', 'h3:Non-compliance with the accessibility regulations']));
    if (a.out_of_scope?.length) expect(found).toContain("h3:Content that's not within the scope of the accessibility regulations");
    const body = text(html);
    expect(body).toContain(`This statement was prepared on ${formatDate(a.prepared)}. It was last reviewed on ${formatDate(a.last_reviewed)}.`);
  });

  it('words the compliance status as the model does for each demo practice', async () => {
    const status = async (slug: string) => /<h3>Compliance status<\/h3>\s*<p>([\s\S]*?)<\/p>/.exec(await page(slug, '/accessibility-statement/'))![1]!;
    expect(text(await status('fellside'))).toBe('This website is fully compliant with the Web Content Accessibility Guidelines version 2.2 AA standard.');
    expect(text(await status('riverside'))).toBe(
      'This website is partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard, due to the non-compliances listed below.',
    );
    expect(text(await status('afon-teifi'))).toBe(
      'This website is partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard, due to the non-compliances and exemptions listed below.',
    );
  });

  it('chooses the words for every status and kind of exemption', () => {
    const base = { compliance: 'partial', non_accessible: [], disproportionate_burden: [], out_of_scope: [] } as unknown as AccessibilityStatement;
    const say = (a: Partial<AccessibilityStatement>) => {
      const v = statementView({ ...base, ...a });
      return `${v.compliance.before} WCAG${v.compliance.after}`;
    };
    const failure = [{ problem: 'x', criteria: ['1.1.1'] }] as AccessibilityStatement['non_accessible'];
    const burden = [{ problem: 'y' }] as AccessibilityStatement['disproportionate_burden'];
    expect(say({ compliance: 'full' })).toBe('This website is fully compliant with the WCAG AA standard.');
    expect(say({ non_accessible: failure })).toBe('This website is partially compliant with the WCAG AA standard, due to the non-compliances listed below.');
    expect(say({ disproportionate_burden: burden })).toBe('This website is partially compliant with the WCAG AA standard, due to the exemptions listed below.');
    expect(say({ out_of_scope: ['z'] })).toBe('This website is partially compliant with the WCAG AA standard, due to the exemptions listed below.');
    expect(say({ compliance: 'none', non_accessible: failure, out_of_scope: ['z'] })).toBe(
      'This website is not compliant with the WCAG AA standard. The non-compliances and exemptions are listed below.',
    );
    expect(statementView({ ...base, compliance: 'full' }).hasNonAccessible).toBe(false);
    expect(statementView({ ...base, out_of_scope: ['z'] }).hasNonAccessible).toBe(true);
  });

  it('keeps the enforcement wording in the template, where no content field can reach it', async () => {
    const template = await readFile(path.join(repo, 'themes/nhsuk/views/accessibility.njk'), 'utf8');
    const section = /<h2>Enforcement procedure<\/h2>([\s\S]*?)<h2>/.exec(template)?.[1] ?? '';
    expect(section, 'the template has an Enforcement procedure section').not.toBe('');
    expect(section).toContain(enforcement);
    // Nothing in the section is filled in from data: no output tags, no logic.
    expect(section.replace(/\{#[\s\S]*?#\}/g, '')).not.toMatch(/\{\{|\{%/);
  });

  it('renders disproportionate burden and a non-compliant status from content, and the enforcement wording regardless', async () => {
    const root = await contentCopy();
    try {
      const file = 'content/practices/fellside/policies/accessibility.md';
      let tree = new Map([[file, await readFile(path.join(repo, file), 'latin1')]]);
      tree = edit(tree, file, 'compliance: full', [
        'compliance: none',
        'disproportionate_burden:',
        '  - problem: >-',
        '      Our old appointment booking system cannot be read by screen readers.',
        '    reassess_by: 2027-06-30',
        'visiting: The EHRC does not enforce anything.',
      ].join('\n'));
      tree = edit(tree, file, /^visiting: >-\n(?: {2}.*\n)+/m, '');
      await writeInCopy(root, file, Buffer.from(tree.get(file)!, 'latin1').toString('utf8'));
      const changed = await startDemo({ contentRoot: root, practices: ['fellside'] });
      try {
        expect(changed.report.practices.map((p) => [p.slug, p.ok, p.problems])).toEqual([['fellside', true, []]]);
        const html = (await get(changed.server, 'fellside', '/accessibility-statement/')).body;
        const found = headings(html);
        expect(found).toEqual(expect.arrayContaining(['h2:Non-accessible content', 'h3:Disproportionate burden']));
        expect(found).not.toContain('h3:Non-compliance with the accessibility regulations');
        const body = text(html);
        expect(body).toContain(
          "Our old appointment booking system cannot be read by screen readers. We've assessed that fixing this now would be a disproportionate burden within the meaning of the accessibility regulations. We will make another assessment by 30 June 2027.",
        );
        expect(body).toContain('This website is not compliant with the Web Content Accessibility Guidelines version 2.2 AA standard. The exemptions are listed below.');
        expect(html.split(enforcement)).toHaveLength(2);
      } finally {
        await changed.close();
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
