// Removes personal data from a patient's message before anything else sees it: retrieval, a model,
// a counter. A chat message about a GP practice is special-category health data the moment it has
// a name or number in it, and the chatbot never needs to know who is asking. The patterns are
// deliberately broad (any 10-digit run is treated as an NHS number) and each is linear: every
// quantifier is bounded or anchored by a lookbehind so no input can make a pattern backtrack
// quadratically. It never throws: scrubbing failing must not let a message through unscrubbed, so
// the caller gets a placeholder for the whole message instead.

const emailPattern = /(?<![\w.%+'-])[\w.%+'-]{1,64}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,8}/gi;

// Ten digits written 3-3-4 (spaces or dashes) or as one run: an NHS number, or a Scottish CHI or
// Northern Irish H&C number, which have the same shape.
const tenDigits = /(?<![\d+])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\d])/g;

// UK numbers from 01, 02, 03 and 07 and their +44 / 0044 forms, with single spaces, dashes or
// brackets between digits: "01632 960 100", "(01632) 960100", "+44 (0)7700 900123".
const phonePattern = /(?<![\d+])(?:(?:\+|00) ?44 ?(?:\(0\) ?)?|\(?0)[1237](?:[ \-)]{0,2}\d){8,9}(?!\d)/g;

const months =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';

const datePatterns: [RegExp, string][] = [
  // 12/03/1980, 1.3.80, 12-03-80
  [/(?<![\d/.-])\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?![\d/-]|\.\d)/g, '[date]'],
  // 1980-03-12, 1980/3/12
  [/(?<![\d/.-])(?:19|20)\d{2}[/.-]\d{1,2}[/.-]\d{1,2}(?![\d/.-])/g, '[date]'],
  // 12 March 1980, 12th of Mar 80, 1st march, 2020
  [new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th)?(?: of)?[ -](?:${months})\\.?,?[ -](?:\\d{4}|'?\\d{2})\\b`, 'gi'), '[date]'],
  // March 12, 1980 and March 12th 1980
  [new RegExp(`\\b(?:${months})\\.? \\d{1,2}(?:st|nd|rd|th)?,? (?:\\d{4}|'\\d{2})\\b`, 'gi'), '[date]'],
  // After "born" or "date of birth", a day and month or a bare year still identifies someone.
  [new RegExp(
    `\\b((?:born(?: on| in)?|d\\.?o\\.?b\\.?|date of birth|birthday)(?: is)?:? ?)(?:\\d{1,2}(?:st|nd|rd|th)?(?: of)? (?:${months})|(?:${months}) \\d{1,2}(?:st|nd|rd|th)?|(?:${months}) (?:19|20)\\d{2}|(?:19|20)\\d{2})\\b`,
    'gi',
  ), '$1[date]'],
];

// Every UK postcode area, so an outward code on its own ("I live in LS6") is recognised without
// scrubbing every letter-and-digit pair such as "A1".
const areas =
  'AB|AL|B|BA|BB|BD|BH|BL|BN|BR|BS|BT|CA|CB|CF|CH|CM|CO|CR|CT|CV|CW|DA|DD|DE|DG|DH|DL|DN|DT|DY|E|EC|EH|EN|EX|FK|FY|G|GL|GU|GY|HA|HD|HG|HP|HR|HS|HU|HX|' +
  'IG|IM|IP|IV|JE|KA|KT|KW|KY|L|LA|LD|LE|LL|LN|LS|LU|M|ME|MK|ML|N|NE|NG|NN|NP|NR|NW|OL|OX|PA|PE|PH|PL|PO|PR|RG|RH|RM|S|SA|SE|SG|SK|SL|SM|SN|SO|SP|SR|SS|ST|SW|SY|' +
  'TA|TD|TF|TN|TQ|TR|TS|TW|UB|W|WA|WC|WD|WF|WN|WR|WS|WV|YO|ZE';

const fullPostcode = new RegExp(`\\b(?:${areas})\\d[a-z\\d]? ?\\d[a-z]{2}\\b`, 'gi');
// An outward code alone. Vitamin B12, a B12 injection and the like are not addresses.
const outwardPostcode = new RegExp(
  `(?<!\\b(?:vitamin|vit) )\\b(?:${areas})\\d[a-z\\d]?\\b(?! (?:injection|injections|jab|jabs|shot|shots|tablets?|vitamin|deficiency|levels?|tests?|blood test|form|motorway))`,
  'gi',
);

/** A 10-digit number whose last digit is its modulus-11 check digit, as NHS numbers have. */
export function isValidNhsNumber(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

function scrubTenDigits(match: string): string {
  const digits = match.replace(/\D/g, '');
  // A valid check digit is certainly an NHS number; a run starting 01/02/03/07 that fails it is
  // most likely a phone number; anything else is still scrubbed, as an NHS number.
  if (isValidNhsNumber(digits)) return '[nhs number]';
  if (/^0[1237]/.test(digits)) return '[phone]';
  return '[nhs number]';
}

export function scrubPersonalData(text: string): string {
  try {
    if (typeof text !== 'string') return '';
    let s = text.replace(emailPattern, '[email]');
    // Phones first: an 11-digit UK number must not lose its last ten digits to the NHS pattern.
    s = s.replace(phonePattern, '[phone]');
    s = s.replace(tenDigits, scrubTenDigits);
    for (const [p, to] of datePatterns) s = s.replace(p, to);
    s = s.replace(fullPostcode, '[postcode]');
    s = s.replace(outwardPostcode, '[postcode]');
    return s;
  } catch {
    return '[message removed]';
  }
}
