// Builds a practice's chat index at build time, from what its site shows at the build's moment:
// pages, services, news, policies, the team, the live notices and the profile's facts. Passages
// are sections of those pages (split at headings, then at sentences), so an answer can cite the
// page a patient would have found themselves.
import { folderCollections } from '../../schemas/model.ts';
import type { SelectField } from '../../schemas/dsl.ts';
import { formatDate, formatMoney, formatMonth, formatTime } from '../../build/site/format.ts';
import { siteView } from '../../build/site/routes.ts';
import type { Practice } from '../content/practice.ts';
import { chatIndexVersion, type ChatContact, type ChatIndex, type Passage } from './index-format.ts';
import { sentencesOf, terms } from './search.ts';

/** Passages are cut at about this many words, and a shorter tail is joined to the one before. */
const maxWords = 120;
const minWords = 40;
/** A word in the page title counts this many times; in the section heading, more: a heading names what its section answers. */
const weights = { title: 2, heading: 3 };

interface Section {
  title: string;
  url: string;
  heading?: string;
  text: string;
}

export function buildChatIndex(content: Practice, o: { revision?: string; now: Date }): ChatIndex {
  // The site's own view decides which notices and pages are live and how hours read, so the
  // chatbot can never say something the pages do not.
  const site = siteView(content, { now: o.now, revision: o.revision ?? '' });
  const practice = site.practice;
  const sections: Section[] = [...profileSections(practice, site.hours, site.consultationHours, o.now), ...noticeSections(site.notices)];
  for (const pg of practice.pages) sections.push(...htmlSections(pg.data.title, pg.url!, pg.data.summary, pg.html));
  for (const s of practice.services) {
    const d = s.data;
    const facts = [d.when && `When: ${d.when}.`, d.where && `Where: ${d.where}.`, d.how_to_book && `How to book: ${d.how_to_book}`].filter(Boolean).join(' ');
    sections.push(...htmlSections(d.title, s.url!, [d.summary, facts].filter(Boolean).join(' '), s.html));
  }
  for (const n of practice.news) sections.push(...htmlSections(n.data.title, n.url!, `${n.data.summary} Published ${formatDate(n.data.date)}.`, n.html));
  for (const e of Object.values(practice.policies)) {
    const d = e.data as { title: string; summary?: string };
    sections.push(...htmlSections(d.title, e.url!, d.summary, e.html));
  }
  sections.push(...accessibilitySections(practice));

  const passages: Passage[] = [];
  for (const s of sections)
    for (const text of chunks(s.text)) passages.push({ id: `p${passages.length}`, title: s.title, url: s.url, ...(s.heading ? { heading: s.heading } : {}), text });
  return {
    version: chatIndexVersion,
    practice: practice.slug,
    ...(o.revision ? { revision: o.revision } : {}),
    passages,
    contact: contactFor(practice, site.consultationHours),
    stats: statistics(passages),
  };
}

function statistics(passages: Passage[]): ChatIndex['stats'] {
  const postings: Record<string, number[]> = {};
  const lengths: number[] = [];
  passages.forEach((p, at) => {
    const tf = new Map<string, number>();
    const add = (words: string[], weight: number) => words.forEach((t) => tf.set(t, (tf.get(t) ?? 0) + weight));
    add(terms(p.title), weights.title);
    add(terms(p.heading ?? ''), weights.heading);
    add(terms(p.text), 1);
    let length = 0;
    for (const [term, n] of tf) {
      (postings[term] ??= []).push(at, n);
      length += n;
    }
    lengths.push(length);
  });
  const avgLength = lengths.reduce((a, n) => a + n, 0) / Math.max(1, lengths.length);
  return { weights, avgLength: Math.round(avgLength * 100) / 100, lengths, postings };
}

