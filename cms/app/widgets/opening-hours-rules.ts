// What the opening-hours widget checks, with the rules the build applies (lib/content/rules.ts:
// each session closes after it opens and starts after the one before it ends; schemas/formats.ts:
// times on the 24-hour clock), in words for the person typing. A test holds the two together.
import { weekdays } from '../../../schemas/fields.ts';
import { formats } from '../../../schemas/formats.ts';
import { plain } from './plain.ts';

export type Weekday = (typeof weekdays)[number];
export interface Session {
  opens: string;
  closes: string;
}
export type Week = Record<Weekday, Session[]>;

export interface HoursProblem {
  day: Weekday;
  /** 0-based. */
  session: number;
  /** The input to fix. */
  field: 'opens' | 'closes';
  message: string;
}

export { weekdays };
export const dayName = (d: Weekday) => d[0]!.toUpperCase() + d.slice(1);
const timePattern = new RegExp(formats.time.pattern);

/** The widget's value (Decap's immutable map, a plain object, or nothing yet) as a full week. */
export function toWeek(value: unknown): Week {
  const raw = (plain(value) ?? {}) as Record<string, unknown>;
  const week = {} as Week;
  for (const day of weekdays) {
    const sessions = Array.isArray(raw[day]) ? (raw[day] as unknown[]) : [];
    week[day] = sessions.map((s) => {
      const o = (s ?? {}) as Record<string, unknown>;
      return { opens: o.opens === undefined || o.opens === null ? '' : String(o.opens), closes: o.closes === undefined || o.closes === null ? '' : String(o.closes) };
    });
  }
  return week;
}

export function hoursProblems(week: Week): HoursProblem[] {
  const out: HoursProblem[] = [];
  for (const day of weekdays) {
    let lastClose = '';
    week[day].forEach((s, i) => {
      const where = `${dayName(day)}${week[day].length > 1 ? `, session ${i + 1}` : ''}`;
      const opens = s.opens.trim();
      const closes = s.closes.trim();
      const opensOk = timePattern.test(opens);
      const closesOk = timePattern.test(closes);
      if (!opensOk)
        out.push({ day, session: i, field: 'opens', message: opens ? `${where}: enter the opening time on the 24-hour clock with a colon, like 08:00` : `${where}: enter the opening time, like 08:00` });
      if (!closesOk)
        out.push({ day, session: i, field: 'closes', message: closes ? `${where}: enter the closing time on the 24-hour clock with a colon, like 18:30` : `${where}: enter the closing time, like 18:30` });
      if (opensOk && closesOk && opens >= closes)
        out.push({ day, session: i, field: 'closes', message: `${where}: the closing time (${closes}) must be after the opening time (${opens})` });
      if (opensOk && lastClose && opens < lastClose)
        out.push({ day, session: i, field: 'opens', message: `${where}: it opens at ${opens}, before the session before it closes (${lastClose}); list sessions in order without overlaps` });
      if (closesOk) lastClose = closes;
    });
  }
  return out;
}
