// Section 1, items 8–13: who provides care, patients' rights, information and the commissioner.
import { blank, inProfile, reviewOverdue } from './helpers.ts';
import type { Finding, StatutoryItem } from './types.ts';

const all = ['england', 'wales', 'scotland'] as const;
const regulations = 'GMS Contracts Regulations 2015 and PMS Agreements Regulations 2015 (practice leaflet and website duties)';
// Roles whose holders provide clinical services and so must show their qualifications.
const clinicalRoles = new Set(['gp-partner', 'salaried-gp', 'gp-registrar', 'advanced-nurse-practitioner', 'practice-nurse', 'pharmacist', 'physician-associate', 'healthcare-assistant']);
const qualificationRequired = new Set([...clinicalRoles].filter((r) => r !== 'healthcare-assistant'));

export const peopleItems: StatutoryItem[] = [
  {
    id: '8',
    title: 'Staff with full names and professional qualifications; who runs the practice; training-practice status',
    level: 'must',
    nations: all,
    source: regulations,
    check(ctx) {
      const { team, profile } = ctx.practice;
      const out: Finding[] = [];
      if (!team.some((m) => clinicalRoles.has(m.data.role)))
        out.push({ message: 'the team lists nobody who provides clinical services', fix: 'add the GPs, nurses and other clinicians under Team', file: `${ctx.practice.dir}/team/` });
      for (const m of team) {
        if (m.data.name.trim().split(/\s+/).length < 2)
          out.push({ message: `"${m.data.name}" is not a full name`, fix: 'give the first name and surname', file: m.file, field: 'name' });
        if (qualificationRequired.has(m.data.role) && !m.data.qualifications.length)
          out.push({ message: `${m.data.name} has no professional qualifications listed`, fix: 'list their qualifications, like MBChB, MRCGP or RGN', file: m.file, field: 'qualifications' });
      }
      if (blank(profile.ownership)) out.push(inProfile(ctx, 'ownership', 'nothing says who runs the practice', 'name the partners, or the company and its registered number'));
      if (team.some((m) => m.data.role === 'gp-registrar') && !profile.training_practice)
        out.push(inProfile(ctx, 'training_practice', 'the team has a GP registrar but the practice is not marked as a training practice', 'set "training_practice: true"'));
      return out;
    },
  },
  {
    id: '9',
    title: 'Every patient has a named accountable GP, and may say which practitioner they prefer',
    level: 'must',
    nations: all,
    source: regulations,
    check(ctx) {
      const text = ctx.practice.profile.accountable_gp;
      const out: Finding[] = [];
      if (!/\bnamed\b/i.test(text)) out.push(inProfile(ctx, 'accountable_gp', 'the statement does not say that every patient has a named GP', 'say that every patient has a named GP responsible for their overall care'));
      if (!/\b(prefer|preference|would like to see|choose|which (gp|doctor|practitioner|nurse))\b/i.test(text))
        out.push(inProfile(ctx, 'accountable_gp', 'the statement does not mention the right to a preferred practitioner', 'say that patients can tell the practice which GP or nurse they would like to see'));
      return out;
    },
  },
  {
    id: '10',
    title: 'Complaints procedure',
    level: 'must',
    nations: all,
    source: 'Local Authority Social Services and NHS Complaints (England) Regulations 2009; National Health Service (Concerns, Complaints and Redress Arrangements) (Wales) Regulations 2011',
    check: (ctx) => reviewOverdue(ctx.practice.policies.complaints, ctx.today, 'The complaints page'),
  },
  {
    id: '11',
    title: "Patients' rights and responsibilities; zero tolerance of violent or abusive behaviour",
    level: 'must',
    nations: all,
    source: regulations,
    check: (ctx) => [
      ...reviewOverdue(ctx.practice.policies['rights-and-responsibilities'], ctx.today, 'The rights and responsibilities page'),
      ...reviewOverdue(ctx.practice.policies['zero-tolerance'], ctx.today, 'The zero tolerance page'),
    ],
  },
  {
    id: '12',
    title: 'Who can see patient information; privacy notice; national data opt-out',
    level: 'must',
    nations: all,
    source: 'UK GDPR Articles 13–14; NHS England national data opt-out policy',
    check(ctx) {
      const out = reviewOverdue(ctx.practice.policies.privacy, ctx.today, 'The privacy notice');
      const optOut = ctx.practice.profile.data_opt_out;
      if (blank(optOut)) out.push(inProfile(ctx, 'data_opt_out', 'nothing explains the national data opt-out', 'explain the national data opt-out and how to use it'));
      else if (ctx.practice.profile.nation === 'england' && !/opt[- ]out/i.test(optOut))
        out.push(inProfile(ctx, 'data_opt_out', 'the data opt-out text does not name the national data opt-out', 'call it the "national data opt-out" so patients can find it'));
      return out;
    },
  },
  {
    id: '13',
    title: 'Commissioner contact details (the integrated care board; the health board in Wales and Scotland)',
    level: 'must',
    nations: all,
    source: regulations,
    check(ctx) {
      const icb = ctx.practice.profile.icb;
      return blank(icb.name) || blank(icb.phone) || blank(icb.website)
        ? [inProfile(ctx, 'icb', "the commissioner's name, phone or website is missing", 'give the name, phone number and website of the integrated care board (or health board)')]
        : [];
    },
  },
];
