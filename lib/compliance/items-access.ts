// Section 1, items 1–7: how patients reach the practice, register, and get care.
import { coreHourGaps } from './core-hours.ts';
import { blank, inProfile, olderThanMonths, profileFile, taskPage } from './helpers.ts';
import type { StatutoryItem } from './types.ts';

const all = ['england', 'wales', 'scotland'] as const;
const regulations = 'GMS Contracts Regulations 2015 and PMS Agreements Regulations 2015 (practice leaflet and website duties)';

export const accessItems: StatutoryItem[] = [
  {
    id: '1',
    title: 'Name, premises, phone, and every way to book appointments and order repeat prescriptions',
    level: 'must',
    nations: all,
    source: `${regulations}; NHS England GP website guidance`,
    check(ctx) {
      const p = ctx.practice.profile;
      const out = [];
      for (const [task, what] of [
        ['appointments', 'making, changing or cancelling an appointment'],
        ['prescriptions', 'ordering repeat prescriptions'],
      ] as const)
        if (!taskPage(ctx, task))
          out.push({ message: `no page is marked as the one about ${what}`, fix: `add "task: ${task}" to the page that explains it (or write one)`, file: `${ctx.practice.dir}/pages/` });
      // The site must agree with the NHS.UK profile; the practice confirms it at least yearly.
      if (olderThanMonths(p.nhs_profile.last_reviewed, 12, ctx.today))
        out.push(
          inProfile(ctx, 'nhs_profile.last_reviewed', `the NHS website profile was last checked against this site on ${p.nhs_profile.last_reviewed}, more than 12 months ago`, 'compare the NHS website profile with this site, correct either, and set "last_reviewed" to today'),
        );
      return out;
    },
  },
  {
    id: '2',
    title: 'Opening hours, and how to reach the practice throughout core hours (08:00–18:30 Monday to Friday)',
    level: 'must',
    nations: all,
    source: `${regulations}; GMS contract core hours`,
    check(ctx) {
      const p = ctx.practice.profile;
      if (!blank(p.core_hours)) return [];
      // The doors may close at lunchtime; patients must still be told how to reach the practice.
      const gaps = coreHourGaps(p.premises[0]!.hours).map((g) => `${g.day} ${g.from}–${g.to}`);
      return [inProfile(ctx, 'core_hours', `nothing says how to reach the practice in core hours${gaps.length ? ` (the doors are closed ${gaps.slice(0, 3).join(', ')})` : ''}`, 'say how patients reach the practice from 08:00 to 18:30 on weekdays, including when the doors are closed')];
    },
  },
  {
    id: '3',
    title: 'Out-of-hours arrangements: NHS 111 (online or call), 999 in an emergency',
    level: 'must',
    nations: all,
    source: regulations,
    check(ctx) {
      const text = ctx.practice.profile.out_of_hours;
      const out = [];
      if (!/\b111\b/.test(text)) out.push(inProfile(ctx, 'out_of_hours', 'the out-of-hours section does not mention NHS 111', 'say that patients can use NHS 111 online or call 111 when the practice is closed'));
      if (!/\b999\b/.test(text)) out.push(inProfile(ctx, 'out_of_hours', 'the out-of-hours section does not mention 999', 'say to call 999 in an emergency'));
      return out;
    },
  },
  {
    id: '4',
    title: 'How to register, online where the national service exists; no proof of address or ID needed',
    level: 'must',
    nations: all,
    source: 'NHS England GP registration guidance (Primary Medical Care Policy and Guidance Manual)',
    check(ctx) {
      const p = ctx.practice.profile;
      const out = [];
      const how = p.registration.how;
      // Patients are put off by a demand for documents; the guidance says none are needed.
      if (/\b(must|need to|have to|will need|are required to|please)\s+(bring|provide|show|send)\b[^.]*\b(proof|ID|identification|passport|utility bill)/i.test(how))
        out.push(inProfile(ctx, 'registration.how', 'the registration text asks for proof of address or identity', 'remove the demand: nobody needs proof of address or ID to register'));
      else if (!/\b(no|not|don't|do not|without)\b[^.]*\bproof\b/i.test(how))
        out.push(inProfile(ctx, 'registration.how', 'the registration text does not say that no proof of address or ID is needed', 'add a sentence like "You do not need proof of address or ID to register."'));
      if (ctx.practice.profile.nation === 'england') {
        const expected = `https://gp-registration.nhs.uk/${p.ods_code}`;
        if (p.registration.online_url.replace(/\/+$/, '') !== expected)
          out.push(inProfile(ctx, 'registration.online_url', `the online registration address is ${p.registration.online_url}, not the national service for this practice`, `set it to ${expected}`));
      }
      return out;
    },
  },
  {
    id: '5',
    title: 'Practice boundary, including the outer boundary',
    level: 'must',
    nations: all,
    source: regulations,
    check(ctx) {
      const b = ctx.practice.profile.boundary;
      const out = [];
      if (!b.postcodes.length && !b.map && b.description.trim().length < 40)
        out.push(inProfile(ctx, 'boundary', 'the boundary is not described in enough detail to tell whether an address is inside it', 'list the postcode districts, add a map with a description, or describe the area street by street'));
      if (!/\bouter\b/i.test(b.description))
        out.push(inProfile(ctx, 'boundary.description', 'the boundary description does not mention the outer boundary', 'say where existing patients who move house can stay registered (the outer boundary)'));
      return out;
    },
  },
  {
    id: '6',
    title: 'Services offered; home-visit criteria and how to ask for one',
    level: 'must',
    nations: all,
    source: regulations,
    check(ctx) {
      const out = [];
      if (!ctx.practice.services.length) out.push({ message: 'no services or clinics are listed', fix: 'add the services the practice offers under Services and clinics', file: `${ctx.practice.dir}/services/` });
      if (blank(ctx.practice.profile.home_visits)) out.push(inProfile(ctx, 'home_visits', 'nothing says who can have a home visit or how to ask', 'describe who can have a home visit and how to ask for one'));
      return out;
    },
  },
  {
    id: '7',
    title: 'Repeat prescriptions, and dispensing arrangements for a dispensing practice',
    level: 'must',
    nations: all,
    source: regulations,
    check(ctx) {
      const p = ctx.practice.profile;
      const out = [];
      if (!taskPage(ctx, 'prescriptions'))
        out.push({ message: 'no page explains how to order repeat prescriptions', fix: 'add "task: prescriptions" to the page that explains it (or write one)', file: `${ctx.practice.dir}/pages/` });
      if (p.dispensing.dispensing && blank(p.dispensing.arrangements))
        out.push({ message: 'a dispensing practice must describe its dispensing arrangements', fix: 'say who can use the dispensary and how', file: profileFile(ctx), field: 'dispensing.arrangements' });
      return out;
    },
  },
];
