// Section 1, items 14–22: what must be published and kept current, and the site-wide duties.
import { coreHourGaps } from './core-hours.ts';
import { blank, inProfile, monthBefore, olderThanMonths, reviewOverdue } from './helpers.ts';
import type { Finding, StatutoryItem } from './types.ts';

const all = ['england', 'wales', 'scotland'] as const;
const england = ['england'] as const;
const regulations = 'GMS Contracts Regulations 2015 and PMS Agreements Regulations 2015 (practice leaflet and website duties)';
const contract2025 = 'NHS England GP contract 2025/26 (from 1 October 2025)';

/** The earliest financial year whose GP earnings must be out by `today` (published by 31 March for the year before). */
export function requiredEarningsYear(today: string): number {
  const year = Number(today.slice(0, 4));
  return today.slice(5) > '03-31' ? year - 2 : year - 3;
}

export const publishedItems: StatutoryItem[] = [
  {
    id: '14',
    title: 'Practice leaflet, reviewed at least every 12 months',
    level: 'must',
    nations: all,
    source: regulations,
    check(ctx) {
      const last = ctx.practice.profile.leaflet.last_reviewed;
      const out: Finding[] = [];
      if (olderThanMonths(last, 12, ctx.today))
        out.push(inProfile(ctx, 'leaflet.last_reviewed', `the practice leaflet was last reviewed on ${last}, more than 12 months ago`, 'check the leaflet page (/leaflet/) against the practice today, correct the profile, and set "last_reviewed" to today'));
      if (last > ctx.today) out.push(inProfile(ctx, 'leaflet.last_reviewed', `the leaflet review date ${last} is in the future`, 'set it to the day the leaflet was actually reviewed'));
      if (ctx.site && !ctx.site.urls.has('/leaflet/')) out.push({ message: 'the site has no practice leaflet page', fix: 'rebuild the site with the current theme, which generates /leaflet/' });
      return out;
    },
  },
  {
    id: '15',
    title: 'CQC rating and a link to the report, within 21 days of its publication',
    level: 'must',
    nations: england,
    elsewhere: 'the CQC regulates England only; Healthcare Inspectorate Wales and Healthcare Improvement Scotland do not give ratings',
    source: 'Health and Social Care Act 2008 (Regulated Activities) Regulations 2014, regulation 20A (display of ratings)',
    check(ctx) {
      const c = ctx.practice.profile.cqc;
      if (c.rating === 'not-applicable')
        return [inProfile(ctx, 'cqc.rating', 'an English practice is regulated by the CQC, but its rating is marked "not applicable"', 'set the rating from the CQC website, or "not-yet-rated" if there is none yet')];
      if (c.rating === 'not-yet-rated') return [];
      const out: Finding[] = [];
      if (!c.report_url || !/^https:\/\/(www\.)?cqc\.org\.uk\//.test(c.report_url))
        out.push(inProfile(ctx, 'cqc.report_url', 'the rating does not link to a report on the CQC website', 'link to the practice\'s page on https://www.cqc.org.uk/'));
      if (!c.report_date) out.push(inProfile(ctx, 'cqc.report_date', 'the date of the CQC report is missing', 'add the date the report was published; a new rating must be shown within 21 days of it'));
      else if (c.report_date > ctx.today) out.push(inProfile(ctx, 'cqc.report_date', `the CQC report date ${c.report_date} is in the future`, 'set the date the report was published'));
      return out;
    },
  },
  {
    id: '16',
    title: 'Friends and Family Test: how to take part, and the results',
    level: 'must',
    nations: england,
    elsewhere: 'the Friends and Family Test is an NHS England scheme',
    source: 'NHS England Friends and Family Test guidance; GMS contract',
    check(ctx) {
      const f = ctx.practice.profile.friends_and_family;
      const out: Finding[] = [];
      if (blank(f.how_to_take_part)) out.push(inProfile(ctx, 'friends_and_family.how_to_take_part', 'nothing says how to take part in the Friends and Family Test', 'say how patients can give feedback'));
      const newest = [...f.results].map((r) => r.month).sort().at(-1);
      const oldestAllowed = monthBefore(ctx.today, 3);
      if (!newest || newest < oldestAllowed)
        out.push(inProfile(ctx, 'friends_and_family.results', `the newest Friends and Family Test results are for ${newest ?? 'no month'}; results from ${oldestAllowed} or later are expected`, 'add the latest months\' results (responses and the percentage who said good or very good)'));
      return out;
    },
  },
  {
    id: '17',
    title: 'Mean GP net earnings, published yearly',
    level: 'must',
    nations: england,
    elsewhere: 'the duty to publish mean GP earnings is in the GMS contract in England',
    source: 'GMS Contracts Regulations 2015 (publication of mean GP net earnings, from 2015/16)',
    check(ctx) {
      const year = ctx.practice.profile.gp_earnings.year;
      const start = Number(/^(\d{4})\/\d{2}$/.exec(year)?.[1] ?? 0);
      const required = requiredEarningsYear(ctx.today);
      const label = `${required}/${String((required + 1) % 100).padStart(2, '0')}`;
      return start >= required
        ? []
        : [inProfile(ctx, 'gp_earnings.year', `the GP earnings shown are for ${year}; those for ${label} had to be published by 31 March ${required + 2}`, `add the mean GP earnings for ${label} or later`)];
    },
  },
  {
    id: '18',
    title: 'Online consultation available throughout core hours, with guidance not to use it for urgent problems',
    level: 'must',
    nations: england,
    elsewhere: 'an England contract requirement from October 2025',
    source: contract2025,
    check(ctx) {
      const oc = ctx.practice.profile.online_consultation;
      const out: Finding[] = [];
      const gaps = coreHourGaps(oc.hours);
      if (gaps.length)
        out.push(inProfile(ctx, 'online_consultation.hours', `online consultation is closed in core hours: ${gaps.slice(0, 3).map((g) => `${g.day} ${g.from}–${g.to}`).join(', ')}${gaps.length > 3 ? ` and ${gaps.length - 3} more` : ''}`, 'open it from 08:00 to 18:30 every weekday'));
      if (!/\b(999|111)\b/.test(oc.urgent_warning))
        out.push(inProfile(ctx, 'online_consultation.urgent_warning', 'the urgent-problems warning does not say where to go instead', 'tell patients to call 999 in an emergency, or use 111, rather than the online form'));
      return out;
    },
  },
  {
    id: '19',
    title: 'Link to the "You and your general practice" patient charter',
    level: 'must',
    nations: england,
    elsewhere: "NHS England's charter; it does not cover Wales or Scotland",
    source: contract2025,
    check(ctx) {
      const url = ctx.practice.profile.patient_charter_url;
      return /^https:\/\/www\.england\.nhs\.uk\//.test(url)
        ? []
        : [inProfile(ctx, 'patient_charter_url', `the patient charter link goes to ${url}, not NHS England's website`, 'link to https://www.england.nhs.uk/gp/you-and-your-general-practice/')];
    },
  },
  {
    id: '20',
    title: 'Accessibility statement (GOV.UK model), linked from every page',
    level: 'must',
    nations: all,
    source: 'Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018, regulation 8',
    check(ctx) {
      const statement = ctx.practice.policies.accessibility;
      const out = reviewOverdue(statement, ctx.today, 'The accessibility statement');
      if (statement.data.prepared > ctx.today) out.push({ message: `the statement's preparation date ${statement.data.prepared} is in the future`, fix: 'set "prepared" to the day it was written', file: statement.file, field: 'prepared' });
      if (ctx.site) {
        const site = ctx.site;
        const missing = [...site.urls].filter((u) => u !== statement.url && !site.linksFrom(u).includes(statement.url ?? '/accessibility-statement/'));
        if (missing.length)
          out.push({ message: `${missing.length} page${missing.length === 1 ? ' does' : 's do'} not link to the accessibility statement (${missing.slice(0, 3).join(', ')})`, fix: 'keep the link in the theme\'s footer; it must be on every page' });
      }
      return out;
    },
  },
  {
    id: '21',
    title: 'WCAG 2.2 AA',
    level: 'must',
    nations: all,
    source: 'Public Sector Bodies Accessibility Regulations 2018; WCAG 2.2 level AA',
    check(ctx) {
      const s = ctx.practice.policies.accessibility;
      const out: Finding[] = [];
      if (s.data.compliance === 'none')
        out.push({ message: 'the accessibility statement says the site is not compliant with WCAG 2.2 AA', fix: 'fix the problems it lists and update the compliance status', file: s.file, field: 'compliance' });
      s.data.non_accessible.forEach((n, i) => {
        if (n.fix_by && n.fix_by < ctx.today)
          out.push({ message: `a known accessibility problem was due to be fixed by ${n.fix_by}`, fix: 'fix it and remove it from the statement, or give a new date with the reason', file: s.file, field: `non_accessible.${i}.fix_by` });
      });
      return out;
    },
  },
  {
    id: '22',
    title: 'No non-essential cookies without consent',
    level: 'must',
    nations: all,
    source: 'Privacy and Electronic Communications Regulations 2003, regulation 6',
    // The sites set no cookies at all and load no third-party code (see docs/security.md); what
    // the practice controls is the cookies page staying accurate.
    check: (ctx) => reviewOverdue(ctx.practice.policies.cookies, ctx.today, 'The cookies page'),
  },
];
