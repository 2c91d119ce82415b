// TOTP against an independent implementation (the otpauth package, which authenticator-app
// tooling uses): codes must agree over many secrets and moments, drift of one step either way is
// accepted and two is not, and a used step is never accepted again.
import * as OTPAuth from 'otpauth';
import { describe, expect, it } from 'vitest';
import {
  TOTP_PERIOD_SECONDS,
  TotpSecretError,
  base32Decode,
  base32Encode,
  generateTotp,
  generateTotpSecret,
  totpStep,
  totpUri,
  verifyTotp,
} from './totp.ts';

const PERIOD_MS = TOTP_PERIOD_SECONDS * 1000;

function reference(secret: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer: 'Practice Digital', label: 'jane@example.nhs.uk', algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) });
}

/** A deterministic spread of moments: the epoch, around 2038 and 2106, and pseudo-random ones. */
function moments(count: number, seed: number): number[] {
  const out = [0, 59_000, 1_111_111_109_000, 1_234_567_890_000, 2_000_000_000_000, 2_147_483_647_000, 20_000_000_000_000];
  let x = seed;
  while (out.length < count) {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    out.push(Math.floor((x / 2 ** 31) * 4_102_444_800_000));
  }
  return out;
}

describe('base32', () => {
  it('round-trips bytes and matches RFC 4648 test vectors', () => {
    const enc = new TextEncoder();
    const vectors: [string, string][] = [['f', 'MY'], ['fo', 'MZXQ'], ['foo', 'MZXW6'], ['foob', 'MZXW6YQ'], ['fooba', 'MZXW6YTB'], ['foobar', 'MZXW6YTBOI']];
    for (const [plain, encoded] of vectors) {
      expect(base32Encode(enc.encode(plain))).toBe(encoded);
      expect(new TextDecoder().decode(base32Decode(`${encoded.toLowerCase()}==`))).toBe(plain);
    }
  });

  it('says which character is wrong in a bad secret', () => {
    expect(() => base32Decode('ABC1')).toThrow(TotpSecretError);
    expect(() => base32Decode('ABC1')).toThrow(/character 4 is "1"/);
    expect(() => base32Decode('  ')).toThrow(/must not be empty/);
  });
});

describe('generateTotpSecret', () => {
  it('makes 160-bit base32 secrets that otpauth reads, all different', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const s = generateTotpSecret();
      expect(s).toMatch(/^[A-Z2-7]{32}$/);
      expect(OTPAuth.Secret.fromBase32(s).bytes.length).toBe(20);
      seen.add(s);
    }
    expect(seen.size).toBe(200);
  });
});

describe('totpUri', () => {
  it('is the otpauth URI GoTrue writes, and otpauth parses it back', () => {
    const secret = generateTotpSecret();
    const uri = totpUri({ secret, accountName: 'jane.doe@nhs.net', issuer: 'Practice Digital' });
    expect(uri).toBe(`otpauth://totp/Practice%20Digital:jane.doe%40nhs.net?algorithm=SHA1&digits=6&issuer=Practice%20Digital&period=30&secret=${secret}`);
    const parsed = OTPAuth.URI.parse(uri) as OTPAuth.TOTP;
    expect(parsed).toBeInstanceOf(OTPAuth.TOTP);
    expect(parsed.issuer).toBe('Practice Digital');
    expect(parsed.label).toBe('jane.doe@nhs.net');
    expect(parsed.algorithm).toBe('SHA1');
    expect(parsed.digits).toBe(6);
    expect(parsed.period).toBe(30);
    expect(parsed.secret.base32).toBe(secret);
  });

  it('refuses an issuer with a colon and a secret that is not base32', () => {
    expect(() => totpUri({ secret: generateTotpSecret(), accountName: 'a@b.nhs.uk', issuer: 'A:B' })).toThrow(/must not contain ":"/);
    expect(() => totpUri({ secret: 'not base32!', accountName: 'a@b.nhs.uk', issuer: 'A' })).toThrow(TotpSecretError);
  });
});

describe('generateTotp', () => {
  it('matches RFC 6238 appendix B (SHA-1, last six digits)', async () => {
    const secret = base32Encode(new TextEncoder().encode('12345678901234567890'));
    const expected: [number, string][] = [
      [59, '287082'],
      [1_111_111_109, '081804'],
      [1_111_111_111, '050471'],
      [1_234_567_890, '005924'],
      [2_000_000_000, '279037'],
      [20_000_000_000, '353130'],
    ];
    for (const [seconds, code] of expected) expect(await generateTotp(secret, seconds * 1000)).toBe(code);
  });

  it('agrees with otpauth over 40 secrets and 25 moments each', async () => {
    let checked = 0;
    for (let i = 0; i < 40; i++) {
      const secret = generateTotpSecret();
      const ref = reference(secret);
      for (const at of moments(25, i + 1)) {
        expect(await generateTotp(secret, at), `secret ${i} at ${at}`).toBe(ref.generate({ timestamp: at }));
        checked++;
      }
    }
    expect(checked).toBe(1000);
  });
});

