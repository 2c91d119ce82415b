// The external link checker against a real HTTP server on 127.0.0.1. The checker only checks
// https addresses, so the fetch given to it sends each test host (a.test, b.test, ...) to the
// local server, naming the host in a header; everything else (redirects, HEAD refused, time
// limits, how many requests are in flight) is real.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkExternalLinks, externalReportJson, formatExternalReport, type ExternalLink, type FetchLike } from './external-links.ts';

let server: Server;
let port: number;
let closedPort: number;
const seen: { method: string; host: string; path: string }[] = [];
const inFlight = { all: 0, maxAll: 0, byHost: new Map<string, number>(), maxByHost: new Map<string, number>() };

function handle(req: IncomingMessage, res: ServerResponse): void {
  const host = String(req.headers['x-test-host']);
  const url = new URL(req.url!, 'http://x');
  seen.push({ method: req.method!, host, path: url.pathname });
  const send = (status: number, headers: Record<string, string> = {}) => {
    res.writeHead(status, headers);
    res.end(req.method === 'HEAD' ? undefined : 'body');
  };
  const chain = /^\/chain\/(\d+)$/.exec(url.pathname);
  if (url.pathname === '/ok') return send(200);
  if (url.pathname === '/missing') return send(404);
  if (chain) return Number(chain[1]) > 0 ? send(301, { location: `/chain/${Number(chain[1]) - 1}` }) : send(200);
  if (url.pathname === '/cross') return send(302, { location: 'https://b.test/ok' });
  if (url.pathname === '/insecure') return send(302, { location: 'http://a.test/ok' });
  if (url.pathname === '/no-head') return req.method === 'HEAD' ? send(405, { allow: 'GET' }) : send(200);
  if (url.pathname === '/slow') return void setTimeout(() => send(200), 3000).unref();
  if (url.pathname.startsWith('/busy/')) {
    inFlight.all++;
    inFlight.maxAll = Math.max(inFlight.maxAll, inFlight.all);
    inFlight.byHost.set(host, (inFlight.byHost.get(host) ?? 0) + 1);
    inFlight.maxByHost.set(host, Math.max(inFlight.maxByHost.get(host) ?? 0, inFlight.byHost.get(host)!));
    setTimeout(() => {
      inFlight.all--;
      inFlight.byHost.set(host, inFlight.byHost.get(host)! - 1);
      send(200);
    }, 60);
    return;
  }
  send(500);
}

const localFetch: FetchLike = (url, init) => {
  const u = new URL(url);
  const to = u.hostname === 'down.test' ? closedPort : port;
  return fetch(`http://127.0.0.1:${to}${u.pathname}${u.search}`, { ...init, headers: { ...init.headers, 'x-test-host': u.host } });
};

const listen = (s: Server) => new Promise<number>((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)));

