// The practice leaflet (/leaflet/): the profile, team, services and policies gathered into the one
// document a practice must keep up to date and be able to hand over on paper. Nothing in it is
// typed by hand, so it cannot drift from the rest of the site.
import type { SiteView } from './routes.ts';
import { formatDate } from './format.ts';

export interface LeafletLink {
  text: string;
  href: string;
}

export interface LeafletView {
  /** The site's address without the scheme, printed after internal links on paper. */
  address: string;
  booking: LeafletLink[];
  prescriptions: LeafletLink[];
  /** The site's own pages on booking and prescriptions, when the practice has them. */
  appointmentsPage?: string;
  prescriptionsPage?: string;
  /** Role is left as its stored value: the template shows its label, as the team page does. */
  team: { name: string; jobTitle?: string; role: string; qualifications: string }[];
  services: LeafletLink[];
  policies: { complaints: string; privacy: string; rights: string; zeroTolerance: string };
  lastReviewed: string;
  nextReview: string;
}

/** The purposes of an online service that let a patient book or ask for an appointment. */
const bookingPurposes: readonly string[] = ['appointments', 'consultation'];

// The CMS preview builds every route from content still being edited, so a missing list or date
// here gives an empty line, not an exception that would stop the preview of an unrelated page.
export function leafletView(site: SiteView): LeafletView {
  const { practice, profile: p } = site;
  const online = (purposes: readonly string[]) =>
    (p.online_services ?? []).filter((s) => purposes.includes(s.purpose)).map((s) => ({ text: s.label, href: s.url }));
  const taskPage = (task: string) => site.tasks.find((t) => t.key === task)?.href;
  const last = p.leaflet?.last_reviewed;
  return {
    address: p.domain,
    booking: online(bookingPurposes),
    prescriptions: online(['prescriptions']),
    appointmentsPage: taskPage('appointments'),
    prescriptionsPage: taskPage('prescriptions'),
    team: practice.team.map((m) => ({
      name: m.data.name,
      jobTitle: m.data.job_title,
      role: m.data.role,
      qualifications: (m.data.qualifications ?? []).join(', '),
    })),
    services: practice.services.map((s) => ({ text: s.data.title, href: s.url! })),
    policies: {
      complaints: practice.policies.complaints?.url ?? '/complaints/',
      privacy: practice.policies.privacy?.url ?? '/privacy/',
      rights: practice.policies['rights-and-responsibilities']?.url ?? '/rights-and-responsibilities/',
      zeroTolerance: practice.policies['zero-tolerance']?.url ?? '/zero-tolerance/',
    },
    lastReviewed: last ? formatDate(last) : '',
    nextReview: last ? formatDate(yearAfter(last)) : '',
  };
}

/** The date a year on (29 February becomes 28 February): the leaflet's review is due yearly. */
export function yearAfter(ymd: string): string {
  const [y, m, d] = ymd.slice(0, 10).split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y + 1, m, 0)).getUTCDate();
  return `${y + 1}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}
