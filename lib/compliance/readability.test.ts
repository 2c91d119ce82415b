// The reading-age score: the formula against values worked out by hand, plain and dense English,
// what Markdown leaves out, numbers and abbreviations, short input, and every demo page.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repo } from '../../test/support/demo-site.ts';
import { proseSentences } from './readability-prose.ts';
import { countWords, syllablesInWord, wordsOf } from './readability-words.ts';
import { describeReadability, minimumWords, oldestReadingAge, readability, readingAgeTarget } from './readability.ts';

// 4 sentences, 36 words, 42 syllables (counted by hand: open, Monday, Friday, visit, doctor and
// online have two; every other word one).
const handCounted =
  'We are open from Monday to Friday. Please call us if you need help. ' +
  'You can book a visit with a nurse or a doctor online. Our team will see you as soon as they can.';

// NHS-style: short sentences and everyday words.
const plain = `If you need help now but it is not an emergency, use NHS 111 online or call 111. They will tell you what to do.

Call 999 if someone is seriously ill or hurt. This could be chest pain, difficulty breathing or heavy bleeding.

You can also ask a pharmacist for help with minor illnesses. You do not need an appointment.`;

// Long sentences of long words, as a contract might put it.
const dense = `Notwithstanding the aforementioned considerations, the practice's administrative procedures necessitate that prospective registrants demonstrate eligibility through documentation substantiating residential occupancy within the designated catchment boundaries, consequently facilitating appropriate allocation of clinical responsibility. Correspondingly, individuals experiencing difficulties in obtaining documentation should communicate with administrative personnel, who will determine alternative verification arrangements in accordance with contractual obligations.`;

// Statutory wording, as accessibility statements carry it: sentences of ordinary length, long words.
const statutory = `## Reporting accessibility problems

We are always looking to improve the accessibility of this website. If you find any problems not listed here, or think we are not meeting accessibility requirements, contact us.

## Enforcement procedure

The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the "accessibility regulations"). If you are not happy with how we respond to your complaint, contact the [Equality Advisory and Support Service (EASS)](https://www.equalityadvisoryservice.com/).

## Technical information about this website's accessibility

Riverside Medical Practice is committed to making its website accessible, in accordance with the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018.`;

describe('the formula', () => {
  it('gives the Flesch–Kincaid grade and Flesch reading ease worked out by hand', () => {
    const r = readability(handCounted);
    expect({ words: r.words, sentences: r.sentences, syllables: r.syllables }).toEqual({ words: 36, sentences: 4, syllables: 42 });
    expect(r.wordsPerSentence).toBe(9);
    expect(r.syllablesPerWord).toBeCloseTo(42 / 36, 10);
    // 0.39 × 9 + 11.8 × 42/36 − 15.59 = 1.6867; 206.835 − 1.015 × 9 − 84.6 × 42/36 = 99.0
    expect(r.gradeLevel).toBeCloseTo(1.6867, 3);
    expect(r.readingEase).toBeCloseTo(99.0, 1);
    expect(r.readingAge).toBe(7);
    expect(r.verdict).toBe('ok');
  });

  it('gives the same score to the same prose whatever the Markdown around it', () => {
    const marked = `## We are open from Monday to Friday\n\nPlease call us if you need **help**.\n\n- You can book a visit with a nurse or a [doctor online](https://example.nhs.uk/book).\n- Our team will see you as soon as they can`;
    const r = readability(marked);
    expect({ words: r.words, sentences: r.sentences, syllables: r.syllables }).toEqual({ words: 36, sentences: 4, syllables: 42 });
  });

  it('scores a plain-English NHS-style paragraph at or under the target', () => {
    const r = readability(plain);
    expect(r.verdict).toBe('ok');
    expect(r.readingAge).toBeLessThanOrEqual(readingAgeTarget);
    expect(r.readingAge).toBeGreaterThanOrEqual(6);
    expect(r.readingEase).toBeGreaterThan(70);
  });

  it('scores a dense legalistic paragraph well above the target, naming its longest sentence', () => {
    const r = readability(dense);
    expect(r.verdict).toBe('above-target');
    expect(r.gradeLevel).toBeGreaterThan(25);
    // Past a graduate's reading age the years mean nothing; the score stops at 21.
    expect(r.readingAge).toBe(oldestReadingAge);
    expect(r.readingEase).toBeLessThan(0);
    expect(r.sentences).toBe(2);
    expect(r.longestSentences[0]).toMatch(/^Notwithstanding the aforementioned considerations, .* responsibility\.$/);
    expect(r.longestSentences).toHaveLength(2);
  });
});

