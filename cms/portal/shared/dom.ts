// Small DOM helpers for the portal pages. Every piece of text goes in through textContent, never
// innerHTML, so nothing the API or a person types can become markup. No inline styles either:
// the portal's CSP allows stylesheets from its own origin only.

type Child = Node | string | false | null | undefined;
type Attributes = Record<string, string | boolean | undefined>;

/** An element with attributes (`true` sets an empty attribute, `false`/`undefined` leaves it out) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : value);
  }
  append(el, ...children);
  return el;
}

export function append(parent: Element, ...children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === false || child === null || child === undefined) continue;
    parent.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Text that screen readers read but nobody sees, such as who a "Revoke" button is for. */
export const hiddenText = (text: string) => h('span', { class: 'nhsuk-u-visually-hidden' }, text);

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no element #${id}`);
  return el as T;
}

/** Moves focus to an element that is not normally focusable (a heading, a summary) so it is read out. */
export function focusOn(el: HTMLElement): void {
  if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
  el.focus();
}

export function button(text: string | Child[], o: { variant?: 'secondary' | 'warning' | 'reverse'; type?: 'button' | 'submit'; id?: string; extraClass?: string } = {}): HTMLButtonElement {
  const classes = ['nhsuk-button', o.variant ? `nhsuk-button--${o.variant}` : '', o.extraClass ?? ''].filter(Boolean).join(' ');
  return h('button', { class: classes, type: o.type ?? 'button', id: o.id }, ...(Array.isArray(text) ? text : [text]));
}

/** The first letter in upper case: the API's messages are written to follow a colon. */
export const sentence = (text: string) => (text ? text[0]!.toUpperCase() + text.slice(1) : text);

const dateTime = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });

/** A `<time>` element: "5 December 2026 at 14:00 GMT" (the browser's own time zone). */
export function time(iso: string): HTMLTimeElement {
  return h('time', { datetime: iso }, dateTime.format(new Date(iso)).replace(/, (\d\d:\d\d)/, ' at $1'));
}
