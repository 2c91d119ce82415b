// The vocabulary the content model is written in. Every other shape (TypeScript types, JSON
// Schema, the validator, later the CMS configuration) is derived from values built with these
// helpers, so a field is described once, with the words an editor will read.

export interface FieldBase {
  label: string;
  hint?: string;
  optional?: boolean;
  /** A custom CMS widget for this field (e.g. opening hours); the type stays the same. */
  widget?: string;
}

export interface StringField extends FieldBase {
  kind: 'string';
  format?: FormatName;
  maxLength?: number;
  multiline?: boolean;
}
export interface MarkdownField extends FieldBase {
  kind: 'markdown';
}
export interface BooleanField extends FieldBase {
  kind: 'boolean';
  default?: boolean;
}
export interface NumberField extends FieldBase {
  kind: 'number';
  min?: number;
  max?: number;
  integer?: boolean;
}
/** A calendar date written YYYY-MM-DD. */
export interface DateField extends FieldBase {
  kind: 'date';
}
/** A moment written YYYY-MM-DDTHH:MM, optionally with seconds and an offset; UK local time if none. */
export interface DateTimeField extends FieldBase {
  kind: 'datetime';
}
export interface SelectField extends FieldBase {
  kind: 'select';
  options: readonly SelectOption[];
  default?: string;
}
export interface SelectOption {
  value: string;
  label: string;
}
export interface ListField extends FieldBase {
  kind: 'list';
  of: Field;
  min?: number;
  max?: number;
}
export interface ObjectField extends FieldBase {
  kind: 'object';
  fields: Fields;
}

export type Field =
  | StringField
  | MarkdownField
  | BooleanField
  | NumberField
  | DateField
  | DateTimeField
  | SelectField
  | ListField
  | ObjectField;

export type Fields = Readonly<Record<string, Field>>;

/** Named string formats; their patterns and messages live in formats.ts. */
export type FormatName = 'ods' | 'email' | 'https-url' | 'uk-phone' | 'postcode' | 'time' | 'slug' | 'site-path';

type Options<F extends Field> = Omit<F, 'kind' | 'label'>;

export const text = (label: string, o: Options<StringField> = {}): StringField => ({ kind: 'string', label, ...o });
export const markdown = (label: string, o: Options<MarkdownField> = {}): MarkdownField => ({ kind: 'markdown', label, ...o });
export const boolean = (label: string, o: Options<BooleanField> = {}): BooleanField => ({ kind: 'boolean', label, ...o });
export const number = (label: string, o: Options<NumberField> = {}): NumberField => ({ kind: 'number', label, ...o });
export const date = (label: string, o: Options<DateField> = {}): DateField => ({ kind: 'date', label, ...o });
export const datetime = (label: string, o: Options<DateTimeField> = {}): DateTimeField => ({ kind: 'datetime', label, ...o });
export const select = (label: string, options: readonly SelectOption[], o: Omit<Options<SelectField>, 'options'> = {}): SelectField => ({
  kind: 'select',
  label,
  options,
  ...o,
});
export const list = (label: string, of: Field, o: Omit<Options<ListField>, 'of'> = {}): ListField => ({ kind: 'list', label, of, ...o });
export const object = (label: string, fields: Fields, o: Omit<Options<ObjectField>, 'fields'> = {}): ObjectField => ({
  kind: 'object',
  label,
  fields,
  ...o,
});

/** Marks a field as not required. */
export const optional = <F extends Field>(f: F): F => ({ ...f, optional: true });

/** Builds select options from value → label pairs, keeping their order. */
export const options = (pairs: Readonly<Record<string, string>>): SelectOption[] =>
  Object.entries(pairs).map(([value, label]) => ({ value, label }));

/** A collection stored as one file per entry in a folder. */
export interface FolderCollection {
  kind: 'folder';
  name: string;
  /** The name of the derived TypeScript type for one entry. */
  typeName: string;
  label: string;
  labelSingular: string;
  description: string;
  folder: string;
  /** Front matter fields; every folder collection also has a Markdown body. */
  fields: Fields;
  body: MarkdownField;
  /** The URL an entry is published at, from its file name (`{slug}`). Omitted: not a page of its own. */
  url?: string;
}

/** A collection of named single files (profile, policies). */
export interface FileCollection {
  kind: 'files';
  name: string;
  label: string;
  description: string;
  files: readonly SingleFile[];
}

export interface SingleFile {
  name: string;
  /** The name of the derived TypeScript type; files that share a shape share a name. */
  typeName: string;
  label: string;
  file: string;
  fields: Fields;
  /** Present for Markdown files; YAML files have no body. */
  body?: MarkdownField;
  url?: string;
}

export type Collection = FolderCollection | FileCollection;
