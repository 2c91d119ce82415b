// Supplier links in a built site: whatever wrote them (Markdown, a template, the practice
// profile), every link to a known NHS supplier host must keep the supplier rules with the
// practice's own ODS code, and nothing may be run or framed from another origin.
import { checkSupplierLink, supplierOf } from '../content/suppliers.ts';
import { isSameSite, isWebUrl, placeholderOrigin, readSitePages, resolveLink, type LinkProblem, type SiteFiles } from './site-links.ts';

/** Elements that run or show another site's code inside the page, not a link a patient follows. */
const embedding = new Set(['script', 'iframe', 'frame', 'embed', 'object']);

export async function checkSupplierLinks(site: SiteFiles, odsCode: string): Promise<LinkProblem[]> {
  const origin = site.origin ?? placeholderOrigin;
  const { pages } = await readSitePages(site);
  const problems: LinkProblem[] = [];
  for (const page of pages) {
    const seen = new Set<string>();
    for (const { raw, where, tag } of page.links) {
      const key = `${where} ${raw}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const url = resolveLink(raw, page.path, origin);
      if (!url || !isWebUrl(url)) continue;
      const report = (problem: string, fix: string) => problems.push({ page: page.path, link: raw, problem, fix });
      if (embedding.has(tag) && !isSameSite(url, origin)) {
        const name = supplierOf(url);
        report(
          `<${tag}> loads ${name ? 'a supplier page or script' : 'a page or script'} from ${url.host}: patient pages never run or frame another site`,
          name ? `replace it with an ordinary link to the supplier's page for this practice` : 'remove it, or serve the file from the site itself',
        );
        continue;
      }
      if (!supplierOf(url)) continue;
      const verdict = checkSupplierLink(url.href, odsCode);
      if (verdict) report(verdict.message, verdict.fix);
    }
  }
  return problems;
}
