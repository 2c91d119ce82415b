import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { fsReader } from '../../build/node/fs-reader.ts';
import { routesFor, siteView } from '../../build/site/routes.ts';
import { demoNow, demoPractices, repo } from '../../test/support/demo-site.ts';
import { loadPractice } from '../content/load-practice.ts';
import type { Practice } from '../content/practice.ts';
import { buildChatIndex, chunks, plainText } from './index-builder.ts';
import { chatIndexVersion, parseChatIndex } from './index-format.ts';

const practices = new Map<string, Practice>();
beforeAll(async () => {
  for (const slug of demoPractices) practices.set(slug, (await loadPractice(fsReader(repo), slug)).practice!);
});

describe('buildChatIndex', () => {
  it.each(demoPractices)('%s: every passage cites a page the site publishes, and is a sensible size', (slug) => {
    const practice = practices.get(slug)!;
    const index = buildChatIndex(practice, { now: demoNow, revision: 'abc' });
    const urls = new Set(routesFor(siteView(practice, { now: demoNow, revision: 'abc' })).map((r) => r.url));
    expect(index.version).toBe(chatIndexVersion);
    expect(index.passages.length).toBeGreaterThan(100);
    for (const p of index.passages) {
      expect(urls.has(p.url), p.url).toBe(true);
      expect(p.text.split(/\s+/).length, p.text).toBeLessThanOrEqual(160);
      expect(p.text).not.toMatch(/<[a-z/]/i);
    }
    expect(new Set(index.passages.map((p) => p.id)).size).toBe(index.passages.length);
    expect(index.contact).toMatchObject({ name: practice.profile.name, phone: practice.profile.contact.phone, url: '/contact/' });
  });

  it.each(demoPractices)('%s: the index is under 150 KB gzipped and parses back', (slug) => {
    const json = JSON.stringify(buildChatIndex(practices.get(slug)!, { now: demoNow }));
    const gz = gzipSync(json).length;
    console.log(`${slug}: chat-index.json ${(json.length / 1024).toFixed(1)} KB, ${(gz / 1024).toFixed(1)} KB gzipped`);
    expect(gz).toBeLessThan(150 * 1024);
    expect(parseChatIndex(json).passages.length).toBeGreaterThan(0);
    expect(() => parseChatIndex(json.replace(`"version":${chatIndexVersion}`, '"version":0'))).toThrow(/version/);
  });

  it('holds only the notices live at the build moment', () => {
    const riverside = practices.get('riverside')!;
    const titles = (now: string) => buildChatIndex(riverside, { now: new Date(now) }).passages.filter((p) => p.heading === 'Notice').map((p) => p.title);
    // Expired on 1 February 2026.
    expect(titles('2026-12-04T12:00:00Z')).toEqual(['Winter vaccines and busy phone lines']);
    expect(titles('2026-01-10T12:00:00Z')).toEqual(['Millbrook closed for repairs']);
    // Not started yet on 1 October 2026.
    expect(titles('2026-10-01T12:00:00Z')).toEqual([]);
    const text = JSON.stringify(buildChatIndex(riverside, { now: demoNow }));
    expect(text).not.toContain('repair the heating');
  });

  it('leaves out planned closures that have passed', () => {
    const closures = (now: string) =>
      buildChatIndex(practices.get('riverside')!, { now: new Date(now) }).passages.find((p) => p.heading === 'Planned closures')?.text ?? '';
    expect(closures('2026-12-04T12:00:00Z')).toContain('9 December 2026');
    expect(closures('2027-01-04T12:00:00Z')).not.toContain('9 December 2026');
  });
});

describe('text preparation', () => {
  it('turns sanitised HTML into sentences, list items included', () => {
    expect(plainText('<p>Call us &amp; ask</p><ul><li>NHS App</li><li>In person.</li></ul>')).toBe('Call us & ask. NHS App. In person.');
  });

  it('cuts long sections at sentence ends and keeps short tails with the passage before', () => {
    const sentence = 'This sentence has exactly eight words in it.';
    const parts = chunks(Array(40).fill(sentence).join(' '));
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.split(/\s+/).length).toBeLessThanOrEqual(150);
    expect(chunks('Email riverside.reception@example.nhs.uk today. Then wait.')).toEqual(['Email riverside.reception@example.nhs.uk today. Then wait.']);
  });
});
