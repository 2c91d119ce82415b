// Words and syllables, counted the way a reader meets them. A syllable counter for English can
// only be a heuristic (vowel groups, corrected for silent and split vowels) with a list of common
// words it gets wrong. What a reader takes in at a glance is counted as one short word: numbers,
// times, prices and phone numbers ("08:00", "£10", "01632 960100"), and initialisms ("GP", "NHS",
// "A&E"), which patients know as words; spelling them out would score a GP page as harder than it is.

/** Words the vowel-group rules get wrong, with their syllables in British speech. */
const exceptions: Record<string, number> = {
  people: 2, business: 2, every: 2, everyone: 3, everything: 3, everybody: 4, everywhere: 3, evening: 2,
  sometimes: 2, someone: 2, something: 2, somewhere: 2, somebody: 3, anyone: 3, anywhere: 3, whenever: 3, wherever: 3,
  therefore: 2, furthermore: 3, lifestyle: 2, homepage: 2, hundred: 2, create: 2, created: 3, area: 3, areas: 3,
  idea: 3, ideas: 3, client: 2, clients: 2, quiet: 2, diet: 2, science: 2, experience: 4, being: 2, poem: 2,
  real: 1, really: 2, toilet: 2, toilets: 2, video: 3, videos: 3, radio: 3, cooperate: 4, coordinate: 4,
  fire: 1, hour: 1, hours: 1, our: 1, ours: 1, unique: 2, league: 1, wednesday: 2, february: 4, maybe: 2,
  themselves: 2, yourself: 2, yourselves: 2, ourselves: 2, whose: 1, queue: 1, queues: 1,
  recipe: 3, apostrophe: 4,
  // Health words the rules miss.
  diabetes: 4, influenza: 4, physiotherapy: 6, physiotherapist: 6, physiotherapists: 6, dietitian: 4, dietitians: 4, acne: 2,
};

/** Short words written with stops: their syllables as read ("e.g." is usually read as the letters). */
const dotted: Record<string, number> = {
  'e.g.': 2, 'i.e.': 2, 'etc.': 4, 'a.m.': 2, 'p.m.': 2, 'approx.': 2, 'dr.': 2, 'mr.': 2, 'mrs.': 2, 'ms.': 1,
  'prof.': 2, 'st.': 1, 'no.': 2, 'vs.': 1, 'tel.': 1, 'ext.': 1, 'inc.': 1, 'ltd.': 1,
};

/** Syllables in one lower-case word of letters only. */
export function syllablesInWord(input: string): number {
  const word = input.toLowerCase().replace(/[^a-z]/g, '');
  if (!word) return 0;
  const known = exceptions[word];
  if (known !== undefined) return known;
  if (word.length <= 3) return 1;

  // A leading "y" is a consonant ("you", "year"); elsewhere it is a vowel ("any", "days").
  const w = word.replace(/^y/, '');
  let count = (w.match(/[aeiouy]+/g) ?? []).length;

  // Silent final "e" ("care", "phone"), but not "-le" after a consonant ("table"), "-ee" ("free") or "-ue" ("value").
  if (/[^aeiouy]e$/.test(w) && !/[^aeiouy]le$/.test(w)) count--;
  // "-es" is silent after most consonants ("times", "makes"), spoken after c, g, s, x, z, ch and sh ("services", "changes").
  else if (/[^aeiouycgsxz]es$/.test(w) && !/(ch|sh)es$/.test(w) && !/[^aeiouy]les$/.test(w)) count--;
  // "-ed" is silent except after t and d ("booked" but "needed").
  else if (/[^aeiouytd]ed$/.test(w) && count > 1) count--;
  // A silent "e" inside a word before a suffix: "lately", "management", "careful", "homeless".
  if (/[aeiouy][^aeiouy]e(ly|ment|ments|ful|ness|less)$/.test(w)) count--;

  // Vowels written together but spoken apart.
  if (/[aeiou]ing$/.test(w) || /[aeiou]ings$/.test(w)) count++; // going, doing, seeing
  count += (w.match(/ia/g) ?? []).length - (w.match(/[ct]ia[ln]/g) ?? []).length; // diabetes, but social, clinician
  count += (w.match(/io/g) ?? []).length - (w.match(/[tscg]io/g) ?? []).length; // period, but information, session, region
  count += (w.match(/eo/g) ?? []).length - (w.match(/geo[nu]|eou/g) ?? []).length; // theory, but surgeon, gorgeous
  count += (w.match(/[^qg]ua/g) ?? []).length; // usual, but quality and language
  count += (w.match(/uo/g) ?? []).length; // fluoride
  if (/[^aeiouy]ier$|[^aeiouy]iest$/.test(w) && w.length > 4) count++; // easier, earliest
  if (/[^aeiouy]ism$/.test(w)) count++; // autism
  return Math.max(1, count);
}

