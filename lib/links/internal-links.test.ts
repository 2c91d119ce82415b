// Internal links on a small built site written to a temporary folder: what resolves the way
// Cloudflare Pages would serve it passes, and each broken link or fragment is reported once per
// page with a fix.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderSite } from '../../build/cli/commands/links.ts';
import { checkInternalLinks } from './internal-links.ts';

const page = (body: string) => `<!doctype html><html lang="en"><head><title>t</title><link rel="stylesheet" href="/assets/site.css"></head><body><a href="#maincontent">Skip</a><main id="maincontent">${body}</main></body></html>`;

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), 'pd-links-internal-'));
  const files: Record<string, string> = {
    'index.html': page(`
      <a href="/about/">About</a>
      <a href="/about">About without the slash</a>
      <a href="about/index.html#team">Team</a>
      <a href="https://example.test/about/#team">Absolute, own origin</a>
      <a href="/about/#nowhere">Broken fragment on another page</a>
      <a href="#here">Here</a><h2 id="here">Here</h2>
      <a href="#gone">Broken fragment on this page</a>
      <a href="#top">Top</a>
      <a href="/missing/">Missing</a>
      <a href="/abuot/">Typo</a>
      <a href="/news/old.html">Old page</a>
      <a href="/news/old#summary">Old page, a heading without an id</a>
      <img src="/media/map.png" alt="Map" srcset="/media/map.png 1x, /media/map-2x.png 2x">
      <a href="/media/leaflet.pdf#page=2">Leaflet</a>
      <a href="https://other.example/nowhere/">Another site</a>
      <a href="mailto:reception@example.nhs.uk">Email</a>
      <a href="tel:111">111</a>
      <form action="/api/chat" method="post"></form>`),
    'about/index.html': page('<h2 id="team">Team</h2><a href="../">Home</a><a href="/missing/">Missing again</a><a href="http://example.test/">Insecure</a>'),
    'news/old.html': page('<h2>Summary</h2><p>Old</p>'),
    'assets/site.css': 'body{}',
    'media/map.png': 'png',
    'media/leaflet.pdf': 'pdf',
    '404.html': page('<a href="/">Home</a>'),
    _headers: '/*\n  X-Frame-Options: DENY\n',
  };
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(folder, name)), { recursive: true });
    await writeFile(path.join(folder, name), text);
  }
});
afterAll(() => rm(folder, { recursive: true, force: true }));

describe('checkInternalLinks', () => {
  it('reports each broken link and fragment, and nothing that Pages would serve', async () => {
    const problems = await checkInternalLinks(folderSite(folder, { origin: 'https://example.test', functionRoutes: ['/api/chat'] }));
    expect(problems.map((p) => [p.page, p.link])).toEqual([
      ['/about/', '/missing/'],
      ['/about/', 'http://example.test/'],
      ['/', '/about/#nowhere'],
      ['/', '#gone'],
      ['/', '/missing/'],
      ['/', '/abuot/'],
      ['/', '/news/old#summary'],
      ['/', '/media/map-2x.png'],
    ]);
    const by = (page: string, link: string) => problems.find((p) => p.page === page && p.link === link)!;
    expect(by('/', '/missing/')).toMatchObject({ problem: 'there is no page or file at /missing/', fix: 'link to a page that exists, or remove the link' });
    expect(by('/', '/abuot/').fix).toContain('did you mean /about/?');
    expect(by('/', '/about/#nowhere')).toMatchObject({ problem: 'there is no element with id "nowhere" on /about/', fix: expect.stringContaining('#team') });
    expect(by('/', '#gone')).toMatchObject({ problem: 'there is no element with id "gone" on this page', fix: 'link to one of its headings (#here) or add the id to the heading the link means' });
    expect(by('/', '/news/old#summary')).toMatchObject({ problem: 'there is no element with id "summary" on /news/old', fix: expect.stringContaining('its headings have no ids') });
    expect(by('/about/', 'http://example.test/')).toMatchObject({ problem: expect.stringContaining('insecure http'), fix: 'write it as a path: /' });
  });

  it('reports a link to a Pages Function path unless the site says a function answers it', async () => {
    const problems = await checkInternalLinks(folderSite(folder, { origin: 'https://example.test' }));
    expect(problems.filter((p) => p.link === '/api/chat').map((p) => p.page)).toEqual(['/']);
  });

  it('treats absolute links to another origin as external when the site has no origin of its own', async () => {
    const problems = await checkInternalLinks(folderSite(folder, { functionRoutes: ['/api/[name]'] }));
    expect(problems.map((p) => p.link)).not.toContain('https://example.test/about/#team');
    expect(problems.map((p) => p.link)).not.toContain('/api/chat');
    expect(problems.map((p) => p.link)).toContain('/about/#nowhere');
  });
});
