import { validateContent } from '../../pipeline/validate-content.ts';
import { openConfiguredDatabase } from '../../db/open-database.ts';
import { registerPractices } from '../../db/register-practices.ts';
import { repoRoot } from '../../node/paths.ts';
import { loadSettings } from '../../node/settings.ts';
import type { Command } from '../commands.ts';

export const practices: Command = {
  summary: 'Register the practices found in the content in the database',
  usage: 'practices sync',
  help: [
    'Adds each practice under content/practices/ to the database (or updates its name, ODS code',
    'and nation), so members can be invited to it. Content stays the source of a practice\'s',
    'identity; contracts and status are managed in the database.',
  ].join('\n'),
  async run(args) {
    if (args[0] !== 'sync') throw new Error('use: pd practices sync');
    const root = repoRoot();
    const settings = loadSettings(root);
    const loaded = (await validateContent(settings.contentRoot)).filter((r) => r.practice);
    const opened = await openConfiguredDatabase(root, settings);
    try {
      await registerPractices(opened.db, 'register the practices found in the content repository', loaded.map((r) => ({ slug: r.slug, profile: r.practice!.profile })));
      console.log(`Registered ${loaded.length} practice${loaded.length === 1 ? '' : 's'}: ${loaded.map((l) => l.slug).join(', ')}.`);
      return 0;
    } finally {
      await opened.close();
    }
  },
};
