// What the supplier-link widget checks: the fields the content model requires, the secure-address
// format, and the build's own supplier check (lib/content/suppliers.ts: https, the supplier's
// exact hosts and paths, and the practice's own ODS code wherever the link carries one).
import { formats } from '../../../schemas/formats.ts';
import { suppliers, type SupplierId, type SupplierRule } from '../../../schemas/suppliers.ts';
import { checkSupplierLink } from '../../../lib/content/suppliers.ts';
import { plain, textOf } from './plain.ts';

export interface SupplierLink {
  supplier: string;
  purpose: string;
  label: string;
  url: string;
}

export interface LinkProblem {
  field: keyof SupplierLink;
  message: string;
}

export const linkTextMax = 120;
const httpsUrl = new RegExp(formats['https-url'].pattern);
const rules = suppliers as Readonly<Record<SupplierId, SupplierRule>>;

export const isSupplier = (id: string): id is SupplierId => Object.hasOwn(rules, id);

export function toSupplierLink(value: unknown): SupplierLink {
  const o = plain(value);
  return { supplier: textOf(o, 'supplier'), purpose: textOf(o, 'purpose'), label: textOf(o, 'label'), url: textOf(o, 'url') };
}

/** "www.nhsapp.service.nhs.uk or access.login.nhs.uk", for the hint under the address. */
export function allowedHosts(id: string): string | undefined {
  if (!isSupplier(id)) return undefined;
  const r = rules[id];
  const hosts = [...r.hosts, ...(r.hostSuffixes ?? []).map((s) => `any address ending ${s}`)];
  return hosts.length > 1 ? `${hosts.slice(0, -1).join(', ')} or ${hosts.at(-1)}` : hosts[0];
}

const sentence = (s: string) => s[0]!.toUpperCase() + s.slice(1);

/** Every problem, in the order of the fields; `ods` is the practice's ODS code from the profile. */
export function supplierLinkProblems(link: SupplierLink, ods: string): LinkProblem[] {
  const out: LinkProblem[] = [];
  if (!isSupplier(link.supplier)) out.push({ field: 'supplier', message: 'Select the supplier the link goes to' });
  if (!link.purpose) out.push({ field: 'purpose', message: 'Select what the link is for' });
  const label = link.label.trim();
  if (!label) out.push({ field: 'label', message: 'Enter the link text' });
  else if (label.length > linkTextMax) out.push({ field: 'label', message: `The link text must be ${linkTextMax} characters or fewer (it is ${label.length})` });
  const url = link.url.trim();
  if (!url) out.push({ field: 'url', message: 'Enter the web address of the page the link goes to' });
  else if (!httpsUrl.test(url)) out.push({ field: 'url', message: `Enter a secure web address starting with https://, like ${formats['https-url'].example}` });
  else if (isSupplier(link.supplier)) {
    const verdict = checkSupplierLink(url, ods, link.supplier);
    if (verdict) out.push({ field: 'url', message: `${sentence(verdict.message)}: ${verdict.fix}` });
  }
  return out;
}
