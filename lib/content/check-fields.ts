// Walks the content model over the plain data read from a file and returns typed values, with
// a problem for every field that is missing, unknown or malformed (not just the first).
import type { Field, Fields } from '../../schemas/dsl.ts';
import { datePattern, dateTimePattern, formats } from '../../schemas/formats.ts';
import { isValidDate, ukLocalToIso } from './dates.ts';

export interface FieldProblem {
  path: (string | number)[];
  message: string;
  fix: string;
}

export interface Checked {
  value: Record<string, unknown>;
  problems: FieldProblem[];
}

/** True when the field need not be written in the file. */
export const isRequired = (f: Field): boolean =>
  !f.optional && !('default' in f && f.default !== undefined) && !(f.kind === 'list' && !f.min);

/** True when the checked value always has the field (required, defaulted, or a list). */
export const isAlwaysPresent = (f: Field): boolean => isRequired(f) || f.kind === 'list' || ('default' in f && f.default !== undefined);

export function checkFields(fields: Fields, data: unknown): Checked {
  const problems: FieldProblem[] = [];
  const value = checkObject(fields, data, [], problems) ?? {};
  return { value, problems };
}

const isEmpty = (v: unknown) => v === undefined || v === null || v === '';

function checkObject(
  fields: Fields,
  data: unknown,
  path: (string | number)[],
  problems: FieldProblem[],
): Record<string, unknown> | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    problems.push({
      path,
      message: 'should be a group of fields',
      fix: `write the fields ${Object.keys(fields).map((k) => `"${k}"`).join(', ')} indented under it`,
    });
    return undefined;
  }
  const record = data as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(fields)) {
    const v = checkValue(field, record[key], [...path, key], problems);
    if (v !== undefined) out[key] = v;
  }
  for (const key of Object.keys(record)) {
    if (key in fields) continue;
    const guess = closest(key, Object.keys(fields));
    problems.push({
      path: [...path, key],
      message: `"${key}" is not a field here`,
      fix: guess ? `did you mean "${guess}"? Otherwise remove it` : `remove it; the fields here are ${Object.keys(fields).join(', ')}`,
    });
  }
  return out;
}

function checkValue(field: Field, raw: unknown, path: (string | number)[], problems: FieldProblem[]): unknown {
  if (isEmpty(raw) || (field.kind === 'list' && Array.isArray(raw) && raw.length === 0 && !field.min)) {
    if ('default' in field && field.default !== undefined) return field.default;
    if (field.kind === 'list' && (field.optional || !field.min)) return [];
    if (field.optional) return undefined;
    problems.push({ path, message: `${field.label} is required`, fix: `add "${String(path.at(-1))}:" with ${describe(field)}` });
    return undefined;
  }
  const bad = (message: string, fix: string) => {
    problems.push({ path, message, fix });
    return undefined;
  };
  switch (field.kind) {
    case 'string':
    case 'markdown': {
      if (typeof raw !== 'string') return bad(`${field.label} should be text`, 'write it on one line after the colon, or use | for several lines');
      const text = field.kind === 'string' && !field.multiline ? raw.trim() : raw.replace(/\s+$/, '');
      if (field.kind === 'string') {
        if (!field.multiline && text.includes('\n')) return bad(`${field.label} should be one line`, 'remove the line breaks');
        if (field.maxLength && text.length > field.maxLength)
          return bad(`${field.label} is ${text.length} characters long`, `shorten it to at most ${field.maxLength}`);
        if (field.format) {
          const f = formats[field.format];
          if (!new RegExp(f.pattern).test(text)) return bad(`"${text}" ${f.message}`, f.fix);
        }
      }
      return text;
    }
    case 'boolean': {
      const word = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
      if (word === 'true') return true;
      if (word === 'false') return false;
      return bad(
        `${field.label} should be true or false, not "${String(raw)}"`,
        ['yes', 'no', 'on', 'off', 'y', 'n'].includes(word)
          ? `write ${['yes', 'on', 'y'].includes(word) ? 'true' : 'false'}: words like "${word}" are not read as true or false`
          : 'write true or false',
      );
    }
    case 'number': {
      const s = typeof raw === 'string' ? raw.trim().replace(/,/g, '') : '';
      if (!/^-?\d+(\.\d+)?$/.test(s)) return bad(`${field.label} should be a number, not "${String(raw)}"`, 'write digits only, like 42');
      const n = Number(s);
      if (field.integer && !Number.isInteger(n)) return bad(`${field.label} should be a whole number`, 'remove the decimal part');
      if (field.min !== undefined && n < field.min) return bad(`${field.label} is below ${field.min}`, `use ${field.min} or more`);
      if (field.max !== undefined && n > field.max) return bad(`${field.label} is above ${field.max}`, `use ${field.max} or less`);
      return n;
    }
    case 'date': {
      const s = typeof raw === 'string' ? raw.trim() : '';
      if (!new RegExp(datePattern).test(s) || !isValidDate(s))
        return bad(`${field.label} "${String(raw)}" is not a date`, 'write it as year-month-day, like 2026-03-31');
      return s;
    }
    case 'datetime': {
      const s = typeof raw === 'string' ? raw.trim() : '';
      if (!new RegExp(dateTimePattern).test(s) || !isValidDate(s.slice(0, 10)))
        return bad(`${field.label} "${String(raw)}" is not a date and time`, 'write it like 2026-03-31T17:00 (UK time)');
      return ukLocalToIso(s);
    }
    case 'select': {
      const s = typeof raw === 'string' ? raw.trim() : '';
      if (field.options.some((o) => o.value === s)) return s;
      return bad(
        `${field.label} "${String(raw)}" is not one of the choices`,
        `use one of ${field.options.map((o) => o.value).join(', ')}`,
      );
    }
    case 'list': {
      if (!Array.isArray(raw)) return bad(`${field.label} should be a list`, 'put each item on its own line starting with "- "');
      if (field.min !== undefined && raw.length < field.min)
        return bad(`${field.label} needs at least ${field.min} item${field.min === 1 ? '' : 's'}`, 'add the missing items');
      if (field.max !== undefined && raw.length > field.max)
        return bad(`${field.label} has more than ${field.max} items`, `keep at most ${field.max}`);
      const out: unknown[] = [];
      raw.forEach((item, i) => {
        const v = checkValue({ ...field.of, optional: false }, item, [...path, i], problems);
        if (v !== undefined) out.push(v);
      });
      return out;
    }
    case 'object':
      return checkObject(field.fields, raw, path, problems);
  }
}

function describe(f: Field): string {
  switch (f.kind) {
    case 'string':
      return f.format ? `a value like ${formats[f.format].example}` : 'some text';
    case 'markdown':
      return 'some text';
    case 'boolean':
      return 'true or false';
    case 'number':
      return 'a number';
    case 'date':
      return 'a date like 2026-03-31';
    case 'datetime':
      return 'a date and time like 2026-03-31T17:00';
    case 'select':
      return `one of ${f.options.map((o) => o.value).join(', ')}`;
    case 'list':
      return 'a list';
    case 'object':
      return `the fields ${Object.keys(f.fields).join(', ')}`;
  }
}

/** The nearest known name to a misspelt one, if any is close. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
