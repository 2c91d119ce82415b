// NHS.UK form fields built in the browser: label, optional hint, an error message that appears
// above the control, and aria-describedby kept in step so the error is read with the field.
import { h, hiddenText } from './dom.ts';

// The same email shape the database accepts.
export { emailPattern } from '../../../lib/members/members.ts';

export interface Field<T extends HTMLInputElement | HTMLSelectElement = HTMLInputElement> {
  group: HTMLElement;
  control: T;
  /** Shows an error message (or clears it with no argument). */
  setError(message?: string): void;
}

interface Common {
  id: string;
  label: string;
  hint?: string;
  /** Label as the page's heading (a one-question step). */
  labelIsHeading?: boolean;
}

function build<T extends HTMLInputElement | HTMLSelectElement>(o: Common, control: T, errorClass: string, wrap?: (control: T) => HTMLElement): Field<T> {
  const label = h('label', { class: `nhsuk-label${o.labelIsHeading ? ' nhsuk-label--l' : ''}`, for: o.id }, o.label);
  const hint = o.hint ? h('div', { class: 'nhsuk-hint', id: `${o.id}-hint` }, o.hint) : undefined;
  const group = h('div', { class: 'nhsuk-form-group' }, o.labelIsHeading ? h('h1', { class: 'nhsuk-label-wrapper' }, label) : label, hint);
  group.append(wrap ? wrap(control) : control);
  let error: HTMLElement | undefined;
  const describe = () => {
    const ids = [hint ? `${o.id}-hint` : '', error ? `${o.id}-error` : ''].filter(Boolean).join(' ');
    if (ids) control.setAttribute('aria-describedby', ids);
    else control.removeAttribute('aria-describedby');
  };
  describe();
  return {
    group,
    control,
    setError(message) {
      error?.remove();
      error = undefined;
      group.classList.toggle('nhsuk-form-group--error', Boolean(message));
      control.classList.toggle(errorClass, Boolean(message));
      if (message) {
        error = h('span', { class: 'nhsuk-error-message', id: `${o.id}-error` }, hiddenText('Error: '), message);
        (hint ?? label.closest('h1') ?? label).after(error);
      }
      describe();
    },
  };
}

export function textField(
  o: Common & {
    type?: 'text' | 'email';
    autocomplete?: string;
    inputmode?: 'numeric' | 'email' | 'text';
    spellcheck?: boolean;
    widthClass?: string;
    suffix?: string;
    value?: string;
  },
): Field {
  const input = h('input', {
    class: ['nhsuk-input', o.widthClass].filter(Boolean).join(' '),
    id: o.id,
    name: o.id,
    type: o.type ?? 'text',
    autocomplete: o.autocomplete,
    inputmode: o.inputmode,
    spellcheck: o.spellcheck === undefined ? undefined : String(o.spellcheck),
  });
  if (o.value) input.value = o.value;
  const wrap = o.suffix
    ? (control: HTMLInputElement) =>
        h('div', { class: 'nhsuk-input-wrapper' }, control, h('div', { class: 'nhsuk-input-wrapper__suffix', 'aria-hidden': 'true' }, o.suffix!))
    : undefined;
  return build(o, input, 'nhsuk-input--error', wrap);
}

export function selectField(o: Common & { options: readonly { value: string; text: string }[] }): Field<HTMLSelectElement> {
  const select = h('select', { class: 'nhsuk-select', id: o.id, name: o.id }, o.options.map((opt) => h('option', { value: opt.value }, opt.text)));
  return build(o, select, 'nhsuk-select--error');
}

