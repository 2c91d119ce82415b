import { parseArgs } from 'node:util';
import { listPractices, loadPractice } from '../../../lib/content/load-practice.ts';
import { reviewsDue } from '../../../lib/content/schedule.ts';
import { fsReader } from '../../node/fs-reader.ts';
import { repoRoot } from '../../node/paths.ts';
import { loadSettings } from '../../node/settings.ts';
import type { Command } from '../commands.ts';

export const reviewDue: Command = {
  summary: 'List pages, services and policies past or near their review date',
  usage: 'review-due [practice] [--within <days>] [--json]',
  help: [
    'Every page, service and policy must be reviewed by its review_by date. This lists, most',
    'urgent first, those whose date has passed or falls within the next 30 days (or --within <n>),',
    'for each practice or the one named. Practice managers see the same list in the portal.',
    '',
    'Options:',
    '  --within <n>  days ahead to include (default 30; 0 = only today and overdue)',
    '  --json        print JSON for programs',
    '',
    'Exits 1 if anything is overdue, so a scheduled job can raise it.',
  ].join('\n'),
  async run(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { within: { type: 'string' }, json: { type: 'boolean' } } });
    const within = values.within === undefined ? 30 : Number(values.within);
    if (!Number.isInteger(within) || within < 0) {
      console.error(`--within must be a whole number of days, not "${values.within}"`);
      return 2;
    }
    const settings = loadSettings(repoRoot());
    const reader = fsReader(settings.contentRoot);
    const all = await listPractices(reader);
    const wanted = positionals[0] ? [positionals[0]] : all;
    const unknown = wanted.filter((p) => !all.includes(p));
    if (unknown.length) {
      console.error(`There is no practice "${unknown[0]}". Practices: ${all.join(', ')}`);
      return 2;
    }
    const now = new Date();
    const results: Record<string, ReturnType<typeof reviewsDue>> = {};
    for (const slug of wanted) {
      const { practice, problems } = await loadPractice(reader, slug);
      if (!practice) {
        console.error(`${slug} does not load (${problems.length} problems); run pd validate ${slug}`);
        return 2;
      }
      results[slug] = reviewsDue(practice, now, within);
    }
    if (values.json) console.log(JSON.stringify(results, null, 2));
    else
      for (const [slug, due] of Object.entries(results)) {
        console.log(`${slug}: ${due.length ? `${due.length} due` : 'nothing due'}`);
        for (const d of due) {
          const when = d.daysLeft < 0 ? `overdue by ${-d.daysLeft} day${d.daysLeft === -1 ? '' : 's'}` : d.daysLeft === 0 ? 'due today' : `due in ${d.daysLeft} day${d.daysLeft === 1 ? '' : 's'}`;
          console.log(`  ${d.reviewBy}  ${when.padEnd(20)} ${d.title}  (${d.file})`);
        }
      }
    return Object.values(results).some((due) => due.some((d) => d.daysLeft < 0)) ? 1 : 0;
  },
};
