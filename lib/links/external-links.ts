// Checks links to other sites over the network, politely: HEAD first (GET only when a server
// refuses HEAD), a time limit on each request, a few requests at once and no more than two at
// a time to any one host, and redirects followed by hand so each hop is seen and counted.
import { isSameSite, placeholderOrigin, readSitePages, resolveLink, type SiteFiles } from './site-links.ts';

export type FetchLike = (url: string, init: { method: string; redirect: 'manual'; signal: AbortSignal; headers?: Record<string, string> }) => Promise<Response>;

export interface ExternalLink {
  url: string;
  /** URL paths of the pages that link to it. */
  pages: string[];
}

export interface ExternalLinkResult {
  url: string;
  status: 'ok' | 'redirected' | 'broken' | 'timeout' | 'error';
  /** The last HTTP status received. */
  httpStatus?: number;
  /** Where the redirects ended, when there were any. */
  finalUrl?: string;
  /** Every address redirected to, in order. */
  redirects?: string[];
  /** Why a link is broken, timed out or in error, in words. */
  reason?: string;
  ms: number;
  pages: string[];
}

export interface NotChecked {
  url: string;
  reason: string;
  pages: string[];
}

export interface ExternalReport {
  checked: ExternalLinkResult[];
  notChecked: NotChecked[];
  ms: number;
}

export interface ExternalCheckOptions {
  fetch: FetchLike;
  /** Time allowed for each request, in milliseconds (default 10 000). */
  timeoutMs?: number;
  /** Links checked at once (default 4). */
  concurrency?: number;
  /** Requests in flight to one host at once (default 2). */
  perHost?: number;
  /** Redirects followed before giving up (default 5). */
  maxRedirects?: number;
  /** Called after each link is checked, for progress output. */
  onResult?: (result: ExternalLinkResult, done: number, total: number) => void;
}

/** Every link from the site to another site, with the pages it is on, in address order. */
export async function externalLinksOf(site: SiteFiles): Promise<ExternalLink[]> {
  const origin = site.origin ?? placeholderOrigin;
  const { pages } = await readSitePages(site);
  const byUrl = new Map<string, Set<string>>();
  for (const page of pages)
    for (const { raw } of page.links) {
      const url = resolveLink(raw, page.path, origin);
      // mailto:, tel: and sms: cannot be checked over the web, and are not what this is for.
      if (url && !/^(https?|ftp):$/.test(url.protocol)) continue;
      if (url && isSameSite(url, origin)) continue;
      const key = url ? withoutFragment(url) : raw;
      (byUrl.get(key) ?? byUrl.set(key, new Set()).get(key)!).add(page.path);
    }
  return [...byUrl].sort(([a], [b]) => a.localeCompare(b)).map(([url, on]) => ({ url, pages: [...on].sort() }));
}

export async function checkExternalLinks(links: readonly ExternalLink[], o: ExternalCheckOptions): Promise<ExternalReport> {
  const started = performance.now();
  const timeoutMs = o.timeoutMs ?? 10_000;
  const concurrency = Math.max(1, o.concurrency ?? 4);
  const perHost = Math.max(1, o.perHost ?? 2);
  const maxRedirects = o.maxRedirects ?? 5;

  const notChecked: NotChecked[] = [];
  const queue: { url: URL; link: ExternalLink }[] = [];
  for (const link of links) {
    let url: URL;
    try {
      url = new URL(link.url);
    } catch {
      notChecked.push({ url: link.url, pages: link.pages, reason: 'not a valid web address' });
      continue;
    }
    if (url.protocol !== 'https:') notChecked.push({ url: link.url, pages: link.pages, reason: `only https addresses are checked, not ${url.protocol}` });
    else queue.push({ url, link });
  }

  const hosts = hostSlots(perHost);
  const checked: ExternalLinkResult[] = [];
  const total = queue.length;

  const checkOne = async (start: URL, link: ExternalLink, release: () => void): Promise<ExternalLinkResult> => {
    const t0 = performance.now();
    const done = (r: Omit<ExternalLinkResult, 'url' | 'ms' | 'pages'>): ExternalLinkResult => ({ url: link.url, ...r, ms: Math.round(performance.now() - t0), pages: link.pages });
    let url = start;
    let releaseHost = release;
    const redirects: string[] = [];
    try {
      for (;;) {
        let res: Response;
        try {
          res = await request(o.fetch, url, timeoutMs);
        } catch (e) {
          const timedOut = (e as Error).name === 'TimeoutError' || (e as Error).name === 'AbortError';
          return done({
            status: timedOut ? 'timeout' : 'error',
            reason: timedOut ? `no answer within ${timeoutMs} ms` : `the request failed: ${errorText(e)}`,
            ...(redirects.length ? { redirects, finalUrl: url.href } : {}),
          });
        }
        const location = res.headers.get('location');
        if (res.status >= 300 && res.status < 400 && location) {
          let next: URL;
          try {
            next = new URL(location, url);
          } catch {
            return done({ status: 'error', httpStatus: res.status, reason: `redirects to "${location}", which is not a valid address`, redirects });
          }
          redirects.push(next.href);
          if (redirects.length > maxRedirects)
            return done({ status: 'error', httpStatus: res.status, reason: `more than ${maxRedirects} redirects`, redirects, finalUrl: next.href });
          if (next.protocol !== 'https:')
            return done({ status: 'error', httpStatus: res.status, reason: `redirects to an insecure ${next.protocol} address`, redirects, finalUrl: next.href });
          // Hold one host's slot at a time: give this one back before waiting for the next.
          if (next.host !== url.host) {
            releaseHost();
            releaseHost = await hosts.acquire(next.host);
          }
          url = next;
          continue;
        }
        const base = { httpStatus: res.status, ...(redirects.length ? { redirects, finalUrl: url.href } : {}) };
        if (res.ok) return done({ status: redirects.length ? 'redirected' : 'ok', ...base });
        return done({ status: 'broken', reason: `the server answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`, ...base });
      }
    } finally {
      releaseHost();
    }
  };

  const worker = async () => {
    for (;;) {
      const job = await hosts.takeNext(queue, (j) => j.url.host);
      if (!job) return;
      const result = await checkOne(job.item.url, job.item.link, job.release);
      checked.push(result);
      o.onResult?.(result, checked.length, total);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));

  const order = new Map(links.map((l, i) => [l.url, i]));
  checked.sort((a, b) => order.get(a.url)! - order.get(b.url)!);
  return { checked, notChecked, ms: Math.round(performance.now() - started) };
}

