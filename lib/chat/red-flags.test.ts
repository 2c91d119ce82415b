import { describe, expect, it } from 'vitest';
import { detectAllRedFlags, detectRedFlag, normaliseMessage, redFlagReply, type RedFlag, type RedFlagRoute } from './red-flags.ts';
import { misuseCases } from './eval/misuse.ts';
import { scrubPersonalData } from './scrub.ts';
import { redFlagCases } from './eval/red-flags.ts';
import { safeAdminCases } from './eval/safe-admin.ts';

const tableRows = [
  'chest-pain', 'stroke', 'breathing', 'anaphylaxis', 'sepsis', 'meningitis', 'unconscious-fit', 'bleeding-injury-burns',
  'suicide-overdose-self-harm', 'mental-health-crisis', 'baby-fever', 'urgent-or-closed',
];

describe('the red-flag evaluation set', () => {
  it('covers every row of the table with at least six messages, and at least 100 in all', () => {
    expect(redFlagCases.length).toBeGreaterThanOrEqual(100);
    for (const rule of tableRows) expect(redFlagCases.filter((c) => c.rule === rule).length, rule).toBeGreaterThanOrEqual(6);
    expect(safeAdminCases.length).toBeGreaterThanOrEqual(60);
    expect(misuseCases.length).toBeGreaterThanOrEqual(25);
  });

  // The route must match exactly: it decides what the patient is told. The rule is checked
  // loosely, because rows overlap (swollen lips with breathing trouble is both anaphylaxis and
  // breathing; a floppy feverish baby is meningitis before baby fever): the expected row must be
  // among the rows that fire, not necessarily the first.
  it.each(redFlagCases.map((c) => [c.text, c] as const))('fires for %j', (_text, c) => {
    const all = detectAllRedFlags(c.text);
    expect(all[0]?.route, JSON.stringify(all)).toBe(c.route);
    expect(all.map((f) => f.rule)).toContain(c.rule);
  });

  it('reports how often the first row that fires is the one the message was written for', () => {
    const exact = redFlagCases.filter((c) => detectRedFlag(c.text)?.rule === c.rule).length;
    console.log(`red flags: ${exact}/${redFlagCases.length} fired on exactly the row they were written for`);
    expect(exact / redFlagCases.length).toBeGreaterThan(0.8);
  });

  it('lets at most 5% of ordinary administrative questions through to the interrupt', () => {
    const misfires = safeAdminCases.map((t) => [t, detectRedFlag(t)] as const).filter(([, f]) => f);
    for (const [t, f] of misfires) console.log(`misfire: ${JSON.stringify(t)} -> ${f?.route}/${f?.rule}`);
    console.log(`safe-admin false positives: ${misfires.length}/${safeAdminCases.length}`);
    expect(misfires.length / safeAdminCases.length).toBeLessThanOrEqual(0.05);
  });

  it('fires for every misuse attempt that describes a symptom', () => {
    for (const m of misuseCases.filter((c) => c.expect === 'red-flag')) expect(detectRedFlag(m.text), m.text).toBeDefined();
  });
});

