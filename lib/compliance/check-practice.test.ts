// Every statutory item, broken in turn on a copy of a demo practice: the item fails with a reason
// and a fix, and the demo practices as they are meet every item.
import { beforeAll, describe, expect, it } from 'vitest';
import { siteGraph } from '../../build/compliance/site-graph.ts';
import { fsReader } from '../../build/node/fs-reader.ts';
import { demoNow, repo } from '../../test/support/demo-site.ts';
import { loadPractice } from '../content/load-practice.ts';
import type { Practice } from '../content/practice.ts';
import { checkPractice, newMustFailures, statutoryItems } from './check-practice.ts';
import { coreHourGaps } from './core-hours.ts';
import { requiredEarningsYear } from './items-published.ts';
import type { ComplianceReport } from './types.ts';

const demo: Record<string, Practice> = {};
beforeAll(async () => {
  for (const slug of ['riverside', 'fellside', 'afon-teifi']) {
    const { practice } = await loadPractice(fsReader(repo), slug);
    demo[slug] = practice!;
  }
});

const check = (p: Practice, now = demoNow): ComplianceReport => checkPractice(p, { now, site: siteGraph(p, now) });
const failing = (r: ComplianceReport) => r.results.filter((x) => x.status === 'fail').map((x) => x.id);
/** A deep copy of riverside, changed by `change`. */
const broken = (change: (p: Practice) => void, slug = 'riverside'): Practice => {
  const p = structuredClone(demo[slug]!);
  change(p);
  return p;
};

describe('the demo practices', () => {
  it.each(['riverside', 'fellside', 'afon-teifi'])('%s meets every item that applies to it', (slug) => {
    const r = check(demo[slug]!);
    expect(r.results.filter((x) => x.status === 'fail')).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.results.map((x) => x.id)).toEqual(statutoryItems.map((i) => i.id));
  });

  it('marks the England-only items as not applicable in Wales, saying why', () => {
    const r = check(demo['afon-teifi']!);
    const na = r.results.filter((x) => x.status === 'not-applicable');
    expect(na.map((x) => x.id)).toEqual(['15', '16', '17', '18', '19']);
    expect(na.find((x) => x.id === '15')?.note).toMatch(/Healthcare Inspectorate Wales/);
  });
});

