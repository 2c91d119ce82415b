import { parseArgs } from 'node:util';
import { formatProblem, hasErrors } from '../../../lib/content/problems.ts';
import { validateContent } from '../../pipeline/validate-content.ts';
import { repoRoot } from '../../node/paths.ts';
import { loadSettings } from '../../node/settings.ts';
import type { Command } from '../commands.ts';

export const validate: Command = {
  summary: 'Check every content file against the content model',
  usage: 'validate [practice] [--json]',
  help: [
    'Checks every file of every practice (or of one practice) and reports every problem as',
    '  path:line: field: message — how to fix',
    'Exits with 1 when any problem is an error.',
    '',
    'Options:',
    '  --json   print the problems as JSON',
  ].join('\n'),
  async run(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
    const results = await validateContent(loadSettings(repoRoot()).contentRoot, positionals[0]);
    const problems = results.flatMap((r) => r.problems);
    if (values.json) {
      console.log(JSON.stringify({ practices: results.map((r) => ({ slug: r.slug, ok: !hasErrors(r.problems) })), problems }, null, 2));
    } else {
      for (const p of problems) console.log(formatProblem(p));
      const failed = results.filter((r) => hasErrors(r.problems)).length;
      console.error(
        `${results.length} practice${results.length === 1 ? '' : 's'} checked: ${results.length - failed} valid, ${failed} with errors (${problems.length} problem${problems.length === 1 ? '' : 's'}).`,
      );
    }
    return hasErrors(problems) ? 1 : 0;
  },
};
