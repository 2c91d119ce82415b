import { describe, expect, it } from 'vitest';
import type { EmailMessage } from '../mailer.ts';
import { changeLiveEmail } from './change-live.ts';
import { reviewWaitingEmail } from './review-waiting.ts';
import { reviewsDueEmail } from './reviews-due.ts';
import { urgentNoticePostedEmail } from './urgent-notice-posted.ts';

const portalUrl = 'https://portal.example.uk/';

/** What every platform email must be: accessible, self-contained, untracked, one recipient. */
function expectHouseStyle(m: EmailMessage, to: string) {
  expect(m.to).toBe(to);
  expect(m.subject).not.toMatch(/[\r\n]/);
  expect(m.html).toMatch(/^<!doctype html>\n<html lang="en">/);
  expect(m.html).toContain(`<title>`);
  expect(m.html).toMatch(/<h1[^>]*>[^<]+<\/h1>/);
  expect(m.html).not.toMatch(/<(img|table|script|iframe|form|link)\b/i);
  expect(m.html).not.toMatch(/utm_|pixel|tracking/i);
  for (const href of m.html.matchAll(/href="([^"]*)"/g)) expect(href[1]).toMatch(/^https?:\/\//);
  expect(m.text.trim().length).toBeGreaterThan(0);
}

const words = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&#39;/g, "'").replace(/&#34;/g, '"').replace(/&ldquo;|&rdquo;/g, '"').replace(/&amp;/g, '&');

describe('review waiting', () => {
  const m = reviewWaitingEmail({
    to: 'reviewer@riverside.example.nhs.uk',
    practiceName: 'Riverside Medical Practice',
    title: 'Flu clinic',
    savedBy: ['Ed Editor', 'Dr Asha Patel'],
    requestedBy: 'Ed Editor',
    portalUrl,
  });

  it('names the entry, who saved it and links to the workflow', () => {
    expectHouseStyle(m, 'reviewer@riverside.example.nhs.uk');
    expect(m.subject).toBe('A change is waiting for your review: Flu clinic');
    for (const part of [m.text, words(m.html)]) {
      expect(part).toContain('Flu clinic');
      expect(part).toContain('Ed Editor and Dr Asha Patel');
      expect(part).toContain('Riverside Medical Practice');
    }
    expect(m.text).toContain('https://portal.example.uk/cms/#/workflow');
    expect(m.html).toContain('href="https://portal.example.uk/cms/#/workflow"');
  });

  it('escapes what people typed, and keeps it to one subject line', () => {
    const bad = reviewWaitingEmail({ to: 'r@x.nhs.uk', practiceName: 'R', title: 'Flu <script>alert(1)</script>\r\nBcc: all@x.uk', savedBy: ['<b>Ed</b>'], requestedBy: 'Ed', portalUrl });
    expectHouseStyle(bad, 'r@x.nhs.uk');
    expect(bad.html).not.toContain('<script>');
    expect(bad.html).not.toContain('<b>Ed</b>');
    expect(bad.subject).toBe('A change is waiting for your review: Flu <script>alert(1)</script> Bcc: all@x.uk');
  });
});

describe('change live', () => {
  it('names the change, its approver and links to the page', () => {
    const m = changeLiveEmail({
      to: 'editor@riverside.example.nhs.uk',
      practiceName: 'Riverside Medical Practice',
      title: 'Flu clinic',
      publishedBy: 'Dr Ben Okafor',
      reviewed: true,
      pageUrl: 'https://riverside-medical.example/services/flu-clinic/',
    });
    expectHouseStyle(m, 'editor@riverside.example.nhs.uk');
    expect(m.subject).toBe('Your change is live: Flu clinic');
    for (const part of [m.text, words(m.html)]) {
      expect(part).toContain('Flu clinic');
      expect(part).toContain('Dr Ben Okafor reviewed and approved it.');
    }
    expect(m.text).toContain('https://riverside-medical.example/services/flu-clinic/');
    expect(m.html).toContain('href="https://riverside-medical.example/services/flu-clinic/"');
  });

  it('says who published it when there was no review, and has no link when the address is unknown', () => {
    const m = changeLiveEmail({ to: 'a@x.nhs.uk', practiceName: 'R', title: 'Opening hours', publishedBy: 'Ed Editor', reviewed: false });
    expectHouseStyle(m, 'a@x.nhs.uk');
    expect(m.text).toContain('Ed Editor published it.');
    expect(m.html).not.toContain('href=');
  });
});

