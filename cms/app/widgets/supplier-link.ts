// The `supplier-link` widget: the online services a practice links to, each with its supplier,
// what it is for, the link text and the address. An address is accepted only on the chosen
// supplier's own hosts and paths, with the practice's own ODS code where the link carries one
// (the build's check, lib/content/suppliers.ts), and the widget says why when it is not.
//
// The content model gives the widget to one link; a list of them (the profile's online
// services) is drawn by the widget too, with its own add, remove and move buttons, because
// Decap's list cannot hand a custom widget a group of values.
import { Component, createElement as h } from 'react';
import { suppliers } from '../../../schemas/suppliers.ts';
import { configOf, describedBy, entryValue, errorMessage, hidden, hint, invalid, type ControlProps, type FieldConfig, type Validity } from './control.ts';
import { plain } from './plain.ts';
import { allowedHosts, linkTextMax, supplierLinkProblems, toSupplierLink, type LinkProblem, type SupplierLink } from './supplier-link-rules.ts';

type Part = keyof SupplierLink;

interface State {
  /** Inputs the person has left (`0-url`): their errors show from then on. */
  touched: ReadonlySet<string>;
  showAll: boolean;
  /** An item to move focus to after the next render (one just added or moved). */
  focus?: string;
}

const fallbackLabels: Record<Part, string> = { supplier: 'Supplier', purpose: 'What it is for', label: 'Link text', url: 'Web address' };
const emptyLink = (): SupplierLink => ({ supplier: '', purpose: '', label: '', url: '' });

export class SupplierLinkControl extends Component<ControlProps, State> {
  override state: State = { touched: new Set(), showAll: false };

  /** A list of links (the field names the item as `field`), or one link. */
  private isList(): boolean {
    return Boolean(configOf(this.props.field).field);
  }

  /** The link fields' configuration: labels, hints and choices, from the content model. */
  private itemConfig(): FieldConfig {
    const config = configOf(this.props.field);
    return config.field ?? config;
  }

  private links(): SupplierLink[] {
    if (!this.isList()) return [toSupplierLink(this.props.value)];
    const list = plain(this.props.value);
    return Array.isArray(list) ? list.map(toSupplierLink) : [];
  }

  private ods(): string {
    const ods = entryValue(this.props, 'ods_code');
    return typeof ods === 'string' ? ods : '';
  }

  private itemName(i: number): string {
    return `${this.itemConfig().label ?? 'Online service'}${this.isList() ? ` ${i + 1}` : ''}`;
  }

  isValid = (): Validity => {
    this.setState({ showAll: true });
    const links = this.links();
    const config = configOf(this.props.field);
    const messages: string[] = [];
    const min = config.min ?? 0;
    if (this.isList() && links.length < min) messages.push(`add at least ${min} ${(this.itemConfig().label ?? 'online service').toLowerCase()}${min === 1 ? '' : 's'}`);
    links.forEach((link, i) => {
      for (const p of supplierLinkProblems(link, this.ods())) messages.push(`${this.itemName(i)}: ${p.message}`);
    });
    return messages.length ? invalid(`${config.label ?? 'Online services'}: ${messages.join('; ')}`) : true;
  };

  private commit(links: SupplierLink[], focus?: string): void {
    if (focus) this.setState({ focus });
    this.props.onChange(this.isList() ? links : links[0]);
  }

  override componentDidUpdate(): void {
    if (!this.state.focus) return;
    document.getElementById(this.state.focus)?.focus();
    this.setState({ focus: undefined });
  }

  private leave = (key: string) => {
    this.setState((s) => ({ touched: new Set([...s.touched, key]) }));
    this.props.setInactiveStyle();
  };

  private idOf(i: number, part: Part): string {
    return i === 0 && part === 'supplier' ? this.props.forID : `${this.props.forID}-${i}-${part}`;
  }

