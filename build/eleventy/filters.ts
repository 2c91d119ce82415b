// Template filters: formatting only, no decisions.
import type { UserConfig } from '@11ty/eleventy';
import { renderMarkdown } from '../../lib/markdown/render.ts';
import { formatDate, formatMoney, formatMonth, formatTime } from '../site/format.ts';

const ukDateTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hourCycle: 'h23',
});

export default function filters(config: UserConfig): void {
  config.addFilter('date', (ymd: string) => formatDate(ymd));
  config.addFilter('time', (hhmm: string) => formatTime(hhmm));
  config.addFilter('month', (ym: string) => formatMonth(ym));
  config.addFilter('money', (n: number) => formatMoney(n));
  config.addFilter('dateTime', (iso: string) => {
    const p = Object.fromEntries(ukDateTime.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
    return `${p.day} ${p.month} ${p.year} at ${formatTime(`${p.hour}:${p.minute}`)}`;
  });
  // Phone numbers as written for people → the digits a tel: link needs.
  config.addFilter('tel', (phone: string) => phone.replace(/[^0-9+]/g, ''));
  // Profile fields written in Markdown; already checked for unsafe content when loaded.
  config.addFilter('markdown', (text: string | undefined) => (text ? renderMarkdown(text).html : ''));
}
