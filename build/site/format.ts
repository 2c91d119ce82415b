// Dates and times written the NHS.UK way: "10 March 2026", "8am to 6:30pm", "midday".
const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function formatDate(ymd: string): string {
  const [y, m, d] = ymd.slice(0, 10).split('-').map(Number) as [number, number, number];
  return `${d} ${months[m - 1]} ${y}`;
}

export function formatTime(hhmm: string): string {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  if (h === 12 && m === 0) return 'midday';
  if (h === 0 && m === 0) return 'midnight';
  const hour = h % 12 === 0 ? 12 : h % 12;
  return `${hour}${m ? `:${String(m).padStart(2, '0')}` : ''}${h < 12 ? 'am' : 'pm'}`;
}

export function formatSessions(sessions: readonly { opens: string; closes: string }[]): string {
  if (!sessions.length) return 'Closed';
  return sessions.map((s) => `${formatTime(s.opens)} to ${formatTime(s.closes)}`).join(' and ');
}

export function formatMoney(pounds: number): string {
  return `£${pounds.toLocaleString('en-GB', { maximumFractionDigits: 0 })}`;
}

/** `2026-10` → "October 2026". */
export function formatMonth(ym: string): string {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  return months[m - 1] ? `${months[m - 1]} ${y}` : ym;
}
