import { openConfiguredDatabase, openOperatorDatabase } from '../../db/open-database.ts';
import { registerPractices } from '../../db/register-practices.ts';
import { repoRoot } from '../../node/paths.ts';
import { loadSettings } from '../../node/settings.ts';
import { validateContent } from '../../pipeline/validate-content.ts';
import type { Command } from '../commands.ts';

export const practices: Command = {
  summary: 'Register the practices found in the content in the database, and set their sign-in rule',
  usage: 'practices sync | practices second-factor <practice> everyone|by-role',
  help: [
    'sync: adds each practice under content/practices/ to the database (or updates its name, ODS',
    "code and nation), so members can be invited to it. Content stays the source of a practice's",
    'identity; contracts and status are managed in the database.',
    '',
    'second-factor <practice> everyone: every member of the practice, editors included, must sign',
    'in with a second factor (an authenticator app) before the portal or the editor does anything',
    'for them. by-role (the default): only practice managers, clinical reviewers and platform',
    'admins must. Run by a platform operator: it acts as the service role and is logged.',
  ].join('\n'),
  async run(args) {
    const root = repoRoot();
    const settings = loadSettings(root);
    if (args[0] === 'sync') {
      const loaded = (await validateContent(settings.contentRoot)).filter((r) => r.practice);
      const opened = await openConfiguredDatabase(root, settings);
      try {
        await registerPractices(opened.db, 'register the practices found in the content repository', loaded.map((r) => ({ slug: r.slug, profile: r.practice!.profile })));
        console.log(`Registered ${loaded.length} practice${loaded.length === 1 ? '' : 's'}: ${loaded.map((l) => l.slug).join(', ')}.`);
        return 0;
      } finally {
        await opened.close();
      }
    }
    if (args[0] === 'second-factor') {
      const [, slug, rule] = args;
      if (!slug || (rule !== 'everyone' && rule !== 'by-role')) {
        console.error('use: pd practices second-factor <practice> everyone|by-role');
        return 2;
      }
      const opened = await openOperatorDatabase(root, settings);
      try {
        const changed = await opened.db.asService(`operator: set whether every member of ${slug} must sign in with a second factor`, async (q) => {
          const rows = await q.query<{ id: string }>('update public.practices set mfa_required_for_all = $2 where slug = $1 returning id', [slug, rule === 'everyone']);
          if (rows[0])
            await q.query(`insert into public.security_events (kind, practice_id, detail) values ('mfa.rule_changed', $1, $2::jsonb)`, [rows[0].id, JSON.stringify({ everyone: rule === 'everyone' })]);
          return rows.length;
        });
        if (!changed) {
          console.error(`There is no practice "${slug}" in the database: run "pd practices sync" first, or check the name.`);
          return 1;
        }
        console.log(rule === 'everyone' ? `Every member of ${slug} must now sign in with a second factor.` : `Only practice managers and clinical reviewers of ${slug} (and platform admins) must sign in with a second factor.`);
        return 0;
      } finally {
        await opened.close();
      }
    }
    console.error('use: pd practices sync | pd practices second-factor <practice> everyone|by-role');
    return 2;
  },
};
