import { parseArgs } from 'node:util';
import { checkPractice } from '../../../lib/compliance/check-practice.ts';
import { htmlToParagraphs } from '../../../lib/compliance/html-prose.ts';
import { readability, readingAgeTarget } from '../../../lib/compliance/readability.ts';
import type { ComplianceReport } from '../../../lib/compliance/types.ts';
import type { Entry, Practice } from '../../../lib/content/practice.ts';
import { formatProblem, type Problem } from '../../../lib/content/problems.ts';
import { siteGraph } from '../../compliance/site-graph.ts';
import { repoRoot } from '../../node/paths.ts';
import { loadSettings } from '../../node/settings.ts';
import { validateContent } from '../../pipeline/validate-content.ts';
import type { Command } from '../commands.ts';

interface PracticeCheck {
  slug: string;
  /** Content that does not validate cannot be checked further. */
  problems: Problem[];
  report?: ComplianceReport;
  readingAges?: { file: string; title: string; readingAge: number; verdict: string }[];
}

export const check: Command = {
  summary: 'Check each practice against what a GP website must publish, with the reason and fix for each failure',
  usage: 'check [practice] [--json] [--all] [--reading-age] [--now <iso>]',
  help: [
    'Checks every "must" and "should" item a GP practice website is required to publish (per',
    'nation: England in full, Wales and Scotland differences marked) against the practice\'s content:',
    'present, well formed and in date. Also checks that the benchmark patient journeys are within',
    'two clicks of the home page, and that links in the content lead to real pages and to the',
    'practice\'s own supplier pages. docs/compliance.md lists every rule with its source.',
    '',
    'Options:',
    '  --json          print the reports as JSON for programs',
    '  --all           list the items that pass too',
    '  --reading-age   list every page\'s reading age (target: ' + readingAgeTarget + ' or under)',
    '  --now <iso>     check as at another moment (e.g. 2027-01-01T09:00:00Z)',
    '',
    'Exits 1 when a "must" item fails (or content does not validate), 2 on bad usage.',
  ].join('\n'),
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { json: { type: 'boolean' }, all: { type: 'boolean' }, 'reading-age': { type: 'boolean' }, now: { type: 'string' } },
    });
    const now = values.now ? new Date(values.now) : new Date();
    if (Number.isNaN(now.getTime())) {
      console.error(`--now must be a date and time like 2027-01-01T09:00:00Z, not "${values.now}"`);
      return 2;
    }
    let loaded;
    try {
      loaded = await validateContent(loadSettings(repoRoot()).contentRoot, positionals[0]);
    } catch (e) {
      console.error((e as Error).message);
      return 2;
    }
    const checks: PracticeCheck[] = loaded.map((r) => {
      // Content with errors does not load; its errors, each with its fix, come first.
      if (!r.practice) return { slug: r.slug, problems: r.problems };
      return {
        slug: r.slug,
        problems: r.problems,
        report: checkPractice(r.practice, { now, site: siteGraph(r.practice, now) }),
        ...(values['reading-age'] ? { readingAges: readingAges(r.practice) } : {}),
      };
    });
    if (values.json) console.log(JSON.stringify({ checkedAt: now.toISOString(), practices: checks }, null, 2));
    else for (const c of checks) printCheck(c, values.all === true);
    const failed = checks.filter((c) => !c.report?.ok);
    if (!values.json)
      console.error(`${checks.length} practice${checks.length === 1 ? '' : 's'} checked: ${checks.length - failed.length} meet every "must" item${failed.length ? `, ${failed.length} do not (${failed.map((c) => c.slug).join(', ')})` : ''}.`);
    return failed.length ? 1 : 0;
  },
};

function readingAges(practice: Practice) {
  const entries = [...practice.pages, ...practice.services, ...practice.news, ...Object.values(practice.policies)] as Entry<{ title: string }>[];
  return entries.map((e) => {
    const r = readability(htmlToParagraphs(e.html));
    return { file: e.file, title: e.data.title, readingAge: r.readingAge, verdict: r.verdict };
  });
}

function printCheck(c: PracticeCheck, all: boolean): void {
  if (!c.report) {
    console.log(`${c.slug}: NOT CHECKED, the content does not validate (fix these first, or run pd validate ${c.slug}):`);
    for (const p of c.problems.filter((x) => x.severity === 'error')) console.log(`  ${formatProblem(p)}`);
    console.log('');
    return;
  }
  const r = c.report;
  const count = (f: (x: (typeof r.results)[number]) => boolean) => r.results.filter(f).length;
  const mustFails = count((x) => x.status === 'fail' && x.level === 'must');
  const shouldFails = count((x) => x.status === 'fail' && x.level === 'should');
  const verdict = mustFails ? 'FAILS' : 'meets every "must" item';
  console.log(
    `${c.slug} (${r.nation[0]!.toUpperCase()}${r.nation.slice(1)}): ${verdict}. ${count((x) => x.status === 'pass')} passed, ${mustFails} "must" and ${shouldFails} "should" failed, ${count((x) => x.status === 'not-applicable')} not applicable.${r.blocking && mustFails ? ' Publishing is blocked for changes that add failures.' : ''}`,
  );
  for (const item of r.results) {
    if (item.status === 'fail') {
      console.log(`  FAIL  ${item.level.padEnd(6)} ${item.id.padStart(2)}  ${item.title}`);
      for (const f of item.findings) {
        console.log(`          ${f.message}`);
        console.log(`          Fix: ${f.fix}`);
        if (f.file) console.log(`          In: ${f.file}${f.field ? ` (${f.field})` : ''}`);
      }
    } else if (all) console.log(`  ${item.status === 'pass' ? 'pass' : 'n/a '}  ${item.level.padEnd(6)} ${item.id.padStart(2)}  ${item.title}${item.note ? ` (${item.note})` : ''}`);
  }
  if (c.readingAges) {
    console.log('  Reading age by page (target ' + readingAgeTarget + ' or under):');
    for (const p of [...c.readingAges].sort((a, b) => b.readingAge - a.readingAge))
      console.log(`    ${p.verdict === 'too-short' ? '  -' : String(p.readingAge).padStart(3)}  ${p.verdict === 'above-target' ? 'above' : p.verdict === 'ok' ? 'ok   ' : 'short'}  ${p.title}  (${p.file})`);
  }
  console.log('');
}
