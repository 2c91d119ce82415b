// `pd rollback content <practice> --to <commit>`: the same content rollback practice managers
// make from the portal, from the command line: a new commit on main restoring the practice's
// folder as it was at that commit (with Rollback-of), then a build that publishes it.
import git from 'isomorphic-git';
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { RollbackError, rollbackContent as restore } from '../../../lib/cms/rollback.ts';
import { formatProblem } from '../../../lib/content/problems.ts';
import { createLocalGitStore } from '../../../lib/git-store/local.ts';
import { GatewayError } from '../../../lib/cms/gateway-error.ts';
import { repoRoot } from '../../node/paths.ts';
import { loadSettings } from '../../node/settings.ts';
import { buildSites } from '../../pipeline/build-sites.ts';
import { revisionStore } from '../../publish/revision-store.ts';
import { findRepositoryRoot, withCheckoutSync } from '../../serve/checkout-sync.ts';

export const rollbackContentUsage = 'rollback content <practice> --to <commit> [--as "Name <email>"] [--no-build]';

async function whoIsActing(dir: string, as: string | undefined): Promise<{ name: string; email: string } | string> {
  if (as) {
    const m = /^\s*(.+?)\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(as);
    return m ? { name: m[1]!, email: m[2]! } : `--as must look like "Name <email>", not "${as}"`;
  }
  const name = await git.getConfig({ fs, dir, path: 'user.name' }).catch(() => undefined);
  const email = await git.getConfig({ fs, dir, path: 'user.email' }).catch(() => undefined);
  return name && email ? { name: String(name), email: String(email) } : 'say who is rolling back: --as "Name <email>" (or set git config user.name and user.email)';
}

export async function rollbackContent(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { to: { type: 'string' }, as: { type: 'string' }, 'no-build': { type: 'boolean' } } });
  const practice = positionals[0];
  if (!practice || !values.to) {
    console.error(`Usage: pd ${rollbackContentUsage}`);
    return 2;
  }
  const root = repoRoot();
  const settings = loadSettings(root);
  const dir = findRepositoryRoot(settings.contentRoot);
  if (!dir || dir !== settings.contentRoot) {
    console.error(`The content at ${settings.contentRoot} is not the top of a git repository, so it has no history to roll back.`);
    return 2;
  }
  if (!fs.existsSync(`${dir}/content/practices/${practice}`)) {
    console.error(`There is no practice "${practice}" in ${dir}/content/practices.`);
    return 2;
  }
  const who = await whoIsActing(dir, values.as);
  if (typeof who === 'string') {
    console.error(who);
    return 2;
  }
  let to = values.to;
  try {
    to = await git.expandOid({ fs, dir, oid: values.to });
  } catch {
    console.error(`Commit "${values.to}" is not in this repository (or the short id is ambiguous): give more of it.`);
    return 2;
  }
  const store = withCheckoutSync(createLocalGitStore({ fs, dir }), { dir });
  let result;
  try {
    result = await restore(store, { practice, to, author: who, role: 'developer' });
  } catch (e) {
    if (e instanceof RollbackError) {
      console.error(`Not rolled back: ${e.message}.`);
      return e.status === 409 ? 1 : 2;
    }
    if (e instanceof GatewayError) {
      console.error(`Not rolled back: ${e.message}`);
      return 1;
    }
    throw e;
  }
  console.log(`Rolled back ${practice} to ${to.slice(0, 7)} as commit ${result.commit.slice(0, 7)} (${result.paths.length} file${result.paths.length === 1 ? '' : 's'}):`);
  for (const p of result.paths) console.log(`  ${p}`);
  if (values['no-build']) return 0;
  const log = (m: string) => console.log(`${new Date().toLocaleTimeString('en-GB')}  ${m}`);
  const report = await buildSites({ root, contentRoot: settings.contentRoot, settings, store: revisionStore(settings.storeDir), practices: [practice], onProgress: log });
  for (const p of report.practices) for (const problem of p.problems) log(formatProblem(problem));
  return report.practices.every((p) => p.ok) ? 0 : 1;
}
