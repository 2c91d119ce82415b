// What every portal page shares: the live region that announces results, the error summary,
// the page title, and moving between steps so keyboard and screen-reader users always know
// where they are.
import { byId, focusOn, h } from './dom.ts';

export interface Page {
  /** The element each step renders into (inside <main>). */
  view: HTMLElement;
  /**
   * Replaces the view with a new step and sets the title. Focus moves to the element marked
   * `data-autofocus` (a success banner), or else to the step's heading, so it is read out.
   */
  show(title: string, ...content: (Node | false | null | undefined)[]): void;
  /** Says something through the polite live region (a result, not an error). */
  announce(text: string): void;
}

export interface Problem {
  message: string;
  /** The id of the field to fix, if there is one: the summary links to it. */
  field?: string;
}

const siteName = 'Practice Digital portal';

export function setupPage(): Page {
  const view = byId('view');
  const status = byId('status');
  // The skip link focuses <main> without changing the address: on the invitation page the
  // fragment holds the invitation token, which must stay put.
  for (const link of document.querySelectorAll<HTMLAnchorElement>('a.nhsuk-skip-link'))
    link.addEventListener('click', (e) => {
      e.preventDefault();
      focusOn(byId('maincontent'));
    });
  // Focus moves with the steps only once the person has done something: on first load it stays
  // at the top of the page, where the skip link is.
  let acted = false;
  for (const type of ['click', 'submit', 'keydown'] as const) document.addEventListener(type, () => (acted = true), { capture: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    view,
    show(title, ...content) {
      document.title = `${title} - ${siteName}`;
      view.replaceChildren(...content.filter((c): c is Node => Boolean(c)));
      const target = view.querySelector<HTMLElement>('[data-autofocus]') ?? view.querySelector<HTMLElement>('h1');
      if (target && acted) focusOn(target);
    },
    announce(text) {
      // Emptied first and filled a moment later, so the same words twice are still read twice.
      status.textContent = '';
      clearTimeout(timer);
      timer = setTimeout(() => (status.textContent = text), 50);
    },
  };
}

/**
 * The NHS.UK error summary for a list of problems, focused so it is read at once. Each problem
 * with a field links to it; the links move focus themselves rather than change the address.
 */
export function errorSummary(problems: readonly Problem[]): HTMLElement {
  const items = problems.map((p) => {
    if (!p.field) return h('li', {}, p.message);
    const link = h('a', { href: `#${p.field}` }, p.message);
    const field = p.field;
    link.addEventListener('click', (e) => {
      e.preventDefault();
      const target = document.getElementById(field);
      if (!target) return;
      target.scrollIntoView({ block: 'center' });
      target.focus();
    });
    return h('li', {}, link);
  });
  return h(
    'div',
    { class: 'nhsuk-error-summary', tabindex: '-1' },
    h(
      'div',
      { role: 'alert' },
      h('h2', { class: 'nhsuk-error-summary__heading' }, 'There is a problem'),
      h('div', { class: 'nhsuk-error-summary__body' }, h('ul', { class: 'nhsuk-list nhsuk-error-summary__list' }, items)),
    ),
  );
}

/**
 * A place for an error summary at the top of a step. `show` replaces what it holds, marks the
 * page title with "Error:" and focuses the summary; `clear` removes both.
 */
export function problemSlot(): { element: HTMLElement; show(problems: readonly Problem[]): void; clear(): void } {
  const element = h('div');
  const clear = () => {
    element.replaceChildren();
    document.title = document.title.replace(/^Error: /, '');
  };
  return {
    element,
    clear,
    show(problems) {
      clear();
      // A success message from before no longer describes the page.
      element.parentElement?.querySelector('.nhsuk-notification-banner')?.remove();
      if (!problems.length) return;
      const summary = errorSummary(problems);
      element.append(summary);
      document.title = `Error: ${document.title}`;
      summary.focus();
    },
  };
}

/** A success message in the NHS.UK notification banner; focused, so it is read out. */
export function successBanner(heading: string, ...body: Node[]): HTMLElement {
  const banner = h(
    'div',
    { class: 'nhsuk-notification-banner nhsuk-notification-banner--success', role: 'region', 'aria-labelledby': 'success-title', tabindex: '-1', 'data-autofocus': true },
    h('div', { class: 'nhsuk-notification-banner__header' }, h('h2', { class: 'nhsuk-notification-banner__title', id: 'success-title' }, 'Success')),
    h('div', { class: 'nhsuk-notification-banner__content' }, h('p', { class: 'nhsuk-notification-banner__heading' }, heading), ...body),
  );
  return banner;
}