/** Splits section text into passages of about minWords to maxWords, at sentence ends. */
export function chunks(text: string): string[] {
  const sentences = sentencesOf(text);
  const out: string[][] = [];
  let cur: string[] = [];
  let words = 0;
  for (const s of sentences) {
    const n = s.split(/\s+/).length;
    if (words && words + n > maxWords) {
      out.push(cur);
      cur = [];
      words = 0;
    }
    cur.push(s);
    words += n;
  }
  if (cur.length) {
    const last = out.at(-1);
    if (last && words < minWords && last.join(' ').split(/\s+/).length + words <= maxWords * 1.25) last.push(...cur);
    else out.push(cur);
  }
  return out.map((c) => c.join(' '));
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', pound: '£', ndash: '–', mdash: '—', rsquo: '’', lsquo: '‘' };

/** Sanitised HTML to plain sentences: each block ends a sentence, so list items read as ones. */
export function plainText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<\/(p|li|dd|dt|tr|h\d|div|blockquote|caption)>|<br\s*\/?>/gi, '\u0000')
    .replace(/<\/t[dh]>/gi, ': ')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (m, e: string) =>
      e[0] === '#' ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : (entities[e.toLowerCase()] ?? m),
    )
    .split('\u0000')
    .map((line) => line.replace(/\s+/g, ' ').replace(/[\s:]+$/, '').trim())
    .filter(Boolean)
    .map((line) => (/[.!?]$/.test(line) ? line : `${line}.`))
    .join(' ');
}

/** A page's sections, split at its h2 and h3 headings; the summary leads the first. */
function htmlSections(title: string, url: string, summary: string | undefined, html: string): Section[] {
  const parts = html.split(/<h[23][^>]*>([\s\S]*?)<\/h[23]>/i);
  const out: Section[] = [];
  const lead = [summary, plainText(parts[0] ?? '')].filter(Boolean).join(' ');
  if (lead) out.push({ title, url, text: lead });
  for (let i = 1; i < parts.length; i += 2) {
    const text = plainText(parts[i + 1] ?? '');
    if (text) out.push({ title, url, heading: plainText(parts[i]!).replace(/\.$/, ''), text });
  }
  return out;
}

