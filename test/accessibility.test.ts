// Every page of one demo practice, loaded in a real browser from the real local server with the
// site's own security headers (so its strict CSP is in force), checked with axe-core against
// WCAG 2.2 A and AA; plus reflow at 320 CSS pixels and the skip link by keyboard.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import type { AxeResults, RunOptions } from 'axe-core';
import { get, repo, startDemo, type DemoSite } from './support/demo-site.ts';
import { launchChromium } from './support/chromium.ts';

/** What axe-core defines on the page once its source has been evaluated there. */
declare const axe: { run(context: Document, options: RunOptions): Promise<AxeResults> };

const slug = 'riverside';
const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

interface Violation {
  page: string;
  id: string;
  impact: string;
  help: string;
  nodes: { target: string; html: string; summary: string }[];
}

let demo: DemoSite;
let browser: Browser;
let page: Page;
let origin: string;
let axeSource: string;
let paths: string[] = [];
/** Console errors, uncaught exceptions, CSP refusals and failed loads, each with its page. */
const problems: string[] = [];
let current = '';

beforeAll(async () => {
  demo = await startDemo({ practices: [slug] });
  const built = demo.report.practices.find((p) => p.slug === slug);
  if (!built?.ok) throw new Error(`${slug} did not build:\n${JSON.stringify(built?.problems ?? [], null, 2)}`);
  origin = demo.server.origin(slug);
  axeSource = await readFile(path.join(repo, 'node_modules/axe-core/axe.min.js'), 'utf8');
  const sitemap = await get(demo.server, slug, '/sitemap.xml');
  expect(sitemap.status).toBe(200);
  paths = [...sitemap.body.matchAll(/<loc>https:\/\/[^/<]+(\/[^<]*)<\/loc>/g)].map((m) => m[1]!);
  paths.push('/404.html');

  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // Chromium logs CSP refusals to the console; the page's own violation events are read too.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline code'}`);
    });
  });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${current}: console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${current}: uncaught ${e.name}: ${e.message}`));
  page.on('requestfailed', (r) => {
    // The browser fetches the favicon on its own, after the page; moving on to the next page aborts
    // it. That is the test's speed, not a fault of the site (a missing favicon still fails as a 404).
    if (r.failure()?.errorText === 'net::ERR_ABORTED' && /\/assets\/favicon\.(svg|ico)$/.test(r.url())) return;
    problems.push(`${current}: request failed: ${r.url()} (${r.failure()?.errorText ?? 'unknown'})`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && r.url() !== `${origin}/404.html`) problems.push(`${current}: HTTP ${r.status()} for ${r.url()}`);
  });
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

async function open(pathname: string) {
  current = pathname;
  const res = await page.goto(origin + pathname, { waitUntil: 'load' });
  expect(res?.status(), pathname).toBe(200);
  // Violations are reported by the browser as events; let them arrive before moving on.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
}

describe(`accessibility of every ${slug} page in Chromium`, () => {
  it('finds every page in the sitemap', () => {
    expect(paths.length).toBeGreaterThanOrEqual(30);
    expect(paths).toContain('/');
    expect(paths).toContain('/contact/');
  });

  it('has no WCAG 2.2 A/AA violations, console errors or CSP refusals on any page', async () => {
    const violations: Violation[] = [];
    for (const p of paths) {
      await open(p);
      // Evaluated through the DevTools protocol, as an extension would: the page's own CSP
      // (script-src 'self') stays in force for everything the page itself does.
      await page.evaluate(axeSource);
      const found = await page.evaluate(async (values) => {
        const r = await axe.run(document, { runOnly: { type: 'tag', values } });
        return r.violations.map((v) => ({
          id: v.id,
          impact: v.impact ?? '',
          help: v.help,
          nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 160), summary: n.failureSummary ?? '' })),
        }));
      }, wcagTags);
      for (const v of found) violations.push({ page: p, ...v });
    }
    // One line per rule and element, with the pages it is on: a theme defect shows once, not 60 times.
    const grouped = new Map<string, { v: Violation; node: Violation['nodes'][number]; pages: string[] }>();
    for (const v of violations)
      for (const node of v.nodes) {
        const key = `${v.id} ${node.target}`;
        const g = grouped.get(key) ?? { v, node, pages: [] };
        g.pages.push(v.page);
        grouped.set(key, g);
      }
    const report = [...grouped.values()]
      .map(({ v, node, pages }) => {
        const where = pages.length > 5 ? `${pages.slice(0, 5).join(' ')} and ${pages.length - 5} more` : pages.join(' ');
        const summary = node.summary.replace(/\n/g, '\n      ');
        return `[${v.impact}] ${v.id}: ${v.help}\n    ${node.target}  ${node.html}\n      ${summary}\n    on ${where}`;
      })
      .join('\n');
    expect.soft(violations.length, `${violations.length} axe violations on ${paths.length} pages:\n${report}`).toBe(0);
    expect(problems, `browser problems:\n${problems.join('\n')}`).toEqual([]);
  });

  it('reflows at 320 CSS pixels wide (400% zoom) without horizontal scrolling', async () => {
    await page.setViewportSize({ width: 320, height: 640 });
    try {
      const overflowing: string[] = [];
      for (const p of ['/', '/contact/', '/about/']) {
        await open(p);
        const { scroll, client } = await page.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          client: document.documentElement.clientWidth,
        }));
        if (scroll > client + 1) overflowing.push(`${p}: scrollWidth ${scroll} > clientWidth ${client}`);
      }
      expect(overflowing).toEqual([]);
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('lets a keyboard user skip to the main content first', async () => {
    await open('/');
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => {
      const el = document.activeElement;
      return { text: el?.textContent?.trim() ?? '', href: el?.getAttribute('href') ?? '' };
    });
    expect(first).toEqual({ text: 'Skip to main content', href: '#maincontent' });
    await page.keyboard.press('Enter');
    const target = await page.evaluate(() => ({
      hash: location.hash,
      target: document.querySelector(':target')?.id ?? '',
      focus: document.activeElement?.id ?? '',
    }));
    expect(target.hash).toBe('#maincontent');
    expect(target.target).toBe('maincontent');
    // The next Tab continues from the main content, not from the header.
    await page.keyboard.press('Tab');
    const inMain = await page.evaluate(() => document.activeElement?.closest('#maincontent') !== null);
    expect(inMain, `focus after skipping: ${target.focus || 'body'}`).toBe(true);
    expect(problems, `browser problems:\n${problems.join('\n')}`).toEqual([]);
  });
});
