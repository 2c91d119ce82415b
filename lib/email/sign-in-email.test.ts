import { describe, expect, it } from 'vitest';
import { extractCode, extractLinks } from './eml.ts';
import { confirmLink, signInEmail, signInSubject } from './sign-in-email.ts';

describe('confirmLink', () => {
  it('puts the token hash in the fragment of the portal confirm page', () => {
    expect(confirmLink('https://portal.example', 'abc123')).toBe('https://portal.example/sign-in/confirm/#token_hash=abc123&type=email');
    expect(confirmLink('https://portal.example/', 'abc123', '/practices/x?tab=1')).toBe(
      'https://portal.example/sign-in/confirm/#token_hash=abc123&type=email&next=%2Fpractices%2Fx%3Ftab%3D1',
    );
  });

  it('drops a next that is not a path on the portal', () => {
    for (const next of ['https://evil.example/', '//evil.example/', '/\\evil.example', 'javascript:alert(1)'])
      expect(confirmLink('https://portal.example', 'abc', next)).toBe('https://portal.example/sign-in/confirm/#token_hash=abc&type=email');
  });
});

describe('signInEmail', () => {
  const link = 'https://portal.example/sign-in/confirm/#token_hash=abc&type=email&next=%2Fa';
  const email = signInEmail({ to: 'jo@example.org', code: '048213', link });

  it('has the subject, the code and the link in both parts', () => {
    expect(email.subject).toBe(signInSubject);
    expect(signInSubject).toBe('Your sign-in code for Practice Digital');
    expect(extractCode(email.text)).toBe('048213');
    expect(email.html).toContain('048213');
    expect(extractLinks(email.text)).toEqual([link]);
    expect(email.html).toContain(`href="${link.replace(/&/g, '&#38;')}"`);
  });

  it('is an accessible document with no images, tracking or remote content', () => {
    expect(email.html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(email.html).toContain(`<title>${signInSubject}</title>`);
    expect(email.html).toMatch(/<h1[^>]*>/);
    expect(email.html).not.toMatch(/<img|<link|<script|url\(|background-image|<iframe/i);
    // The only address in the HTML is the sign-in link.
    const hrefs = [...email.html.matchAll(/(?:href|src)="([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs).toEqual([link.replace(/&/g, '&#38;')]);
  });

  it('escapes what it puts into HTML', () => {
    const odd = signInEmail({ to: 'jo@example.org', code: '<b>1</b>', link: 'https://x.example/"onmouseover="x' });
    expect(odd.html).not.toContain('<b>1</b>');
    expect(odd.html).not.toContain('"onmouseover');
  });
});
