// Whether an entry is on the site at a given moment. Pages, services and news posts may carry
// `publish_at` (not before) and `expires` (not from then on); notices always carry `starts` and
// `expires`. Everything that builds a practice's site asks `livePractice`, so a page that is
// waiting or has ended is missing from every place at once: its own page, the lists, navigation,
// the home-page tasks, the sitemap, the chatbot's index and other pages' links.
// Runtime-neutral.
import type { Entry, Practice } from './practice.ts';

export interface Lifecycle {
  /** ISO instant (the loader turns UK local times into UTC). */
  publish_at?: string;
  expires?: string;
}

/** True when an entry with these dates is on the site at `now`: published, and not yet expired. */
export function isLiveAt(data: Lifecycle, now: Date): boolean {
  const t = now.getTime();
  if (data.publish_at && Date.parse(data.publish_at) > t) return false;
  if (data.expires && Date.parse(data.expires) <= t) return false;
  return true;
}

const scheduled = ['pages', 'services', 'news'] as const;

/** The entries (pages, services, news) that are not on the site at `now`. */
export function hiddenEntries(practice: Practice, now: Date): Entry<Lifecycle>[] {
  return scheduled.flatMap((k) => (practice[k] as Entry<Lifecycle>[]).filter((e) => !isLiveAt(e.data, now)));
}

/**
 * The practice as its site shows it at `now`: waiting and expired pages, services and news left
 * out, and links to them in the remaining entries' text turned into plain text, so no page points
 * at an address that does not exist. The same object comes back when nothing is hidden.
 */
export function livePractice(practice: Practice, now: Date): Practice {
  const hidden = hiddenEntries(practice, now);
  if (!hidden.length) return practice;
  const gone = new Set(hidden.map((e) => e.url).filter((u): u is string => Boolean(u)));
  const keep = <T>(list: Entry<T>[]) => list.filter((e) => isLiveAt(e.data as Lifecycle, now)).map((e) => unlinked(e, gone, practice.profile.domain));
  const policies = Object.fromEntries(
    Object.entries(practice.policies).map(([k, e]) => [k, unlinked(e as Entry<unknown>, gone, practice.profile.domain)]),
  ) as unknown as Practice['policies'];
  return {
    ...practice,
    pages: keep(practice.pages),
    services: keep(practice.services),
    news: keep(practice.news),
    notices: practice.notices.map((e) => unlinked(e, gone, practice.profile.domain)),
    policies,
  };
}

/** Every moment at which something on the practice's site appears or leaves, earliest first. */
export function scheduledMoments(practice: Practice): Date[] {
  const times = new Set<number>();
  const add = (at: string | undefined) => {
    const t = at ? Date.parse(at) : Number.NaN;
    if (!Number.isNaN(t)) times.add(t);
  };
  for (const k of scheduled) for (const e of practice[k] as Entry<Lifecycle>[]) (add(e.data.publish_at), add(e.data.expires));
  for (const n of practice.notices) (add(n.data.starts), add(n.data.expires));
  return [...times].sort((a, b) => a - b).map((t) => new Date(t));
}

/** The moments after `after` and at or before `upTo`: a site built at `after` is out of date at `upTo` if there are any. */
export function momentsBetween(practice: Practice, after: Date, upTo: Date): Date[] {
  return scheduledMoments(practice).filter((d) => d.getTime() > after.getTime() && d.getTime() <= upTo.getTime());
}

const anchor = /<a\b[^>]*?\bhref="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi;

function unlinked<T>(entry: Entry<T>, gone: ReadonlySet<string>, domain: string): Entry<T> {
  if (!entry.html.includes('<a')) return entry;
  const html = entry.html.replace(anchor, (whole, href: string, inner: string) => (gone.has(sitePath(href, domain)) ? inner : whole));
  return html === entry.html ? entry : { ...entry, html };
}

/** `/flu/`, `/flu`, `/flu/#when` and `https://<domain>/flu/` all name the page at `/flu/`. */
function sitePath(href: string, domain: string): string {
  let p = href.replace(/&amp;/g, '&').split(/[?#]/)[0]!;
  const own = `https://${domain}`;
  if (p.toLowerCase().startsWith(own.toLowerCase())) p = p.slice(own.length) || '/';
  if (!p.startsWith('/')) return '';
  return p.endsWith('/') ? p : `${p}/`;
}
