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
}

export interface Mailer {
  send(message: EmailMessage): Promise<{ id: string }>;
}

export class EmailAddressError extends Error {}

/** A deliberately plain check: one `@`, no spaces, angle brackets or line breaks, a dotted domain. */
export function isEmailAddress(value: string): boolean {
  return value.length <= 254 && /^[^\s@<>(),;:"\\]+@[^\s@<>(),;:"\\]+\.[^\s@<>(),;:"\\]+$/.test(value);
}