describe('each "must" item, broken in turn', () => {
  const cases: [string, string, (p: Practice) => void, RegExp][] = [
    // (Removing a page also breaks the links to it, which item L reports.)
    ['1', 'no appointments page', (p) => (p.pages = p.pages.filter((x) => x.data.task !== 'appointments')), /making, changing or cancelling an appointment/],
    ['1', 'the NHS profile unchecked for 13 months', (p) => (p.profile.nhs_profile.last_reviewed = '2025-11-01'), /more than 12 months ago/],
    ['2', 'no word on core hours', (p) => (p.profile.core_hours = ' '), /core hours/],
    ['3', 'out of hours without 111', (p) => (p.profile.out_of_hours = 'Call 999 in an emergency.'), /NHS 111/],
    ['4', 'a demand for proof of address', (p) => (p.profile.registration.how = 'You must bring proof of address and photo ID.'), /asks for proof/],
    ['4', "another practice's registration address", (p) => (p.profile.registration.online_url = 'https://gp-registration.nhs.uk/Z99902'), /not the national service/],
    ['5', 'no outer boundary', (p) => (p.profile.boundary.description = 'We cover the town of Ashbury and its villages, postcodes AS1 to AS3.'), /outer boundary/],
    ['6', 'no services', (p) => (p.services = []), /no services/],
    ['7', 'a dispensing practice without arrangements', (p) => ((p.profile.dispensing.dispensing = true), delete p.profile.dispensing.arrangements), /dispensing arrangements/],
    ['8', 'a GP without qualifications', (p) => (p.team.find((m) => m.data.role === 'gp-partner')!.data.qualifications = []), /no professional qualifications/],
    ['8', 'a registrar at a practice not marked as training', (p) => ((p.profile.training_practice = false), (p.team[0]!.data.role = 'gp-registrar')), /training practice/],
    ['9', 'no named GP', (p) => (p.profile.accountable_gp = 'You can see any of our doctors, and tell us which one you prefer.'), /named GP/],
    ['10', 'the complaints page overdue for review', (p) => (p.policies.complaints.data.review_by = '2026-11-30'), /due for review on 2026-11-30/],
    ['11', 'the zero tolerance page overdue', (p) => (p.policies['zero-tolerance'].data.review_by = '2026-12-01'), /zero tolerance page/],
    ['12', 'no data opt-out', (p) => (p.profile.data_opt_out = ''), /national data opt-out/],
    ['13', 'no commissioner phone', (p) => (p.profile.icb.phone = ''), /commissioner/],
    ['14', 'a leaflet reviewed 13 months ago', (p) => (p.profile.leaflet.last_reviewed = '2025-11-03'), /last reviewed on 2025-11-03, more than 12 months ago/],
    ['15', 'an English practice marked not CQC regulated', (p) => (p.profile.cqc.rating = 'not-applicable'), /regulated by the CQC/],
    ['15', 'a rating linking elsewhere', (p) => (p.profile.cqc.report_url = 'https://example.org/report'), /CQC website/],
    ['16', 'Friends and Family results from last spring', (p) => (p.profile.friends_and_family.results = [{ month: '2026-04', responses: 100, positive_percent: 90 }]), /newest .* results are for 2026-04/],
    ['17', 'GP earnings from 2022/23', (p) => (p.profile.gp_earnings.year = '2022/23'), /2024\/25 had to be published by 31 March 2026/],
    ['18', 'online consultation closed on Friday afternoons', (p) => (p.profile.online_consultation.hours.friday = [{ opens: '08:00', closes: '12:30' }]), /closed in core hours: friday 12:30–18:30/],
    ['19', 'the charter linked elsewhere', (p) => (p.profile.patient_charter_url = 'https://example.org/charter'), /not NHS England's website/],
    ['20', 'the accessibility statement overdue', (p) => (p.policies.accessibility.data.review_by = '2026-10-01'), /accessibility statement/],
    ['21', 'a promised fix not made', (p) => (p.policies.accessibility.data.non_accessible = [{ problem: 'The map has no text.', criteria: ['1.1.1 Non-text content'], fix_by: '2026-06-30' }]), /due to be fixed by 2026-06-30/],
    ['22', 'the cookies page overdue', (p) => (p.policies.cookies.data.review_by = '2026-01-01'), /cookies page/],
    ['L', "a supplier link with another practice's ODS code", (p) => (p.pages[0]!.html += '<p><a href="https://gp-registration.nhs.uk/Z99902">Register</a></p>'), /Z99902/],
    ['L', 'a broken internal link', (p) => (p.pages[0]!.html += '<p><a href="/apointments/">Book</a></p>'), /links to \/apointments\/, which is not a page of the site/],
  ];

  it.each(cases)('item %s fails for %s, with a reason and a fix', (id, _name, change, reason) => {
    const r = check(broken(change));
    const item = r.results.find((x) => x.id === id)!;
    expect(item.status).toBe('fail');
    expect(item.findings.map((f) => f.message).join('\n')).toMatch(reason);
    for (const f of item.findings) expect(f.fix.length).toBeGreaterThan(10);
    // Only the item broken fails (the appointments page is also a top task and a benchmark journey,
    // and removing pages breaks the links to them).
    const alsoExpected = id === '1' || id === '6' ? ['23', 'J', 'L'] : [];
    expect(failing(r).filter((x) => x !== id && !alsoExpected.includes(x))).toEqual([]);
    expect(r.ok).toBe(false);
  });

  it('names the file and field each profile fix goes in', () => {
    const item = check(broken((p) => (p.profile.leaflet.last_reviewed = '2025-11-03'))).results.find((x) => x.id === '14')!;
    expect(item.findings[0]).toMatchObject({ file: 'content/practices/riverside/practice.yml', field: 'leaflet.last_reviewed' });
  });
});

describe('the "should" items', () => {
  it('reports a page past its review date, a hard page to read, and a journey more than two clicks away', () => {
    const r = check(
      broken((p) => {
        p.pages.find((x) => x.slug === 'carers')!.data.review_by = '2026-11-01';
        const hard = p.pages.find((x) => x.slug === 'chaperones')!;
        hard.html =
          '<p>Notwithstanding the aforementioned considerations, individuals contemplating intimate examinations are unequivocally entitled to request the attendance of an appropriately trained chaperone, irrespective of the practitioner\'s gender, and such requests will invariably be accommodated, subject to operational availability and contemporaneous documentation within the clinical record.</p>';
        // Fit notes stops being a top task and its page leaves every menu: now only search finds it.
        const fit = p.pages.find((x) => x.data.task === 'fit-notes')!;
        delete fit.data.task;
        delete fit.data.nav;
      }),
    );
    const messages = (id: string) => r.results.find((x) => x.id === id)!.findings.map((f) => f.message).join('\n');
    expect(messages('25')).toMatch(/was due for review on 2026-11-01/);
    expect(messages('26')).toMatch(/Chaperones.*Reading age (1[2-9]|2\d)/);
    expect(messages('J')).toMatch(/"Get a fit note": no page is marked for it/);
    // "should" items never make the practice fail.
    expect(r.ok).toBe(true);
  });

  it('finds a journey page that exists but is more than two clicks from home', () => {
    // The theme puts every top task on the home page; a theme that did not would show up here.
    const real = siteGraph(demo.riverside!, demoNow);
    const results = demo.riverside!.pages.find((pg) => pg.data.task === 'test-results')!.url!;
    const chain: Record<string, string[]> = { '/': ['/contact/', '/about/'], '/about/': ['/team/'], '/team/': [results] };
    const r = checkPractice(demo.riverside!, { now: demoNow, site: { urls: real.urls, linksFrom: (u) => chain[u] ?? [] } });
    const j = r.results.find((x) => x.id === 'J')!;
    expect(j.findings.map((f) => f.message)).toContain(`"Get test results" (${results}) is more than two clicks from the home page`);
    expect(j.findings.map((f) => f.message).join('\n')).not.toContain('Contact the practice');
  });
});

describe('pieces', () => {
  it('finds gaps in core hours, including a lunchtime closure and a late start', () => {
    const week = { monday: [{ opens: '08:30', closes: '12:30' }, { opens: '13:30', closes: '18:30' }], tuesday: [{ opens: '07:00', closes: '20:00' }], wednesday: [], thursday: [{ opens: '08:00', closes: '18:30' }], friday: [{ opens: '08:00', closes: '18:00' }], saturday: [], sunday: [] };
    expect(coreHourGaps(week as never)).toEqual([
      { day: 'monday', from: '08:00', to: '08:30' },
      { day: 'monday', from: '12:30', to: '13:30' },
      { day: 'wednesday', from: '08:00', to: '18:30' },
      { day: 'friday', from: '18:00', to: '18:30' },
    ]);
  });

  it('knows which GP earnings year is due', () => {
    expect(requiredEarningsYear('2026-03-31')).toBe(2023);
    expect(requiredEarningsYear('2026-04-01')).toBe(2024);
    expect(requiredEarningsYear('2026-12-04')).toBe(2024);
  });

  it('tells a change that breaks a "must" item from one that leaves an old failure alone', () => {
    const before = check(broken((p) => (p.profile.leaflet.last_reviewed = '2025-11-03')));
    const sameFailure = check(broken((p) => ((p.profile.leaflet.last_reviewed = '2025-11-03'), (p.profile.name = 'Riverside Practice'))));
    const newFailure = check(broken((p) => ((p.profile.leaflet.last_reviewed = '2025-11-03'), (p.profile.out_of_hours = 'Ring us.'))));
    expect(newMustFailures(before, sameFailure)).toEqual([]);
    expect(newMustFailures(before, newFailure).map((x) => x.id)).toEqual(['3']);
  });

  it('runs without a site graph, skipping only what needs one', () => {
    const r = checkPractice(demo.riverside!, { now: demoNow });
    expect(r.ok).toBe(true);
    expect(r.results.find((x) => x.id === 'J')!.status).toBe('pass');
  });
});
