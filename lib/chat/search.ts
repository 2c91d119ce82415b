// Retrieval over a chat index: BM25F (titles and headings weigh more than body text) with British
// English normalisation. The index builder uses the same `terms()`, so both sides agree on what a
// word is. Runs in Workers and in Node: no Node APIs.
import type { ChatIndex, Passage } from './index-format.ts';

const stopWords = new Set(
  ('a an the i im me my mine myself to of in on for is are was were be been am do does did can could ' +
    'would should will shall may might must how what whats when where who whom which why you your yours we ' +
    'our us it its and or but if so as at by from with about into there here that this these those ' +
    'get got please need want like just any some also not no yes hi hello thanks thank ok okay tell know ' +
    'have has had they them their he she his her than then out up down over too very ' +
    // Conversational padding: it says nothing about which page answers.
    'wondering wonder wondered recently wants wanted wanting ask asking question quick someone anyone ' +
    'possible ive id ill dont cant wont isnt mum dad husband wife son daughter friend partner')
    .split(' '),
);

/** Weekday abbreviations patients type, to the full name the pages use. */
const weekdayForms: Record<string, string> = {
  mon: 'monday', tue: 'tuesday', tues: 'tuesday', wed: 'wednesday', weds: 'wednesday', thu: 'thursday',
  thur: 'thursday', thurs: 'thursday', fri: 'friday', sat: 'saturday', sun: 'sunday',
};

/** Phrases rewritten before splitting, so a two-word idea matches the one the pages use. */
const phrases: [RegExp, string][] = [
  [/\bsick ?notes?\b/g, 'fit note'],
  [/\bsign(?:ing)? ?up\b/g, 'register'],
  [/\bsee (?:a |the )?(?:doctor|gp|nurse)\b/g, 'appointment'],
  [/\bsmear(?: test)?s?\b/g, 'cervical screening'],
  [/\bjabs?\b/g, 'vaccination'],
  [/\bweekends?\b/g, 'saturday sunday'],
  [/\bmeds\b/g, 'medication'],
  [/\bdocs?\b/g, 'doctor'],
  [/\be-?mail\b/g, 'email'],
  [/\bphone ?number\b/g, 'phone'],
  [/\bphysio\b/g, 'physiotherapy'],
  [/\bteen(?:ager)?s?\b/g, 'young people'],
];

/** Stems with the same meaning for an admin question; each widens the query at a lower weight. */
const synonymGroups: string[][] = [
  ['open', 'opening', 'hours', 'times', 'closed'],
  ['repeat', 'prescription', 'medication', 'medicine'],
  ['register', 'registration', 'join', 'registering'],
  ['appointment', 'book', 'booking'],
  ['fit', 'note'],
  ['vaccination', 'vaccine', 'immunisation'],
  ['phone', 'call', 'telephone', 'number'],
  ['doctor', 'gp', 'team', 'staff'],
  ['result', 'test'],
  ['complaint', 'complain', 'concern'],
];

const suffixes = ['ational', 'ations', 'ation', 'ments', 'ment', 'ings', 'ing', 'ions', 'ion', 'ies', 'ness', 'ed', 'es', 'ly', 's'];

/** A light suffix-stripper: crude, but the same on both sides, which is what matters. */
export function stem(word: string): string {
  const known = stems.get(word);
  if (known !== undefined) return known;
  // Bounded: the pages' words repeat, but patients can type anything.
  if (stems.size > 20_000) stems.clear();
  const out = stripSuffix(word);
  stems.set(word, out);
  return out;
}

const stems = new Map<string, string>();

function stripSuffix(word: string): string {
  let w = word;
  if (w.length <= 3) return w;
  for (const s of suffixes) {
    // "-es" only after s, x, z, ch or sh (boxes, watches); "times" and "notes" lose just the "s".
    if (s === 'es' && !/(s|x|z|ch|sh)es$/.test(w)) continue;
    if (w.endsWith(s) && w.length - s.length >= 3) {
      w = s === 'ies' ? `${w.slice(0, -3)}y` : w.slice(0, -s.length);
      break;
    }
  }
  if (w.length > 4 && w.endsWith('e')) w = w.slice(0, -1);
  if (w.length > 4 && w.at(-1) === w.at(-2) && !'aeiouls'.includes(w.at(-1)!)) w = w.slice(0, -1);
  return canonical[w] ?? w;
}

