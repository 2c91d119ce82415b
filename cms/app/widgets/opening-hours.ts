// The `opening-hours` widget: a week of day rows. Each day is open or closed; an open day has
// one or more sessions with opening and closing times on the 24-hour clock. Every input has a
// label naming its day, errors show beside the input once it has been left (and all of them when
// saving), and Decap refuses to save while any remain.
import { Component, createElement as h } from 'react';
import { configOf, describedBy, errorMessage, fieldHint, hidden, hint, invalid, type ControlProps, type Validity } from './control.ts';
import { dayName, hoursProblems, toWeek, weekdays, type HoursProblem, type Session, type Week, type Weekday } from './opening-hours-rules.ts';

/** What a day gets when it is marked open: the core hours, to edit. */
const newSession = (): Session => ({ opens: '08:00', closes: '18:30' });

interface State {
  /** Inputs the person has left (`monday-0-opens`): their errors show from then on. */
  touched: ReadonlySet<string>;
  /** After a save attempt every error shows. */
  showAll: boolean;
  /** A day's sessions before it was marked closed, restored if it is opened again. */
  closed: Partial<Week>;
}

export class OpeningHoursControl extends Component<ControlProps, State> {
  override state: State = { touched: new Set(), showAll: false, closed: {} };

  isValid = (): Validity => {
    this.setState({ showAll: true });
    const problems = hoursProblems(toWeek(this.props.value));
    return problems.length ? invalid(`${configOf(this.props.field).label ?? 'Opening hours'}: ${problems.map((p) => p.message).join('; ')}`) : true;
  };

  private change(week: Week): void {
    this.props.onChange(week);
  }

  private setDay(week: Week, day: Weekday, sessions: Session[]): void {
    this.change({ ...week, [day]: sessions });
  }

  private toggle(week: Week, day: Weekday, open: boolean): void {
    if (open) {
      const remembered = this.state.closed[day];
      this.setDay(week, day, remembered?.length ? remembered : [newSession()]);
    } else {
      this.setState({ closed: { ...this.state.closed, [day]: week[day] } });
      this.setDay(week, day, []);
    }
  }

  private leave = (key: string) => {
    this.setState((s) => ({ touched: new Set([...s.touched, key]) }));
    this.props.setInactiveStyle();
  };

  override render() {
    const { forID, classNameWrapper, setActiveStyle } = this.props;
    const config = configOf(this.props.field);
    const week = toWeek(this.props.value);
    const problems = hoursProblems(week);
    const problemFor = (day: Weekday, i: number, field: HoursProblem['field']) =>
      this.state.showAll || this.state.touched.has(`${day}-${i}-${field}`) ? problems.find((p) => p.day === day && p.session === i && p.field === field)?.message : undefined;
    const hintId = `${forID}-hint`;

    const dayRow = (day: Weekday, index: number) => {
      const sessions = week[day];
      const open = sessions.length > 0;
      const openId = index === 0 ? forID : `${forID}-${day}-open`;
      const timeInput = (i: number, field: 'opens' | 'closes') => {
        const id = `${forID}-${day}-${i}-${field}`;
        const message = problemFor(day, i, field);
        const where = sessions.length > 1 ? ` on ${dayName(day)}, session ${i + 1}` : ` on ${dayName(day)}`;
        return h(
          'div',
          { className: `pd-hours__time${message ? ' pd-widget__group--error' : ''}` },
          h('label', { className: 'pd-widget__label', htmlFor: id }, field === 'opens' ? 'Opens' : 'Closes', hidden(where)),
          errorMessage(`${id}-error`, message),
          h('input', {
            id,
            className: 'pd-widget__input pd-hours__input',
            type: 'text',
            inputMode: 'numeric',
            autoComplete: 'off',
            spellCheck: false,
            placeholder: field === 'opens' ? '08:00' : '18:30',
            'aria-invalid': message ? true : undefined,
            'aria-describedby': describedBy(config.hint && `${hintId}-field`, hintId, message && `${id}-error`),
            value: sessions[i]![field],
            onFocus: setActiveStyle,
            onBlur: () => this.leave(`${day}-${i}-${field}`),
            onChange: (e: { target: { value: string } }) => this.setDay(week, day, sessions.map((s, j) => (j === i ? { ...s, [field]: e.target.value } : s))),
          }),
        );
      };
      return h(
        'fieldset',
        { className: 'pd-hours__day', key: day },
        h('legend', { className: 'pd-hours__day-name' }, dayName(day)),
        h(
          'div',
          { className: 'pd-widget__checkbox' },
          h('input', { id: openId, type: 'checkbox', checked: open, onChange: (e: { target: { checked: boolean } }) => this.toggle(week, day, e.target.checked), onFocus: setActiveStyle }),
          h('label', { htmlFor: openId }, 'Open', hidden(` on ${dayName(day)}`)),
        ),
        open
          ? h(
              'div',
              { className: 'pd-hours__sessions' },
              sessions.map((_, i) =>
                h(
                  'div',
                  { className: 'pd-hours__session', key: i, role: 'group', 'aria-label': `${dayName(day)}${sessions.length > 1 ? `, session ${i + 1}` : ''}` },
                  timeInput(i, 'opens'),
                  timeInput(i, 'closes'),
                  sessions.length > 1
                    ? h(
                        'button',
                        { type: 'button', className: 'pd-widget__button pd-widget__button--secondary', onClick: () => this.setDay(week, day, sessions.filter((__, j) => j !== i)) },
                        'Remove',
                        hidden(` ${dayName(day)} session ${i + 1}`),
                      )
                    : null,
                ),
              ),
              h(
                'button',
                { type: 'button', className: 'pd-widget__button pd-widget__button--secondary', onClick: () => this.setDay(week, day, [...sessions, { opens: '', closes: '' }]) },
                'Add a session',
                hidden(` on ${dayName(day)}`),
              ),
            )
          : h('p', { className: 'pd-hours__closed' }, 'Closed'),
      );
    };

    return h(
      'div',
      { className: `${classNameWrapper} pd-widget pd-hours` },
      config.hint ? fieldHint(`${hintId}-field`, config.hint) : null,
      hint(hintId, 'Times on the 24-hour clock, like 08:00 or 18:30. A day that is not open is closed.'),
      weekdays.map(dayRow),
    );
  }
}
