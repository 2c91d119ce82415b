// The `review-date` widget: the date a page must next be checked by, picked with the browser's
// own date input. It says how far off that is ("Due in 30 days", "Overdue by 3 days"), starts
// 12 months after the last review (or after today), and holds the build's rule: after the last
// review, and at most 12 months after it.
import { Component, createElement as h } from 'react';
import { formatDate } from '../../../build/site/format.ts';
import { ukDate } from '../../../lib/content/dates.ts';
import { configOf, describedBy, entryValue, errorMessage, fieldHint, invalid, type ControlProps, type Validity } from './control.ts';
import { defaultReviewBy, dueText, isDate, reviewDateProblem, reviewMonths } from './review-date-rules.ts';

interface State {
  showError: boolean;
}

const today = () => ukDate(new Date());

export class ReviewDateControl extends Component<ControlProps, State> {
  override state: State = { showError: false };

  private value(): string {
    return typeof this.props.value === 'string' ? this.props.value : '';
  }

  private lastReviewed(): string | undefined {
    const v = entryValue(this.props, 'last_reviewed');
    return typeof v === 'string' && v ? v : undefined;
  }

  override componentDidMount(): void {
    // A new page starts with a review date: 12 months on.
    if (!this.value()) this.props.onChange(defaultReviewBy(this.lastReviewed(), today()));
  }

  /** The message depends on the last-review date, another field: render whenever the entry does. */
  override shouldComponentUpdate(): boolean {
    return true;
  }

  isValid = (): Validity => {
    this.setState({ showError: true });
    const problem = reviewDateProblem(this.value(), this.lastReviewed());
    return problem ? invalid(problem) : true;
  };

  override render() {
    const { forID, classNameWrapper, setActiveStyle, setInactiveStyle } = this.props;
    const value = this.value();
    const last = this.lastReviewed();
    const problem = this.state.showError ? reviewDateProblem(value, last) : undefined;
    const due = isDate(value) ? dueText(value, today()) : undefined;
    const suggested = defaultReviewBy(last, today());
    const hintText = configOf(this.props.field).hint ?? `At most ${reviewMonths} months after the last review`;
    return h(
      'div',
      { className: `${classNameWrapper} pd-widget pd-review-date${problem ? ' pd-widget__group--error' : ''}` },
      fieldHint(`${forID}-hint`, hintText),
      errorMessage(`${forID}-error`, problem),
      h('input', {
        id: forID,
        className: 'pd-widget__input pd-review-date__input',
        type: 'date',
        value,
        'aria-invalid': problem ? true : undefined,
        'aria-describedby': describedBy(`${forID}-hint`, problem && `${forID}-error`, due && `${forID}-due`),
        onFocus: setActiveStyle,
        onBlur: () => {
          this.setState({ showError: true });
          setInactiveStyle();
        },
        onChange: (e: { target: { value: string } }) => this.props.onChange(e.target.value),
      }),
      due
        ? h(
            'p',
            { id: `${forID}-due`, className: `pd-review-date__due${due.overdue ? ' pd-review-date__due--overdue' : ''}` },
            h('strong', {}, due.text),
            ` (${formatDate(value)})`,
          )
        : null,
      value !== suggested
        ? h(
            'button',
            { type: 'button', className: 'pd-widget__button pd-widget__button--secondary', onClick: () => this.props.onChange(suggested) },
            last ? `Set to ${reviewMonths} months after the last review (${formatDate(suggested)})` : `Set to ${reviewMonths} months from today (${formatDate(suggested)})`,
          )
        : null,
    );
  }
}
