// A real build of the three demo practices, fetched through the real local server.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPractices, get, startDemo, type DemoSite } from './support/demo-site.ts';

let demo: DemoSite;

beforeAll(async () => {
  demo = await startDemo();
});
afterAll(() => demo?.close());

const sitemapPaths = async (slug: string) => {
  const xml = (await get(demo.server, slug, '/sitemap.xml')).body;
  return [...xml.matchAll(/<loc>https:\/\/[^/]+(\/[^<]*)<\/loc>/g)].map((m) => m[1]!);
};

describe('the demo build', () => {
  it('builds every demo practice into a live revision', () => {
    expect(demo.report.practices.map((p) => [p.slug, p.ok, p.problems.length])).toEqual(demoPractices.map((s) => [s, true, 0]));
    for (const p of demo.report.practices) {
      expect(p.pages).toBeGreaterThanOrEqual(40);
      expect(p.manifest?.revision).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{10}$/);
    }
  });

  it('serves every page with the security headers', async () => {
    for (const slug of demoPractices) {
      for (const p of [...(await sitemapPaths(slug)), '/404.html', '/sitemap.xml', '/.well-known/security.txt', '/assets/favicon.svg']) {
        const r = await get(demo.server, slug, p);
        expect(r.status, `${slug} ${p}`).toBe(200);
        const h = r.headers;
        expect(h['strict-transport-security']).toBe('max-age=63072000; includeSubDomains; preload');
        expect(h['content-security-policy']).toBe(
          "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; manifest-src 'self'; form-action 'self'; frame-ancestors 'self'; base-uri 'none'; upgrade-insecure-requests",
        );
        expect(h['x-frame-options']).toBe('SAMEORIGIN');
        expect(h['x-content-type-options']).toBe('nosniff');
        expect(h['referrer-policy']).toBe('strict-origin-when-cross-origin');
        expect(h['permissions-policy']).toMatch(/camera=\(\)/);
        expect(h['permissions-policy']).toMatch(/microphone=\(\)/);
        expect(h['permissions-policy']).toMatch(/geolocation=\(\)/);
        expect(h['cross-origin-resource-policy']).toBe('same-origin');
        expect(h['set-cookie']).toBeUndefined();
      }
    }
  });

  it('behaves like Pages for folders, redirects and missing pages', async () => {
    const s = demo.server;
    expect((await get(s, 'riverside', '/appointments')).headers.location).toBe('/appointments/');
    expect((await get(s, 'riverside', '/appointments')).status).toBe(308);
    expect((await get(s, 'riverside', '/appointments/index.html')).headers.location).toBe('/appointments/');
    const missing = await get(s, 'riverside', '/no-such-page/');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatch(/Page not found/);
    expect(missing.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect((await get(s, 'riverside', '/_headers')).status).toBe(404);
    expect((await get(s, 'riverside', '/%2e%2e/%2e%2e/package.json')).status).toBe(404);
    expect((await get(s, 'riverside', '/', 'POST')).status).toBe(405);
    expect((await get(s, 'no-such-practice', '/')).status).toBe(404);
  });

  it('publishes a security.txt that expires in under a year (RFC 9116)', async () => {
    const r = await get(demo.server, 'fellside', '/.well-known/security.txt');
    expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(r.body).toMatch(/^Contact: mailto:\S+@\S+$/m);
    expect(r.body).toMatch(/^Canonical: https:\/\/fellside-surgery\.example\/\.well-known\/security\.txt$/m);
    const expires = new Date(/^Expires: (\S+)$/m.exec(r.body)![1]!);
    const days = (expires.getTime() - new Date('2026-12-04T12:00:00Z').getTime()) / 86400000;
    expect(days).toBeGreaterThan(300);
    expect(days).toBeLessThan(365);
  });

  it('labels every page of a fictional practice, shows the emergency callout and links the accessibility statement', async () => {
    for (const p of await sitemapPaths('afon-teifi')) {
      const body = (await get(demo.server, 'afon-teifi', p)).body;
      expect(body, p).toMatch(/is a fictional GP practice/);
      expect(body, p).toMatch(/In an emergency call 999/);
      expect(body, p).toMatch(/href="\/accessibility-statement\/"/);
      expect(body, p).toMatch(/<a\s+class="nhsuk-skip-link"[^>]*href="#maincontent"/);
    }
  });

  it('shows live notices and leaves expired ones out', async () => {
    const home = (await get(demo.server, 'riverside', '/')).body;
    expect(home).toMatch(/Winter vaccines and busy phone lines/);
    expect(home).not.toMatch(/Millbrook closed for repairs/);
  });

  it('shows review dates on content pages, and the Welsh practice points to 111 by phone', async () => {
    const page = (await get(demo.server, 'riverside', '/appointments/')).body;
    expect(page).toMatch(/Page last reviewed: \d{1,2} \w+ 2026/);
    expect(page).toMatch(/Next review due: \d{1,2} \w+ 2027/);
    const wales = (await get(demo.server, 'afon-teifi', '/')).body;
    expect(wales).not.toMatch(/111\.nhs\.uk/);
    expect(wales).toMatch(/href="tel:111"/);
  });

  it('gives external links rel="noopener noreferrer" and leaves internal links alone', async () => {
    const page = (await get(demo.server, 'riverside', '/online-services/')).body;
    const external = [...page.matchAll(/<a [^>]*href="https?:[^"]*"[^>]*>/g)].map((m) => m[0]);
    expect(external.length).toBeGreaterThan(0);
    for (const a of external) expect(a).toMatch(/rel="noopener noreferrer"/);
  });

  it('loads nothing from another origin and carries no inline script or style', async () => {
    for (const slug of demoPractices) {
      const folder = (await demo.store.liveFolder(slug))!;
      const files = (await readdir(folder, { recursive: true })).filter((f) => f.endsWith('.html'));
      for (const f of files) {
        const html = await readFile(path.join(folder, f), 'utf8');
        expect(html, f).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
        expect(html, f).not.toMatch(/<style/);
        expect(html, f).not.toMatch(/\sstyle="/);
        for (const m of html.matchAll(/<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)="([^"]+)"/g)) {
          // The canonical link names the site's own production origin; nothing else may be absolute.
          if (m[0].includes('rel="canonical"')) expect(m[1], f).toMatch(/^https:\/\/[a-z0-9-]+\.example\//);
          else expect(m[1], f).not.toMatch(/^(https?:)?\/\//);
        }
      }
      const css = await readFile(path.join(folder, (await readdir(path.join(folder, 'assets'))).find((f) => f.endsWith('.css'))!.replace(/^/, 'assets/')), 'utf8');
      expect(css).not.toMatch(/@font-face|assets\.nhs\.uk|https?:\/\//);
    }
  });

  it('writes a sitemap of every page and a robots.txt that keeps fictional sites out of search', async () => {
    const paths = await sitemapPaths('riverside');
    expect(paths).toContain('/');
    expect(paths).toContain('/contact/');
    expect(paths).toContain('/accessibility-statement/');
    expect(paths.length).toBeGreaterThanOrEqual(40);
    expect((await get(demo.server, 'riverside', '/robots.txt')).body).toMatch(/Disallow: \//);
  });
});
