// Derives one JSON Schema (2020-12) per content file type from the content model, for editors,
// other tools and the export format. The validator in lib/ reads the model itself; a test checks
// both agree.
import type { Field, Fields } from '../../schemas/dsl.ts';
import { datePattern, dateTimePattern, formats } from '../../schemas/formats.ts';
import { collections } from '../../schemas/model.ts';
import { isRequired } from '../../lib/content/check-fields.ts';

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

function objectSchema(fields: Fields): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    required: Object.entries(fields).filter(([, f]) => isRequired(f)).map(([k]) => k),
    properties: Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, fieldSchema(f)])),
  };
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
