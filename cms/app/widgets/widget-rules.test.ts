// The three widgets' checks: their messages, and that they refuse exactly what the build refuses
// (the rules in lib/content/rules.ts and lib/content/suppliers.ts, run on a real practice).
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPractice } from '../../../lib/content/load-practice.ts';
import { pageRules, profileRules } from '../../../lib/content/rules.ts';
import type { Page, PracticeProfile } from '../../../schemas/generated/types.ts';
import { memReader, practiceTree } from '../../../test/support/content-copy.ts';
import { hoursProblems, toWeek, weekdays, type Week } from './opening-hours-rules.ts';
import { daysUntil, defaultReviewBy, dueText, reviewDateProblem } from './review-date-rules.ts';
import { allowedHosts, supplierLinkProblems, toSupplierLink } from './supplier-link-rules.ts';

let profile: PracticeProfile;

beforeAll(async () => {
  const { practice, problems } = await loadPractice(memReader(await practiceTree('riverside')), 'riverside');
  expect(problems).toEqual([]);
  profile = practice!.profile;
});

/** Decap hands widgets Immutable.js values for what came from a file. */
const immutable = (value: unknown) => ({ toJS: () => value });

describe('opening hours', () => {
  const week = (monday: { opens: string; closes: string }[]): Week => ({ ...toWeek({}), monday });

  it('reads a week from Decap (immutable or plain), with missing days closed', () => {
    const w = toWeek(immutable({ monday: [{ opens: '08:00', closes: '18:30' }], tuesday: [] }));
    expect(w.monday).toEqual([{ opens: '08:00', closes: '18:30' }]);
    expect(Object.keys(w)).toEqual([...weekdays]);
    expect(w.sunday).toEqual([]);
    expect(toWeek(undefined).friday).toEqual([]);
  });

  it('says which day and session is wrong, and how to put it right', () => {
    expect(hoursProblems(week([{ opens: '8am', closes: '' }]))).toEqual([
      { day: 'monday', session: 0, field: 'opens', message: 'Monday: enter the opening time on the 24-hour clock with a colon, like 08:00' },
      { day: 'monday', session: 0, field: 'closes', message: 'Monday: enter the closing time, like 18:30' },
    ]);
    expect(hoursProblems(week([{ opens: '18:00', closes: '09:00' }]))[0]!.message).toBe('Monday: the closing time (09:00) must be after the opening time (18:00)');
    expect(hoursProblems(week([{ opens: '08:00', closes: '13:00' }, { opens: '12:00', closes: '18:00' }]))[0]!.message).toBe(
      'Monday, session 2: it opens at 12:00, before the session before it closes (13:00); list sessions in order without overlaps',
    );
    expect(hoursProblems(week([{ opens: '08:00', closes: '12:30' }, { opens: '13:30', closes: '18:30' }]))).toEqual([]);
  });

  it('refuses exactly the sessions the build refuses', () => {
    const times = ['00:00', '07:59', '08:00', '12:30', '13:00', '18:30', '23:59'];
    let compared = 0;
    for (const a of times)
      for (const b of times)
        for (const c of [undefined, '12:00', '13:00', '20:00']) {
          const sessions = c ? [{ opens: a, closes: b }, { opens: c, closes: '21:00' }] : [{ opens: a, closes: b }];
          const hours = week(sessions);
          const build = profileRules({ ...profile, premises: profile.premises.map((p, i) => (i === 0 ? { ...p, hours } : p)) }).filter((p) => p.path[0] === 'premises');
          expect(hoursProblems(hours).length > 0, JSON.stringify(sessions)).toBe(build.length > 0);
          compared++;
        }
    expect(compared).toBe(196);
  });
});