  private linkEditor(links: SupplierLink[], i: number) {
    const { setActiveStyle } = this.props;
    const link = links[i]!;
    const sub = (name: Part): FieldConfig | undefined => this.itemConfig().fields?.find((f) => f.name === name);
    const problems: LinkProblem[] = supplierLinkProblems(link, this.ods());
    const problemFor = (part: Part) => (this.state.showAll || this.state.touched.has(`${i}-${part}`) ? problems.find((p) => p.field === part)?.message : undefined);
    const set = (part: Part, value: string) => this.commit(links.map((l, j) => (j === i ? { ...l, [part]: value } : l)));
    const where = this.isList() ? ` (${this.itemName(i).toLowerCase()})` : '';

    const group = (part: Part, control: (o: { id: string; describedBy?: string; invalid: boolean }) => ReturnType<typeof h>, extraHint?: string) => {
      const id = this.idOf(i, part);
      const message = problemFor(part);
      const hintText = [sub(part)?.hint, extraHint].filter(Boolean).join('. ');
      return h(
        'div',
        { className: `pd-widget__group${message ? ' pd-widget__group--error' : ''}` },
        h('label', { className: 'pd-widget__label', htmlFor: id }, sub(part)?.label ?? fallbackLabels[part], where ? hidden(where) : null),
        hintText ? hint(`${id}-hint`, hintText) : null,
        errorMessage(`${id}-error`, message),
        control({ id, describedBy: describedBy(hintText && `${id}-hint`, message && `${id}-error`), invalid: Boolean(message) }),
      );
    };
    const events = (part: Part) => ({
      onFocus: setActiveStyle,
      onBlur: () => this.leave(`${i}-${part}`),
      onChange: (e: { target: { value: string } }) => set(part, e.target.value),
    });
    const select = (part: 'supplier' | 'purpose', options: { label: string; value: string }[], empty: string) =>
      group(part, ({ id, describedBy: d, invalid: bad }) =>
        h(
          'select',
          { id, className: 'pd-widget__select', value: link[part], 'aria-describedby': d, 'aria-invalid': bad || undefined, ...events(part) },
          h('option', { value: '' }, empty),
          options.map((o) => h('option', { key: o.value, value: o.value }, o.label)),
        ),
      );
    const text = (part: 'label' | 'url', extra: Record<string, unknown>, extraHint?: string) =>
      group(
        part,
        ({ id, describedBy: d, invalid: bad }) =>
          h('input', { id, className: 'pd-widget__input', type: part === 'url' ? 'url' : 'text', value: link[part], 'aria-describedby': d, 'aria-invalid': bad || undefined, ...events(part), ...extra }),
        extraHint,
      );
    const hosts = allowedHosts(link.supplier);
    return [
      select('supplier', sub('supplier')?.options ?? Object.entries(suppliers).map(([value, s]) => ({ value, label: s.name })), 'Choose a supplier'),
      select('purpose', sub('purpose')?.options ?? [], 'Choose what it is for'),
      text('label', { maxLength: linkTextMax * 2, spellCheck: true }, `At most ${linkTextMax} characters`),
      text('url', { spellCheck: false, autoComplete: 'off', inputMode: 'url' }, hosts ? `For ${suppliers[link.supplier as keyof typeof suppliers].name}, addresses on ${hosts}` : 'Choose the supplier first'),
    ];
  }

  override render() {
    const { classNameWrapper } = this.props;
    const links = this.links();
    if (!this.isList()) return h('div', { className: `${classNameWrapper} pd-widget pd-supplier-link` }, ...this.linkEditor(links, 0));

    const name = (this.itemConfig().label ?? 'Online service').toLowerCase();
    const button = (text: string, context: string, onClick: () => void, disabled = false) =>
      h('button', { type: 'button', className: 'pd-widget__button pd-widget__button--secondary', onClick, disabled }, text, hidden(context));
    const move = (i: number, by: -1 | 1) => {
      const next = [...links];
      [next[i], next[i + by]] = [next[i + by]!, next[i]!];
      this.setState({ touched: new Set() });
      this.commit(next, this.idOf(i + by, 'supplier'));
    };
    return h(
      'div',
      { className: `${classNameWrapper} pd-widget pd-supplier-link` },
      links.map((link, i) =>
        h(
          'fieldset',
          { className: 'pd-supplier-link__item', key: i },
          h('legend', { className: 'pd-supplier-link__legend' }, this.itemName(i), link.label ? h('span', { className: 'pd-supplier-link__summary' }, `: ${link.label}`) : null),
          ...this.linkEditor(links, i),
          h(
            'div',
            { className: 'pd-widget__buttons' },
            h('button', { type: 'button', id: `${this.props.forID}-${i}-up`, className: 'pd-widget__button pd-widget__button--secondary', disabled: i === 0, onClick: () => move(i, -1) }, 'Move up', hidden(` ${this.itemName(i).toLowerCase()}`)),
            h('button', { type: 'button', id: `${this.props.forID}-${i}-down`, className: 'pd-widget__button pd-widget__button--secondary', disabled: i === links.length - 1, onClick: () => move(i, 1) }, 'Move down', hidden(` ${this.itemName(i).toLowerCase()}`)),
            button('Remove', ` ${this.itemName(i).toLowerCase()}`, () => {
              this.setState({ touched: new Set() });
              this.commit(links.filter((_, j) => j !== i), links.length > 1 ? `${this.props.forID}-add` : undefined);
            }),
          ),
        ),
      ),
      h(
        'button',
        { type: 'button', id: `${this.props.forID}-add`, className: 'pd-widget__button', onClick: () => this.commit([...links, emptyLink()], this.idOf(links.length, 'supplier')) },
        `Add ${/^[aeiou]/.test(name) ? 'an' : 'a'} ${name}`,
      ),
    );
  }
}