/** Markdown profile fields hold a little Markdown: links, bold and lists. Plain text is enough. */
function fromMarkdown(md: string): string {
  const lines = md
    .replace(/\[([^\]]+)\]\([^)]+\)/g, '$1')
    .replace(/[*_`#>]+/g, '')
    .split(/\n\s*\n|\n\s*-\s+/)
    .map((l) => l.replace(/^\s*-\s+/, '').replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  return lines.map((l) => (/[.!?]$/.test(l) ? l : `${l}.`)).join(' ');
}

const sessions = (rows: { day: string; text: string }[]) => rows.map((r) => `${r.day}: ${r.text}.`).join(' ');

type Hours = ReturnType<typeof siteView>['hours'];

function profileSections(practice: Practice, hours: Hours, consultationHours: { day: string; text: string }[], now: Date): Section[] {
  const p = practice.profile;
  const out: Section[] = [];
  const contact = (heading: string, text: string) => out.push({ title: 'Contact us and opening hours', url: '/contact/', heading, text });
  const about = (heading: string, text: string) => out.push({ title: 'About the practice', url: '/about/', heading, text });

  out.push({ title: p.name, url: '/', text: `${p.introduction} Phone us on ${p.contact.phone}.` });
  contact(
    'Phone and email',
    [
      `Phone: ${p.contact.phone}.`,
      p.contact.email && `Email: ${p.contact.email}. Do not use email for urgent or medical problems.`,
      p.contact.text_relay && 'If you are deaf or have difficulty hearing or speaking, you can call us through Relay UK: dial 18001 then our number.',
    ].filter(Boolean).join(' '),
  );
  contact('When we are open', fromMarkdown(p.core_hours));
  p.premises.forEach((pr, i) => {
    const a = pr.address;
    const name = `${pr.name}${pr.kind === 'branch' ? ' (branch surgery)' : ''}`;
    contact(`${name}: address and phone`, `${pr.name} address: ${[...a.lines, a.town, a.postcode].join(', ')}. Phone: ${pr.phone}. ${pr.access ?? ''}`.trim());
    contact(`Opening hours: ${pr.name}`, `${pr.name} opening hours. ${sessions(hours[i]!.rows)}`);
  });
  contact('Bank holidays', p.bank_holidays);
  // Only closures still to come: a past closure answers no question and could mislead.
  const today = now.toISOString().slice(0, 10);
  const closures = (p.closures ?? []).filter((c) => c.date >= today);
  if (closures.length)
    contact('Planned closures', closures.map((c) => `${formatDate(c.date)}${c.from ? `, ${formatTime(c.from)} to ${formatTime(c.until ?? '18:30')}` : ''}: ${c.reason}.`).join(' '));
  contact('When we are closed', fromMarkdown(p.out_of_hours));
  contact('Online consultation', `${p.online_consultation.urgent_warning} When online consultation is open. ${sessions(consultationHours)}`);
  contact('Information in other formats', p.alternative_formats);

  about('Registering with us', `${fromMarkdown(p.registration.how)} You do not need proof of address or ID to register. Register online at ${p.registration.online_url}.`);
  about('The area we cover', `${fromMarkdown(p.boundary.description)}${p.boundary.postcodes?.length ? ` Postcode areas we cover: ${p.boundary.postcodes.join(', ')}.` : ''}`);
  about('Online services', `${p.online_services.map((s) => `${s.label}.`).join(' ')} ${p.online_consultation.urgent_warning}`);
  if (p.dispensing.dispensing && p.dispensing.arrangements) about('Our dispensary', fromMarkdown(p.dispensing.arrangements));
  about('Your named GP', `${p.accountable_gp} You can say which GP or other healthcare professional you would prefer to see.`);
  const cqc = p.cqc;
  about(
    'Inspection and ratings',
    cqc.rating === 'not-applicable'
      ? p.nation === 'wales' ? 'Healthcare Inspectorate Wales inspects GP practices in Wales.' : 'This practice is not inspected by the Care Quality Commission.'
      : cqc.rating === 'not-yet-rated'
        ? 'The Care Quality Commission (CQC) has not rated us yet.'
        : `The Care Quality Commission (CQC) rated us ${label('cqc', cqc.rating)}${cqc.report_date ? ` in a report published on ${formatDate(cqc.report_date)}` : ''}.`,
  );
  const ff = p.friends_and_family;
  about('Patient feedback', `${ff.how_to_take_part} Friends and Family Test results: ${ff.results.map((r) => `${formatMonth(r.month)}: ${r.responses} responses, ${r.positive_percent}% good or very good.`).join(' ')}`);
  const e = p.gp_earnings;
  about(
    'GP earnings',
    `The average pay for GPs working in ${p.name} in ${e.year} was ${formatMoney(e.mean_net)} before tax and National Insurance.${e.full_time !== undefined ? ` This is for ${e.full_time} full-time GPs and ${e.part_time ?? 0} part-time GPs.` : ''}`,
  );
  const icb = p.icb;
  about(
    p.nation === 'wales' ? 'Health board' : 'Integrated care board',
    `Our services are commissioned by ${icb.name}. Phone: ${icb.phone}.${icb.email ? ` Email: ${icb.email}.` : ''} Website: ${icb.website}.${icb.address ? ` Address: ${icb.address.replace(/\s*\n\s*/g, ', ').trim()}.` : ''}`,
  );
  about('Your data', `${p.data_opt_out} Read our privacy notice.`);
  about('Practice leaflet', `Our practice leaflet was last reviewed on ${formatDate(p.leaflet.last_reviewed)}. You can ask for a printed copy at reception.`);

  const services = { title: 'Services and clinics', url: '/services/' };
  out.push({ ...services, text: practice.services.map((s) => `${s.data.title}: ${s.data.summary}`).join(' ') });
  out.push({ ...services, heading: 'Home visits', text: fromMarkdown(p.home_visits) });
  if (p.self_care) out.push({ ...services, heading: 'Pharmacy and self-care', text: fromMarkdown(p.self_care) });

  const team = { title: 'Our team', url: '/team/' };
  out.push({ ...team, heading: 'Our doctors, nurses and staff', text: `${p.accountable_gp}${p.training_practice ? ' We are a training practice. Qualified doctors training to be GPs (GP registrars) work with us under supervision.' : ''}` });
  for (const m of practice.team) {
    const d = m.data;
    const facts = [
      `${d.name}: ${d.job_title ?? label('role', d.role)}.`,
      d.qualifications?.length && `Qualifications: ${d.qualifications.join(', ')}.`,
      d.gender && `Gender: ${label('gender', d.gender)}.`,
      m.html && plainText(m.html),
    ];
    out.push({ ...team, heading: d.name, text: facts.filter(Boolean).join(' ') });
  }
  out.push({ ...team, heading: 'Who runs the practice', text: p.ownership });
  return out;
}

function accessibilitySections(practice: Practice): Section[] {
  const e = practice.policies.accessibility;
  const d = e.data;
  const base = { title: d.title, url: e.url! };
  return [
    { ...base, text: `${d.scope} ${d.how_accessible}` },
    { ...base, heading: 'Feedback and contact', text: `Phone: ${d.feedback.phone}.${d.feedback.email ? ` Email: ${d.feedback.email}.` : ''} We reply within ${d.feedback.response_days} working days.` },
    { ...base, heading: 'Phone and visit support', text: d.visiting },
    { ...base, heading: 'What we are doing to improve', text: `${d.improvements} ${d.tested}` },
    ...htmlSections(d.title, e.url!, undefined, e.html),
  ];
}

function noticeSections(notices: ReturnType<typeof siteView>['notices']): Section[] {
  // A notice shows on the home page (and, if placed so, on every page): the home page is where it is found.
  return notices.map((n) => ({ title: n.entry.data.title, url: '/', heading: 'Notice', text: plainText(n.html) }));
}

/** The label the site shows for a select field's value (roles, genders, CQC ratings). */
function label(field: string, value: string): string {
  for (const c of folderCollections) {
    const f = c.fields[field] as SelectField | undefined;
    const found = f?.options?.find((o) => o.value === value);
    if (found) return found.label;
  }
  if (field === 'cqc') return value.replace(/-/g, ' ').replace(/^./, (ch) => ch.toUpperCase());
  return value;
}

function contactFor(practice: Practice, consultationHours: { day: string; text: string }[]): ChatContact {
  const p = practice.profile;
  const main = p.premises.find((pr) => pr.kind === 'main') ?? p.premises[0]!;
  const a = main.address;
  const consult = p.online_services.find((s) => s.purpose === 'consultation');
  return {
    name: p.name,
    phone: p.contact.phone,
    address: [...a.lines, a.town, a.postcode].join(', '),
    url: '/contact/',
    ...(consult ? { onlineConsultation: { label: consult.label, url: consult.url, hours: compactHours(consultationHours) } } : {}),
  };
}

/** "Monday to Friday: 8am to 6:30pm" where the days agree, so the no-answer reply stays short. */
function compactHours(rows: { day: string; text: string }[]): string {
  const groups: { from: string; to: string; text: string }[] = [];
  for (const r of rows) {
    const last = groups.at(-1);
    if (last && last.text === r.text) last.to = r.day;
    else groups.push({ from: r.day, to: r.day, text: r.text });
  }
  return groups.filter((g) => g.text !== 'Closed').map((g) => `${g.from === g.to ? g.from : `${g.from} to ${g.to}`}: ${g.text}`).join('; ');
}
