// Choosing which practice's website to edit, for people who work on several: one radio button
// per practice, in an NHS.UK fieldset, with an error summary when none is chosen.
import type { PracticeChoice } from '../portal/shared/api.ts';
import { button, h, hiddenText } from '../portal/shared/dom.ts';
import { problemSlot, type Page } from '../portal/shared/page.ts';
import { roleNames } from '../portal/shared/roles.ts';

export const chooseHeading = 'Which practice’s website do you want to edit?';
const chooseMessage = 'Select the practice whose website you want to edit';

export function showPracticeChoice(page: Page, practices: readonly PracticeChoice[], o: { email: string; onChosen(p: PracticeChoice): void; signOut: HTMLButtonElement }): void {
  const problems = problemSlot();
  const radios = practices.map((p, i) => {
    const id = i === 0 ? 'practice' : `practice-${i + 1}`;
    return h(
      'div',
      { class: 'nhsuk-radios__item' },
      h('input', { class: 'nhsuk-radios__input', id, name: 'practice', type: 'radio', value: p.slug }),
      h('label', { class: 'nhsuk-label nhsuk-radios__label', for: id }, p.name, p.role ? ` (${roleNames[p.role]})` : ' (platform admin)'),
    );
  });
  const group = h(
    'div',
    { class: 'nhsuk-form-group' },
    h(
      'fieldset',
      { class: 'nhsuk-fieldset' },
      h('legend', { class: 'nhsuk-fieldset__legend nhsuk-fieldset__legend--l' }, h('h1', { class: 'nhsuk-fieldset__heading' }, chooseHeading)),
      h('div', { class: 'nhsuk-radios' }, radios),
    ),
  );
  const form = h('form', { novalidate: true }, group, button('Continue', { type: 'submit' }));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const chosen = practices.find((p) => p.slug === form.querySelector<HTMLInputElement>('input[name=practice]:checked')?.value);
    if (chosen) return o.onChosen(chosen);
    group.classList.add('nhsuk-form-group--error');
    group.querySelector('.nhsuk-error-message')?.remove();
    group.querySelector('legend')!.after(h('span', { class: 'nhsuk-error-message', id: 'practice-error' }, hiddenText('Error: '), chooseMessage));
    group.querySelector('fieldset')!.setAttribute('aria-describedby', 'practice-error');
    problems.show([{ message: chooseMessage, field: 'practice' }]);
  });
  page.show(
    'Choose a practice',
    problems.element,
    form,
    h('p', {}, 'You are signed in as ', h('strong', {}, o.email), '.'),
    h('div', { class: 'nhsuk-button-group' }, o.signOut),
  );
}
