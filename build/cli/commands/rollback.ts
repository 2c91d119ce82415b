import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkSlug } from '../../deploy/deploy-practice.ts';
import { PagesApiError, pagesApi } from '../../deploy/pages-api.ts';
import { publishedOutput } from '../../deploy/published-output.ts';
import { findProductionDeployment } from '../../deploy/rollback-production.ts';
import { DeployError, deploySettings, missingSecrets, pagesProject } from '../../deploy/settings.ts';
import { repoRoot } from '../../node/paths.ts';
import { loadSettings } from '../../node/settings.ts';
import { revisionStore, type Manifest, type RevisionStore } from '../../publish/revision-store.ts';
import type { Command } from '../commands.ts';
import { rollbackContent } from './rollback-content.ts';

export const rollback: Command = {
  summary: 'Roll a practice back: switch the live revision (here and on Cloudflare Pages), or restore content',
  usage: 'rollback live <practice> --to <revision> [--production] [--dry-run] [--project <name>] | rollback content <practice> --to <commit> [--as "Name <email>"] [--no-build]',
  help: [
    'pd rollback live <practice> --to <revision> [--production] [--dry-run] [--project <name>]',
    '  Switches the practice\'s live revision back to an earlier one at once, and logs the switch as a',
    '  rollback in live-history.jsonl. Nothing is rebuilt and the content repository is not touched:',
    '  the next deploy of a changed output goes live over it.',
    '',
    '  --production      also roll back the Pages project: find the production deployment made from',
    "                    the revision's commit and make it live again (Cloudflare's rollback; needs",
    '                    CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID). Production goes first; if it',
    '                    fails, nothing changes here either.',
    '  --dry-run         say what would be switched, and which deployment; change nothing',
    '  --project <name>  the Pages project, if not the default <prefix><slug>',
    '',
    'pd rollback content <practice> --to <commit> [--as "Name <email>"] [--no-build]',
    "  Restores the practice's folder as it was at that commit (one of the practice's own changes on",
    '  main; a short id is fine) as a new commit with a Rollback-of trailer: history is kept and the',
    '  restore can itself be undone. The author is --as, or your git user.name and user.email. The',
    '  practice must still validate. Then builds and publishes it (unless --no-build). Practice',
    '  managers do the same from the portal (http://portal.localhost:8787/site/).',
    '',
    'See docs/operations.md, "Rolling back".',
  ].join('\n'),
  async run(args) {
    const [sub, ...rest] = args;
    switch (sub) {
      case 'live':
        return rollbackLive(rest);
      case 'content':
        return rollbackContent(rest);
      default:
        console.error(`pd rollback: say what to roll back: "pd rollback live <practice> --to <revision>" or "pd rollback content <practice> --to <commit>", not "${sub ?? ''}".`);
        return 2;
    }
  },
};

async function rollbackLive(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { to: { type: 'string' }, production: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, project: { type: 'string' } },
  });
  const dryRun = !!values['dry-run'];
  const root = repoRoot();
  const settings = loadSettings(root);
  const store = revisionStore(settings.storeDir);
  try {
    const practice = positionals[0];
    if (!practice || positionals.length > 1) throw new DeployError('name one practice, like: pd rollback live riverside --to <revision>');
    checkSlug(practice);
    const to = values.to;
    if (!to) {
      const newest = (await store.list(practice)).slice(-5).map((m) => m.revision).reverse();
      throw new DeployError(`say which revision to go back to with --to${newest.length ? `; ${practice}'s newest are ${newest.join(', ')}` : ''}`);
    }
    const manifest = await revisionOf(store, practice, to);
    const current = await store.live(practice);

    if (values.production) {
      const ds = deploySettings(root);
      const project = pagesProject(practice, ds.projectPrefix, values.project);
      if (!ds.credentials) {
        if (!dryRun) {
          console.error(`pd rollback: ${missingSecrets(ds.missing)}`);
          return 1;
        }
        console.log(
          `${practice}: would roll ${project} back to its production deployment made from commit ${manifest.commit.slice(0, 7)} (revision ${to}); not looked up, as ${ds.missing.join(' and ')} ${ds.missing.length === 1 ? 'is' : 'are'} not set`,
        );
      } else {
        const api = pagesApi({ baseUrl: ds.apiUrl, credentials: ds.credentials });
        const { outputHash } = await publishedOutput(path.join(store.root, practice, 'revisions', to), manifest);
        const { deployment, match } = await findProductionDeployment(api, project, manifest, outputHash);
        const which = `deployment ${deployment.id} (commit ${(deployment.commitHash ?? '').slice(0, 7)}, deployed ${deployment.createdOn.slice(0, 16).replace('T', ' ')} UTC)`;
        const caveat =
          match === 'commit'
            ? ` Note: it was built from the same commit at another moment, so its notices may differ from revision ${to}.`
            : match === 'output'
              ? ' It serves the same pages as this revision.'
              : '';
        if (dryRun) {
          console.log(`${practice}: would roll ${project} back to ${which}.${caveat}`);
          console.log(`  would send: POST /accounts/$CLOUDFLARE_ACCOUNT_ID/pages/projects/${project}/deployments/${deployment.id}/rollback`);
        } else {
          await api.rollback(project, deployment.id);
          console.log(`${practice}: ${project} serves ${which} again.${caveat}`);
        }
      }
    }

    if (dryRun) {
      console.log(
        current === to
          ? `${practice}: revision ${to} is already live here; nothing would be switched.`
          : `${practice}: would switch the live revision here from ${current ?? '(none)'} to ${to}, logged as a rollback.`,
      );
      console.error('Dry run: nothing was changed.');
      return 0;
    }
    if (current === to) {
      console.log(`${practice}: revision ${to} is already live here; nothing switched.`);
      return 0;
    }
    await store.switchLive(practice, to, 'rollback');
    console.log(`${practice}: revision ${to} (commit ${manifest.commit.slice(0, 7)}, built ${manifest.builtAt}) is live here again; it was ${current ?? '(none)'}.`);
    return 0;
  } catch (e) {
    if (!(e instanceof DeployError || e instanceof PagesApiError)) throw e;
    console.error(`pd rollback: ${e.message}. Nothing was changed.`);
    return 1;
  }
}

/** The manifest of one of this practice's revisions, or a refusal that says where the name belongs. */
async function revisionOf(store: RevisionStore, practice: string, revision: string): Promise<Manifest> {
  const own = await store.list(practice);
  const found = own.find((m) => m.revision === revision);
  if (found) return found;
  for (const other of await readdir(store.root).catch(() => [] as string[])) {
    if (other === practice || other.startsWith('.')) continue;
    if ((await store.list(other)).some((m) => m.revision === revision))
      throw new DeployError(`revision ${revision.slice(0, 80)} belongs to ${other}, not ${practice}`);
  }
  const recent = own.slice(-5).map((m) => m.revision).reverse();
  throw new DeployError(
    own.length
      ? `${practice} has no revision "${revision.slice(0, 80)}"; its newest are ${recent.join(', ')}`
      : `${practice} has no revisions here (${path.join(store.root, practice)}); build it with "pd build --practice ${practice}"`,
  );
}
