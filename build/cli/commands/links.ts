import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { listPractices, loadPractice } from '../../../lib/content/load-practice.ts';
import { formatProblem } from '../../../lib/content/problems.ts';
import { checkExternalLinks, externalLinksOf, externalReportJson, formatExternalReport, type ExternalReport } from '../../../lib/links/external-links.ts';
import { checkInternalLinks } from '../../../lib/links/internal-links.ts';
import type { LinkProblem, SiteFiles } from '../../../lib/links/site-links.ts';
import { checkSupplierLinks } from '../../../lib/links/supplier-links.ts';
import { fsReader } from '../../node/fs-reader.ts';
import { repoRoot } from '../../node/paths.ts';
import { loadSettings } from '../../node/settings.ts';
import { buildSites } from '../../pipeline/build-sites.ts';
import type { Command } from '../commands.ts';

/** A built site in a folder on disk. */
export function folderSite(folder: string, o: { origin?: string; functionRoutes?: readonly string[] } = {}): SiteFiles {
  return {
    ...o,
    async listFiles() {
      const entries = await readdir(folder, { recursive: true, withFileTypes: true });
      return entries.filter((e) => e.isFile()).map((e) => path.relative(folder, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
    },
    readText: (file) => readFile(path.join(folder, ...file.split('/')), 'utf8'),
  };
}

/** The paths the practice sites' Pages Functions answer (`functions/api/chat.ts` answers /api/chat). */
export async function pagesFunctionRoutes(root: string): Promise<string[]> {
  const dir = path.join(root, 'functions');
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && /\.(ts|js)$/.test(e.name) && !e.name.startsWith('_') && !e.name.endsWith('.test.ts'))
    .map((e) => `/${path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/')}`.replace(/\.(ts|js)$/, '').replace(/(^|\/)index$/, '/'))
    .sort();
}

export const links: Command = {
  summary: "Check a practice's links: internal links and fragments, supplier links, and optionally other sites",
  usage: 'links <practice> [--external] [--json] [--timeout <ms>]',
  help: [
    "Builds the practice's current content into a temporary folder (nothing is published) and checks",
    'every link in every page:',
    '',
    '  internal  every link to the site itself reaches a page or file, and every #fragment an id',
    '  supplier  every link to an NHS supplier keeps the supplier rules with the practice\'s own ODS',
    '            code, and no script or frame is loaded from another site',
    '  external  (only with --external) every https link to another site answers, checked over the',
    '            network: HEAD first, 4 at a time, at most 2 at a time to one host',
    '',
    'Options:',
    '  --external      also check links to other sites over the network',
    '  --json          print JSON for programs',
    '  --timeout <ms>  time allowed for each external request (default 10000)',
    '',
    'Exits 1 if an internal or supplier link is broken (external sites come and go, so their',
    'results are reported but do not fail the command); 2 on bad input.',
  ].join('\n'),
  async run(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { external: { type: 'boolean' }, json: { type: 'boolean' }, timeout: { type: 'string' } } });
    const timeoutMs = values.timeout === undefined ? 10_000 : Number(values.timeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1) {
      console.error(`--timeout must be a whole number of milliseconds, not "${values.timeout}"`);
      return 2;
    }
    const root = repoRoot();
    const settings = loadSettings(root);
    const all = await listPractices(fsReader(settings.contentRoot));
    const slug = positionals[0];
    if (!slug || positionals.length > 1 || !all.includes(slug)) {
      console.error(slug ? `There is no practice "${positionals.join(' ')}". Practices: ${all.join(', ')}` : `Name the practice to check, like: pd links ${all[0] ?? 'riverside'}`);
      return 2;
    }

    const tmp = await mkdtemp(path.join(os.tmpdir(), `pd-links-${slug}-`));
    try {
      // A private store, so checking never changes what is live.
      const store = { ...settings, storeDir: path.join(tmp, 'store'), distDir: path.join(tmp, 'dist') };
      console.error(`• Building ${slug} into a temporary folder (nothing is published)`);
      const report = await buildSites({ root, contentRoot: settings.contentRoot, practices: [slug], settings: store });
      const built = report.practices[0];
      if (!built?.ok || !built.manifest) {
        for (const p of built?.problems ?? []) console.error(formatProblem(p));
        console.error(`${slug} does not build, so its links cannot be checked; fix the problems above (pd validate ${slug} lists them too).`);
        return 1;
      }
      const { practice } = await loadPractice(fsReader(settings.contentRoot), slug);
      const site = folderSite(path.join(store.storeDir, slug, 'revisions', built.manifest.revision), {
        origin: `https://${practice!.profile.domain}`,
        functionRoutes: await pagesFunctionRoutes(root),
      });

      console.error(`• Checking the links in its ${built.pages} pages`);
      const internal = await checkInternalLinks(site);
      const supplier = await checkSupplierLinks(site, practice!.profile.ods_code);
      let external: ExternalReport | undefined;
      if (values.external) {
        const targets = await externalLinksOf(site);
        console.error(`• Checking ${targets.length} links to other sites`);
        external = await checkExternalLinks(targets, {
          fetch: (url, init) => fetch(url, init),
          timeoutMs,
          onResult: (r, done, total) => console.error(`  [${String(done).padStart(String(total).length)}/${total}] ${r.status.padEnd(10)} ${r.httpStatus ?? '   '} ${r.url}`),
        });
      }

      if (values.json) {
        console.log(JSON.stringify({ practice: slug, revision: built.manifest.revision, internal, supplier, ...(external ? { external: externalReportJson(external) } : {}) }, null, 2));
      } else {
        printSection('Internal links', internal);
        printSection('Supplier links', supplier);
        if (external) console.log(`\n${formatExternalReport(external)}`);
      }
      return internal.length || supplier.length ? 1 : 0;
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  },
};

function printSection(title: string, problems: readonly LinkProblem[]): void {
  if (!problems.length) {
    console.log(`${title}: no problems.`);
    return;
  }
  console.log(`${title}: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
  console.log(table(['Page', 'Link', 'Problem', 'Fix'], problems.map((p) => [p.page, p.link, p.problem, p.fix])));
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(head), line(widths.map((w, i) => '-'.repeat(i === widths.length - 1 ? head[i]!.length : w))), ...rows.map(line)].join('\n');
}
