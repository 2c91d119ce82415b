import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DeployError, deploySettings, missingSecrets, pagesProject, productionBranch } from '../../deploy/settings.ts';
import { displayWrangler, pagesDeployArgs, runWrangler, shellQuote } from '../../deploy/wrangler.ts';
import { repoRoot } from '../../node/paths.ts';
import { loadSettings } from '../../node/settings.ts';
import { buildPortal } from '../../portal/build-portal.ts';
import type { Command } from '../commands.ts';

export const defaultPortalProject = 'pd-portal';

export const portal: Command = {
  summary: 'Build the portal for production, or deploy it to its Cloudflare Pages project',
  usage: 'portal build|deploy --supabase-url <url> --anon-key <key> [--out <dir>] [--project <name>] [--dry-run]',
  help: [
    'build: the portal pages (dashboard, members, account, notices, history, the editor) with',
    "the Supabase project's URL and public anon key in /portal-config.json, into --out (default",
    'dist-portal/).',
    '',
    'deploy: builds, then uploads the pages with the portal API and hooks (portal-functions/) to',
    `the Pages project (--project, default ${defaultPortalProject}) with \`wrangler pages deploy\`.`,
    'Needs CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID; the Functions\' settings live in the',
    'project (portal-functions/README.md).',
    '',
    'Options:',
    '  --supabase-url <url>  the Supabase project, https://<ref>.supabase.co (or SUPABASE_URL)',
    '  --anon-key <key>      its public anon key (or SUPABASE_ANON_KEY); never the service role key',
    '  --out <dir>           where the pages are built',
    '  --project <name>      the Pages project',
    '  --dry-run             build, and print the deploy command instead of running it',
  ].join('\n'),
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { 'supabase-url': { type: 'string' }, 'anon-key': { type: 'string' }, out: { type: 'string' }, project: { type: 'string' }, 'dry-run': { type: 'boolean' } },
    });
    const action = positionals[0];
    if (action !== 'build' && action !== 'deploy') {
      console.error('use: pd portal build|deploy --supabase-url <url> --anon-key <key>');
      return 2;
    }
    const supabaseUrl = (values['supabase-url'] ?? process.env.SUPABASE_URL ?? '').replace(/\/+$/, '');
    const anonKey = values['anon-key'] ?? process.env.SUPABASE_ANON_KEY ?? '';
    if (!/^https:\/\/[^/\s]+$/.test(supabaseUrl)) {
      console.error(`--supabase-url must be the Supabase project's https address, like https://abcd.supabase.co, not "${supabaseUrl.slice(0, 80)}"`);
      return 2;
    }
    // The service role key is a JWT too: its role claim tells them apart, so it never reaches a browser.
    if (!anonKey || /service_role/.test(jwtRole(anonKey))) {
      console.error(anonKey ? 'that key is the service role key: give the public anon key, which browsers may hold' : '--anon-key is missing: give the project\'s public anon key');
      return 2;
    }
    const root = repoRoot();
    const settings = loadSettings(root);
    const outDir = path.resolve(values.out ?? path.join(root, 'dist-portal'));
    const built = await buildPortal({ root, outDir, cacheDir: settings.cacheDir, authUrl: supabaseUrl, anonKey });
    console.error(`Built the portal: ${built.files.length} files in ${outDir}.`);
    if (action === 'build') return 0;
    try {
      const ds = deploySettings(root);
      const project = pagesProject('portal', '', values.project ?? defaultPortalProject);
      const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
      const subject = execFileSync('git', ['log', '-1', '--format=%s'], { cwd: root, encoding: 'utf8' }).trim();
      const wranglerArgs = pagesDeployArgs({ folder: outDir, project, branch: productionBranch, commit, message: `pd: portal | ${subject}`.slice(0, 380) });
      const line = shellQuote([displayWrangler(ds.wrangler, root), ...wranglerArgs]);
      if (values['dry-run']) {
        console.log(`Would deploy the portal to ${project}, with the Functions in portal-functions/:\n  ${line}`);
        return 0;
      }
      if (!ds.credentials) throw new DeployError(missingSecrets(['CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_ACCOUNT_ID'].filter((n) => !process.env[n])));
      const code = await runWrangler(ds.wrangler, wranglerArgs, process.env, path.join(root, 'portal-functions'));
      if (code !== 0) throw new DeployError(`wrangler exited with ${code}; nothing else was changed`);
      console.log(`Deployed the portal (commit ${commit.slice(0, 7)}) to ${project}.`);
      return 0;
    } catch (e) {
      if (!(e instanceof DeployError)) throw e;
      console.error(`portal: ${e.message}`);
      return 1;
    }
  },
};

function jwtRole(key: string): string {
  try {
    const payload = key.split('.')[1];
    return payload ? String(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')).role ?? '') : '';
  } catch {
    return '';
  }
}
