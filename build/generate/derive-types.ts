// Derives TypeScript types from the content model.
import type { Field, Fields } from '../../schemas/dsl.ts';
import { collections } from '../../schemas/model.ts';
import { isAlwaysPresent } from '../../lib/content/check-fields.ts';

export function deriveTypes(): string {
  const shapes = new Map<string, { shape: string; doc: string }>();
  const add = (typeName: string, fields: Fields, hasBody: boolean, doc: string) => {
    const shape = objectType(fields, '', hasBody);
    const before = shapes.get(typeName);
    if (before && before.shape !== shape)
      throw new Error(`schemas/model.ts: two entries are called ${typeName} but have different fields; give one of them another typeName`);
    if (!before) shapes.set(typeName, { shape, doc });
  };
  for (const c of collections) {
    if (c.kind === 'folder') add(c.typeName, c.fields, true, `One entry of "${c.label}" (${c.folder}/*.md).`);
    else for (const f of c.files) add(f.typeName, f.fields, Boolean(f.body), `${f.label} (${f.file}).`);
  }
  const header = '// Derived from schemas/model.ts by `pd generate`. Do not edit: change the model and run it again.\n';
  return [header, ...[...shapes].map(([name, { shape, doc }]) => `/** ${doc} */\nexport interface ${name} ${shape}\n`)].join('\n');
}

function objectType(fields: Fields, indent: string, hasBody = false): string {
  const inner = indent + '  ';
  const lines = Object.entries(fields).map(([key, f]) => {
    const doc = f.hint ? `${inner}/** ${f.label}: ${f.hint.replace(/\*\//g, '')} */\n` : `${inner}/** ${f.label} */\n`;
    return `${doc}${inner}${key}${isAlwaysPresent(f) ? '' : '?'}: ${fieldType(f, inner)};`;
  });
  if (hasBody) lines.push(`${inner}/** The Markdown body. */\n${inner}body: string;`);
  return `{\n${lines.join('\n')}\n${indent}}`;
}

function fieldType(f: Field, indent: string): string {
  switch (f.kind) {
    case 'string':
    case 'markdown':
    case 'date':
    case 'datetime':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'number':
      return 'number';
    case 'select':
      return f.options.map((o) => `'${o.value}'`).join(' | ');
    case 'list': {
      const item = fieldType(f.of, indent);
      return f.of.kind === 'object' || f.of.kind === 'select' ? `Array<${item}>` : `${item}[]`;
    }
    case 'object':
      return objectType(f.fields, indent);
  }
}
