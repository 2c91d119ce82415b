// What `pd deploy` and `pd rollback live --production` read from the environment: the Pages
// project naming, the wrangler to run, the Cloudflare API and the two secrets. Secrets are read
// by name and handed on; they are never printed, logged or put on a command line.
import path from 'node:path';

export class DeployError extends Error {
  override name = 'DeployError';
}

/** The branch Practice Digital's Pages projects are created with as their production branch. */
export const productionBranch = 'main';
/** Prepended to a practice's slug to name its Pages project, unless PD_PAGES_PROJECT_PREFIX says otherwise. */
export const defaultProjectPrefix = 'pd-';
export const cloudflareApi = 'https://api.cloudflare.com/client/v4';

export interface Credentials {
  token: string;
  accountId: string;
}

export interface DeploySettings {
  projectPrefix: string;
  /** The wrangler executable: PD_WRANGLER, or the project's own node_modules/.bin/wrangler. */
  wrangler: string;
  /** Base URL of the Cloudflare REST API (v4). */
  apiUrl: string;
  /** The secrets, when both are set. */
  credentials?: Credentials;
  /** The names of the secrets that are not set. */
  missing: string[];
}

const projectPattern = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

export function deploySettings(root: string, env: NodeJS.ProcessEnv = process.env): DeploySettings {
  const projectPrefix = env.PD_PAGES_PROJECT_PREFIX ?? defaultProjectPrefix;
  if (!/^[a-z0-9-]*$/.test(projectPrefix))
    throw new DeployError(`PD_PAGES_PROJECT_PREFIX may hold only lower-case letters, digits and hyphens (a Pages project name is part of a host name), not "${projectPrefix}"`);
  const apiUrl = (env.PD_CLOUDFLARE_API_URL ?? cloudflareApi).replace(/\/+$/, '');
  // Anything but Cloudflare itself (or a stand-in on this machine, for tests) would be handed the token.
  if (!apiUrl.startsWith('https://api.cloudflare.com/') && !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(`${apiUrl}/`))
    throw new DeployError(`PD_CLOUDFLARE_API_URL must be ${cloudflareApi} (or a loopback address, for tests): the API token is sent to it`);
  const token = env.CLOUDFLARE_API_TOKEN?.trim();
  const accountId = env.CLOUDFLARE_ACCOUNT_ID?.trim();
  const missing = [...(token ? [] : ['CLOUDFLARE_API_TOKEN']), ...(accountId ? [] : ['CLOUDFLARE_ACCOUNT_ID'])];
  if (accountId && !/^[0-9a-f]{32}$/.test(accountId))
    throw new DeployError('CLOUDFLARE_ACCOUNT_ID is not a Cloudflare account ID (32 hexadecimal characters, shown on the account home page of the dashboard)');
  return {
    projectPrefix,
    wrangler: env.PD_WRANGLER ? path.resolve(root, env.PD_WRANGLER) : path.join(root, 'node_modules', '.bin', 'wrangler'),
    apiUrl,
    ...(token && accountId ? { credentials: { token, accountId } } : {}),
    missing,
  };
}

/** The sentence `pd` prints when a secret is missing: the names only, never a value. */
export function missingSecrets(missing: string[]): string {
  const names = missing.join(' and ');
  return [
    `${names} ${missing.length === 1 ? 'is' : 'are'} not set in the environment.`,
    'Deploying needs both: an API token with the Account · Cloudflare Pages · Edit permission, and the',
    'ID of the account holding the Pages projects. In CI they come from the repository secrets of the',
    'same names; locally, export them in your shell. See docs/operations.md, "Set-up".',
  ].join('\n');
}

/** One Pages project per practice: the prefix and the slug, or the name given with --project. */
export function pagesProject(practice: string, prefix: string, override?: string): string {
  const name = override ?? `${prefix}${practice}`;
  // The name becomes <name>.pages.dev, so it must be a DNS label (RFC 1035: at most 63 characters).
  if (!projectPattern.test(name) || name.length > 63)
    throw new DeployError(
      `"${name}" cannot be a Pages project name: use lower-case letters, digits and hyphens, at most 63 characters, starting and ending with a letter or digit`,
    );
  return name;
}
