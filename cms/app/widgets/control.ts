// What Decap gives a widget's control, what it expects back from its validation, and the small
// pieces the three widgets share: hints and error messages tied to their input with
// aria-describedby, and text only screen readers read.
import { createElement as h, type ReactNode } from 'react';
import { plain } from './plain.ts';

/** The props of Decap's widget controls this project uses (decap-cms-core's Widget.js). */
export interface ControlProps {
  value: unknown;
  /** The field's configuration, an Immutable map. */
  field: unknown;
  /** The id Decap's label points at (`<label for>`). */
  forID: string;
  onChange(value: unknown): void;
  classNameWrapper: string;
  setActiveStyle(): void;
  setInactiveStyle(): void;
  /** The entry as it is now (its other fields), an Immutable map. */
  getEntry?(): { getIn(path: readonly string[]): unknown } | undefined;
}

/** Decap calls a control's `isValid()` before saving: true, or an error it lists by the field and refuses to save. */
export type Validity = true | { error: { type: 'CUSTOM'; message: string } };

export const invalid = (message: string): Validity => ({ error: { type: 'CUSTOM', message } });

export interface FieldConfig {
  name: string;
  label?: string;
  hint?: string;
  options?: { label: string; value: string }[];
  fields?: FieldConfig[];
  /** A list's item, for a widget that draws a list of them. */
  field?: FieldConfig;
  min?: number;
}

export const configOf = (field: unknown) => plain(field) as FieldConfig;

/** A value of another field of the entry being edited, like its `last_reviewed` date. */
export function entryValue(props: ControlProps, ...path: string[]): unknown {
  return plain(props.getEntry?.()?.getIn(['data', ...path]));
}

export const hidden = (text: string) => h('span', { className: 'pd-visually-hidden' }, text);

export const hint = (id: string, ...text: ReactNode[]) => h('div', { className: 'pd-widget__hint', id }, ...text);

/**
 * The field's own hint, for aria-describedby only: Decap already shows it under the field, but
 * not tied to any input.
 */
export const fieldHint = (id: string, text: string) => h('div', { className: 'pd-visually-hidden', id }, text);

export const errorMessage = (id: string, message: string | undefined) =>
  message ? h('p', { className: 'pd-widget__error', id }, hidden('Error: '), message) : null;

/** The ids for aria-describedby, leaving out the parts not shown. */
export const describedBy = (...ids: (string | false | undefined)[]) => ids.filter(Boolean).join(' ') || undefined;
