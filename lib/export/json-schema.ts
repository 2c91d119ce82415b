// A small JSON Schema (2020-12) validator for the schemas this project generates, runtime-neutral
// and without code generation (Workers forbid `eval`, which Ajv compiles with). It knows the
// keywords the generator writes and refuses a schema with any other, so a keyword added there
// can never be silently skipped here. Every problem is reported, each with its JSON Pointer
// (`/items/3/data/title`). Tests check it agrees with Ajv.

export interface SchemaProblem {
  /** JSON Pointer (RFC 6901) of the value; "" is the whole document. */
  path: string;
  message: string;
}

type Schema = boolean | { [keyword: string]: unknown };

const annotations = new Set(['$schema', '$id', '$defs', 'title', 'description', 'default', 'examples', 'contentEncoding', 'contentMediaType', '$comment']);
const assertions = new Set([
  '$ref', 'type', 'const', 'enum', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'minItems', 'maxItems', 'items',
  'properties', 'required', 'additionalProperties', 'allOf', 'anyOf', 'not', 'if', 'then', 'else',
]);

export function schemaValidator(root: Schema): (value: unknown) => SchemaProblem[] {
  const patterns = new Map<string, RegExp>();
  checkKeywords(root, '#', patterns);
  const resolve = (ref: string): Schema => {
    if (!ref.startsWith('#')) throw new Error(`schema: only references inside the schema are supported, not ${ref}`);
    let at: unknown = root;
    for (const part of ref.slice(1).split('/').slice(1)) at = (at as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (at === undefined) throw new Error(`schema: ${ref} does not resolve`);
    return at as Schema;
  };

  function check(schema: Schema, value: unknown, path: string, out: SchemaProblem[]): void {
    if (schema === true) return;
    if (schema === false) {
      out.push({ path, message: 'is not allowed here' });
      return;
    }
    const s = schema;
    if (typeof s.$ref === 'string') check(resolve(s.$ref), value, path, out);
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
      if (!types.some((t) => isType(t, value))) {
        out.push({ path, message: `must be ${types.map(article).join(' or ')}, not ${describe(value)}` });
        return;
      }
    }
    if ('const' in s && !deepEqual(value, s.const)) out.push({ path, message: `must be ${JSON.stringify(s.const)}, not ${show(value)}` });
    if (Array.isArray(s.enum) && !s.enum.some((e) => deepEqual(value, e)))
      out.push({ path, message: `must be one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')}, not ${show(value)}` });
    if (typeof value === 'string') {
      // Characters as JSON Schema counts them (code points), only when a limit asks.
      const length = typeof s.maxLength === 'number' || typeof s.minLength === 'number' ? [...value].length : 0;
      if (typeof s.maxLength === 'number' && length > s.maxLength) out.push({ path, message: `is ${length} characters long; at most ${s.maxLength} are allowed` });
      if (typeof s.minLength === 'number' && length < s.minLength) out.push({ path, message: `is ${length} characters long; at least ${s.minLength} are needed` });
      if (typeof s.pattern === 'string' && !patterns.get(s.pattern)!.test(value)) out.push({ path, message: `${show(value)} does not have the required form (${s.pattern})` });
    }
    if (typeof value === 'number') {
      if (typeof s.minimum === 'number' && value < s.minimum) out.push({ path, message: `is ${value}; the least allowed is ${s.minimum}` });
      if (typeof s.maximum === 'number' && value > s.maximum) out.push({ path, message: `is ${value}; the most allowed is ${s.maximum}` });
    }
    if (Array.isArray(value)) {
      if (typeof s.minItems === 'number' && value.length < s.minItems) out.push({ path, message: `has ${value.length} items; at least ${s.minItems} are needed` });
      if (typeof s.maxItems === 'number' && value.length > s.maxItems) out.push({ path, message: `has ${value.length} items; at most ${s.maxItems} are allowed` });
      if (s.items !== undefined) value.forEach((item, i) => check(s.items as Schema, item, `${path}/${i}`, out));
    }
    if (isObject(value)) {
      const properties = (s.properties ?? {}) as Record<string, Schema>;
      for (const key of (s.required ?? []) as string[]) if (!Object.hasOwn(value, key)) out.push({ path, message: `needs "${key}", which is missing` });
      for (const [key, v] of Object.entries(value)) {
        const at = `${path}/${pointer(key)}`;
        if (Object.hasOwn(properties, key)) check(properties[key]!, v, at, out);
        else if (s.additionalProperties === false) out.push({ path: at, message: `"${key}" is not a field here` });
        else if (s.additionalProperties !== undefined) check(s.additionalProperties as Schema, v, at, out);
      }
    }
    for (const sub of (s.allOf ?? []) as Schema[]) check(sub, value, path, out);
    if (Array.isArray(s.anyOf) && !s.anyOf.some((sub: Schema) => valid(sub, value)))
      out.push({ path, message: 'does not have any of the allowed forms' });
    if (s.not !== undefined && valid(s.not as Schema, value)) out.push({ path, message: 'has a form that is not allowed here' });
    if (s.if !== undefined) {
      const branch = valid(s.if as Schema, value) ? s.then : s.else;
      if (branch !== undefined) check(branch as Schema, value, path, out);
    }
  }

  const valid = (schema: Schema, value: unknown): boolean => {
    const out: SchemaProblem[] = [];
    check(schema, value, '', out);
    return out.length === 0;
  };

  return (value) => {
    const out: SchemaProblem[] = [];
    check(root, value, '', out);
    return out;
  };
}

function checkKeywords(schema: unknown, where: string, patterns: Map<string, RegExp>): void {
  if (typeof schema === 'boolean') return;
  if (!isObject(schema)) throw new Error(`schema: ${where} is not a schema`);
  for (const [key, v] of Object.entries(schema)) {
    if (!annotations.has(key) && !assertions.has(key)) throw new Error(`schema: ${where} uses "${key}", which this validator does not know`);
    if (key === 'pattern') patterns.set(v as string, new RegExp(v as string, 'u'));
    if (key === '$defs' || key === 'properties') for (const [name, sub] of Object.entries(v as object)) checkKeywords(sub, `${where}/${key}/${name}`, patterns);
    if (['items', 'additionalProperties', 'not', 'if', 'then', 'else'].includes(key)) checkKeywords(v, `${where}/${key}`, patterns);
    if (key === 'allOf' || key === 'anyOf') (v as unknown[]).forEach((sub, i) => checkKeywords(sub, `${where}/${key}/${i}`, patterns));
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function isType(type: string, v: unknown): boolean {
  switch (type) {
    case 'object':
      return isObject(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'boolean':
      return typeof v === 'boolean';
    case 'null':
      return v === null;
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    default:
      throw new Error(`schema: unknown type "${type}"`);
  }
}

const article = (t: string) => ({ object: 'an object', array: 'a list (array)', integer: 'a whole number', boolean: 'true or false', null: 'null' })[t] ?? `a ${t}`;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `${typeof v === 'string' ? 'the text' : `the ${typeof v}`} ${show(v)}`;
}

function show(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const pointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** Structural equality of JSON values; the order of an object's keys does not matter. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}
