// Compliance check benchmark (npm run bench:check): `pd check` over 100 practices against
// `pd validate` over the same content, in the same process and the same run. The practices are
// copies of the three demo practices (England, a dispensing practice, Wales) under new slugs in a
// temporary content root, each given its own ODS code and domain. Both are timed in-process with
// the functions the commands call, so Node start-up and module loading (the same for both) do not
// hide the difference: "validate" is validateContent for every practice; "check" is
// validateContent, then for each practice checkPractice with its site graph. The compliance part
// (checkPractice and siteGraph on the loaded practices) and the site graph alone are timed too,
// so the ratio can be explained. Validate and check alternate, so that anything else slowing the
// machine hits both alike.
import { rmSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { siteGraph } from '../build/compliance/site-graph.ts';
import { validateContent } from '../build/pipeline/validate-content.ts';
import { checkPractice } from '../lib/compliance/check-practice.ts';
import type { Practice } from '../lib/content/practice.ts';
import { hasErrors } from '../lib/content/problems.ts';

const practices = 100;
const rounds = 7;
const warmups = 2;
const target = 1.5;
// A fixed moment, so every run sees the same notices and review dates.
const now = new Date('2026-12-04T09:00:00Z');

const root = fileURLToPath(new URL('..', import.meta.url));
const demos = ['riverside', 'fellside', 'afon-teifi'];
const tmp = await mkdtemp(path.join(os.tmpdir(), 'pd-bench-check-'));
const log = (message: string) => console.error(`• ${message}`);
const cleanUp = () => rmSync(tmp, { recursive: true, force: true });
process.once('SIGINT', () => {
  cleanUp();
  process.exit(130);
});

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const ms = (n: number) => `${n.toFixed(0)} ms`;
const time = async (f: () => unknown): Promise<number> => {
  const t = performance.now();
  await f();
  return performance.now() - t;
};

/** The demo practices copied round-robin under bench-001…, each with its own ODS code and domain (supplier links carry the code). */
async function makeContent(contentRoot: string): Promise<string[]> {
  const identities = await Promise.all(
    demos.map(async (slug) => {
      const profile = await readFile(path.join(root, 'content/practices', slug, 'practice.yml'), 'utf8');
      const ods = /^ods_code:\s*(\S+)/m.exec(profile)?.[1];
      const domain = /^domain:\s*(\S+)/m.exec(profile)?.[1];
      if (!ods || !domain) throw new Error(`content/practices/${slug}/practice.yml has no ods_code or domain line`);
      return { slug, ods, domain };
    }),
  );
  const slugs = Array.from({ length: practices }, (_, i) => `bench-${String(i + 1).padStart(3, '0')}`);
  await Promise.all(
    slugs.map(async (slug, i) => {
      const demo = identities[i % demos.length]!;
      const target = path.join(contentRoot, 'content/practices', slug);
      await cp(path.join(root, 'content/practices', demo.slug), target, { recursive: true });
      // The demo's letter, then 1 and four digits: a valid ODS code no real practice has.
      const ods = `${demo.ods[0]}1${String(i + 1).padStart(4, '0')}`;
      for (const e of await readdir(target, { recursive: true, withFileTypes: true })) {
        if (!e.isFile() || !/\.(md|ya?ml)$/.test(e.name)) continue;
        const file = path.join(e.parentPath, e.name);
        const before = await readFile(file, 'utf8');
        const after = before.replaceAll(demo.ods, ods).replaceAll(demo.domain, `${slug}.example`);
        if (after !== before) await writeFile(file, after);
      }
    }),
  );
  return slugs;
}

try {
  const contentRoot = path.join(tmp, 'pd');
  log(`Copying the demo practices to ${practices} practices in ${tmp}`);
  await makeContent(contentRoot);

  // What `pd validate` does, and what `pd check` does, without printing.
  const validate = () => validateContent(contentRoot);
  const check = async () => {
    const loaded = await validateContent(contentRoot);
    return loaded.map((r) => (r.practice ? checkPractice(r.practice, { now, site: siteGraph(r.practice, now) }) : undefined));
  };

  const loaded = await validate();
  const invalid = loaded.filter((r) => hasErrors(r.problems) || !r.practice);
  if (invalid.length) throw new Error(`${invalid.length} benchmark practices do not validate (first: ${invalid[0]!.slug}); the fixture is out of step with the content model`);
  const loadedPractices = loaded.map((r) => r.practice!) as Practice[];
  const reports = await check();
  const ok = reports.filter((r) => r?.ok).length;
  const findings = reports.reduce((n, r) => n + (r?.results.reduce((m, x) => m + x.findings.length, 0) ?? 0), 0);
  const pages = loadedPractices.reduce((n, p) => n + p.pages.length + p.services.length + p.news.length + Object.keys(p.policies).length, 0);
  log(`  ${loaded.length} practices valid, ${ok} meet every "must" item, ${findings} findings in all; ${pages} pages, services, news items and policies`);

  const results = { validate: [] as number[], check: [] as number[], compliance: [] as number[], graph: [] as number[], items: [] as number[] };
  log(`Warm-up: ${warmups} rounds; then timing ${rounds} rounds, validate and check alternating`);
  for (let round = -warmups; round < rounds; round++) {
    const v = await time(validate);
    const c = await time(check);
    // On practices already loaded: the compliance part alone, the site graph alone, and the items given the graphs.
    const compliance = await time(() => loadedPractices.map((p) => checkPractice(p, { now, site: siteGraph(p, now) })));
    let graphs: ReturnType<typeof siteGraph>[] = [];
    const graph = await time(() => (graphs = loadedPractices.map((p) => siteGraph(p, now))));
    const items = await time(() => loadedPractices.map((p, i) => checkPractice(p, { now, site: graphs[i]! })));
    if (round < 0) continue;
    results.validate.push(v);
    results.check.push(c);
    results.compliance.push(compliance);
    results.graph.push(graph);
    results.items.push(items);
    log(`  round ${round + 1}: validate ${ms(v)}, check ${ms(c)}, compliance alone ${ms(compliance)} (site graph ${ms(graph)}, items ${ms(items)})`);
  }

  const validateMs = median(results.validate);
  const checkMs = median(results.check);
  const ratio = checkMs / validateMs;
  const rows: [string, string][] = [
    [`pd validate, ${practices} practices (anchor)`, ms(validateMs)],
    [`pd check, ${practices} practices (validate, then the checks)`, ms(checkMs)],
    ['  the compliance part alone (site graph and every item)', ms(median(results.compliance))],
    ['    of which the site graph (routes of every page, links read)', ms(median(results.graph))],
    ['    of which the items, given the site graph', ms(median(results.items))],
    ['  per practice, the compliance part', `${(median(results.compliance) / practices).toFixed(2)} ms`],
    ['ratio pd check / pd validate', `${ratio.toFixed(2)}× (target ≤ ${target}×: ${ratio <= target ? 'met' : 'missed'})`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`\nCompliance check benchmark, ${new Date().toISOString().slice(0, 10)}, Node ${process.versions.node}, ${os.availableParallelism()} cores, medians of ${rounds} rounds:\n`);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
} finally {
  cleanUp();
}
