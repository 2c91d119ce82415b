import { describe, expect, it } from 'vitest';
import { defaultIncidentAdvice, incidentNoticeEmail } from './incident-notice.ts';

const base = {
  to: 'manager@riverside.example.nhs.uk',
  practiceName: 'Riverside <Medical> Practice',
  title: 'Phished\nmanager',
  happened: 'A manager entered a sign-in code on a fake page.',
  discoveredAt: new Date('2026-12-05T09:10:00Z'),
  done: ['We ended every session.', 'We froze the site for changes.'],
  toDo: [],
  contact: 'mailto:security@practicedigital.co.uk',
  personalData: true,
  reference: '3f2a0000-0000-4000-8000-000000000001',
};

describe('the incident notice', () => {
  const m = incidentNoticeEmail(base);

  it('says what happened, what we did, what to do and whom to contact, in both parts', () => {
    expect(m.subject).toBe('Security incident affecting Riverside <Medical> Practice: Phished manager');
    expect(m.text).toContain('We discovered it on Saturday 5 December 2026 at 09:10.');
    for (const part of ['What happened', base.happened, 'What we have done', '- We ended every session.', 'What you should do', `- ${defaultIncidentAdvice[0]}`, 'Who to contact', 'security@practicedigital.co.uk', base.reference, 'Information Commissioner'])
      expect(m.text, part).toContain(part);
    for (const part of ['<h2', '<li style="margin:0 0 8px">We ended every session.</li>', 'href="mailto:security@practicedigital.co.uk"', base.reference])
      expect(m.html, part).toContain(part);
  });

  it('is an accessible document with the names escaped and no tracking', () => {
    expect(m.html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(m.html).toMatch(/<title>Security incident affecting Riverside &#60;Medical&#62; Practice: Phished manager<\/title>/);
    expect(m.html).not.toMatch(/<(img|table|script|iframe|form)\b|<Medical>/i);
  });

  it('without personal data, or steps taken, says so plainly', () => {
    const n = incidentNoticeEmail({ ...base, personalData: false, done: [], contact: 'https://practicedigital.co.uk/security' });
    expect(n.text).toContain('We have no evidence that personal data is involved.');
    expect(n.text).toContain('We are investigating and will write again when it is contained.');
    expect(n.html).toContain('href="https://practicedigital.co.uk/security"');
  });
});
