// Turns a checked practice into the list of pages its site has, each with the data its view
// needs. Templates only lay out what this prepares: no dates are compared or lists filtered there.
import { topTasks, weekdays } from '../../schemas/fields.ts';
import { nations } from '../../schemas/model.ts';
import { livePractice } from '../../lib/content/lifecycle.ts';
import type { Entry, Practice } from '../../lib/content/practice.ts';
import type { Notice, PracticeProfile } from '../../schemas/generated/types.ts';
import { formatDate, formatSessions } from './format.ts';
import { leafletView, type LeafletView } from './leaflet.ts';
import { statementView, type StatementView } from './accessibility-statement.ts';

export type View =
  | 'home'
  | 'content'
  | 'contact'
  | 'about'
  | 'team'
  | 'services'
  | 'news'
  | 'accessibility'
  | 'leaflet'
  | 'not-found'
  | 'sitemap'
  | 'robots'
  | 'security-txt';

export interface Crumb {
  text: string;
  href: string;
}

export interface Route {
  /** Path on the practice's own origin, like /appointments/. */
  url: string;
  /** Where Eleventy writes it, relative to the build output. */
  outputPath: string;
  view: View;
  title: string;
  summary?: string;
  breadcrumbs: Crumb[];
  /** Rendered Markdown, for views that have a body. */
  html?: string;
  entry?: Entry<unknown>;
  reviewed?: { last: string; next: string };
  /** The practice leaflet's prepared content (view 'leaflet'). */
  leaflet?: LeafletView;
  /** The accessibility statement's wording choices (view 'accessibility'). */
  statement?: StatementView;
  /** Not listed in the sitemap (error pages, text files). */
  unlisted?: boolean;
  /** The main-navigation address shown as current on this page ('' when none is). */
  currentNav: string;
  site: SiteView;
}

export interface NavItem {
  text: string;
  href: string;
}

export interface SiteView {
  slug: string;
  practice: Practice;
  profile: PracticeProfile;
  origin: string;
  nationName: string;
  wales: boolean;
  nav: NavItem[];
  footerNav: NavItem[];
  /** Notices live at build time, with where they show. */
  notices: { entry: Entry<Notice>; everyPage: boolean; html: string }[];
  tasks: { key: string; text: string; href: string }[];
  hours: { name: string; kind: string; rows: { day: string; text: string }[] }[];
  consultationHours: { day: string; text: string }[];
  builtAt: string;
  revision: string;
  securityTxtExpires: string;
}

export interface SiteOptions {
  now: Date;
  revision: string;
}

const dayName = (d: string) => d[0]!.toUpperCase() + d.slice(1);

