// Dates an auditor types (`2026-12-04`, `2026-12-04T17:30`, UK time unless an offset is given) and
// times as the reports show them (UK local time, which is what the practice's own records use).
import { isValidDate, ukLocalDateTime, ukLocalToIso } from '../content/dates.ts';

export class AuditInputError extends Error {
  override name = 'AuditInputError';
}

const pattern = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * A date or a date and time. A date alone is the start of that UK day (`edge: 'start'`), or the
 * start of the next one (`edge: 'end'`, for the end of a period, which is exclusive).
 */
export function parseMoment(text: string, option: string, edge: 'start' | 'end' = 'start'): Date {
  const m = pattern.exec(text.trim());
  const example = `like 2026-12-04 or 2026-12-04T17:30 (UK time)`;
  if (!m) throw new AuditInputError(`${option} "${text}" is not a date: write it ${example}`);
  const [, day, hh, mm, ss, zone] = m;
  if (!isValidDate(day!)) throw new AuditInputError(`${option} "${text}" is not a real date: write it ${example}`);
  if (hh !== undefined && (Number(hh) > 23 || Number(mm) > 59 || Number(ss ?? 0) > 59))
    throw new AuditInputError(`${option} "${text}" is not a real time of day: write it ${example}`);
  if (hh === undefined) {
    const start = new Date(ukLocalToIso(`${day}T00:00`));
    if (edge === 'start') return start;
    const [y, mo, d] = day!.split('-').map(Number) as [number, number, number];
    const next = new Date(Date.UTC(y, mo - 1, d + 1)).toISOString().slice(0, 10);
    return new Date(ukLocalToIso(`${next}T00:00`));
  }
  const local = `${day}T${hh}:${mm}:${ss ?? '00'}${zone ?? ''}`;
  return new Date(ukLocalToIso(local));
}

export interface Period {
  from?: Date;
  /** Exclusive. */
  to?: Date;
}

/** `--from` and `--to` (whole days included; `--to 2026-12-04` takes in all of 4 December). */
export function parsePeriod(from: string | undefined, to: string | undefined): Period {
  const period: Period = {};
  if (from !== undefined) period.from = parseMoment(from, '--from', 'start');
  if (to !== undefined) period.to = parseMoment(to, '--to', 'end');
  if (period.from && period.to && period.to.getTime() <= period.from.getTime())
    throw new AuditInputError(`--to ${to} is before --from ${from}: give the start of the period first`);
  return period;
}

/**
 * `--at`: a date and time, or a date alone meaning the end of that UK day (the site as it was
 * when the day was over).
 */
export function parseAt(text: string): Date {
  const m = pattern.exec(text.trim());
  if (m && m[2] === undefined) return new Date(parseMoment(text, '--at', 'end').getTime() - 1000);
  return parseMoment(text, '--at', 'start');
}

/** `2026-12-04 09:15` in UK local time. */
export function ukTime(at: string | Date): string {
  return ukLocalDateTime(typeof at === 'string' ? new Date(at) : at).replace('T', ' ');
}

/** `3 d 4 h`, `2 h 5 min`, `12 min`, `under a minute`. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return `${m} min`;
  return 'under a minute';
}
