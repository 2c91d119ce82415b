// The production Mailer: Resend's HTTP API (POST /emails). Runtime-neutral: fetch only, so it
// runs in Pages Functions as well as Node. Errors name the HTTP status and Resend's error name,
// never the API key or anything from the message (which may hold a sign-in code).
import { EmailAddressError, isEmailAddress, isIdempotencyKey, type EmailMessage, type Mailer } from './mailer.ts';

export interface ResendOptions {
  /** `RESEND_API_KEY`. */
  apiKey: string;
  /** The From header, e.g. `Practice Digital <no-reply@example.org>`, on a domain verified in Resend. */
  from: string;
  /** For tests; default `https://api.resend.com`. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Give up after this long, so a slow provider cannot hold a hook past Supabase's own timeout. */
  timeoutMs?: number;
}

export class ResendError extends Error {
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.name = 'ResendError';
    this.status = status;
  }
}

export function resendMailer(o: ResendOptions): Mailer {
  if (!o.apiKey) throw new Error('The Resend API key is missing');
  const endpoint = `${(o.baseUrl ?? 'https://api.resend.com').replace(/\/+$/, '')}/emails`;
  const doFetch = o.fetch ?? fetch;
  return {
    async send(message: EmailMessage) {
      if (!isEmailAddress(message.to)) throw new EmailAddressError('The recipient is not an email address');
      if (/[\r\n]/.test(message.subject)) throw new EmailAddressError('The subject of an email may not contain a line break');
      if (message.idempotencyKey !== undefined && !isIdempotencyKey(message.idempotencyKey))
        throw new EmailAddressError('The idempotency key must be 1 to 256 letters, digits or - _ . : /');
      const headers: Record<string, string> = { Authorization: `Bearer ${o.apiKey}`, 'Content-Type': 'application/json' };
      if (message.idempotencyKey) headers['Idempotency-Key'] = message.idempotencyKey;
      let response: Response;
      try {
        response = await doFetch(endpoint, {
          method: 'POST',
          headers,
          body: JSON.stringify({ from: o.from, to: [message.to], subject: message.subject, html: message.html, text: message.text }),
          signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
        });
      } catch (e) {
        const why = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError') ? 'did not answer in time' : 'could not be reached';
        throw new ResendError(`Resend ${why}; the email was not sent`);
      }
      const answer = await response.json().catch(() => undefined);
      if (!response.ok) {
        // Resend's `name` is a fixed code such as `validation_error`; its free-text message is left out.
        const name = typeof answer?.name === 'string' && /^[a-z_]{1,60}$/.test(answer.name) ? ` (${answer.name})` : '';
        throw new ResendError(`Resend refused the email: HTTP ${response.status}${name}`, response.status);
      }
      if (typeof answer?.id !== 'string') throw new ResendError('Resend accepted the email but returned no id', response.status);
      return { id: answer.id };
    },
  };
}