export function siteView(content: Practice, o: SiteOptions): SiteView {
  // Pages, services and news waiting for their publish time or past their end are left out here,
  // so every route, list, link and the chatbot's index (built from this view) agree.
  const practice = livePractice(content, o.now);
  const p = practice.profile;
  const nowIso = o.now.toISOString();
  const live = practice.notices.filter((n) => n.data.starts <= nowIso && nowIso < n.data.expires);
  const pageFor = (task: string) => practice.pages.find((pg) => pg.data.task === task);
  const tasks = topTasks.flatMap(({ value, label }) => {
    const href = value === 'contact' ? '/contact/' : pageFor(value)?.url;
    return href ? [{ key: value, text: label, href }] : [];
  });
  const navFrom = (place: string) =>
    practice.pages.filter((pg) => pg.data.nav?.place === place).map((pg) => ({ text: pg.data.title, href: pg.url! }));
  const expires = new Date(o.now.getTime() + 330 * 86400000);
  return {
    slug: practice.slug,
    practice,
    profile: p,
    origin: `https://${p.domain}`,
    nationName: nations.find((n) => n.value === p.nation)!.label,
    wales: p.nation === 'wales',
    nav: [...navFrom('main'), { text: 'Contact us', href: '/contact/' }],
    footerNav: [
      ...navFrom('footer'),
      { text: 'About the practice', href: '/about/' },
      { text: 'Our team', href: '/team/' },
      { text: 'Services', href: '/services/' },
      { text: 'News', href: '/news/' },
      { text: 'Printable practice leaflet', href: '/leaflet/' },
      ...Object.values(practice.policies).map((e) => ({ text: (e.data as { title: string }).title, href: e.url! })),
    ],
    notices: live.map((entry) => ({ entry, everyPage: entry.data.placement === 'all', html: entry.html })),
    tasks,
    hours: p.premises.map((pr) => ({
      name: pr.name,
      kind: pr.kind,
      rows: weekdays.map((d) => ({ day: dayName(d), text: formatSessions(pr.hours[d]) })),
    })),
    consultationHours: weekdays.map((d) => ({ day: dayName(d), text: formatSessions(p.online_consultation.hours[d]) })),
    builtAt: nowIso,
    revision: o.revision,
    securityTxtExpires: expires.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

export function routesFor(site: SiteView): Route[] {
  const { practice } = site;
  const home: Crumb = { text: 'Home', href: '/' };
  const out: Route[] = [];
  const add = (r: Omit<Route, 'outputPath' | 'site' | 'currentNav'> & { outputPath?: string }) =>
    out.push({
      ...r,
      site,
      outputPath: `${site.slug}${r.outputPath ?? `${r.url}index.html`}`,
      currentNav: site.nav.find((n) => n.href === r.url)?.href ?? '',
    });
  const reviewed = (d: { last_reviewed: string; review_by: string }) => ({
    last: formatDate(d.last_reviewed),
    next: formatDate(d.review_by),
  });

  add({ url: '/', view: 'home', title: site.profile.name, summary: site.profile.introduction, breadcrumbs: [] });
  add({ url: '/contact/', view: 'contact', title: 'Contact us and opening hours', breadcrumbs: [home] });
  add({ url: '/about/', view: 'about', title: 'About the practice', breadcrumbs: [home] });
  add({ url: '/team/', view: 'team', title: 'Our team', breadcrumbs: [home] });
  add({ url: '/services/', view: 'services', title: 'Services and clinics', breadcrumbs: [home] });
  add({ url: '/news/', view: 'news', title: 'News', breadcrumbs: [home] });
  const leaflet = leafletView(site);
  add({
    url: '/leaflet/',
    view: 'leaflet',
    title: 'Practice leaflet',
    summary: `Everything patients need to know about ${site.profile.name} on one page, ready to print.`,
    breadcrumbs: [home],
    leaflet,
  });
  for (const pg of practice.pages)
    add({ url: pg.url!, view: 'content', title: pg.data.title, summary: pg.data.summary, html: pg.html, entry: pg, breadcrumbs: [home], reviewed: reviewed(pg.data) });
  for (const s of practice.services)
    add({
      url: s.url!,
      view: 'content',
      title: s.data.title,
      summary: s.data.summary,
      html: s.html,
      entry: s,
      breadcrumbs: [home, { text: 'Services and clinics', href: '/services/' }],
      reviewed: reviewed(s.data),
    });
  for (const n of practice.news)
    add({ url: n.url!, view: 'content', title: n.data.title, summary: n.data.summary, html: n.html, entry: n, breadcrumbs: [home, { text: 'News', href: '/news/' }] });
  for (const [name, e] of Object.entries(practice.policies)) {
    const d = e.data as { title: string; summary?: string; last_reviewed: string; review_by: string };
    add({
      url: e.url!,
      view: name === 'accessibility' ? 'accessibility' : 'content',
      statement: name === 'accessibility' ? statementView(practice.policies.accessibility.data) : undefined,
      title: d.title,
      summary: d.summary,
      html: e.html,
      entry: e,
      breadcrumbs: [home],
      reviewed: reviewed(d),
    });
  }
  add({ url: '/404.html', outputPath: '/404.html', view: 'not-found', title: 'Page not found', breadcrumbs: [], unlisted: true });
  add({ url: '/sitemap.xml', outputPath: '/sitemap.xml', view: 'sitemap', title: 'Sitemap', breadcrumbs: [], unlisted: true });
  add({ url: '/robots.txt', outputPath: '/robots.txt', view: 'robots', title: 'Robots', breadcrumbs: [], unlisted: true });
  add({
    url: '/.well-known/security.txt',
    outputPath: '/.well-known/security.txt',
    view: 'security-txt',
    title: 'Security',
    breadcrumbs: [],
    unlisted: true,
  });
  return out;
}