export type WordKind = 'word' | 'number' | 'initialism' | 'abbreviation';

export interface Word {
  text: string;
  kind: WordKind;
  syllables: number;
}

/** A phone number written in groups ("01632 960100", "+44 20 7946 0958") is one thing to read. */
const phoneNumber = /(?:\+44\s?(?:\(0\)\s?)?|\b0)\d{2,5}(?:[\s-]\d{2,6}){1,3}\b/g;

/** One token as read: a number, an initialism, a dotted abbreviation or a word. */
function wordOf(token: string): Word | undefined {
  const lower = token.toLowerCase();
  const abbreviation = dotted[lower];
  if (abbreviation !== undefined) return { text: token, kind: 'abbreviation', syllables: abbreviation };
  // Letters with stops ("U.K.", "N.H.S."): an initialism.
  if (/^(?:[a-z]\.){2,}$/i.test(token)) return { text: token, kind: 'initialism', syllables: 1 };
  const bare = token.replace(/^[^\p{L}\p{N}£$€+]+|[^\p{L}\p{N}%]+$/gu, '');
  if (!bare) return undefined;
  // Numbers, times, dates, prices, percentages, ordinals: "08:00", "8am", "6:30pm", "£10", "1st", "24/7", "01632960100".
  if (/\d/.test(bare) && /^[£$€]?[\d.,:/+\-–()%]+(?:am|pm|st|nd|rd|th|s|k|m|p|kg|mg|ml|cm|mm|km|mph|hrs?)?$/i.test(bare)) return { text: bare, kind: 'number', syllables: 1 };
  // Initialisms patients read as one word: GP, GPs, NHS, A&E, CQC, MMR, BSL, COVID-19 (2 to 5 capitals, maybe a plural "s" or a number).
  if (/^[A-Z][A-Z&]{1,4}s?(?:-\d+)?$/.test(bare)) return { text: bare, kind: 'initialism', syllables: 1 };
  // Hyphenated words ("face-to-face", "step-free") are one word of all their parts' syllables.
  const parts = bare.split(/[-–]/).filter(Boolean);
  let syllables = 0;
  for (const part of parts) {
    if (/^\d/.test(part)) syllables += 1;
    else syllables += syllablesInPart(part);
  }
  return syllables ? { text: bare, kind: 'word', syllables } : undefined;
}

/** Syllables in a word that may carry an apostrophe: "don't", "didn't", "practice's", "we'll". */
function syllablesInPart(part: string): number {
  const p = part.toLowerCase().replace(/[\u2019\u2018`]/g, "'");
  const negative = /^(\p{L}+)n't$/u.exec(p);
  if (negative) {
    // "didn't", "isn't", "shouldn't" add a spoken syllable; "don't", "can't", "won't", "aren't" do not.
    const base = negative[1]!;
    const spoken = /[^aeiouy]$/.test(base) || (base.endsWith('e') && !['are', 'were'].includes(base)) ? 1 : 0;
    return syllablesInWord(base) + spoken;
  }
  return syllablesInWord(p.replace(/'/g, ''));
}

/**
 * Tokens already read, as wordOf gave them (null for no word). Pages share most of their words
 * (and a practice's pages repeat its own), and reading a token is a dozen regular expressions.
 * Emptied when full, so a long-running process does not keep every word it has seen.
 */
const known = new Map<string, Word | null>();
const mostKnown = 20_000;

function knownWord(token: string): Word | null {
  let w = known.get(token);
  if (w === undefined) {
    if (known.size >= mostKnown) known.clear();
    w = wordOf(token) ?? null;
    known.set(token, w);
  }
  return w;
}

/** The tokens of one sentence: split at spaces and dashes, phone numbers kept whole. */
function tokensOf(sentence: string): string[] {
  // Every phone number has a "0" or a "+": most sentences have neither.
  const joined = sentence.includes('0') || sentence.includes('+') ? sentence.replace(phoneNumber, (n) => n.replace(/[\s-]/g, '')) : sentence;
  return joined.split(/[\s—]+|\s[–-]\s|(?<=\p{L})\/(?=\p{L})/u);
}

/** The words of one sentence, in order. */
export function wordsOf(sentence: string): Word[] {
  const words: Word[] = [];
  for (const token of tokensOf(sentence)) {
    const w = knownWord(token);
    // A copy each time: callers may keep or change the words they are given.
    if (w) words.push({ ...w });
  }
  return words;
}

/** How many words one sentence has and their syllables: what wordsOf gives, counted without making the words. */
export function countWords(sentence: string): { words: number; syllables: number } {
  let words = 0;
  let syllables = 0;
  for (const token of tokensOf(sentence)) {
    const w = knownWord(token);
    if (w) {
      words++;
      syllables += w.syllables;
    }
  }
  return { words, syllables };
}
