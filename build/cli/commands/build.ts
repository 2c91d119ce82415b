import { parseArgs } from 'node:util';
import { formatProblem } from '../../../lib/content/problems.ts';
import { buildSites } from '../../pipeline/build-sites.ts';
import { changedPractices } from '../../node/changed-practices.ts';
import { repoRoot } from '../../node/paths.ts';
import { loadSettings } from '../../node/settings.ts';
import type { Command } from '../commands.ts';

export const build: Command = {
  summary: 'Build practice sites into immutable revisions and switch them live',
  usage: 'build [--practice <slug>]... [--changed-since <git revision>] [--now <ISO time>]',
  help: [
    'Checks the content, renders each practice with Eleventy, computes its security headers, runs',
    'the third-party gate, and publishes a new revision of each practice that passes. dist/<slug>',
    'always shows the live revision. A practice that fails publishes nothing; its last good',
    'revision stays live. Exits with 1 if any practice failed.',
    '',
    'Options:',
    '  --practice <slug>        build only this practice (repeatable)',
    '  --changed-since <rev>    build only practices whose content changed since a git revision',
    '                           (all of them if the theme, schemas or build changed)',
    '  --now <ISO time>         build as of this moment (which notices are live)',
  ].join('\n'),
  async run(args) {
    const { values } = parseArgs({
      args,
      options: { practice: { type: 'string', multiple: true }, 'changed-since': { type: 'string' }, now: { type: 'string' } },
    });
    const root = repoRoot();
    const settings = loadSettings(root);
    let practices = values.practice;
    if (values['changed-since']) {
      const changed = await changedPractices(settings.contentRoot, values['changed-since']);
      if (changed !== 'all') practices = [...new Set([...(practices ?? []), ...changed])];
      if (practices && !practices.length) {
        console.error(`Nothing published changed since ${values['changed-since']}: no practice to build.`);
        return 0;
      }
    }
    const now = values.now ? new Date(values.now) : undefined;
    if (now && Number.isNaN(now.getTime())) throw new Error(`--now "${values.now}" is not a date and time; write it like 2026-12-04T09:00:00Z`);
    const report = await buildSites({ root, contentRoot: settings.contentRoot, settings, practices, now, onProgress: (m) => console.error(`• ${m}`) });
    for (const p of report.practices) for (const problem of p.problems) console.log(formatProblem(problem));
    const failed = report.practices.filter((p) => !p.ok);
    console.error(
      `Built ${report.practices.length - failed.length} of ${report.practices.length} practices in ${(report.ms / 1000).toFixed(1)} s` +
        (failed.length ? `; failed: ${failed.map((f) => f.slug).join(', ')} (their live revisions are unchanged)` : '.'),
    );
    return failed.length ? 1 : 0;
  },
};