describe('syllables', () => {
  it('counts common words as they are said', () => {
    const expected: Record<string, number> = {
      practice: 2, surgery: 3, pharmacy: 3, prescription: 3, receptionist: 4, medicine: 3, vaccination: 4, clinician: 3,
      emergency: 4, patient: 2, appointments: 3, services: 3, times: 1, nurses: 2, booked: 1, needed: 2, closed: 1,
      diabetes: 4, social: 2, information: 4, video: 3, usual: 3, quality: 3, period: 3, available: 4, possible: 3,
      people: 2, table: 2, care: 1, phone: 1, free: 1, value: 2, continue: 3, immediately: 5, management: 3, careful: 2,
      online: 2, website: 2, going: 2, seeing: 2, families: 3, easier: 3, register: 3, you: 1, year: 1, every: 2,
      sometimes: 2, accessibility: 6, the: 1, a: 1, language: 2, actual: 3, business: 2, physiotherapy: 6, region: 2, theory: 3,
    };
    const counted = Object.fromEntries(Object.keys(expected).map((w) => [w, syllablesInWord(w)]));
    expect(counted).toEqual(expected);
  });

  it('reads contractions and hyphenated words as one word', () => {
    expect(wordsOf("Don't wait: it isn't a face-to-face visit.").map((w) => [w.text, w.syllables])).toEqual([
      ["Don't", 1], ['wait', 1], ['it', 1], ["isn't", 2], ['a', 1], ['face-to-face', 3], ['visit', 2],
    ]);
  });
});

describe('numbers, abbreviations and addresses', () => {
  it('reads numbers, times, prices and phone numbers as one short word each', () => {
    const words = wordsOf('Call 01632 960100 or +44 20 7946 0958 from 08:00 to 6:30pm; it costs £10, 24/7, 1st.');
    expect(words.filter((w) => w.kind === 'number').map((w) => w.text)).toEqual(['01632960100', '+442079460958', '08:00', '6:30pm', '£10', '24/7', '1st']);
    expect(words.filter((w) => w.kind === 'number').every((w) => w.syllables === 1)).toBe(true);
  });

  it('reads initialisms patients know as one word, and does not end a sentence at "e.g." or "Dr."', () => {
    const words = wordsOf('Ask your GP, the NHS, A&E or the CQC.');
    expect(words.filter((w) => w.kind === 'initialism').map((w) => [w.text, w.syllables])).toEqual([['GP', 1], ['NHS', 1], ['A&E', 1], ['CQC', 1]]);
    // An all-capitals word of more than five letters is a word shouted, not an initialism.
    expect(wordsOf('Reply CANCEL now')[1]).toEqual({ text: 'CANCEL', kind: 'word', syllables: 2 });
    expect(proseSentences('Bring proof, e.g. a bill. See Dr. Patel at 8.30am. Then go home.')).toEqual(['Bring proof, e.g. a bill.', 'See Dr. Patel at 8.30am.', 'Then go home.']);
  });

  it('gives a page with numbers and initialisms the score of the same page with short words in their place', () => {
    const withNumbers = readability(handCounted.replace('Please call us', 'Please call us on 01632 960100 at 08:00').replace('a doctor', 'a GP'));
    const withWords = readability(handCounted.replace('Please call us', 'Please call us on it at ten').replace('a doctor', 'a man'));
    expect(withNumbers.words).toBe(withWords.words);
    expect(withNumbers.syllables).toBe(withWords.syllables);
  });

  it('leaves web and email addresses out of the count, keeping the full stop after them', () => {
    const bare = readability(`${handCounted} Read more at https://www.nhs.uk/conditions/flu/ or nhs.uk. Email help@example.nhs.uk.`);
    const without = readability(`${handCounted} Read more at or. Email.`);
    expect({ words: bare.words, sentences: bare.sentences, syllables: bare.syllables }).toEqual({ words: without.words, sentences: without.sentences, syllables: without.syllables });
    expect(bare.sentences).toBe(6);
  });
});

describe('Markdown', () => {
  it('keeps the prose a patient reads: link text, headings and list items as sentences, table rows as one', () => {
    const md = [
      '---',
      'title: Not counted',
      '---',
      '# Opening times',
      '',
      'Read the [opening hours](/contact/) or see <abbr title="general practitioner">GP</abbr> *times* below.',
      '',
      '![A map of the area](/media/map.png)',
      '',
      '```',
      'const notProse = "this is code and never read";',
      '```',
      '',
      'Run `npm start` first.',
      '',
      '<!-- a note for editors -->',
      '<div class="nhsuk-inset-text">Bring your <strong>NHS number</strong></div>',
      '',
      '| Day | Hours |',
      '|-----|-------|',
      '| Monday | 8am to 6:30pm |',
      '',
      '1. First item',
      '2. Second item',
      '',
      '> Quoted words.',
    ].join('\n');
    expect(proseSentences(md)).toEqual([
      'Opening times',
      'Read the opening hours or see GP times below.',
      'Run first.',
      'Bring your NHS number',
      'Day, Hours',
      'Monday, 8am to 6:30pm',
      'First item',
      'Second item',
      'Quoted words.',
    ]);
  });
});

