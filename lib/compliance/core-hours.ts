// Whether a weekly timetable covers core hours: 08:00 to 18:30, Monday to Friday (GMS contract).
import type { PracticeProfile } from '../../schemas/generated/types.ts';

type Week = PracticeProfile['online_consultation']['hours'];
export const coreDays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'] as const;
export const coreStart = '08:00';
export const coreEnd = '18:30';

/** Each weekday's gaps inside core hours, like `{ day: 'friday', from: '13:00', to: '14:00' }`. */
export function coreHourGaps(week: Week): { day: string; from: string; to: string }[] {
  const gaps: { day: string; from: string; to: string }[] = [];
  for (const day of coreDays) {
    // Times are HH:MM, so they compare as strings.
    const sessions = [...week[day]].sort((a, b) => a.opens.localeCompare(b.opens));
    let covered = coreStart;
    for (const s of sessions) {
      if (s.closes <= covered) continue;
      if (s.opens > covered) gaps.push({ day, from: covered, to: s.opens < coreEnd ? s.opens : coreEnd });
      if (s.closes > covered) covered = s.closes;
      if (covered >= coreEnd) break;
    }
    if (covered < coreEnd) gaps.push({ day, from: covered, to: coreEnd });
  }
  return gaps.filter((g) => g.from < g.to);
}
