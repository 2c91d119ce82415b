// Standard Webhooks (standardwebhooks.com), as Supabase Auth signs its hooks: an HMAC-SHA256 of
// `${webhook-id}.${webhook-timestamp}.${raw body}` keyed with the base64 secret after `whsec_`,
// sent as `webhook-signature: v1,<base64>` (several, space-separated, while a secret is rotated).
// Verified on the raw bytes, before anything is parsed. Runtime-neutral: Web Crypto only.

/** Five minutes either way, as the specification and the reference libraries use. */
export const toleranceSeconds = 5 * 60;

export type WebhookFailure = 'missing-headers' | 'bad-timestamp' | 'too-old' | 'too-new' | 'bad-signature';

/** Why a request was refused. The message names the reason only, never a header value. */
export class WebhookVerificationError extends Error {
  readonly reason: WebhookFailure;
  constructor(reason: WebhookFailure, message: string) {
    super(message);
    this.name = 'WebhookVerificationError';
    this.reason = reason;
  }
}

export interface WebhookHeaders {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

/**
 * A signing key from the secret as Supabase shows it (`v1,whsec_<base64>`), or as other senders
 * do (`whsec_<base64>`). A malformed secret is a configuration mistake: it throws at start-up.
 */
export async function importWebhookSecret(secret: string): Promise<CryptoKey> {
  const encoded = secret.trim().replace(/^v1,/, '').replace(/^whsec_/, '');
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0));
  } catch {
    throw new Error('The webhook secret is not base64 after "whsec_"');
  }
  if (bytes.length === 0) throw new Error('The webhook secret is empty');
  return crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

/** The `webhook-signature` value for a message: `v1,<base64>`. */
export async function signWebhook(key: CryptoKey, id: string, timestamp: number, body: Uint8Array | string): Promise<string> {
  const prefix = new TextEncoder().encode(`${id}.${timestamp}.`);
  const payload = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const signed = new Uint8Array(prefix.length + payload.length);
  signed.set(prefix);
  signed.set(payload, prefix.length);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, signed));
  let binary = '';
  for (const b of mac) binary += String.fromCharCode(b);
  return `v1,${btoa(binary)}`;
}

/** Throws `WebhookVerificationError` unless one of the signatures is right and the timestamp is current. */
export async function verifyWebhook(
  key: CryptoKey,
  headers: WebhookHeaders,
  body: Uint8Array,
  now: Date = new Date(),
): Promise<void> {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature) throw new WebhookVerificationError('missing-headers', 'the webhook-id, webhook-timestamp and webhook-signature headers are required');
  // Digits only: the signed text is the header exactly as sent, so no lenient parsing.
  if (!/^[0-9]{1,12}$/.test(timestamp)) throw new WebhookVerificationError('bad-timestamp', 'the webhook-timestamp header is not a number of seconds');
  const age = Math.floor(now.getTime() / 1000) - Number(timestamp);
  if (age > toleranceSeconds) throw new WebhookVerificationError('too-old', 'the webhook timestamp is too old');
  if (age < -toleranceSeconds) throw new WebhookVerificationError('too-new', 'the webhook timestamp is in the future');
  const expected = await signWebhook(key, id, Number(timestamp), body);
  // Every candidate is compared, each in constant time, so timing says nothing about which matched.
  let matched = false;
  for (const candidate of signature.split(' ')) if (constantTimeEqual(candidate, expected)) matched = true;
  if (!matched) throw new WebhookVerificationError('bad-signature', 'no webhook signature matches');
}

/** Compares two ASCII strings without stopping at the first difference. */
function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= (a.charCodeAt(i) || 0) ^ b.charCodeAt(i);
  return diff === 0;
}
