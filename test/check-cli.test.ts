// `pd check` on the demo content (every practice meets every "must" item) and on a broken copy
// (each failure named with its reason, its fix and the file it goes in); and the site graph the
// journey check walks, against the links really in a built site.
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { check } from '../build/cli/commands/check.ts';
import { siteGraph } from '../build/compliance/site-graph.ts';
import { fsReader } from '../build/node/fs-reader.ts';
import { loadPractice } from '../lib/content/load-practice.ts';
import { contentCopy } from './support/content-copy.ts';
import { demoNow, repo, startDemo } from './support/demo-site.ts';

const now = demoNow.toISOString();
let root: string;

beforeAll(async () => {
  root = await contentCopy();
  const edit = async (file: string, from: string | RegExp, to: string) => {
    const full = path.join(root, 'content/practices', file);
    const text = await readFile(full, 'utf8');
    const next = text.replace(from, to);
    if (next === text) throw new Error(`the test's edit of ${file} changed nothing`);
    await import('node:fs/promises').then((fs) => fs.writeFile(full, next));
  };
  // Riverside: a leaflet reviewed 13 months ago, a broken internal link, and a page past its review date.
  await edit('riverside/practice.yml', /leaflet:\n  last_reviewed: [0-9-]+/, 'leaflet:\n  last_reviewed: 2025-11-03');
  await edit('riverside/pages/carers.md', /\n*$/, '\n\nRead our [carers guide](/carers-guide/).\n');
  await edit('riverside/pages/carers.md', /review_by: [0-9-]+/, 'review_by: 2026-11-20');
  // Fellside links to registration with Riverside's ODS code: an error of the content itself, so it
  // cannot be checked further until it is fixed.
  await edit('fellside/pages/carers.md', /\n*$/, '\n\nYou can [register online](https://gp-registration.nhs.uk/Z99901).\n');
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});
afterAll(() => rm(root, { recursive: true, force: true }));

async function pdCheck(args: string[], contentRoot = repo): Promise<{ code: number; out: string; err: string }> {
  vi.stubEnv('PD_CONTENT_ROOT', contentRoot);
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((m: string) => void out.push(m));
  vi.spyOn(console, 'error').mockImplementation((m: string) => void err.push(m));
  const code = await check.run(args);
  vi.restoreAllMocks();
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('pd check', () => {
  it('passes every demo practice, and lists every item with --all', async () => {
    const { code, out, err } = await pdCheck(['--now', now, '--all']);
    expect(code).toBe(0);
    expect(err).toContain('3 practices checked: 3 meet every "must" item.');
    expect(out).toContain('riverside (England): meets every "must" item. 30 passed, 0 "must" and 0 "should" failed, 0 not applicable.');
    expect(out).toMatch(/n\/a\s+must\s+15  CQC rating .*\(the CQC regulates England only/);
    expect(out).not.toContain('FAIL');
  });

  it('fails a broken copy with the reason, the fix and the file for each problem', async () => {
    const { code, out, err } = await pdCheck(['--now', now], root);
    expect(code).toBe(1);
    expect(err).toContain('3 practices checked: 1 meet every "must" item, 2 do not (fellside, riverside).');
    const riverside = out.slice(out.indexOf('riverside (England)'));
    expect(riverside).toMatch(/^riverside \(England\): FAILS\. .* 2 "must" and 1 "should" failed/);
    expect(riverside).toContain('FAIL  must   14  Practice leaflet, reviewed at least every 12 months');
    expect(riverside).toContain('the practice leaflet was last reviewed on 2025-11-03, more than 12 months ago');
    expect(riverside).toContain('In: content/practices/riverside/practice.yml (leaflet.last_reviewed)');
    expect(riverside).toMatch(/FAIL  must    L  .*\n.*"Carers" links to \/carers-guide\/[^\n]*\n\s+Fix: link to a page that exists[^\n]*\n\s+In: content\/practices\/riverside\/pages\/carers\.md/);
    expect(riverside).toContain('"Carers" links to /carers-guide/, which is not a page of the site');
    expect(riverside).toContain('FAIL  should 25');
    expect(riverside).toContain('was due for review on 2026-11-20');
    expect(out).toContain('fellside: NOT CHECKED, the content does not validate');
    expect(out).toMatch(/content\/practices\/fellside\/pages\/carers\.md:\d+: body: the GP registration link carries the ODS code "Z99901", not this practice's Z99902 — use this practice's own code: Z99902/);
  });

  it('reports JSON for programs', async () => {
    const { code, out } = await pdCheck(['riverside', '--json', '--now', now], root);
    expect(code).toBe(1);
    const json = JSON.parse(out);
    const report = json.practices[0].report;
    expect(report).toMatchObject({ practice: 'riverside', nation: 'england', ok: false, blocking: false });
    expect(report.results.find((r: { id: string }) => r.id === '14')).toMatchObject({ status: 'fail', level: 'must', findings: [{ field: 'leaflet.last_reviewed' }] });
  });

  it('lists reading ages with --reading-age', async () => {
    const { out } = await pdCheck(['riverside', '--reading-age', '--now', now]);
    expect(out).toContain('Reading age by page (target 11 or under):');
    expect(out).toMatch(/^\s+\d+  ok {3}  Appointments {2}\(content\/practices\/riverside\/pages\/appointments\.md\)$/m);
  });

  it('refuses bad usage with exit 2 and a clear message', async () => {
    expect(await pdCheck(['--now', 'next tuesday'])).toMatchObject({ code: 2, err: expect.stringContaining('--now must be a date and time') });
    expect(await pdCheck(['nowhere'])).toMatchObject({ code: 2, err: expect.stringContaining('there is no practice "nowhere"') });
  });
});

describe('the site graph', () => {
  it('holds only links that are really in the built pages', async () => {
    const demo = await startDemo({ practices: ['riverside'] });
    try {
      const { practice } = await loadPractice(fsReader(repo), 'riverside');
      const graph = siteGraph(practice!, demoNow);
      const live = (await demo.store.liveFolder('riverside'))!;
      expect(graph.urls.size).toBeGreaterThan(40);
      for (const url of graph.urls) {
        const html = await readFile(path.join(live, url, 'index.html'), 'utf8');
        const hrefs = new Set([...html.matchAll(/href="([^"#?]*)/g)].map((m) => m[1]!.replace(/^https:\/\/[^/]+/, '')));
        for (const to of graph.linksFrom(url)) expect(hrefs.has(to), `${url} → ${to}`).toBe(true);
      }
    } finally {
      await demo.close();
    }
  }, 60_000);
});
