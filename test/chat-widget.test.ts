// The chat widget in a real browser, from the real local server (so the site's strict CSP is in
// force and POST /api/chat is the same app the Pages Function serves): by keyboard only, replies in
// the live region with their links, nothing kept, no CSP refusals, and axe-core with it open.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { AxeResults, RunOptions } from 'axe-core';
import { repo, startDemo, type DemoSite } from './support/demo-site.ts';
import { launchChromium } from './support/chromium.ts';

declare const axe: { run(context: Document, options: RunOptions): Promise<AxeResults> };

const slug = 'riverside';
let demo: DemoSite;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let origin: string;
const problems: string[] = [];

beforeAll(async () => {
  demo = await startDemo({ practices: [slug] });
  origin = demo.server.origin(slug);
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline code'}`));
  });
  page.on('console', (m) => void (m.type() === 'error' && problems.push(`console error: ${m.text()}`)));
  page.on('pageerror', (e) => problems.push(`uncaught ${e.name}: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  page.on('response', (r) => void (r.status() >= 400 && problems.push(`HTTP ${r.status()} for ${r.url()}`)));
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

/** Presses Tab until the element matching `selector` has focus. */
async function tabTo(selector: string, max = 200) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

const exchanges = () =>
  page.$$eval('#pd-chat-log .pd-chat__exchange', (items) =>
    items.map((i) => ({ text: i.textContent ?? '', links: [...i.querySelectorAll('a')].map((a) => ({ text: a.textContent, href: a.getAttribute('href') })) })),
  );

async function ask(question: string, count: number) {
  await tabTo('#pd-chat-message');
  await page.keyboard.type(question);
  await tabTo('#pd-chat-form button[type=submit]');
  expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle !== 'none' || getComputedStyle(document.activeElement!).boxShadow !== 'none')).toBe(true);
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => document.querySelectorAll('#pd-chat-log .pd-chat__exchange').length === n, count, { timeout: 10_000 });
  return (await exchanges())[count - 1]!;
}

describe('the chat widget', () => {
  it('is not shown without JavaScript', async () => {
    const noJs = await browser.newContext({ javaScriptEnabled: false });
    const p = await noJs.newPage();
    await p.goto(`${origin}/`);
    expect(await p.locator('#pd-chat').isVisible()).toBe(false);
    expect(await p.locator('.pd-emergency').isVisible()).toBe(true);
    await noJs.close();
  });

  it('answers both questions by keyboard, in the live region, with links', async () => {
    await page.goto(`${origin}/`, { waitUntil: 'load' });
    expect(await page.locator('#pd-chat').isVisible()).toBe(true);
    expect(await page.locator('#pd-chat-message').isVisible()).toBe(false);
    await tabTo('#pd-chat summary');
    await page.keyboard.press('Enter');
    expect(await page.locator('#pd-chat-message').isVisible()).toBe(true);
    expect(await page.locator('#pd-chat').innerText()).toContain('Automated answers, not a clinician. Messages are not stored. In an emergency call 999.');
    expect(await page.getAttribute('#pd-chat-log', 'aria-live')).toBe('polite');
    expect(await page.evaluate(() => document.querySelector('label[for="pd-chat-message"]')?.textContent)).toBe('Your question');

    const red = await ask("I've got crushing chest pain", 1);
    expect(red.text).toContain('999');
    expect(red.links.some((l) => l.href === 'tel:999')).toBe(true);

    const admin = await ask('when are you open on Saturday?', 2);
    expect(admin.links.length).toBeGreaterThan(0);
    for (const l of admin.links) expect(l.href).toMatch(/^(\/|https:|tel:)/);
    expect(await page.inputValue('#pd-chat-message')).toBe('');
  });

  it('passes axe-core with the widget open and answered', async () => {
    await page.evaluate(await readFile(path.join(repo, 'node_modules/axe-core/axe.min.js'), 'utf8'));
    const results = await page.evaluate(() => axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } }));
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });

  it('reflows at 400% zoom (320 CSS pixels) without sideways scrolling', async () => {
    await page.setViewportSize({ width: 320, height: 256 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('keeps nothing: no cookies, no storage, and a reload clears the conversation', async () => {
    expect(await context.cookies()).toEqual([]);
    expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
    await page.reload({ waitUntil: 'load' });
    expect(await exchanges()).toEqual([]);
  });

  it('had no console errors, CSP refusals or failed requests', () => {
    expect(problems).toEqual([]);
  });
});
