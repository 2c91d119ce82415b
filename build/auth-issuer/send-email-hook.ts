// Sending sign-in emails through a Send Email hook, as Supabase Auth does in production: the
// issuer POSTs Supabase's payload, signed with Standard Webhooks, and the hook sends the email
// (in this project, lib/webhooks/auth-email-app.ts). A failed call fails the sign-in request, as
// it does on Supabase. The code and token hash go into the request body and nowhere else.
import { randomUUID } from 'node:crypto';
import { importWebhookSecret, signWebhook } from '../../lib/webhooks/standard-webhooks.ts';
import { ApiError, errors } from './errors.ts';
import { AuthIssuerConfigError, type SendEmailHookOptions } from './options.ts';
import type { UserJson } from './service.ts';

/** Supabase waits 5 seconds for an HTTP hook. */
export const HOOK_TIMEOUT_MS = 5_000;

export interface SignInEmailRequest {
  user: UserJson;
  code: string;
  /** What the hook puts in its link; the issuer's `verifyOtp({ token_hash, type: 'email' })` accepts it. */
  tokenHash: string;
  redirectTo: string;
  siteUrl: string;
  /** `signup` for an address not yet confirmed, `magiclink` otherwise, as Supabase sends them. */
  action: 'magiclink' | 'signup';
}

export type EmailHookSender = (request: SignInEmailRequest) => Promise<void>;

/** The payload Supabase Auth posts to its Send Email hook. */
export function hookPayload(r: SignInEmailRequest): unknown {
  return {
    user: r.user,
    email_data: {
      token: r.code,
      token_hash: r.tokenHash,
      redirect_to: r.redirectTo,
      email_action_type: r.action,
      site_url: r.siteUrl,
      token_new: '',
      token_hash_new: '',
    },
  };
}

export async function emailHookSender(o: SendEmailHookOptions, log: (line: string) => void): Promise<EmailHookSender> {
  let url: URL;
  try {
    url = new URL(o.url);
  } catch {
    throw new AuthIssuerConfigError(`The Send Email hook's URL must be an absolute http:// or https:// address, not "${o.url}".`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new AuthIssuerConfigError(`The Send Email hook's URL must start with http:// or https://, not "${o.url}".`);
  let key: CryptoKey;
  try {
    key = await importWebhookSecret(o.secret);
  } catch (e) {
    throw new AuthIssuerConfigError(`The Send Email hook's secret must look like "v1,whsec_<base64>": ${(e as Error).message}.`);
  }
  const send = o.fetch ?? ((request: Request) => fetch(request));
  const timeoutMs = o.timeoutMs ?? HOOK_TIMEOUT_MS;

  return async (r) => {
    const body = JSON.stringify(hookPayload(r));
    const id = `msg_${randomUUID()}`;
    // The transport's own clock, not the issuer's (tests move that): the hook checks it is current.
    const timestamp = Math.floor(Date.now() / 1000);
    const request = new Request(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': await signWebhook(key, id, timestamp, body),
      },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    let response: Response;
    try {
      response = await send(request);
    } catch (e) {
      log(`auth issuer: the Send Email hook could not be reached (${(e as Error).name})`);
      throw errors.emailSendFailed();
    }
    if (response.ok) {
      await response.body?.cancel();
      return;
    }
    // Supabase passes on the hook's own message and status when it answers in its error shape.
    const answer = (await response.json().catch(() => undefined)) as { error?: { http_code?: unknown; message?: unknown } } | undefined;
    log(`auth issuer: the Send Email hook answered ${response.status}`);
    const message = answer?.error?.message;
    const status = answer?.error?.http_code;
    if (typeof message === 'string' && message)
      throw new ApiError(typeof status === 'number' && status >= 400 && status <= 599 ? status : 500, 'unexpected_failure', message);
    throw errors.emailSendFailed();
  };
}
