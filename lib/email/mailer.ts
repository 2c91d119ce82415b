// The email capability. Core code is handed a Mailer; which one (the local outbox folder, or
// Resend in production) is chosen at start-up. Runtime-neutral: no Node imports here.

export interface EmailMessage {
  /** One recipient address, without a display name. */
  to: string;
  subject: string;
  /** The plain-text part. */
  text: string;
  /** The HTML part: a complete, accessible document (`<html lang="en">`, a `<title>`). */
  html: string;
  /**
   * Names this message so a retry of the same work (a redelivered hook, a rerun job) sends it
   * once: Resend keeps the key for 24 hours; the outbox keeps one file per key. At most 256
   * printable ASCII characters.
   */
  idempotencyKey?: string;
}

/** Letters, digits and `-_.:/`: what every provider accepts in a header and a file name can hold. */
export const isIdempotencyKey = (key: string): boolean => /^[A-Za-z0-9_.:/-]{1,256}$/.test(key);

export interface Mailer {
  send(message: EmailMessage): Promise<{ id: string }>;
}

export class EmailAddressError extends Error {}

/** A deliberately plain check: one `@`, no spaces, angle brackets or line breaks, a dotted domain. */
export function isEmailAddress(value: string): boolean {
  return value.length <= 254 && /^[^\s@<>(),;:"\\]+@[^\s@<>(),;:"\\]+\.[^\s@<>(),;:"\\]+$/.test(value);
}