beforeAll(async () => {
  const closed = createServer();
  closedPort = await listen(closed);
  await new Promise((r) => closed.close(r));
  server = createServer(handle);
  port = await listen(server);
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const link = (url: string, pages = ['/']): ExternalLink => ({ url, pages });

describe('checkExternalLinks', () => {
  it('tells ok, broken, redirected, HEAD-refusing, slow and unreachable links apart', async () => {
    const progress: string[] = [];
    const links = [
      link('https://a.test/ok', ['/', '/contact/']),
      link('https://a.test/missing'),
      link('https://a.test/chain/3'),
      link('https://a.test/chain/6'),
      link('https://a.test/cross'),
      link('https://a.test/insecure'),
      link('https://b.test/no-head'),
      link('https://c.test/slow'),
      link('https://down.test/ok'),
    ];
    const report = await checkExternalLinks(links, { fetch: localFetch, timeoutMs: 300, onResult: (r, done, total) => progress.push(`${done}/${total} ${r.url}`) });
    const by = (url: string) => report.checked.find((r) => r.url === url)!;

    expect(report.checked.map((r) => r.url)).toEqual(links.map((l) => l.url));
    expect(by('https://a.test/ok')).toMatchObject({ status: 'ok', httpStatus: 200, pages: ['/', '/contact/'] });
    expect(by('https://a.test/ok').finalUrl).toBeUndefined();
    expect(by('https://a.test/missing')).toMatchObject({ status: 'broken', httpStatus: 404, reason: 'the server answered 404 Not Found' });
    expect(by('https://a.test/chain/3')).toMatchObject({
      status: 'redirected',
      httpStatus: 200,
      finalUrl: 'https://a.test/chain/0',
      redirects: ['https://a.test/chain/2', 'https://a.test/chain/1', 'https://a.test/chain/0'],
    });
    expect(by('https://a.test/chain/6')).toMatchObject({ status: 'error', httpStatus: 301, reason: 'more than 5 redirects' });
    expect(by('https://a.test/chain/6').redirects).toHaveLength(6);
    expect(by('https://a.test/cross')).toMatchObject({ status: 'redirected', finalUrl: 'https://b.test/ok' });
    expect(by('https://a.test/insecure')).toMatchObject({ status: 'error', reason: 'redirects to an insecure http: address' });
    expect(by('https://b.test/no-head')).toMatchObject({ status: 'ok', httpStatus: 200 });
    expect(seen.filter((s) => s.path === '/no-head').map((s) => s.method)).toEqual(['HEAD', 'GET']);
    expect(seen.filter((s) => s.path === '/ok' && s.host === 'a.test').map((s) => s.method)).toEqual(['HEAD']);
    expect(by('https://c.test/slow')).toMatchObject({ status: 'timeout', reason: 'no answer within 300 ms' });
    expect(by('https://c.test/slow').ms).toBeGreaterThanOrEqual(250);
    expect(by('https://c.test/slow').ms).toBeLessThan(2000);
    expect(by('https://down.test/ok')).toMatchObject({ status: 'error', reason: expect.stringContaining('ECONNREFUSED') });
    expect(progress).toHaveLength(links.length);
    expect(progress.at(-1)).toMatch(/^9\/9 /);
  });

  it('never throws on a bad or non-https address, and reports it as not checked', async () => {
    const report = await checkExternalLinks([link('http://a.test/ok'), link('not a url'), link('ftp://a.test/file'), link('https://a.test/ok')], { fetch: localFetch });
    expect(report.notChecked).toEqual([
      { url: 'http://a.test/ok', pages: ['/'], reason: 'only https addresses are checked, not http:' },
      { url: 'not a url', pages: ['/'], reason: 'not a valid web address' },
      { url: 'ftp://a.test/file', pages: ['/'], reason: 'only https addresses are checked, not ftp:' },
    ]);
    expect(report.checked.map((r) => r.status)).toEqual(['ok']);
  });

  it('keeps to 4 requests at once and 2 to any one host', async () => {
    const links = ['a', 'b', 'c'].flatMap((h) => Array.from({ length: 5 }, (_, i) => link(`https://${h}.test/busy/${i}`)));
    const report = await checkExternalLinks(links, { fetch: localFetch });
    expect(report.checked.every((r) => r.status === 'ok')).toBe(true);
    expect(inFlight.maxAll).toBe(4);
    expect([...inFlight.maxByHost.values()]).toEqual([2, 2, 2]);
  });

  it('writes a plain-text report and a JSON one', async () => {
    const report = await checkExternalLinks([link('https://a.test/ok'), link('https://a.test/missing', ['/contact/']), link('https://a.test/chain/1'), link('mailto:x@example.test')], { fetch: localFetch });
    const text = formatExternalReport(report);
    expect(text).toMatch(/^External links: 3 checked in [\d.]+ s: 1 ok, 1 redirected, 1 broken or unanswered, 1 not checked\./);
    expect(text).toContain('BROKEN  https://a.test/missing\n  the server answered 404 Not Found\n  on /contact/');
    expect(text).toContain('REDIRECTED  https://a.test/chain/1\n  now https://a.test/chain/0 (1 redirect)');
    expect(text).toContain('NOT CHECKED  mailto:x@example.test');
    const json = JSON.parse(JSON.stringify(externalReportJson(report)));
    expect(json.summary).toEqual({ ok: 1, redirected: 1, broken: 1, timeout: 0, error: 0, notChecked: 1 });
    expect(json.checked[1]).toMatchObject({ url: 'https://a.test/missing', status: 'broken', httpStatus: 404, pages: ['/contact/'] });
  });
});