describe('supplier links', () => {
  const link = { supplier: 'nhs-app', purpose: 'appointments', label: 'Book in the NHS App', url: 'https://www.nhsapp.service.nhs.uk/login' };

  it('accepts every link of the demo practice, as the build does', () => {
    for (const s of profile.online_services) expect(supplierLinkProblems(toSupplierLink(immutable(s)), profile.ods_code), s.url).toEqual([]);
  });

  it("refuses another host and says which hosts are the supplier's", () => {
    expect(supplierLinkProblems({ ...link, url: 'https://nhs-app.example.com/login' }, 'Z99901')).toEqual([
      { field: 'url', message: '"nhs-app.example.com" is not an address of NHS App: use an address on www.nhsapp.service.nhs.uk, access.login.nhs.uk' },
    ]);
    expect(allowedHosts('nhs-app')).toBe('www.nhsapp.service.nhs.uk or access.login.nhs.uk');
    expect(allowedHosts('econsult')).toBe('econsult.net or any address ending .webgp.com');
    expect(allowedHosts('nowhere')).toBeUndefined();
  });

  it("refuses an address that is not https, a path the supplier does not use, and another practice's ODS code", () => {
    expect(supplierLinkProblems({ ...link, url: 'http://www.nhsapp.service.nhs.uk/login' }, 'Z99901')[0]!.message).toMatch(/^Enter a secure web address starting with https:\/\//);
    expect(supplierLinkProblems({ ...link, url: 'https://www.nhsapp.service.nhs.uk/somewhere' }, 'Z99901')[0]!.message).toBe(
      'NHS App links must go to /login, /patient, /appointments: change the address so its path starts with one of /login, /patient, /appointments',
    );
    const registration = { supplier: 'gp-registration', purpose: 'registration', label: 'Register', url: 'https://gp-registration.nhs.uk/A12345' };
    expect(supplierLinkProblems(registration, 'Z99901')[0]!.message).toBe(
      'The GP registration link carries the ODS code "A12345", not this practice\'s Z99901: use this practice\'s own code: Z99901',
    );
  });

  it('asks for every part of the link', () => {
    expect(supplierLinkProblems(toSupplierLink(undefined), 'Z99901').map((p) => [p.field, p.message])).toEqual([
      ['supplier', 'Select the supplier the link goes to'],
      ['purpose', 'Select what the link is for'],
      ['label', 'Enter the link text'],
      ['url', 'Enter the web address of the page the link goes to'],
    ]);
    expect(supplierLinkProblems({ ...link, label: 'x'.repeat(121) }, 'Z99901')).toEqual([{ field: 'label', message: 'The link text must be 120 characters or fewer (it is 121)' }]);
  });
});

describe('review dates', () => {
  it('defaults to 12 months after the last review, or after today', () => {
    expect(defaultReviewBy('2026-10-12', '2026-12-04')).toBe('2027-10-12');
    expect(defaultReviewBy(undefined, '2026-12-04')).toBe('2027-12-04');
    expect(defaultReviewBy('2024-02-29', '2026-12-04')).toBe('2025-02-28');
  });

  it('says how long until it is due, or how overdue it is', () => {
    expect(dueText('2026-12-14', '2026-12-04')).toEqual({ text: 'Due in 10 days', overdue: false });
    expect(dueText('2026-12-05', '2026-12-04')).toEqual({ text: 'Due tomorrow', overdue: false });
    expect(dueText('2026-12-04', '2026-12-04')).toEqual({ text: 'Due today', overdue: false });
    expect(dueText('2026-12-03', '2026-12-04')).toEqual({ text: 'Overdue by 1 day', overdue: true });
    expect(dueText('2026-11-04', '2026-12-04')).toEqual({ text: 'Overdue by 30 days', overdue: true });
    // Across the change to summer time: whole calendar days.
    expect(daysUntil('2027-04-01', '2027-03-01')).toBe(31);
  });

  it('explains a date the build would refuse', () => {
    expect(reviewDateProblem('2026-10-12', '2026-10-12')).toBe('The review date must be after the last review (12 October 2026)');
    expect(reviewDateProblem('2027-10-13', '2026-10-12')).toBe('The review date must be at most 12 months after the last review: choose 12 October 2027 or earlier');
    expect(reviewDateProblem('', '2026-10-12')).toBe('Enter the date this page must next be reviewed by');
    expect(reviewDateProblem('2027-02-30', '2026-10-12')).toBe('Enter a real date, like 31 March 2027');
    expect(reviewDateProblem('2027-10-12', undefined)).toBeUndefined();
  });

  it('refuses exactly the dates the build refuses', () => {
    const last = '2026-02-28';
    let compared = 0;
    for (let day = -3; day < 400; day++) {
      const reviewBy = new Date(Date.UTC(2026, 1, 28 + day)).toISOString().slice(0, 10);
      const build = pageRules({ last_reviewed: last, review_by: reviewBy } as Page);
      expect(reviewDateProblem(reviewBy, last) !== undefined, reviewBy).toBe(build.length > 0);
      compared++;
    }
    expect(compared).toBe(403);
  });
});