describe('reviews due', () => {
  const m = reviewsDueEmail({
    to: 'manager@riverside.example.nhs.uk',
    practiceName: 'Riverside Medical Practice',
    portalUrl,
    siteUrl: 'https://riverside-medical.example',
    due: [
      { file: 'content/practices/riverside/pages/appointments.md', title: 'Appointments', url: '/appointments/', reviewBy: '2026-11-30', daysLeft: -4 },
      { file: 'content/practices/riverside/policies/privacy.md', title: 'Privacy notice', reviewBy: '2026-12-20', daysLeft: 16 },
    ],
  });

  it('lists each page with its review date, overdue first', () => {
    expectHouseStyle(m, 'manager@riverside.example.nhs.uk');
    expect(m.subject).toBe('2 pages are due for review on the Riverside Medical Practice website');
    for (const part of [m.text, words(m.html)]) {
      expect(part).toMatch(/Appointments: overdue: review date was Monday 30 November 2026 \(4 days ago\)/);
      expect(part).toMatch(/Privacy notice: due by Sunday 20 December 2026 \(in 16 days\)/);
      expect(part.indexOf('Appointments')).toBeLessThan(part.indexOf('Privacy notice'));
    }
    expect(m.html).toContain('<ul');
    expect(m.html).toContain('href="https://riverside-medical.example/appointments/"');
    expect(m.html).toContain('href="https://portal.example.uk/site/"');
    // File paths in the repository are for the platform, not for the email.
    expect(m.text).not.toContain('content/practices');
    expect(m.html).not.toContain('content/practices');
  });
});

describe('urgent notice posted', () => {
  it('says what was posted, until when and by whom', () => {
    const m = urgentNoticePostedEmail({
      to: 'manager@riverside.example.nhs.uk',
      practiceName: 'Riverside Medical Practice',
      title: 'Closed this afternoon',
      until: new Date('2026-12-05T17:00:00Z'),
      postedBy: 'Una Urgent',
      portalUrl,
    });
    expectHouseStyle(m, 'manager@riverside.example.nhs.uk');
    expect(m.subject).toBe('Urgent notice posted: Closed this afternoon');
    for (const part of [m.text, words(m.html)]) {
      expect(part).toContain('Una Urgent posted an urgent notice on the Riverside Medical Practice website: "Closed this afternoon"');
      expect(part).toContain('until Saturday 5 December 2026 at 17:00');
    }
  });

  it('uses UK time, summer or winter', () => {
    const m = urgentNoticePostedEmail({ to: 'm@x.nhs.uk', practiceName: 'R', title: 'T', until: new Date('2026-07-01T16:00:00Z'), postedBy: 'U', portalUrl });
    expect(m.text).toContain('until Wednesday 1 July 2026 at 17:00');
  });
});

describe('what no message carries', () => {
  it('has no sign-in tokens, codes or other people\'s addresses: only what its builder was given', () => {
    const all = [
      reviewWaitingEmail({ to: 'r@x.nhs.uk', practiceName: 'R', title: 'T', savedBy: ['E'], requestedBy: 'E', portalUrl }),
      changeLiveEmail({ to: 'r@x.nhs.uk', practiceName: 'R', title: 'T', publishedBy: 'P', reviewed: true }),
      reviewsDueEmail({ to: 'r@x.nhs.uk', practiceName: 'R', portalUrl, due: [] }),
      urgentNoticePostedEmail({ to: 'r@x.nhs.uk', practiceName: 'R', title: 'T', until: new Date(), postedBy: 'U', portalUrl }),
    ];
    for (const m of all) {
      for (const part of [m.text, m.html, m.subject]) {
        expect(part).not.toMatch(/token|access_token|#token_hash|code:/i);
        expect(part).not.toMatch(/[A-Za-z0-9+/_-]{32,}/);
        expect(part.match(/[^\s"<>]+@[^\s"<>]+/g) ?? []).toEqual([]);
      }
    }
  });
});
