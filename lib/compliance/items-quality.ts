// Section 1, items 23–28 (the "should" items), and the NHS England benchmark journeys.
import { topTasks } from '../../schemas/fields.ts';
import type { Entry } from '../content/practice.ts';
import { blank, inProfile, reviewOverdue, taskPage } from './helpers.ts';
import { htmlToParagraphs } from './html-prose.ts';
import { describeReadability, readability } from './readability.ts';
import type { CheckContext, Finding, StatutoryItem } from './types.ts';

const all = ['england', 'wales', 'scotland'] as const;
const guidance = 'NHS England, "Creating a highly usable and accessible GP website" (2023)';
/** More top-level menu items than this is no longer flat, scannable navigation. */
export const maxMainNav = 8;
/** A notice up for longer than this is no longer news: it belongs in a page. */
export const longestNoticeDays = 183;

/** The seven journeys NHS England's GP website benchmark scores, and where each one ends. */
export const journeys: { name: string; task: string }[] = [
  { name: 'Make or request an appointment', task: 'appointments' },
  { name: 'Change or cancel an appointment', task: 'appointments' },
  { name: 'Order a repeat prescription', task: 'prescriptions' },
  { name: 'Get a fit note', task: 'fit-notes' },
  { name: 'Get test results', task: 'test-results' },
  { name: 'Register with the practice', task: 'registration' },
  { name: 'Contact the practice and opening hours', task: 'contact' },
];

/** Clicks from the home page to `target` over the site's links, up to `limit`; undefined if further. */
export function clicksTo(ctx: CheckContext, target: string, limit = 2): number | undefined {
  const site = ctx.site!;
  let frontier = new Set(['/']);
  const seen = new Set(frontier);
  for (let depth = 0; depth <= limit; depth++) {
    if (frontier.has(target)) return depth;
    const next = new Set<string>();
    for (const url of frontier) for (const to of site.linksFrom(url)) if (!seen.has(to)) (seen.add(to), next.add(to));
    frontier = next;
  }
  return undefined;
}

// The accessibility statement is left out: its wording follows the GOV.UK model, which the law
// expects, not plain-English rewriting.
const readable = (ctx: CheckContext): Entry<{ title: string }>[] => {
  const { accessibility: _statement, ...policies } = ctx.practice.policies;
  return [...ctx.practice.pages, ...ctx.practice.services, ...ctx.practice.news, ...Object.values(policies)] as Entry<{ title: string }>[];
};

export const qualityItems: StatutoryItem[] = [
  {
    id: '23',
    title: 'Home page built around top tasks; flat navigation; no pop-ups or overlays',
    level: 'should',
    nations: all,
    source: guidance,
    check(ctx) {
      const out: Finding[] = [];
      for (const { value, label } of topTasks)
        if (value !== 'contact' && value !== 'urgent-help' && !taskPage(ctx, value))
          out.push({ message: `no page is marked for the top task "${label}", so the home page cannot link to it`, fix: `add "task: ${value}" to the page that answers it`, file: `${ctx.practice.dir}/pages/` });
      const main = ctx.practice.pages.filter((p) => p.data.nav?.place === 'main').length + 1;
      if (main > maxMainNav) out.push({ message: `the main menu has ${main} items`, fix: `keep it to ${maxMainNav} or fewer; move the rest to the footer`, file: `${ctx.practice.dir}/pages/` });
      return out;
    },
  },
  {
    id: '24',
    title: 'Notices inline with an end date, not pop-ups',
    level: 'should',
    nations: all,
    source: guidance,
    // The theme shows notices only inline and every notice must have an end (the content model);
    // what is left to check is that a notice is not quietly permanent.
    check: (ctx) =>
      ctx.practice.notices
        .filter((n) => Date.parse(n.data.expires) - Date.parse(n.data.starts) > longestNoticeDays * 86_400_000 && n.data.expires > ctx.now.toISOString())
        .map((n) => ({ message: `the notice "${n.data.title}" stays up for more than ${longestNoticeDays} days`, fix: 'turn lasting information into a page, and keep notices for news that ends', file: n.file, field: 'expires' })),
  },
  {
    id: '25',
    title: '"Page last reviewed" and "next review due" on content pages, and reviews kept',
    level: 'should',
    nations: all,
    source: guidance,
    check: (ctx) => [...ctx.practice.pages, ...ctx.practice.services].flatMap((e) => reviewOverdue(e, ctx.today, e.file.includes('/services/') ? 'The service' : 'The page')),
  },
  {
    id: '26',
    title: 'Plain English (a reading age of about 9 to 11)',
    level: 'should',
    nations: all,
    source: `${guidance}; NHS digital service manual, content style guide`,
    check(ctx) {
      const out: Finding[] = [];
      for (const e of readable(ctx)) {
        const r = readability(htmlToParagraphs(e.html));
        if (r.verdict !== 'above-target') continue;
        const d = describeReadability(r);
        out.push({ message: `"${e.data.title}": ${d.message}`, fix: d.fix, file: e.file });
      }
      return out;
    },
  },
  {
    id: '27',
    title: 'A way to ask for information in another format (Accessible Information Standard)',
    level: 'should',
    nations: all,
    source: 'Accessible Information Standard (DAPB1605)',
    check: (ctx) =>
      blank(ctx.practice.profile.alternative_formats)
        ? [inProfile(ctx, 'alternative_formats', 'nothing says how to ask for information in another format', 'say how to ask for large print, easy read, braille, audio or an interpreter')]
        : [],
  },
  {
    id: '28',
    title: 'Self-care, Pharmacy First and self-referral signposting',
    level: 'should',
    nations: all,
    source: guidance,
    check(ctx) {
      const pharmacyPage = ctx.practice.pages.some((p) => /pharmac/i.test(`${p.slug} ${p.data.title}`));
      return blank(ctx.practice.profile.self_care) && !pharmacyPage
        ? [inProfile(ctx, 'self_care', 'nothing points patients to self-care, their pharmacy or services they can refer themselves to', 'fill in "Self-care and pharmacy", or add a page about Pharmacy First')]
        : [];
    },
  },
  {
    id: 'J',
    title: "The benchmark journeys, each within two clicks of the home page",
    level: 'should',
    nations: all,
    source: 'NHS England GP website benchmark (seven patient journeys)',
    check(ctx) {
      if (!ctx.site) return [];
      const out: Finding[] = [];
      for (const j of journeys) {
        const target = j.task === 'contact' ? '/contact/' : taskPage(ctx, j.task)?.url;
        if (!target) {
          out.push({ message: `"${j.name}": no page is marked for it`, fix: `add "task: ${j.task}" to the page that answers it`, file: `${ctx.practice.dir}/pages/` });
          continue;
        }
        if (clicksTo(ctx, target) === undefined)
          out.push({ message: `"${j.name}" (${target}) is more than two clicks from the home page`, fix: 'link it from the home page or the main menu, or mark it as a top task' });
      }
      return out;
    },
  },
];
