// `pd links` on real builds: a copy of the demo content with a broken link and a broken fragment
// written into a page's Markdown fails with a table of what is wrong and how to fix it; the demo
// practices as they are pass; --external checks every link to another site, here answered by a
// local HTTP server standing in for the web.
import { appendFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { links } from '../build/cli/commands/links.ts';
import { contentCopy } from './support/content-copy.ts';
import { demoPractices, repo } from './support/demo-site.ts';

let root: string;
let server: Server;
let port: number;
const requests: string[] = [];

beforeAll(async () => {
  root = await contentCopy();
  await appendFile(
    path.join(root, 'content/practices/riverside/pages/carers.md'),
    '\n\nRead about [support for your own wellbeing](/mental-heath-support/) and [how to register someone else](/about/#registering-someone-else).\n',
  );
  await appendFile(
    path.join(root, 'content/practices/fellside/pages/carers.md'),
    '\n\nThe [carers network](https://www.example.org/gone) has closed; see [the new guide](https://www.example.org/slow).\n',
  );
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.headers['x-test-host']}${req.url}`);
    if (req.url === '/slow') return void setTimeout(() => res.end(), 3000).unref();
    res.writeHead(req.url === '/gone' ? 404 : 200);
    res.end();
  });
  port = await new Promise<number>((r) => server.listen(0, '127.0.0.1', () => r((server.address() as AddressInfo).port)));
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await rm(root, { recursive: true, force: true });
});

/** Runs `pd links` and gathers what it prints. */
async function pdLinks(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((m: string) => void out.push(m));
  vi.spyOn(console, 'error').mockImplementation((m: string) => void err.push(m));
  const code = await links.run(args);
  vi.restoreAllMocks();
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('pd links', () => {
  it('fails on a broken link and a broken fragment written in Markdown, naming the page and the fix', async () => {
    vi.stubEnv('PD_CONTENT_ROOT', root);
    const json = await pdLinks(['riverside', '--json']);
    expect(json.code).toBe(1);
    const result = JSON.parse(json.out);
    expect(result.supplier).toEqual([]);
    expect(result.external).toBeUndefined();
    expect(result.internal).toEqual([
      { page: '/carers/', link: '/mental-heath-support/', problem: 'there is no page or file at /mental-heath-support/', fix: 'did you mean /mental-health-support/? Otherwise link to a page that exists or remove the link' },
      { page: '/carers/', link: '/about/#registering-someone-else', problem: 'there is no element with id "registering-someone-else" on /about/', fix: expect.stringMatching(/^link to one of its headings \(#registering, /) },
    ]);

    const table = await pdLinks(['riverside']);
    expect(table.code).toBe(1);
    const lines = table.out.split('\n');
    expect(lines).toContain('Internal links: 2 problems');
    expect(lines.find((l) => l.startsWith('Page '))).toMatch(/^Page +Link +Problem +Fix$/);
    expect(lines.find((l) => l.includes('/mental-heath-support/'))).toMatch(/^\/carers\/ +\/mental-heath-support\/ +there is no page or file at \/mental-heath-support\/ +did you mean \/mental-health-support\/\?/);
    expect(lines).toContain('Supplier links: no problems.');
    expect(table.err).toContain('nothing is published');
  });

  it('passes each demo practice as it is', async () => {
    vi.stubEnv('PD_CONTENT_ROOT', repo);
    for (const slug of demoPractices) {
      const { code, out } = await pdLinks([slug, '--json']);
      expect({ slug, ...JSON.parse(out), revision: undefined }).toEqual({ slug, practice: slug, revision: undefined, internal: [], supplier: [] });
      expect(code, slug).toBe(0);
    }
  });

  it('checks links to other sites with --external, with progress, without failing on them', async () => {
    vi.stubEnv('PD_CONTENT_ROOT', root);
    const realFetch = globalThis.fetch;
    // Every other site is answered by the local server, which knows which one was asked for.
    vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
      const u = new URL(url);
      return realFetch(`http://127.0.0.1:${port}${u.pathname}${u.search}`, { ...init, headers: { ...(init.headers as Record<string, string>), 'x-test-host': u.host } });
    });
    const { code, out, err } = await pdLinks(['fellside', '--external', '--json', '--timeout', '300']);
    expect(code).toBe(0);
    const external = JSON.parse(out).external;
    const by = (url: string) => external.checked.find((r: { url: string }) => r.url === url);
    expect(by('https://www.example.org/gone')).toMatchObject({ status: 'broken', httpStatus: 404, pages: ['/carers/'] });
    expect(by('https://www.example.org/slow')).toMatchObject({ status: 'timeout', pages: ['/carers/'] });
    expect(external.summary.broken).toBe(1);
    expect(external.summary.timeout).toBe(1);
    expect(external.summary.ok).toBe(external.checked.length - 2);
    expect(external.checked.length).toBeGreaterThan(10);
    expect(requests).toContain('HEAD www.example.org/gone');
    const progress = err.split('\n').filter((l) => /^\s+\[\s*\d+\/\d+\]/.test(l));
    expect(progress).toHaveLength(external.checked.length);
    expect(progress.some((l) => /broken +404 https:\/\/www\.example\.org\/gone$/.test(l))).toBe(true);
  });

  it('refuses an unknown practice and a bad --timeout, with exit 2', async () => {
    vi.stubEnv('PD_CONTENT_ROOT', root);
    const unknown = await pdLinks(['nowhere']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('There is no practice "nowhere"');
    const timeout = await pdLinks(['riverside', '--timeout', 'soon']);
    expect(timeout.code).toBe(2);
    expect(timeout.err).toContain('--timeout must be a whole number of milliseconds, not "soon"');
  });
});
