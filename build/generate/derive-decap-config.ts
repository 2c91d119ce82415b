// Derives Decap CMS's collections from the content model: the same fields, labels, hints,
// required fields and patterns the validator uses, so the CMS cannot drift from the checks.
// Folders hold a `{{practice}}` placeholder: the CMS fills in the practice the person chose.
// A field the model gives a custom widget (opening hours, supplier links, review dates) names
// that widget instead, keeping its nested fields: the widget reads their labels, hints and
// choices from here, so it cannot drift from the model either (cms/app/widgets/). A list of
// such groups is handed to the widget whole.
import type { Field, Fields, FolderCollection, SingleFile } from '../../schemas/dsl.ts';
import { formats } from '../../schemas/formats.ts';
import { collections } from '../../schemas/model.ts';
import { isRequired } from '../../lib/content/check-fields.ts';

const practiceDir = 'content/practices/{{practice}}';

type DecapField = Record<string, unknown>;

export function deriveDecapCollections(): Record<string, unknown>[] {
  return collections.map((c) =>
    c.kind === 'folder'
      ? folderCollection(c)
      : { name: c.name, label: c.label, description: c.description, files: c.files.map(singleFile) },
  );
}

function folderCollection(c: FolderCollection): Record<string, unknown> {
  return {
    name: c.name,
    label: c.label,
    label_singular: c.labelSingular,
    description: c.description,
    folder: `${practiceDir}/${c.folder}`,
    extension: 'md',
    format: 'frontmatter',
    create: true,
    slug: '{{slug}}',
    fields: [...fieldsOf(c.fields), decapField('body', c.body)],
  };
}

function singleFile(f: SingleFile): Record<string, unknown> {
  return {
    name: f.name,
    label: f.label,
    file: `${practiceDir}/${f.file}`,
    fields: [...fieldsOf(f.fields), ...(f.body ? [decapField('body', f.body)] : [])],
  };
}

const fieldsOf = (fields: Fields): DecapField[] => Object.entries(fields).map(([name, f]) => decapField(name, f));

function decapField(name: string, f: Field): DecapField {
  const base: DecapField = { name, label: f.label, ...(f.hint ? { hint: f.hint } : {}), ...(isRequired(f) ? {} : { required: false }) };
  if (f.widget) return { ...base, widget: f.widget, ...(f.kind === 'object' ? { fields: fieldsOf(f.fields) } : {}) };
  switch (f.kind) {
    case 'string': {
      const format = f.format ? formats[f.format] : undefined;
      return {
        ...base,
        widget: f.multiline ? 'text' : 'string',
        ...(format ? { pattern: [format.pattern, `${format.fix} (for example ${format.example})`] } : {}),
      };
    }
    case 'markdown':
      return { ...base, widget: 'markdown', buttons: ['bold', 'italic', 'link', 'heading-two', 'heading-three', 'bulleted-list', 'numbered-list'] };
    case 'boolean':
      return { ...base, widget: 'boolean', ...(f.default !== undefined ? { default: f.default } : {}) };
    case 'number':
      return {
        ...base,
        widget: 'number',
        value_type: f.integer ? 'int' : 'float',
        ...(f.min !== undefined ? { min: f.min } : {}),
        ...(f.max !== undefined ? { max: f.max } : {}),
      };
    case 'date':
      return { ...base, widget: 'datetime', format: 'YYYY-MM-DD', date_format: 'D MMMM YYYY', time_format: false };
    case 'datetime':
      return { ...base, widget: 'datetime', format: 'YYYY-MM-DDTHH:mm', date_format: 'D MMMM YYYY', time_format: 'HH:mm' };
    case 'select':
      return { ...base, widget: 'select', options: f.options.map((o) => ({ label: o.label, value: o.value })), ...(f.default !== undefined ? { default: f.default } : {}) };
    case 'list': {
      const size = { ...(f.min ? { min: f.min } : {}), ...(f.max ? { max: f.max } : {}) };
      // A list of plain groups shows each group's fields; a list of anything else repeats that
      // one field. Decap's list cannot give a custom widget a group of values, so a list of
      // custom-widget groups is drawn by that widget, which then handles adding and removing.
      if (f.of.kind === 'object' && !f.of.widget) return { ...base, widget: 'list', fields: fieldsOf(f.of.fields), ...size };
      return { ...base, widget: f.of.kind === 'object' && f.of.widget ? f.of.widget : 'list', field: decapField(name.replace(/s$/, ''), f.of), ...size };
    }
    case 'object':
      return { ...base, widget: 'object', collapsed: false, fields: fieldsOf(f.fields) };
  }
}
