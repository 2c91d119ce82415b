// Checks a link to an NHS supplier against the rules in schemas/suppliers.ts: https only, an
// exact host, an allowed path, and the practice's own ODS code wherever the link carries one.
import { nhsAppAndroidId, suppliers, type SupplierId, type SupplierRule } from '../../schemas/suppliers.ts';

export interface LinkVerdict {
  message: string;
  fix: string;
}

const rules = suppliers as Readonly<Record<SupplierId, SupplierRule>>;

/** The supplier a URL's host belongs to, if any. */
export function supplierOf(url: URL): SupplierId | undefined {
  const host = url.hostname.toLowerCase();
  for (const [id, rule] of Object.entries(rules) as [SupplierId, SupplierRule][]) {
    if (rule.hosts.includes(host) || rule.forbiddenHosts?.includes(host)) return id;
    if (rule.hostSuffixes?.some((s) => host.endsWith(s))) return id;
  }
  return undefined;
}

/**
 * Checks `href` as a link to `expected` (or to whichever supplier its host belongs to).
 * Returns undefined when the link is fine or is not a supplier link at all.
 */
export function checkSupplierLink(href: string, ods: string, expected?: SupplierId): LinkVerdict | undefined {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return { message: `"${href}" is not a web address`, fix: 'write the full address starting with https://' };
  }
  const found = supplierOf(url);
  const id = expected ?? found;
  if (!id) return undefined;
  const rule = rules[id];
  if (found !== id) {
    return {
      message: `"${url.hostname}" is not an address of ${rule.name}`,
      fix: `use an address on ${[...rule.hosts, ...(rule.hostSuffixes ?? []).map((s) => `*${s}`)].join(', ')}`,
    };
  }
  if (url.protocol !== 'https:') return { message: `links to ${rule.name} must be secure`, fix: 'start the address with https://' };
  const host = url.hostname.toLowerCase();
  if (rule.forbiddenHosts?.includes(host))
    return { message: `"${host}" serves ${rule.name}'s scripts, not a page for patients`, fix: "link to the practice's own page instead" };
  if (url.username || url.password) return { message: 'the address contains a user name or password', fix: 'remove the part before @' };
  const path = url.pathname;
  if (rule.paths && !rule.paths.some((p) => pathMatches(path, p))) {
    return { message: `${rule.name} links must go to ${rule.paths.join(', ')}`, fix: `change the address so its path starts with one of ${rule.paths.join(', ')}` };
  }
  if (rule.practicePath && path.replace(/\/+$/, '') === '')
    return { message: `the ${rule.name} link goes to the front page, not the practice's page`, fix: "use the address of the practice's own page" };
  if (rule.ods) {
    let found: string | null | undefined;
    if (rule.ods.in === 'path') {
      found = path.split('/')[rule.ods.segment];
      if (id === 'nhs-website' && !path.startsWith('/services/gp-surgery/')) found = undefined;
    } else if (pathMatches(path, rule.ods.pathPrefix)) {
      found = url.searchParams.get(rule.ods.param);
      if (!found) return { message: `the ${rule.name} link has no ${rule.ods.param}`, fix: `add ?${rule.ods.param}=${ods}` };
    }
    if (found !== undefined && found !== null && found.toUpperCase() !== ods.toUpperCase()) {
      return {
        message: `the ${rule.name} link carries the ODS code "${found}", not this practice's ${ods}`,
        fix: `use this practice's own code: ${ods}`,
      };
    }
  }
  if (host === 'play.google.com' && url.searchParams.get('id') !== nhsAppAndroidId)
    return { message: 'the Play Store link is not for the NHS App', fix: `use https://play.google.com/store/apps/details?id=${nhsAppAndroidId}` };
  return undefined;
}

function pathMatches(path: string, prefix: string): boolean {
  if (prefix === '/') return true;
  if (prefix.endsWith('/')) return path.startsWith(prefix) && path.length > prefix.length;
  return path === prefix || path.startsWith(prefix + '/');
}
