// Links inside the practice's own writing: each internal one must lead to a page of the site, and
// each link to an NHS supplier must follow the supplier rules with this practice's own ODS code.
// (`pd links` checks the built pages too, including the theme's links and external addresses.)
import type { Entry } from '../content/practice.ts';
import { checkSupplierLink, supplierOf } from '../content/suppliers.ts';
import type { Finding, StatutoryItem } from './types.ts';

const hrefs = (html: string): string[] => [...html.matchAll(/\bhref="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));

export const linkItems: StatutoryItem[] = [
  {
    id: 'L',
    title: 'Links in the content lead somewhere real, and supplier links are the practice\'s own',
    level: 'must',
    nations: ['england', 'wales', 'scotland'],
    source: 'Domain rules for NHS supplier links (section 3); WCAG 2.2 2.4.4 Link purpose',
    check(ctx) {
      const { practice } = ctx;
      const origin = `https://${practice.profile.domain}`;
      const media = new Set(practice.media.map((m) => `/${m}`));
      const entries = [...practice.pages, ...practice.services, ...practice.news, ...practice.notices, ...Object.values(practice.policies)] as Entry<{ title: string }>[];
      const out: Finding[] = [];
      for (const e of entries)
        for (const href of hrefs(e.html)) {
          if (/^(mailto|tel|sms):/i.test(href) || href.startsWith('#')) continue;
          let url: URL;
          try {
            url = new URL(href, `${origin}/`);
          } catch {
            out.push({ message: `"${e.data.title}" has a link that is not a web address: ${href}`, fix: 'correct the address', file: e.file });
            continue;
          }
          if (url.origin === origin) {
            const path = url.pathname.endsWith('/') || /\.[a-z0-9]+$/i.test(url.pathname) ? url.pathname : `${url.pathname}/`;
            if (ctx.site && !ctx.site.urls.has(path) && !media.has(url.pathname))
              out.push({ message: `"${e.data.title}" links to ${url.pathname}, which is not a page of the site`, fix: 'link to a page that exists (see the sitemap), or remove the link', file: e.file });
            continue;
          }
          if (!supplierOf(url)) continue;
          const verdict = checkSupplierLink(url.href, practice.profile.ods_code);
          if (verdict) out.push({ message: `"${e.data.title}": ${verdict.message}`, fix: verdict.fix, file: e.file });
        }
      return out;
    },
  },
];
