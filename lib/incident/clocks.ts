// The three promises the security page makes, as clocks running from the moment an incident was
// discovered: contained within 4 hours, affected practices told within 24, and the ICO within 72
// when personal data is involved (UK GDPR Article 33). Pure: times in, words out.

export const clockHours = { containment: 4, practice_notice: 24, ico_notice: 72 } as const;
export type ClockName = keyof typeof clockHours;

export interface Clock {
  name: ClockName;
  /** "Containment", "Notice to practices", "Notice to the ICO". */
  title: string;
  hours: number;
  dueAt: string;
  state: 'met' | 'due' | 'overdue' | 'not_required';
  metAt?: string;
  /** One line a person reads: met at …, due in …, overdue by …. */
  text: string;
}

const titles: Record<ClockName, string> = { containment: 'Containment', practice_notice: 'Notice to practices', ico_notice: 'Notice to the ICO' };

/**
 * A clock's state at `now`. `metAt` is when its promise was kept (undefined while it is not);
 * `notRequired` explains why it does not apply, when it does not.
 */
export function clock(name: ClockName, discoveredAt: Date, now: Date, metAt?: Date, notRequired?: string): Clock {
  const hours = clockHours[name];
  const due = new Date(discoveredAt.getTime() + hours * 3_600_000);
  const base = { name, title: titles[name], hours, dueAt: due.toISOString() };
  if (metAt) {
    const late = metAt.getTime() - due.getTime();
    const when = `met at ${formatTime(metAt)}`;
    return { ...base, state: 'met', metAt: metAt.toISOString(), text: late > 0 ? `${when}, ${formatDuration(late)} late` : `${when}, ${formatDuration(metAt.getTime() - discoveredAt.getTime())} after discovery` };
  }
  if (notRequired) return { ...base, state: 'not_required', text: `not required: ${notRequired}` };
  const left = due.getTime() - now.getTime();
  if (left >= 0) return { ...base, state: 'due', text: `due in ${formatDuration(left)} (by ${formatTime(due)})` };
  return { ...base, state: 'overdue', text: `overdue by ${formatDuration(-left)} (was due by ${formatTime(due)})` };
}

/** "2 days 3 h 5 min", "45 min", "under a minute". */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  if (minutes === 0) return 'under a minute';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts = [days ? `${days} day${days === 1 ? '' : 's'}` : '', hours ? `${hours} h` : '', mins ? `${mins} min` : ''];
  return parts.filter(Boolean).join(' ');
}

/** "2026-12-05 09:30 UTC": unambiguous for whoever reads the report, wherever they are. */
export function formatTime(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
