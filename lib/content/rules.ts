// Rules that span fields or files: the checks a field on its own cannot express.
import type { NewsPost, Notice, Page, PracticeProfile, Service } from '../../schemas/generated/types.ts';
import { weekdays } from '../../schemas/fields.ts';
import { addMonths } from './dates.ts';
import type { FieldProblem } from './check-fields.ts';
import { checkSupplierLink } from './suppliers.ts';

type Rule<T> = (data: T) => FieldProblem[];

export const profileRules: Rule<PracticeProfile> = (p) => {
  const out: FieldProblem[] = [];
  const mains = p.premises.filter((x) => x.kind === 'main').length;
  if (mains !== 1)
    out.push({ path: ['premises'], message: `has ${mains} main surgeries`, fix: 'mark exactly one premises as kind: main, the others as kind: branch' });
  p.premises.forEach((pr, i) => out.push(...hoursRules(pr.hours, ['premises', i, 'hours'])));
  out.push(...hoursRules(p.online_consultation.hours, ['online_consultation', 'hours']));
  p.online_services.forEach((s, i) => {
    const v = checkSupplierLink(s.url, p.ods_code, s.supplier);
    if (v) out.push({ path: ['online_services', i, 'url'], ...v });
  });
  for (const [path, url] of [
    [['registration', 'online_url'], p.registration.online_url],
    [['nhs_profile', 'url'], p.nhs_profile.url],
  ] as const) {
    const v = checkSupplierLink(url, p.ods_code);
    if (v) out.push({ path: [...path], ...v });
  }
  if (p.dispensing.dispensing && !p.dispensing.arrangements)
    out.push({ path: ['dispensing', 'arrangements'], message: 'a dispensing practice must describe its dispensing arrangements', fix: 'add "arrangements:" saying who can use the dispensary and how' });
  const rated = !['not-yet-rated', 'not-applicable'].includes(p.cqc.rating);
  if (rated && (!p.cqc.report_url || !p.cqc.report_date))
    out.push({ path: ['cqc'], message: 'a CQC rating must link to its report', fix: 'add "report_url:" and "report_date:" from the CQC website' });
  if (/^(https?:)?\/\//.test(p.domain) || p.domain.includes('/'))
    out.push({ path: ['domain'], message: `"${p.domain}" should be a host name only`, fix: 'remove https:// and any path, like riverside-surgery.nhs.uk' });
  p.closures.forEach((c, i) => {
    if (Boolean(c.from) !== Boolean(c.until))
      out.push({ path: ['closures', i], message: 'a part-day closure needs both "from" and "until"', fix: 'add the missing time, or remove both for a whole-day closure' });
  });
  return out;
};

function hoursRules(hours: PracticeProfile['premises'][number]['hours'], path: (string | number)[]): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const day of weekdays) {
    let lastClose = '';
    hours[day].forEach((s, i) => {
      if (s.opens >= s.closes)
        out.push({ path: [...path, day, i], message: `opens at ${s.opens} but closes at ${s.closes}`, fix: 'the closing time must be after the opening time' });
      if (lastClose && s.opens < lastClose)
        out.push({ path: [...path, day, i], message: 'overlaps the session before it', fix: 'list sessions in order without overlaps' });
      lastClose = s.closes;
    });
  }
  return out;
}

const reviewRule = (d: { last_reviewed: string; review_by: string }): FieldProblem[] => {
  if (d.review_by <= d.last_reviewed)
    return [{ path: ['review_by'], message: 'is not after the last review', fix: 'set a date after "last_reviewed"' }];
  const latest = addMonths(d.last_reviewed, 12);
  if (d.review_by > latest)
    return [{ path: ['review_by'], message: `is more than 12 months after the last review`, fix: `set it on or before ${latest}` }];
  return [];
};

/** `expires` must come after `publish_at`, or the entry would never be on the site. */
const lifecycleRule = (d: { publish_at?: string; expires?: string }): FieldProblem[] =>
  d.publish_at && d.expires && d.expires <= d.publish_at
    ? [{ path: ['expires'], message: `is not after "publish_at" (${d.publish_at}), so it would never be on the site`, fix: 'set "expires" to a later time than "publish_at", or remove one of them' }]
    : [];

export const pageRules: Rule<Page> = (d) => [...reviewRule(d), ...lifecycleRule(d)];
export const serviceRules: Rule<Service> = (d) => [...reviewRule(d), ...lifecycleRule(d)];
export const policyRules: Rule<{ last_reviewed: string; review_by: string }> = reviewRule;
export const newsRules: Rule<NewsPost> = lifecycleRule;

export const noticeRules: Rule<Notice> = (n) =>
  n.expires <= n.starts ? [{ path: ['expires'], message: 'is not after "starts"', fix: 'set the end after the start' }] : [];