describe('verifyTotp', () => {
  it('accepts what otpauth generates now and one step either side, not two', async () => {
    for (let i = 0; i < 30; i++) {
      const secret = generateTotpSecret();
      const ref = reference(secret);
      const now = moments(30, 99)[i]!;
      const step = totpStep(now);
      for (const delta of [-1, 0, 1]) {
        const code = ref.generate({ timestamp: now + delta * PERIOD_MS });
        const result = await verifyTotp(secret, code, now);
        // A code may by chance also be the code of a neighbouring step; the earliest counts.
        expect(result.ok, `delta ${delta}`).toBe(true);
        if (result.ok) expect(result.step).toBeLessThanOrEqual(step + delta);
        expect(ref.validate({ token: code, timestamp: now, window: 1 })).not.toBeNull();
      }
      for (const delta of [-2, 2]) {
        const code = ref.generate({ timestamp: now + delta * PERIOD_MS });
        const near = [-1, 0, 1].map((d) => ref.generate({ timestamp: now + d * PERIOD_MS }));
        if (near.includes(code)) continue; // a one-in-a-million collision, not drift
        expect(await verifyTotp(secret, code, now), `delta ${delta}`).toEqual({ ok: false, reason: 'wrong' });
        expect(ref.validate({ token: code, timestamp: now, window: 1 })).toBeNull();
      }
    }
  });

  it('gives the step of the code it accepted', async () => {
    const secret = generateTotpSecret();
    const now = 1_767_225_600_000 + 12_345;
    const step = totpStep(now);
    const prev = await generateTotp(secret, { step: step - 1 });
    const current = await generateTotp(secret, { step });
    if (prev === current) return;
    expect(await verifyTotp(secret, current, now)).toEqual({ ok: true, step });
    expect(await verifyTotp(secret, prev, now)).toEqual({ ok: true, step: step - 1 });
  });

  it('refuses a code whose step was already used, and an older one after a newer one', async () => {
    for (let i = 0; i < 20; i++) {
      const secret = generateTotpSecret();
      const ref = reference(secret);
      const now = moments(20, 7)[i]!;
      const code = ref.generate({ timestamp: now });
      const first = await verifyTotp(secret, code, now);
      expect(first.ok).toBe(true);
      const used = first.ok ? first.step : Number.NaN;
      // The same code again, at once and later in the same window.
      expect(await verifyTotp(secret, code, now, used)).toEqual({ ok: false, reason: 'reused' });
      expect(await verifyTotp(secret, code, now + PERIOD_MS, used)).toEqual({ ok: false, reason: 'reused' });
      // The previous step's code after the current one was used.
      const older = ref.generate({ timestamp: now - PERIOD_MS });
      if (older !== code) expect(await verifyTotp(secret, older, now, used)).toEqual({ ok: false, reason: 'reused' });
      // The next step's code is still good.
      const next = ref.generate({ timestamp: now + PERIOD_MS });
      if (next !== code) expect(await verifyTotp(secret, next, now + PERIOD_MS, used)).toEqual({ ok: true, step: used + 1 });
    }
  });

  it('refuses wrong and malformed codes as wrong', async () => {
    const secret = generateTotpSecret();
    const now = Date.UTC(2026, 0, 1);
    const good = await generateTotp(secret, now);
    const wrong = String((Number(good) + 1) % 1_000_000).padStart(6, '0');
    const near = await Promise.all([-1, 0, 1].map((d) => generateTotp(secret, now + d * PERIOD_MS)));
    if (!near.includes(wrong)) expect(await verifyTotp(secret, wrong, now)).toEqual({ ok: false, reason: 'wrong' });
    for (const bad of ['', '12345', '1234567', `${good.slice(0, 3)} ${good.slice(3)}`, 'abcdef', ` ${good}`])
      expect(await verifyTotp(secret, bad, now), JSON.stringify(bad)).toEqual({ ok: false, reason: 'wrong' });
  });

  it('takes a Date as well as milliseconds', async () => {
    const secret = generateTotpSecret();
    const now = new Date(Date.UTC(2027, 5, 1, 12));
    expect(await verifyTotp(secret, await generateTotp(secret, now.getTime()), now)).toEqual({ ok: true, step: totpStep(now) });
  });
});
