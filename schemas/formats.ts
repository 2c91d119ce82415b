import type { FormatName } from './dsl.ts';

export interface Format {
  /** Anchored pattern, written so it also works as a JSON Schema `pattern` and a CMS pattern. */
  pattern: string;
  /** What is wrong, as an editor would read it. */
  message: string;
  /** How to put it right. */
  fix: string;
  example: string;
}

export const formats: Readonly<Record<FormatName, Format>> = {
  // GP practice codes issued by NHS ODS: one letter and five digits (England and Wales).
  // Scottish practices use a five-digit practice code.
  ods: {
    pattern: '^([A-Z][0-9]{5}|[0-9]{5})$',
    message: 'is not a GP practice ODS code',
    fix: 'use the code from the NHS Organisation Data Service: one capital letter and five digits (five digits in Scotland)',
    example: 'Y12345',
  },
  email: {
    pattern: '^[^\\s@<>()]+@[^\\s@<>()]+\\.[A-Za-z]{2,}$',
    message: 'is not an email address',
    fix: 'write the full address, like reception@example.nhs.uk',
    example: 'reception@example.nhs.uk',
  },
  'https-url': {
    pattern: '^https://[^\\s/$.?#][^\\s]*$',
    message: 'is not a secure web address',
    fix: 'write the full address starting with https://',
    example: 'https://www.nhs.uk/',
  },
  'uk-phone': {
    pattern: '^(\\+44 ?|0)[0-9][0-9 ]{7,13}[0-9]$|^[0-9]{3,6}$',
    message: 'is not a UK phone number',
    fix: 'write the number with its area code, like 01632 960 123 (short numbers like 111 are allowed)',
    example: '01632 960 123',
  },
  postcode: {
    pattern: '^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$',
    message: 'is not a UK postcode',
    fix: 'write the postcode in capitals, like LS1 4AP',
    example: 'LS1 4AP',
  },
  time: {
    pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
    message: 'is not a time of day',
    fix: 'use the 24-hour clock with a colon, like 08:00 or 18:30',
    example: '08:00',
  },
  slug: {
    pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
    message: 'is not a valid short name',
    fix: 'use lower-case letters, digits and single hyphens, like flu-clinic',
    example: 'flu-clinic',
  },
  'site-path': {
    pattern: '^/([a-z0-9-]+/)*$',
    message: 'is not a path on this site',
    fix: 'write a path starting and ending with /, like /appointments/',
    example: '/appointments/',
  },
};

export const datePattern = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';
export const dateTimePattern = '^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?(Z|[+-][0-9]{2}:[0-9]{2})?$';
