// The NHS.UK responsive table: on a narrow screen each row becomes a card, with each cell's
// heading repeated beside it (hidden from screen readers, which read the real headers).
import { h } from './dom.ts';

export function responsiveTable(labelledBy: string, head: string[], rows: (Node | string)[][]): HTMLElement {
  return h(
    'table',
    { class: 'nhsuk-table nhsuk-table--responsive', role: 'table', 'aria-labelledby': labelledBy },
    h('thead', { class: 'nhsuk-table__head', role: 'rowgroup' }, h('tr', { class: 'nhsuk-table__row', role: 'row' }, head.map((t) => h('th', { class: 'nhsuk-table__header', scope: 'col', role: 'columnheader' }, t)))),
    h(
      'tbody',
      { class: 'nhsuk-table__body' },
      rows.map((cells) =>
        h(
          'tr',
          { class: 'nhsuk-table__row', role: 'row' },
          cells.map((cell, i) => h('td', { class: 'nhsuk-table__cell', role: 'cell' }, h('span', { class: 'nhsuk-table__heading', 'aria-hidden': 'true' }, `${head[i]} `), cell)),
        ),
      ),
    ),
  );
}