describe('detectRedFlag', () => {
  it('lets ordinary questions with health-sounding words through', () => {
    for (const t of [
      'when is the flu clinic', 'can I book a blood test', 'do you have a chest clinic', 'how do I register my baby', 'can I get a fit note',
      'can i get a sick note', 'how do i get my blood pressure checked', 'stoke on trent surgery opening times', 'is a smear test painful',
      'my baby was born at 38 weeks, how do i register her', 'yellow fever vaccine', 'hay fever tablets', 'the app is rubbish and the phones are awful',
      'i cant get my prescription through the app', 'i dont live in the catchment area', 'is the car park on the roof',
    ]) {
      expect(detectRedFlag(t), t).toBeUndefined();
    }
  });

  it('fires despite negation, erring towards firing', () => {
    expect(detectRedFlag('no chest pain but my left arm is aching and so is my jaw')?.route).toBe('emergency');
    expect(detectRedFlag('not sure if its a stroke')?.route).toBe('emergency');
  });

  it('sees through case, accents, full-width letters, zero-width characters, doubled letters and typos', () => {
    for (const t of ['CHEST PAIN', 'chést páin', 'ｃｈｅｓｔ ｐａｉｎ', 'ch\u200best pain', 'cheeeest paaaain', 'chesst pian', 'i caaant breeeathe', 'brething badly']) {
      expect(detectRedFlag(t)?.route, t).toBe('emergency');
    }
    expect(normaliseMessage("She's    CAN'T  breathe!!")).toBe('is cant breathe');
  });

  it('gives the most severe route when several rows fire', () => {
    expect(detectRedFlag('my baby has a temperature and is floppy')).toEqual({ route: 'emergency', rule: 'meningitis' });
    expect(detectRedFlag('i feel suicidal and have taken an overdose')?.route).toBe('emergency');
    expect(detectRedFlag('im suicidal and the surgery is closed')?.route).toBe('mental-health');
    expect(detectRedFlag('my 4 week old baby has a temperature and the surgery is closed')?.route).toBe('baby-fever');
  });

  it('routes a feverish baby by age: under three months to baby-fever, older to urgent care', () => {
    expect(detectRedFlag('my 5 week old has a temperature')?.route).toBe('baby-fever');
    expect(detectRedFlag('baby has a fever')?.route).toBe('baby-fever');
    expect(detectRedFlag('my 7 month old baby has a temperature')?.route).toBe('urgent-care');
  });

  it('never throws, whatever it is given', () => {
    for (const t of ['', ' ', '\u0000', '🙂'.repeat(1000), 'a'.repeat(100_000), undefined as unknown as string, 42 as unknown as string]) {
      expect(() => detectRedFlag(t)).not.toThrow();
    }
  });

  // Not a timed assertion (CI machines vary): it shows the whole pipeline's first two steps finish
  // on a large load and prints the figure for docs/performance.md.
  it('scrubs and checks 10,000 messages of 1,000 characters', () => {
    const words = (
      'when is the surgery open can i book a blood test for my baby chest clinic prescription tablets fit note flu jab ' +
      'my dad is confused and cant breathe call 07700 900123 or email jo@example.com born 12/03/1980 LS6 2AB'
    ).split(' ');
    const messages: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      let m = '';
      for (let j = i; m.length < 1000; j = (j * 31 + 7) % 9973) m += `${words[j % words.length]} `;
      messages.push(m.slice(0, 1000));
    }
    const start = performance.now();
    let fired = 0;
    for (const m of messages) if (detectRedFlag(scrubPersonalData(m))) fired++;
    const ms = performance.now() - start;
    console.log(`10,000 messages of 1,000 characters scrubbed and checked in ${ms.toFixed(0)} ms (${(ms / 10_000).toFixed(3)} ms each); ${fired} fired`);
    expect(messages.length).toBe(10_000);
  });
});

describe('redFlagReply', () => {
  const routes: RedFlag[] = [
    { route: 'emergency', rule: 'chest-pain' },
    { route: 'emergency', rule: 'anaphylaxis' },
    { route: 'emergency', rule: 'suicide-overdose-self-harm' },
    { route: 'mental-health', rule: 'mental-health-crisis' },
    { route: 'baby-fever', rule: 'baby-fever' },
    { route: 'urgent-care', rule: 'urgent-or-closed' },
  ];
  const hrefs = (f: RedFlag) => redFlagReply(f).links.map((l) => l.href);

  it('always says "In an emergency call 999", links 999, and gives text relay 18000', () => {
    for (const f of routes) {
      const r = redFlagReply(f);
      expect(r.text).toContain('In an emergency call 999');
      expect(r.text).toContain('18000');
      expect(hrefs(f)).toContain('tel:999');
      expect(hrefs(f)).toContain('tel:18000');
    }
  });

  it('gives each route its own numbers', () => {
    const want: Record<RedFlagRoute, string[]> = {
      emergency: ['tel:999'],
      'mental-health': ['tel:111', 'tel:116123', 'sms:85258?body=SHOUT', 'tel:08001111'],
      'baby-fever': ['tel:111', 'https://111.nhs.uk'],
      'urgent-care': ['tel:111', 'https://111.nhs.uk'],
    };
    for (const f of routes) for (const h of want[f.route]) expect(hrefs(f), `${f.route} ${h}`).toContain(h);
    const mh = redFlagReply({ route: 'mental-health', rule: 'mental-health-crisis' }).text;
    for (const s of ['option 2', '116 123', 'SHOUT', '85258', '0800 1111']) expect(mh).toContain(s);
    expect(redFlagReply({ route: 'emergency', rule: 'anaphylaxis' }).text).toMatch(/adrenaline auto-injector/);
    const baby = redFlagReply({ route: 'baby-fever', rule: 'baby-fever' }).text;
    expect(baby).toMatch(/GP practice now/);
    expect(baby).toMatch(/111/);
    expect(baby).toMatch(/Call 999 if your baby has any emergency sign/);
    expect(redFlagReply({ route: 'urgent-care', rule: 'urgent-or-closed' }).text).toContain('111.nhs.uk');
  });

  it('says the chat is automated and not a clinician', () => {
    for (const f of routes) expect(redFlagReply(f).text).toMatch(/automated.*not a doctor or nurse/);
  });
});
