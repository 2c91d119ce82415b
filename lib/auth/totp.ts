// Time-based one-time passwords (RFC 6238) as Supabase Auth uses them for MFA: HMAC-SHA1, six
// digits, a 30-second step, base32 secrets, and one step of clock drift either way.
//
// Runtime-neutral: Web Crypto only, so the same code runs in Node and in Cloudflare Workers.

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps accepted either side of the current one, for a phone whose clock is a little out. */
export const TOTP_DRIFT_STEPS = 1;
/** 20 random bytes (160 bits), as RFC 4226 recommends for HMAC-SHA1 and as GoTrue generates. */
export const TOTP_SECRET_BYTES = 20;

export type TotpResult = { ok: true; step: number } | { ok: false; reason: 'wrong' | 'reused' };

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export class TotpSecretError extends Error {
  override name = 'TotpSecretError';
}

/** RFC 4648 base32, upper case, without padding (what authenticator apps expect in a URI). */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

/** Decodes base32, ignoring case, spaces and padding (people copy secrets in groups). */
export function base32Decode(text: string): Uint8Array<ArrayBuffer> {
  const clean = text.replace(/[\s=-]/g, '').toUpperCase();
  if (!clean) throw new TotpSecretError('A TOTP secret must not be empty.');
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const [i, ch] of [...clean].entries()) {
    const value = BASE32.indexOf(ch);
    if (value < 0) throw new TotpSecretError(`A TOTP secret must be base32 (A–Z and 2–7); character ${i + 1} is "${ch}".`);
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      out.push((buffer >>> (bits - 8)) & 255);
      bits -= 8;
    }
    buffer &= (1 << bits) - 1;
  }
  return new Uint8Array(out);
}

/** A new random secret, base32 (32 characters). */
export function generateTotpSecret(): string {
  return base32Encode(crypto.getRandomValues(new Uint8Array(TOTP_SECRET_BYTES)));
}

/**
 * The `otpauth://` URI an authenticator app reads from a QR code, in the form GoTrue produces:
 * `otpauth://totp/<issuer>:<account>?algorithm=SHA1&digits=6&issuer=<issuer>&period=30&secret=<secret>`.
 */
export function totpUri(o: { secret: string; accountName: string; issuer: string }): string {
  if (o.issuer.includes(':')) throw new TotpSecretError(`A TOTP issuer must not contain ":", which separates it from the account name: "${o.issuer}".`);
  base32Decode(o.secret);
  const label = `${encodeURIComponent(o.issuer)}:${encodeURIComponent(o.accountName)}`;
  const query = new URLSearchParams({ algorithm: 'SHA1', digits: String(TOTP_DIGITS), issuer: o.issuer, period: String(TOTP_PERIOD_SECONDS), secret: o.secret });
  return `otpauth://totp/${label}?${query.toString().replace(/\+/g, '%20')}`;
}

/** The time step a moment falls in. */
export function totpStep(now: Date | number): number {
  const ms = typeof now === 'number' ? now : now.getTime();
  return Math.floor(ms / 1000 / TOTP_PERIOD_SECONDS);
}

async function hmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', base32Decode(secret) , { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
}

async function codeAt(key: CryptoKey, step: number): Promise<string> {
  const counter = new Uint8Array(8);
  new DataView(counter.buffer).setBigUint64(0, BigInt(step));
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, counter));
  // RFC 4226 dynamic truncation.
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(binary % 10 ** TOTP_DIGITS).padStart(TOTP_DIGITS, '0');
}

/** The code for a moment (or, with `{ step }`, for a given time step). */
export async function generateTotp(secret: string, at: Date | number | { step: number }): Promise<string> {
  const step = typeof at === 'object' && 'step' in at ? at.step : totpStep(at);
  return codeAt(await hmacKey(secret), step);
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Checks a typed code against the current step and one step either side. Every candidate is
 * computed and compared, in constant time, whatever matches, so the answer's timing says nothing
 * about which step (if any) the code belonged to. A code whose step is at or before
 * `lastUsedStep` is refused as `reused`: a code must not work twice, nor an older one after a
 * newer one has been used.
 */
export async function verifyTotp(secret: string, code: string, now: Date | number, lastUsedStep?: number): Promise<TotpResult> {
  const key = await hmacKey(secret);
  const current = totpStep(now);
  const wellFormed = typeof code === 'string' && new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(code);
  const candidate = wellFormed ? code : '0'.repeat(TOTP_DIGITS);
  const matched: number[] = [];
  for (let step = current - TOTP_DRIFT_STEPS; step <= current + TOTP_DRIFT_STEPS; step++)
    if (constantTimeEqual(await codeAt(key, step), candidate)) matched.push(step);
  if (!wellFormed || matched.length === 0) return { ok: false, reason: 'wrong' };
  // Two steps can share a code (one chance in a million): the earliest one not yet used counts.
  const fresh = matched.find((step) => lastUsedStep === undefined || step > lastUsedStep);
  return fresh === undefined ? { ok: false, reason: 'reused' } : { ok: true, step: fresh };
}
