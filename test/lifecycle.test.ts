// A service with a publish time is missing from the whole site until then (its page, the
// services list, the sitemap, the chatbot's index and other pages' links), and there from that
// moment on; a news post with a remove time leaves every place at once.
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSites } from '../build/pipeline/build-sites.ts';
import { contentCopy, writeInCopy } from './support/content-copy.ts';
import { demoNow, get, repo, startDemo, type DemoSite } from './support/demo-site.ts';

const dir = 'content/practices/riverside';
let root: string;
let demo: DemoSite;

/** Adds front-matter lines just before the closing `---`. */
async function addFields(file: string, lines: string) {
  const text = await readFile(path.join(root, dir, file), 'utf8');
  const next = text.replace(/\n---\n/, `\n${lines}\n---\n`);
  if (next === text) throw new Error(`no front matter in ${file}`);
  await writeInCopy(root, `${dir}/${file}`, next);
}

beforeAll(async () => {
  root = await contentCopy();
  // demoNow is 2026-12-04 12:00 UTC: the service is waiting, the post is still up.
  await addFields('services/smoking-support.md', 'publish_at: 2026-12-10T09:00');
  await addFields('news/new-phone-system.md', 'expires: 2026-12-08T17:00');
  demo = await startDemo({ contentRoot: root, practices: ['riverside'] });
}, 120_000);
afterAll(async () => {
  await demo?.close();
  await rm(root, { recursive: true, force: true });
});

const page = async (p: string) => get(demo.server, 'riverside', p);
const chatUrls = async () => new Set((JSON.parse((await page('/chat-index.json')).body) as { passages: { url: string }[] }).passages.map((x) => x.url));

describe('publish and remove times in the build', () => {
  it('leaves a service out of every place before its publish time', async () => {
    expect(demo.report.practices[0]!.ok).toBe(true);
    expect((await page('/services/smoking-support/')).status).toBe(404);
    expect(Object.keys(demo.report.practices[0]!.manifest!.files)).not.toContain('services/smoking-support/index.html');
    expect((await page('/services/')).body).not.toMatch(/smoking-support|Stop smoking support/);
    expect((await page('/sitemap.xml')).body).not.toMatch(/smoking-support/);
    expect(await chatUrls()).not.toContain('/services/smoking-support/');
    // Pages that link to it keep the words, without the link.
    const health = (await page('/services/nhs-health-checks/')).body;
    expect(health).not.toMatch(/smoking-support/);
    expect(health).toMatch(/support to stop smoking, lose weight/);
    // The news post is still up.
    expect((await page('/news/new-phone-system/')).status).toBe(200);
    expect((await page('/news/')).body).toMatch(/\/news\/new-phone-system\//);
  });

  it('publishes it in every place once its time has come, and takes the expired post down', async () => {
    const later = new Date('2026-12-10T09:00:01Z');
    expect(later.getTime()).toBeGreaterThan(demoNow.getTime());
    const report = await buildSites({ root: repo, contentRoot: root, practices: ['riverside'], settings: demo.settings, store: demo.store, now: later });
    expect(report.practices[0]!.ok).toBe(true);
    expect(await demo.store.live('riverside')).toBe(report.practices[0]!.manifest!.revision);

    const service = await page('/services/smoking-support/');
    expect(service.status).toBe(200);
    expect(service.body).toMatch(/<h1[^>]*>\s*Stop smoking support/);
    expect((await page('/services/')).body).toMatch(/href="\/services\/smoking-support\/"/);
    expect((await page('/sitemap.xml')).body).toMatch(/\/services\/smoking-support\//);
    expect(await chatUrls()).toContain('/services/smoking-support/');
    expect((await page('/services/nhs-health-checks/')).body).toMatch(/<a href="\/services\/smoking-support\/">stop smoking<\/a>/);

    expect((await page('/news/new-phone-system/')).status).toBe(404);
    expect((await page('/news/')).body).not.toMatch(/new-phone-system/);
    expect((await page('/sitemap.xml')).body).not.toMatch(/new-phone-system/);
    expect(await chatUrls()).not.toContain('/news/new-phone-system/');
  });
});
