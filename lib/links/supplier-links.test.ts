// Supplier links on a small built site written to a temporary folder: the rules are the content
// checks' own (checkSupplierLink), applied to what was built, with the practice's ODS code.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderSite } from '../../build/cli/commands/links.ts';
import { checkSupplierLink } from '../content/suppliers.ts';
import { checkSupplierLinks } from './supplier-links.ts';

const ods = 'Z99901';
let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), 'pd-links-supplier-'));
  const files: Record<string, string> = {
    'index.html': `<!doctype html><html><head><script src="/assets/theme.js"></script></head><body>
      <a href="https://gp-registration.nhs.uk/Z99901">Register</a>
      <a href="https://gp-registration.nhs.uk/Y00001">Register (another practice)</a>
      <a href="https://www.nhs.uk/services/gp-surgery/riverside/Z99901">Our NHS profile</a>
      <a href="https://www.gov.uk/">Not a supplier</a>
      <a href="tel:111">111</a>
      </body></html>`,
    'online-consultation/index.html': `<!doctype html><html><body>
      <a href="https://accurx.nhs.uk/patient-initiated/y00001">Accurx for another practice</a>
      <a href="http://111.nhs.uk/">111 over http</a>
      <script src="https://assets.webgp.com/widget.js"></script>
      <iframe src="https://www.youtube-nocookie.com/embed/abc" title="Video"></iframe>
      <iframe src="/media/map.html" title="Map"></iframe>
      </body></html>`,
  };
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(folder, name)), { recursive: true });
    await writeFile(path.join(folder, name), text);
  }
});
afterAll(() => rm(folder, { recursive: true, force: true }));

describe('checkSupplierLinks', () => {
  it("reports supplier links with another practice's ODS code, insecure supplier links and off-site scripts and frames", async () => {
    const problems = await checkSupplierLinks(folderSite(folder, { origin: 'https://riverside-medical.example' }), ods);
    expect(problems.map((p) => [p.page, p.link])).toEqual([
      ['/', 'https://gp-registration.nhs.uk/Y00001'],
      ['/online-consultation/', 'https://accurx.nhs.uk/patient-initiated/y00001'],
      ['/online-consultation/', 'http://111.nhs.uk/'],
      ['/online-consultation/', 'https://assets.webgp.com/widget.js'],
      ['/online-consultation/', 'https://www.youtube-nocookie.com/embed/abc'],
    ]);
    // The same words as the content checks give, so an editor sees one message for one mistake.
    const verdict = checkSupplierLink('https://gp-registration.nhs.uk/Y00001', ods)!;
    expect(problems[0]).toMatchObject({ problem: verdict.message, fix: verdict.fix });
    expect(problems[0]!.problem).toContain('"Y00001", not this practice\'s Z99901');
    expect(problems[2]!.problem).toBe('links to NHS 111 online must be secure');
    expect(problems[3]).toMatchObject({ problem: expect.stringContaining('<script> loads a supplier page or script from assets.webgp.com'), fix: expect.stringContaining('ordinary link') });
    expect(problems[4]!.problem).toContain('<iframe> loads a page or script from www.youtube-nocookie.com');
  });

  it("passes the same site for the practice whose code the links carry, except the embeds", async () => {
    const problems = await checkSupplierLinks(folderSite(folder, { origin: 'https://riverside-medical.example' }), 'Y00001');
    expect(problems.map((p) => p.link)).toEqual([
      'https://gp-registration.nhs.uk/Z99901',
      'https://www.nhs.uk/services/gp-surgery/riverside/Z99901',
      'http://111.nhs.uk/',
      'https://assets.webgp.com/widget.js',
      'https://www.youtube-nocookie.com/embed/abc',
    ]);
  });
});
