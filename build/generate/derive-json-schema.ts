// Derives one JSON Schema (2020-12) per content file type from the content model, for editors,
// other tools and the export format. The validator in lib/ reads the model itself; a test checks
// both agree.
import type { Field, Fields } from '../../schemas/dsl.ts';
import { datePattern, dateTimePattern, formats } from '../../schemas/formats.ts';
import { collections } from '../../schemas/model.ts';
import { isAlwaysPresent, isRequired } from '../../lib/content/check-fields.ts';

export interface DerivedSchema {
  /** File name under schemas/json/. */
  file: string;
  schema: Record<string, unknown>;
}

export function deriveJsonSchemas(): DerivedSchema[] {
  const out = new Map<string, DerivedSchema>();
  const add = (typeName: string, label: string, fields: Fields, where: string) => {
    const file = `${kebab(typeName)}.schema.json`;
    if (out.has(file)) return;
    out.set(file, {
      file,
      schema: {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $id: `https://practice-digital.example/schemas/${file}`,
        title: label,
        description: `Front matter or YAML of ${where}. Values are as written in the file: YAML is read as text and the content model gives each field its type.`,
        ...objectSchema(fields),
      },
    });
  };
  for (const c of collections) {
    if (c.kind === 'folder') add(c.typeName, c.labelSingular, c.fields, `content/practices/<slug>/${c.folder}/*.md`);
    else for (const f of c.files) add(f.typeName, f.typeName === 'Policy' ? 'Policy page' : f.label, f.fields, `content/practices/<slug>/${f.typeName === 'Policy' ? 'policies/*.md' : f.file}`);
  }
  return [...out.values()];
}

/**
 * `text`: the values as written in the file (every scalar a string). `typed`: the values as the
 * content loader returns them (lib/content/check-fields.ts): booleans and numbers typed, defaults
 * filled in, lists always present, datetimes as UTC instants. The export format uses `typed`.
 */
export type SchemaMode = 'text' | 'typed';

export function objectSchema(fields: Fields, mode: SchemaMode = 'text'): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    required: Object.entries(fields).filter(([, f]) => (mode === 'typed' ? isAlwaysPresent(f) : isRequired(f))).map(([k]) => k),
    properties: Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, mode === 'typed' ? typedFieldSchema(f) : fieldSchema(f)])),
  };
}

/** A UTC instant as `Date.toISOString()` writes it: how a loaded datetime is given. */
export const isoInstantPattern = '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$';

// Typed values: what the loader returns once a file has passed its checks.
function typedFieldSchema(f: Field): Record<string, unknown> {
  const base: Record<string, unknown> = { title: f.label, ...(f.hint ? { description: f.hint } : {}) };
  switch (f.kind) {
    case 'string':
    case 'markdown':
    case 'date':
    case 'select':
      return fieldSchema(f);
    case 'boolean':
      return { ...base, type: 'boolean', ...(f.default !== undefined ? { default: f.default } : {}) };
    case 'number':
      return {
        ...base,
        type: f.integer ? 'integer' : 'number',
        ...(f.min !== undefined ? { minimum: f.min } : {}),
        ...(f.max !== undefined ? { maximum: f.max } : {}),
      };
    case 'datetime':
      return { ...base, description: `${f.hint ? `${f.hint}. ` : ''}A UTC instant (UK local time in the file)`, type: 'string', pattern: isoInstantPattern };
    case 'list':
      return {
        ...base,
        type: 'array',
        items: typedFieldSchema(f.of),
        ...(f.min ? { minItems: f.min } : {}),
        ...(f.max ? { maxItems: f.max } : {}),
      };
    case 'object':
      return { ...base, ...objectSchema(f.fields, 'typed') };
  }
}

// Files are read with YAML's failsafe schema, so every scalar arrives as a string; the schema
// describes that text (a boolean is the text "true" or "false", a number is digits).
function fieldSchema(f: Field): Record<string, unknown> {
  const base: Record<string, unknown> = { title: f.label, ...(f.hint ? { description: f.hint } : {}) };
  switch (f.kind) {
    case 'string':
      return {
        ...base,
        type: 'string',
        ...(f.format ? { pattern: formats[f.format].pattern } : {}),
        ...(f.maxLength ? { maxLength: f.maxLength } : {}),
        ...(f.multiline ? {} : { pattern: f.format ? formats[f.format].pattern : '^[^\\n]*$' }),
      };
    case 'markdown':
      return { ...base, type: 'string', contentMediaType: 'text/markdown' };
    case 'boolean':
      return { ...base, type: 'string', enum: ['true', 'false'], ...(f.default !== undefined ? { default: String(f.default) } : {}) };
    case 'number':
      return { ...base, type: 'string', pattern: f.integer ? '^-?[0-9]+$' : '^-?[0-9]+(\\.[0-9]+)?$' };
    case 'date':
      return { ...base, type: 'string', pattern: datePattern };
    case 'datetime':
      return { ...base, type: 'string', pattern: dateTimePattern };
    case 'select':
      return { ...base, type: 'string', enum: f.options.map((o) => o.value), ...(f.default !== undefined ? { default: f.default } : {}) };
    case 'list':
      return {
        ...base,
        type: 'array',
        items: fieldSchema(f.of),
        ...(f.min ? { minItems: f.min } : {}),
        ...(f.max ? { maxItems: f.max } : {}),
      };
    case 'object':
      return { ...base, ...objectSchema(f.fields) };
  }
}

const kebab = (s: string) => s.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
