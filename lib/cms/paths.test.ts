import { describe, expect, it } from 'vitest';
import { PathError, practicePath } from './paths.ts';

describe('paths the CMS gateway accepts', () => {
  it('accepts files inside the practice folder, given either way', () => {
    expect(practicePath('riverside', 'pages/appointments.md')).toBe('content/practices/riverside/pages/appointments.md');
    expect(practicePath('riverside', 'content/practices/riverside/media/map.png')).toBe('content/practices/riverside/media/map.png');
  });

  const refused: [string, RegExp][] = [
    ['content/practices/fellside/pages/appointments.md', /outside this practice's folder/],
    ['../fellside/pages/appointments.md', /"\.\."/],
    ['pages/../../fellside/practice.yml', /"\.\."/],
    ['%2e%2e/fellside/practice.yml', /"\.\."/],
    ['%252e%252e%252ffellside%252fpractice.yml', /"\.\."/],
    ['/etc/passwd', /absolute path/],
    ['C:/Windows/win.ini', /absolute path/],
    ['pages\\..\\..\\x.md', /backslash/],
    ['pages/x.md\u0000.png', /control characters/],
    ['pages//x.md', /empty part/],
    ['./pages/x.md', /"\."/],
    ['.git/config', /git itself/],
    ['content/practices/riverside', /outside this practice's folder/],
    ['content/other/x.md', /outside this practice's folder/],
    ['%E0%A4%A', /not a valid path/],
  ];
  for (const [path, message] of refused) {
    it(`refuses ${JSON.stringify(path)}`, () => {
      expect(() => practicePath('riverside', path)).toThrow(PathError);
      expect(() => practicePath('riverside', path)).toThrow(message);
    });
  }

  it('refuses a practice name that is not a slug', () => {
    expect(() => practicePath('../riverside', 'pages/x.md')).toThrow(/is not a practice/);
  });
});