/** Stems that the stripper leaves apart although they are one word. */
const canonical: Record<string, string> = { registr: 'regist', register: 'regist', prescrib: 'prescript', immunis: 'immunis', immuniz: 'immunis', vaccinat: 'vaccin' };

function normalise(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’']s\b/g, '')
    .replace(/[’']/g, '');
}

function split(text: string): string[] {
  return text.split(/[^a-z0-9]+/).filter((t) => t && !stopWords.has(t));
}

/** Sentences end at . ! or ? before a space and a capital or digit, so emails, addresses and "Dr." inside them survive. */
export function sentencesOf(text: string): string[] {
  return text.split(/(?<=[.!?])\s+(?=[A-Z0-9£"‘(])/).map((s) => s.trim()).filter(Boolean);
}

/** The index terms of some text. */
export function terms(text: string): string[] {
  return split(normalise(text)).map((t) => stem(weekdayForms[t] ?? t));
}

const synonymsOf = new Map<string, string[]>();
for (const group of synonymGroups) {
  const stems = [...new Set(group.map(stem))];
  for (const s of stems) synonymsOf.set(s, [...new Set([...(synonymsOf.get(s) ?? []), ...stems.filter((o) => o !== s)])]);
}

/** The query's terms with weights: its own words 1, their synonyms less. */
export function queryTerms(query: string): Map<string, number> {
  let text = normalise(query);
  for (const [from, to] of phrases) text = text.replace(from, to);
  const own = split(text).map((t) => stem(weekdayForms[t] ?? t));
  const weights = new Map<string, number>();
  for (const t of own) for (const syn of synonymsOf.get(t) ?? []) weights.set(syn, Math.max(weights.get(syn) ?? 0, 0.4));
  for (const t of own) weights.set(t, 1);
  return weights;
}

export interface Hit {
  passage: Passage;
  /** Position of the passage in the index. */
  at: number;
  score: number;
  /** Share of the query's own words (weighted by rarity) that the passage contains, 0 to 1. */
  coverage: number;
}

const k1 = 1.2;
const b = 0.75;

function idf(index: ChatIndex, df: number): number {
  const n = index.passages.length;
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/** BM25F scores, and for each passage the rarity-weighted share of the query's own words it has. */
function score(index: ChatIndex, weights: Map<string, number>, withCoverage: boolean): { scores: Float64Array; coverage?: Float64Array } {
  const { stats } = index;
  const scores = new Float64Array(index.passages.length);
  const coverage = withCoverage ? new Float64Array(index.passages.length) : undefined;
  let total = 0;
  for (const [term, weight] of weights) {
    const list = stats.postings[term];
    const rarity = idf(index, (list?.length ?? 0) / 2);
    // A word the index has never seen is as rare as a word can be: it counts against coverage.
    if (weight === 1) total += rarity;
    if (!list) continue;
    const w = weight * rarity;
    for (let i = 0; i < list.length; i += 2) {
      const doc = list[i]!;
      const tf = list[i + 1]!;
      const norm = k1 * (1 - b + (b * stats.lengths[doc]!) / stats.avgLength);
      scores[doc]! += (w * tf * (k1 + 1)) / (tf + norm);
      if (coverage && weight === 1) coverage[doc]! += rarity;
    }
  }
  if (coverage && total) for (let i = 0; i < coverage.length; i++) coverage[i]! /= total;
  return { scores, coverage };
}

function topK(scores: Float64Array, k: number): number[] {
  const order: number[] = [];
  for (let i = 0; i < scores.length; i++) if (scores[i]! > 0) order.push(i);
  return order.sort((x, y) => scores[y]! - scores[x]! || x - y).slice(0, k);
}

/** Bare BM25F ranking and nothing else: the benchmark's anchor. */
export function searchOnly(index: ChatIndex, query: string, k: number): { at: number; score: number }[] {
  const { scores } = score(index, queryTerms(query), false);
  return topK(scores, k).map((at) => ({ at, score: scores[at]! }));
}

/** The k best passages for a question, each with how much of the question it covers. */
export function search(index: ChatIndex, query: string, k: number): Hit[] {
  const { scores, coverage } = score(index, queryTerms(query), true);
  return topK(scores, k).map((at) => ({ passage: index.passages[at]!, at, score: scores[at]!, coverage: coverage![at]! }));
}
