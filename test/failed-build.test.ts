// A build that fails publishes nothing: the practice's previous revision stays live.
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSites } from '../build/pipeline/build-sites.ts';
import { formatProblem } from '../lib/content/problems.ts';
import { contentCopy, writeInCopy } from './support/content-copy.ts';
import { demoNow, get, repo, startDemo, type DemoSite } from './support/demo-site.ts';

let root: string;
let demo: DemoSite;

beforeAll(async () => {
  root = await contentCopy();
  demo = await startDemo({ contentRoot: root, practices: ['riverside', 'fellside'] });
});
afterAll(async () => {
  await demo?.close();
  await rm(root, { recursive: true, force: true });
});

const rebuild = (now = demoNow) => buildSites({ root: repo, contentRoot: root, practices: ['riverside', 'fellside'], settings: demo.settings, store: demo.store, now });

describe('a failing build', () => {
  const cases: [string, string, (text: string) => string, RegExp][] = [
    ['broken YAML', 'pages/appointments.md', (t) => t.replace('title: Appointments', 'title: [Appointments'), /appointments\.md:[23]: the YAML cannot be read/],
    ['a <script> in Markdown', 'pages/appointments.md', (t) => `${t}\n<script>alert(1)</script>\n`, /appointments\.md:\d+: body: <script> is not allowed/],
    ['a notice without expires', 'notices/winter-vaccines-and-phone-lines.md', (t) => t.replace(/^expires: .*\n/m, ''), /winter-vaccines-and-phone-lines\.md:\d+: expires: Remove at is required/],
    ['a bad ODS code', 'practice.yml', (t) => t.replace('ods_code: Z99901', 'ods_code: 12'), /practice\.yml:3: ods_code: "12" is not a GP practice ODS code/],
  ];
  for (const [what, file, breakIt, message] of cases) {
    it(`with ${what} leaves the live revision as it was, and other practices still publish`, async () => {
      const full = path.join(root, 'content/practices/riverside', file);
      const original = await readFile(full, 'utf8');
      const liveBefore = await demo.store.live('riverside');
      const fellsideBefore = await demo.store.live('fellside');
      const pageBefore = (await get(demo.server, 'riverside', '/appointments/')).body;
      await writeInCopy(root, `content/practices/riverside/${file}`, breakIt(original));
      try {
        const report = await rebuild();
        const riverside = report.practices.find((p) => p.slug === 'riverside')!;
        expect(riverside.ok).toBe(false);
        expect(riverside.manifest).toBeUndefined();
        expect(riverside.problems.map(formatProblem).join('\n')).toMatch(message);
        expect(await demo.store.live('riverside')).toBe(liveBefore);
        expect((await get(demo.server, 'riverside', '/appointments/')).body).toBe(pageBefore);
        // The same content built for the same moment gives the same revision: builds are reproducible.
        expect(report.practices.find((p) => p.slug === 'fellside')!.manifest?.revision).toBe(fellsideBefore);
      } finally {
        await writeInCopy(root, `content/practices/riverside/${file}`, original);
      }
    });
  }

  it('then succeeds again once the content is fixed, as a new revision', async () => {
    const before = await demo.store.live('riverside');
    const report = await rebuild(new Date(demoNow.getTime() + 3600_000));
    expect(report.practices.every((p) => p.ok)).toBe(true);
    expect(await demo.store.live('riverside')).not.toBe(before);
    expect((await demo.store.list('riverside')).length).toBeGreaterThanOrEqual(2);
  });
});
