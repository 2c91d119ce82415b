// The two things wrangler cannot do for us, done with Cloudflare's REST API: read a project's
// deployments with their full commit hash and message (`wrangler pages deployment list --json`
// shortens the hash to 7 characters and leaves the message out), and roll production back to an
// earlier deployment (wrangler has no command for it; the dashboard and
// POST /accounts/:account/pages/projects/:project/deployments/:id/rollback do).
import type { Credentials } from './settings.ts';

export interface PagesDeployment {
  id: string;
  url?: string;
  /** `production` or `preview`. */
  environment: string;
  createdOn: string;
  branch?: string;
  commitHash?: string;
  commitMessage?: string;
  /** The latest stage's name and status: a finished deployment is `deploy` / `success`. */
  stage?: string;
  status?: string;
}

export const succeeded = (d: PagesDeployment) => d.stage === 'deploy' && d.status === 'success';

export class PagesApiError extends Error {
  override name = 'PagesApiError';
  readonly status: number;
  readonly codes: number[];
  constructor(message: string, status: number, codes: number[]) {
    super(message);
    this.status = status;
    this.codes = codes;
  }
}

export interface PagesApi {
  /** One page of a project's deployments (newest first), and how many pages there are. */
  deployments(project: string, o: { environment: 'production' | 'preview'; page: number; perPage: number }): Promise<{ items: PagesDeployment[]; totalPages: number }>;
  /** Makes an earlier successful production deployment the live one. */
  rollback(project: string, deploymentId: string): Promise<PagesDeployment>;
}

interface Envelope {
  success?: boolean;
  errors?: { code?: number; message?: string }[];
  result?: unknown;
  result_info?: { total_pages?: number };
}

interface RawDeployment {
  id: string;
  url?: string;
  environment?: string;
  created_on?: string;
  deployment_trigger?: { metadata?: { branch?: string; commit_hash?: string; commit_message?: string } };
  latest_stage?: { name?: string; status?: string };
}

const toDeployment = (d: RawDeployment): PagesDeployment => ({
  id: d.id,
  ...(d.url ? { url: d.url } : {}),
  environment: d.environment ?? 'unknown',
  createdOn: d.created_on ?? '',
  ...(d.deployment_trigger?.metadata?.branch ? { branch: d.deployment_trigger.metadata.branch } : {}),
  ...(d.deployment_trigger?.metadata?.commit_hash ? { commitHash: d.deployment_trigger.metadata.commit_hash } : {}),
  ...(d.deployment_trigger?.metadata?.commit_message ? { commitMessage: d.deployment_trigger.metadata.commit_message } : {}),
  ...(d.latest_stage?.name ? { stage: d.latest_stage.name } : {}),
  ...(d.latest_stage?.status ? { status: d.latest_stage.status } : {}),
});

export interface PagesApiOptions {
  baseUrl: string;
  credentials: Credentials;
  fetch?: typeof fetch;
  /** How long to wait before retrying after 429 (tests make it instant). */
  sleep?: (ms: number) => Promise<void>;
}

export function pagesApi(o: PagesApiOptions): PagesApi {
  const doFetch = o.fetch ?? fetch;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const base = `${o.baseUrl}/accounts/${o.credentials.accountId}/pages/projects`;

  async function call(method: 'GET' | 'POST', project: string, rest: string, what: string): Promise<Envelope> {
    const url = `${base}/${encodeURIComponent(project)}${rest}`;
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await doFetch(url, {
          method,
          headers: { authorization: `Bearer ${o.credentials.token}`, 'content-type': 'application/json' },
          ...(method === 'POST' ? { body: '{}' } : {}),
          signal: AbortSignal.timeout(30_000),
        });
      } catch (e) {
        throw new PagesApiError(`could not reach the Cloudflare API to ${what}: ${(e as Error).message}`, 0, []);
      }
      // The API allows 1,200 requests per 5 minutes per user; it says how long to wait.
      if (res.status === 429 && attempt < 4) {
        const wait = Math.min(Number(res.headers.get('retry-after')) || 5, 120);
        await res.body?.cancel();
        await sleep(wait * 1000);
        continue;
      }
      const body = (await res.json().catch(() => ({}))) as Envelope;
      if (res.ok && body.success !== false) return body;
      const codes = (body.errors ?? []).map((e) => e.code ?? 0);
      const said = (body.errors ?? []).map((e) => e.message).filter(Boolean).join('; ');
      if (codes.includes(8000007))
        throw new PagesApiError(
          `the Pages project "${project}" does not exist in this Cloudflare account. Create it once with: wrangler pages project create ${project} --production-branch main (docs/operations.md, "Set-up")`,
          res.status,
          codes,
        );
      if (res.status === 401 || res.status === 403)
        throw new PagesApiError(
          `Cloudflare refused the API token when asked to ${what} (HTTP ${res.status}${said ? `: ${said}` : ''}); it needs the Account · Cloudflare Pages · Edit permission on the account in CLOUDFLARE_ACCOUNT_ID`,
          res.status,
          codes,
        );
      throw new PagesApiError(`Cloudflare could not ${what} (HTTP ${res.status}${said ? `: ${said}` : ''})`, res.status, codes);
    }
  }

  return {
    async deployments(project, q) {
      const params = new URLSearchParams({ env: q.environment, page: String(q.page), per_page: String(q.perPage) });
      const body = await call('GET', project, `/deployments?${params}`, `list the deployments of ${project}`);
      const items = (Array.isArray(body.result) ? (body.result as RawDeployment[]) : []).map(toDeployment);
      items.sort((a, b) => b.createdOn.localeCompare(a.createdOn));
      return { items, totalPages: body.result_info?.total_pages ?? 1 };
    },
    async rollback(project, deploymentId) {
      const body = await call('POST', project, `/deployments/${encodeURIComponent(deploymentId)}/rollback`, `roll ${project} back to deployment ${deploymentId}`);
      return toDeployment(body.result as RawDeployment);
    },
  };
}

/** Walks a project's deployments newest first, a page at a time, until `stop` says so or `maxPages` are read. */
export async function* eachDeployment(api: PagesApi, project: string, environment: 'production' | 'preview', maxPages = 8): AsyncGenerator<PagesDeployment> {
  for (let page = 1; page <= maxPages; page++) {
    const { items, totalPages } = await api.deployments(project, { environment, page, perPage: 25 });
    yield* items;
    if (page >= totalPages || items.length === 0) return;
  }
}