/** HEAD, then GET when the server says it does not do HEAD. The body of a GET is not read. */
async function request(fetch: FetchLike, url: URL, timeoutMs: number): Promise<Response> {
  const init = (method: string) => ({ method, redirect: 'manual' as const, signal: AbortSignal.timeout(timeoutMs) });
  const head = await fetch(url.href, init('HEAD'));
  if (head.status !== 405 && head.status !== 501) return head;
  await head.body?.cancel().catch(() => {});
  const get = await fetch(url.href, init('GET'));
  await get.body?.cancel().catch(() => {});
  return get;
}

/** Counts requests in flight per host, and hands out work only to hosts with a free slot. */
function hostSlots(perHost: number) {
  const inFlight = new Map<string, number>();
  let wake: (() => void)[] = [];
  const changed = () => new Promise<void>((r) => wake.push(r));
  const release = (host: string) => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      inFlight.set(host, (inFlight.get(host) ?? 1) - 1);
      const waiting = wake;
      wake = [];
      for (const w of waiting) w();
    };
  };
  const take = (host: string) => {
    inFlight.set(host, (inFlight.get(host) ?? 0) + 1);
    return release(host);
  };
  const free = (host: string) => (inFlight.get(host) ?? 0) < perHost;
  return {
    async acquire(host: string): Promise<() => void> {
      while (!free(host)) await changed();
      return take(host);
    },
    async takeNext<T>(queue: T[], hostOf: (item: T) => string): Promise<{ item: T; release: () => void } | undefined> {
      for (;;) {
        if (!queue.length) return undefined;
        const i = queue.findIndex((item) => free(hostOf(item)));
        if (i >= 0) {
          const item = queue.splice(i, 1)[0]!;
          return { item, release: take(hostOf(item)) };
        }
        await changed();
      }
    },
  };
}

function withoutFragment(url: URL): string {
  const copy = new URL(url.href);
  copy.hash = '';
  return copy.href;
}

function errorText(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  return [err.message, err.cause?.code ?? err.cause?.message].filter(Boolean).join(': ');
}

/** A plain-text report: what is wrong first, then redirects, then what was not checked. */
export function formatExternalReport(report: ExternalReport): string {
  const lines: string[] = [];
  const bad = report.checked.filter((r) => r.status !== 'ok' && r.status !== 'redirected');
  const moved = report.checked.filter((r) => r.status === 'redirected');
  const ok = report.checked.length - bad.length - moved.length;
  lines.push(`External links: ${report.checked.length} checked in ${(report.ms / 1000).toFixed(1)} s: ${ok} ok, ${moved.length} redirected, ${bad.length} broken or unanswered, ${report.notChecked.length} not checked.`);
  for (const r of bad) {
    lines.push('', `${r.status.toUpperCase()}  ${r.url}`, `  ${r.reason ?? ''}${r.finalUrl ? ` (after redirects to ${r.finalUrl})` : ''}`, `  on ${r.pages.join(', ')}`);
    lines.push(`  fix: ${r.status === 'broken' ? 'find the page\'s new address or remove the link' : 'try the link by hand; if it stays down, find another source or remove the link'}`);
  }
  for (const r of moved) lines.push('', `REDIRECTED  ${r.url}`, `  now ${r.finalUrl} (${r.redirects?.length ?? 0} redirect${r.redirects?.length === 1 ? '' : 's'})`, `  on ${r.pages.join(', ')}`, '  fix: link to the new address');
  for (const n of report.notChecked) lines.push('', `NOT CHECKED  ${n.url}`, `  ${n.reason}`, `  on ${n.pages.join(', ')}`);
  return lines.join('\n');
}

/** The report as plain data for JSON.stringify. */
export function externalReportJson(report: ExternalReport): ExternalReport & { summary: Record<ExternalLinkResult['status'] | 'notChecked', number> } {
  const summary = { ok: 0, redirected: 0, broken: 0, timeout: 0, error: 0, notChecked: report.notChecked.length };
  for (const r of report.checked) summary[r.status]++;
  return { summary, ...report };
}
