import { describe, expect, it } from 'vitest';
import { headersFor, parseHeadersFile } from './headers-file.ts';

const file = `
# comment
/*
  X-Frame-Options: SAMEORIGIN
  Link: </a.css>; rel=preload
/assets/*
  Cache-Control: immutable
  Link: </b.css>; rel=preload
/news/:post/
  X-Post: yes
  ! X-Frame-Options
/admin/*
  ! X-Frame-Options
  X-Frame-Options: DENY
`;

describe('_headers', () => {
  const rules = parseHeadersFile(file);
  const get = (p: string) => Object.fromEntries([...headersFor(rules, p).values()].map((h) => [h.name, h.value]));

  it('applies every matching rule, joining repeated headers with a comma', () => {
    expect(get('/assets/x.css')).toEqual({ 'X-Frame-Options': 'SAMEORIGIN', Link: '</a.css>; rel=preload, </b.css>; rel=preload', 'Cache-Control': 'immutable' });
  });

  it('matches placeholders to one segment and lets a later rule detach a header', () => {
    expect(get('/news/flu/')).toEqual({ Link: '</a.css>; rel=preload', 'X-Post': 'yes' });
    expect(get('/news/flu/more/')['X-Post']).toBeUndefined();
  });

  it("removes a rule's detached headers before setting its own, so a rule can replace a header", () => {
    expect(get('/admin/x')['X-Frame-Options']).toBe('DENY');
  });

  it('says which line is wrong', () => {
    expect(() => parseHeadersFile('  X-A: b\n')).toThrow(/line 1: a header comes before any URL pattern/);
    expect(() => parseHeadersFile('/*\n  nonsense\n')).toThrow(/line 2: "nonsense" is not "Name: value"/);
  });
});
