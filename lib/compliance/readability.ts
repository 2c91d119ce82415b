// The reading age of a page: the Flesch–Kincaid grade level of its prose, plus five (a US school
// grade is about five years below the age at which it is reached). Plain English on GP websites
// means a reading age of about 9 to 11 (NHS England's guidance), so 11 is the upper bound.
// Runtime-neutral: `pd check` and the CMS preview (in the browser) both call it. See decision 21.
import { proseSentences } from './readability-prose.ts';
import { countWords } from './readability-words.ts';

/** The highest acceptable reading age, in years. */
export const readingAgeTarget = 11;
/** Fewer words than this give a score too unsteady to act on (a formula over two sentences says little). */
export const minimumWords = 30;
/** The youngest reading age reported: below it the formula has no meaning (very short words and sentences). */
const youngestReadingAge = 5;
/** The oldest reading age reported: past a university graduate's the years no longer mean anything. */
export const oldestReadingAge = 21;

export type ReadabilityVerdict = 'ok' | 'above-target' | 'too-short';

export interface Readability {
  /** Whole years, rounded: Flesch–Kincaid grade level + 5, from 5 to 21. 0 when too short to score. */
  readingAge: number;
  /** The Flesch–Kincaid grade level, unrounded: 0.39 × words per sentence + 11.8 × syllables per word − 15.59. */
  gradeLevel: number;
  /** Flesch reading ease, unrounded: 206.835 − 1.015 × words per sentence − 84.6 × syllables per word (60 to 70 is plain English). */
  readingEase: number;
  words: number;
  sentences: number;
  syllables: number;
  syllablesPerWord: number;
  wordsPerSentence: number;
  /** Up to three of the longest sentences, longest first, as the reader meets them (for the fix). */
  longestSentences: string[];
  verdict: ReadabilityVerdict;
}

/** Scores the prose of a Markdown page body (a whole file with front matter is accepted too). */
export function readability(markdown: string): Readability {
  const sentences = proseSentences(markdown)
    .map((text) => ({ text, ...countWords(text) }))
    .filter((s) => s.words > 0);
  const words = sentences.reduce((n, s) => n + s.words, 0);
  const syllables = sentences.reduce((n, s) => n + s.syllables, 0);
  const wordsPerSentence = sentences.length ? words / sentences.length : 0;
  const syllablesPerWord = words ? syllables / words : 0;
  const gradeLevel = words ? 0.39 * wordsPerSentence + 11.8 * syllablesPerWord - 15.59 : 0;
  const readingEase = words ? 206.835 - 1.015 * wordsPerSentence - 84.6 * syllablesPerWord : 0;
  const longestSentences = sentences
    .map((s, i) => ({ ...s, i }))
    .sort((a, b) => b.words - a.words || a.i - b.i)
    .slice(0, 3)
    .map((s) => s.text);
  const tooShort = words < minimumWords;
  const readingAge = tooShort ? 0 : Math.min(oldestReadingAge, Math.max(youngestReadingAge, Math.round(gradeLevel + 5)));
  return {
    readingAge,
    gradeLevel,
    readingEase,
    words,
    sentences: sentences.length,
    syllables,
    syllablesPerWord,
    wordsPerSentence,
    longestSentences,
    verdict: tooShort ? 'too-short' : readingAge > readingAgeTarget ? 'above-target' : 'ok',
  };
}

/** Sentences longer than this on average are the first thing to fix (NHS and GOV.UK style: 15 to 20 words). */
const plainSentenceLength = 20;
/** Words longer than this on average (in syllables) are the next (plain English averages about 1.4). */
const plainSyllablesPerWord = 1.5;

/** A sentence in quotation marks, shortened at a word boundary when it is too long to quote whole. */
function quoted(sentence: string): string {
  if (sentence.length <= 160) return `"${sentence}"`;
  const cut = sentence.slice(0, 150);
  return `"${cut.slice(0, cut.lastIndexOf(' ') > 80 ? cut.lastIndexOf(' ') : cut.length).replace(/[\s,;:]+$/, '')}…"`;
}
const one = (n: number) => (Math.round(n * 10) / 10).toString();

/** The score in plain English for an editor: what it is, and what to do about it. `fix` is empty when nothing need be done. */
export function describeReadability(r: Readability): { message: string; fix: string } {
  if (r.verdict === 'too-short') {
    return { message: `Too short to give a reading age: ${r.words} ${r.words === 1 ? 'word' : 'words'}, and at least ${minimumWords} are needed`, fix: '' };
  }
  if (r.verdict === 'ok') return { message: `Reading age ${r.readingAge}: within the target of ${readingAgeTarget} or under`, fix: '' };
  const steps: string[] = [];
  const longSentences = r.wordsPerSentence > plainSentenceLength;
  const longWords = r.syllablesPerWord > plainSyllablesPerWord;
  if (longSentences || !longWords) steps.push(`use shorter sentences (these average ${one(r.wordsPerSentence)} words; aim for ${plainSentenceLength} or fewer)`);
  if (longWords || !longSentences) steps.push(`use plainer, shorter words (these average ${one(r.syllablesPerWord)} syllables a word; aim for ${plainSyllablesPerWord} or fewer)`);
  const longest = r.longestSentences[0];
  const start = longest ? ` Start with the longest sentence, ${quoted(longest)}: split it, or say it more simply.` : '';
  const fix = `To bring it down, ${steps.join(' and ')}.${start}`;
  const age = r.readingAge >= oldestReadingAge ? `${oldestReadingAge} or over` : String(r.readingAge);
  return { message: `Reading age ${age}: above the target of ${readingAgeTarget}`, fix };
}
