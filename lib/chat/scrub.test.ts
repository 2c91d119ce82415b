import { describe, expect, it } from 'vitest';
import { isValidNhsNumber, scrubPersonalData as scrub } from './scrub.ts';

describe('scrubPersonalData', () => {
  it('replaces NHS numbers, spaced or not, valid check digit or not', () => {
    expect(isValidNhsNumber('9434765919')).toBe(true);
    expect(isValidNhsNumber('9434765918')).toBe(false);
    expect(scrub('my nhs number is 943 476 5919')).toBe('my nhs number is [nhs number]');
    expect(scrub('9434765919, 943-476-5919')).toBe('[nhs number], [nhs number]');
    expect(scrub('nhs no 1234567890')).toBe('nhs no [nhs number]');
  });

  it('replaces UK phone numbers in their usual forms', () => {
    for (const p of ['07700 900123', '07700900123', '01632 960 100', '(01632) 960100', '0163-296-0100', '020 7946 0000', '0300 123 4567', '+44 7700 900123', '+44 (0)7700 900 123', '+447700900123', '0044 20 7946 0000']) {
      expect(scrub(`ring me on ${p} please`), p).toBe('ring me on [phone] please');
    }
  });

  it('replaces email addresses', () => {
    expect(scrub('jo.bloggs+gp@example.co.uk wrote')).toBe('[email] wrote');
    expect(scrub("Write to o'neill@nhs.net")).toBe('Write to [email]');
  });

  it('replaces dates of birth and other dates', () => {
    for (const d of ['12/03/1980', '1.3.80', '12-03-80', '1980-03-12', '12 March 1980', '12th of march 1980', '3 Sept 1975', 'March 12, 1980', 'march 12th 1980']) {
      expect(scrub(`on ${d} ok`), d).toBe('on [date] ok');
    }
    expect(scrub('born 1980-03-12')).toBe('born [date]');
    expect(scrub('I was born in 1980')).toBe('I was born in [date]');
    expect(scrub('my date of birth is 3rd June')).toBe('my date of birth is [date]');
    expect(scrub('DOB: 12 March')).toBe('DOB: [date]');
  });

  it('replaces full and outward-only UK postcodes', () => {
    expect(scrub('I live at 1 High St, LS6 2AB')).toBe('I live at 1 High St, [postcode]');
    expect(scrub('postcode ls62ab')).toBe('postcode [postcode]');
    expect(scrub('E1 6AN and SW1A 1AA')).toBe('[postcode] and [postcode]');
    expect(scrub('do you cover LS6 or M14?')).toBe('do you cover [postcode] or [postcode]?');
  });

  it('scrubs every kind in one message', () => {
    expect(scrub('Jo, dob 01/02/1990, NHS 943 476 5919, 07700 900123, jo@example.com, LS6 2AB')).toBe(
      'Jo, dob [date], NHS [nhs number], [phone], [email], [postcode]',
    );
  });

  // Decided: a year on its own is not a date of birth ("the 2026 flu season"), so it stays unless
  // it follows "born" or "date of birth". Day and month without a year stay too, unless they follow
  // such a cue: "is the surgery open on 26 December" needs its date to be answered.
  it('leaves ordinary numbers, times, years, doses and vitamins alone', () => {
    for (const t of [
      'take 2 tablets twice a day', 'is my appointment at 08:30', 'flu jabs for 2026', 'open 8am-6.30pm', 'room 101', 'appointment on 12/03',
      'is the surgery open on 26 December', 'can I get my B12 injection', 'vitamin D3 and vitamin B12', 'take 1/2 a tablet', 'the 2024/25 flu season',
      'version 1.2', '500mg paracetamol', 'I am 45 years old', 'A1 road', 'bus 42',
    ]) {
      expect(scrub(t), t).toBe(t);
    }
  });

  it('never throws, and handles huge and hostile input in linear time', () => {
    for (const t of ['', undefined as unknown as string, null as unknown as string, '\u0000\uffff', '@'.repeat(10_000)]) expect(() => scrub(t)).not.toThrow();
    for (const unit of ['a', 'a.', '1', '1 ', '0', 'a@', '@a.', 'a@a.', '12/', 'ls1 ', '+44 ', 'march 1 ']) {
      const big = unit.repeat(Math.ceil(1_000_000 / unit.length));
      const small = unit.repeat(Math.ceil(100_000 / unit.length));
      const t0 = performance.now();
      scrub(small);
      const t1 = performance.now();
      scrub(big);
      const t2 = performance.now();
      // Ten times the input should take nowhere near a hundred times as long; generous for CI noise.
      expect(t2 - t1, JSON.stringify(unit)).toBeLessThan(Math.max(200, (t1 - t0) * 40));
    }
  });
});
