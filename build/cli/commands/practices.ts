import { validateContent } from '../../pipeline/validate-content.ts';
import { openDatabase } from '../../db/open-database.ts';
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
    const opened = await openDatabase({ root, url: settings.databaseUrl, dataDir: settings.databaseUrl ? undefined : settings.databaseDir });
    try {
      await opened.db.asService('register the practices found in the content repository', async (q) => {
        for (const { slug, practice } of loaded) {
          const p = practice!.profile;
          await q.query(
            `insert into public.practices (slug, ods_code, name, nation, contract_start, status)
             values ($1, $2, $3, $4, current_date, 'active')
             on conflict (slug) do update set ods_code = excluded.ods_code, name = excluded.name, nation = excluded.nation`,
            [slug, p.ods_code, p.name, p.nation],
          );
        }
      });
      console.log(`Registered ${loaded.length} practice${loaded.length === 1 ? '' : 's'}: ${loaded.map((l) => l.slug).join(', ')}.`);
      return 0;
    } finally {
      await opened.close();
    }
  },
};