describe('short and empty input', () => {
  it('calls empty input too short, with no numbers that are not numbers', () => {
    for (const text of ['', '   \n\n', '```\ncode only\n```', '## ']) {
      const r = readability(text);
      expect(r).toMatchObject({ verdict: 'too-short', words: 0, sentences: 0, readingAge: 0, longestSentences: [] });
      expect(Number.isFinite(r.gradeLevel) && Number.isFinite(r.readingEase) && Number.isFinite(r.syllablesPerWord)).toBe(true);
    }
  });

  it('never warns about a text under the minimum, however hard its words', () => {
    const short = 'Notwithstanding contractual obligations, administrative personnel necessitate documentation.';
    const r = readability(short);
    expect(r.words).toBeLessThan(minimumWords);
    expect(r.verdict).toBe('too-short');
    expect(describeReadability(r)).toEqual({ message: 'Too short to give a reading age: 7 words, and at least 30 are needed', fix: '' });
  });
});

describe('the words for an editor', () => {
  it('says the reading age is within the target, with nothing to fix', () => {
    expect(describeReadability(readability(handCounted))).toEqual({ message: 'Reading age 7: within the target of 11 or under', fix: '' });
  });

  it('says how far a page is above the target, and where to start', () => {
    const r = readability(statutory);
    const { message, fix } = describeReadability(r);
    expect(message).toBe(`Reading age ${r.readingAge}: above the target of 11`);
    expect(r.readingAge).toBeGreaterThan(14);
    expect(r.readingAge).toBeLessThan(oldestReadingAge);
    // The sentences are not long on average; the words are.
    expect(r.wordsPerSentence).toBeLessThan(20);
    expect(fix).toMatch(/^To bring it down, use plainer, shorter words \(these average \d\.\d syllables a word; aim for 1\.5 or fewer\)\. Start with the longest sentence, "The Equality and Human Rights Commission \(EHRC\) is responsible for enforcing the Public Sector Bodies/);
  });

  it('says what to do about a dense page, quoting its longest sentence cut at a word', () => {
    const r = readability(dense);
    const { message, fix } = describeReadability(r);
    expect(message).toBe('Reading age 21 or over: above the target of 11');
    expect(fix).toMatch(/^To bring it down, use shorter sentences \(these average 27 words; aim for 20 or fewer\) and use plainer, shorter words \(these average 3\.\d syllables a word; aim for 1\.5 or fewer\)\. Start with the longest sentence, "Notwithstanding the aforementioned/);
    expect(fix).toMatch(/ prospective registrants demonstrate…": split it, or say it more simply\.$/);
  });
});

describe('the demo practices', () => {
  it('scores every Markdown file in content/practices/*/ without throwing, and finds the patient pages plain', async () => {
    const root = path.join(repo, 'content/practices');
    const scored: { file: string; verdict: string; readingAge: number }[] = [];
    for (const practice of await readdir(root)) {
      for (const entry of await readdir(path.join(root, practice), { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || !entry.name.endsWith('.md')) continue;
        const file = path.join(entry.parentPath, entry.name);
        const r = readability(await readFile(file, 'utf8'));
        expect(Number.isFinite(r.readingAge) && r.words >= 0 && r.sentences >= 0, file).toBe(true);
        scored.push({ file: path.relative(root, file), verdict: r.verdict, readingAge: r.readingAge });
      }
    }
    expect(scored.length).toBeGreaterThan(150);
    // The demo pages, services and news were written in plain English; the score agrees for
    // nearly all of them (the demo content is edited too, so one page may be on its way).
    const patientPages = scored.filter((s) => /\/(pages|services|news)\//.test(s.file));
    expect(patientPages.length).toBeGreaterThan(100);
    const plainShare = patientPages.filter((s) => s.verdict === 'ok').length / patientPages.length;
    expect(plainShare, JSON.stringify(patientPages.filter((s) => s.verdict !== 'ok'))).toBeGreaterThan(0.95);
  });
});

describe('counting without making the words', () => {
  it('gives what wordsOf gives for every sentence of the demo content, cached or not', async () => {
    const root = path.join(repo, 'content/practices');
    let sentences = 0;
    for (const file of (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.md'))) {
      for (const sentence of proseSentences(await readFile(path.join(root, file), 'utf8'))) {
        const words = wordsOf(sentence);
        const expected = { words: words.length, syllables: words.reduce((n, w) => n + w.syllables, 0) };
        // Twice: the second comes from the cache of word readings.
        expect(countWords(sentence), sentence).toEqual(expected);
        expect(countWords(sentence), sentence).toEqual(expected);
        sentences++;
      }
    }
    expect(sentences).toBeGreaterThan(1000);
  });
});
