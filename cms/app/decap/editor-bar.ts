// The strip above Decap: which practice is being edited, who is signed in, and the ways out
// ("Switch practice" for people on several practices, "Sign out"). When the gateway stops
// accepting the sign-in it also says so here, as an alert with a way to sign in again.
import type { PracticeChoice } from '../../portal/shared/api.ts';
import { h } from '../../portal/shared/dom.ts';
import { roleNames } from '../../portal/shared/roles.ts';

export interface EditorBar {
  element: HTMLElement;
  /** Shows (once) that the sign-in has ended, with a button to sign in again. */
  signInEnded(): void;
}

export function editorBar(o: { practice: PracticeChoice; email: string; canSwitch: boolean; onSwitch(): void; onSignOut(): Promise<void> }): EditorBar {
  const button = (text: string, onClick: () => void) => {
    const b = h('button', { type: 'button', class: 'pd-cms-bar__button' }, text);
    b.addEventListener('click', onClick);
    return b;
  };
  const signOut = button('Sign out', () => {
    signOut.disabled = true;
    void o.onSignOut();
  });
  const alertSlot = h('div', { class: 'pd-cms-bar__alert-slot' });
  const element = h(
    'div',
    { class: 'pd-cms-bar', role: 'region', 'aria-label': 'Practice and account' },
    h(
      'div',
      { class: 'pd-cms-bar__inner' },
      h('p', { class: 'pd-cms-bar__where' }, 'Editing ', h('strong', {}, o.practice.name), o.practice.role ? ` as ${roleNames[o.practice.role]}` : ' as a platform admin'),
      h('p', { class: 'pd-cms-bar__who' }, 'Signed in as ', h('strong', {}, o.email)),
      h('div', { class: 'pd-cms-bar__actions' }, o.canSwitch ? button('Switch practice', o.onSwitch) : null, signOut),
    ),
    alertSlot,
  );
  let shown = false;
  return {
    element,
    signInEnded() {
      if (shown) return;
      shown = true;
      alertSlot.append(
        h(
          'div',
          { class: 'pd-cms-bar__alert', role: 'alert' },
          h('p', {}, h('strong', {}, 'Your sign-in has ended, sign in again.'), ' Changes you have saved are kept.'),
          button('Sign in again', () => location.assign('/cms/?sign-in-ended')),
        ),
      );
    },
  };
}
