// The reading age of the text being edited, shown above the previewed page (never inside it: the
// page is what patients get, byte for byte). Plain English is a reading age of 11 or under
// (decision 21); above it the notice becomes a warning with what to change. A text too short to
// score shows nothing, so a short news item or an empty optional body is never flagged.
import { createElement as h } from 'react';
import { describeReadability, readability, readingAgeTarget } from '../../../lib/compliance/readability.ts';

/** The collections whose body is a page of prose patients read (team profiles and notices are a few lines). */
export const scoredCollections: ReadonlySet<string> = new Set(['pages', 'services', 'news', 'policies']);

const one = (n: number) => (Math.round(n * 10) / 10).toString();

export function readingAgeNotice(collection: string, body: unknown) {
  if (!scoredCollections.has(collection) || typeof body !== 'string') return null;
  const r = readability(body);
  if (r.verdict === 'too-short') return null;
  const { message, fix } = describeReadability(r);
  const figures = `${r.words} words in ${r.sentences} sentences: ${one(r.wordsPerSentence)} words a sentence and ${one(r.syllablesPerWord)} syllables a word on average (Flesch–Kincaid grade ${one(r.gradeLevel)} plus 5).`;
  const above = r.verdict === 'above-target';
  return h(
    'section',
    { className: 'nhsuk-width-container pd-preview__reading-age', 'aria-labelledby': 'pd-reading-age-label', 'data-reading-age': String(r.readingAge) },
    above
      ? h(
          'div',
          { className: 'nhsuk-warning-callout nhsuk-u-margin-top-6 nhsuk-u-margin-bottom-4' },
          h('h2', { className: 'nhsuk-warning-callout__label', id: 'pd-reading-age-label' }, h('span', { role: 'text' }, h('span', { className: 'nhsuk-u-visually-hidden' }, 'Important: '), message)),
          h('p', {}, fix),
          h('p', { className: 'nhsuk-body-s' }, figures),
        )
      : h(
          'div',
          { className: 'nhsuk-inset-text nhsuk-u-margin-top-4 nhsuk-u-margin-bottom-4' },
          h('span', { className: 'nhsuk-u-visually-hidden' }, 'Information: '),
          h('h2', { className: 'nhsuk-heading-s nhsuk-u-margin-bottom-2', id: 'pd-reading-age-label' }, message),
          h('p', { className: 'nhsuk-body-s' }, `Plain English for patients is a reading age of ${readingAgeTarget} or under. ${figures}`),
        ),
  );
}
