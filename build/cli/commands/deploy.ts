import path from 'node:path';
import { parseArgs } from 'node:util';
import { decide, deployTarget, newestDeployment, practicesWithLiveRevision, type Decision } from '../../deploy/deploy-practice.ts';
import { PagesApiError, pagesApi, type PagesApi } from '../../deploy/pages-api.ts';
import { DeployError, deploySettings, missingSecrets, productionBranch } from '../../deploy/settings.ts';
import { displayWrangler, runWrangler, shellQuote } from '../../deploy/wrangler.ts';
import { repoRoot } from '../../node/paths.ts';
import { loadSettings } from '../../node/settings.ts';
import { revisionStore } from '../../publish/revision-store.ts';
import type { Command } from '../commands.ts';

export const deploy: Command = {
  summary: "Deploy practices' live revisions to their Cloudflare Pages projects (skips unchanged output)",
  usage: 'deploy <practice>... | --all [--dry-run] [--force] [--project <name>] [--branch <branch>]',
  help: [
    "Uploads each practice's live revision to its own Pages project with `wrangler pages deploy`,",
    'tagging the deployment with the commit the revision was built from. A practice whose published',
    'output is the same as its newest deployment on the branch is skipped (docs/decisions/0019).',
    '',
    'Needs CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID in the environment. Each practice has its',
    'own Pages project, named <prefix><slug>: the prefix is PD_PAGES_PROJECT_PREFIX, "pd-" by default.',
    'See docs/operations.md.',
    '',
    'Options:',
    '  --all               every practice with a live revision here (in CI: the ones this run built)',
    '  --dry-run           say what would be deployed and why, and the exact command; change nothing',
    '                      (reads the newest deployment when the secrets are set)',
    '  --force             deploy even if the output is unchanged',
    '  --project <name>    the Pages project, for a single practice (default: prefix + slug)',
    `  --branch <branch>   the branch to deploy to (default: ${productionBranch}, the production branch;`,
    '                      any other branch makes a preview deployment)',
  ].join('\n'),
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        all: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        force: { type: 'boolean' },
        project: { type: 'string' },
        branch: { type: 'string' },
      },
    });
    const dryRun = !!values['dry-run'];
    const root = repoRoot();
    const settings = loadSettings(root);
    const store = revisionStore(settings.storeDir);
    try {
      const ds = deploySettings(root);
      if (values.all && positionals.length) throw new DeployError('name practices or give --all, not both');
      if (!values.all && !positionals.length) throw new DeployError('name the practice to deploy, like: pd deploy riverside (or --all)');
      const branch = values.branch ?? productionBranch;
      if (!/^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/.test(branch)) throw new DeployError(`"${branch.slice(0, 60)}" is not a branch name`);
      const practices = values.all ? await practicesWithLiveRevision(store) : [...new Set(positionals)];
      if (values.project && practices.length !== 1) throw new DeployError('--project names the Pages project of one practice; deploy the others separately');
      if (!practices.length) {
        console.error(`No practice has a live revision in ${settings.storeDir}: nothing to deploy.`);
        return 0;
      }
      if (ds.missing.length && !dryRun) {
        console.error(`pd deploy: ${missingSecrets(ds.missing)}`);
        return 1;
      }
      const api: PagesApi | undefined = ds.credentials ? pagesApi({ baseUrl: ds.apiUrl, credentials: ds.credentials }) : undefined;
      const wrangler = displayWrangler(ds.wrangler, root);
      const tally = { deployed: 0, skipped: 0, failed: 0 };
      for (const practice of practices) {
        try {
          const target = await deployTarget(store, practice, { prefix: ds.projectPrefix, branch, contentRoot: settings.contentRoot, ...(values.project ? { project: values.project } : {}) });
          const where = `Pages project ${target.project}, branch ${target.branch}${target.branch === productionBranch ? '' : ' (a preview)'}`;
          // Read even with --force: it also proves the project exists before wrangler is asked to upload.
          const previous = api ? await newestDeployment(api, target.project, target.branch) : undefined;
          let decision: Decision | undefined;
          if (values.force) decision = { deploy: true, reason: '--force: deployed whatever the newest deployment serves' };
          else if (api) decision = decide(target, previous);
          if (dryRun) {
            if (decision && !decision.deploy) {
              console.log(`${practice}: would skip revision ${target.manifest.revision} (${where})`);
              console.log(`  why: ${decision.reason}`);
            } else {
              console.log(`${practice}: would deploy revision ${target.manifest.revision} to ${where}`);
              console.log(
                `  why: ${decision?.reason ?? `not checked (${ds.missing.join(' and ')} not set): a real deploy skips it if the newest deployment on ${target.branch} already serves output sha256:${target.output.outputHash}`}`,
              );
              console.log(`  would run: ${shellQuote([wrangler, ...target.args])}`);
              console.log('  (from an empty scratch folder, with WRANGLER_SEND_METRICS=false and CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID from the environment)');
            }
            if (decision && !decision.deploy) tally.skipped++;
            else tally.deployed++;
            continue;
          }
          if (!decision!.deploy) {
            console.log(`${practice}: nothing to deploy: ${decision!.reason}.`);
            tally.skipped++;
            continue;
          }
          console.log(`${practice}: deploying revision ${target.manifest.revision} to ${where}: ${decision!.reason}.`);
          const code = await runWrangler(ds.wrangler, target.args, process.env, path.join(root, 'functions'));
          if (code !== 0) throw new DeployError(`wrangler stopped with exit code ${code} (its output is above); the deployment to ${target.project} did not complete`);
          console.log(`${practice}: deployed revision ${target.manifest.revision} (commit ${target.manifest.commit.slice(0, 7)}) to ${target.project}.`);
          tally.deployed++;
        } catch (e) {
          if (!(e instanceof DeployError || e instanceof PagesApiError)) throw e;
          console.error(`${practice}: ${e.message}`);
          tally.failed++;
        }
      }
      console.error(
        dryRun
          ? `Dry run: ${tally.deployed} would be deployed, ${tally.skipped} skipped${tally.failed ? `, ${tally.failed} failed` : ''}; nothing was changed.`
          : `Deployed ${tally.deployed}, skipped ${tally.skipped} (output unchanged), failed ${tally.failed}.`,
      );
      return tally.failed ? 1 : 0;
    } catch (e) {
      if (!(e instanceof DeployError)) throw e;
      console.error(`pd deploy: ${e.message}`);
      return 1;
    }
  },
};
