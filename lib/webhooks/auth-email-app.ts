// Supabase Auth's Send Email hook: Supabase posts each sign-in request here, signed with Standard
// Webhooks, and we send the email ourselves so the link can point at a page that waits for a
// button press (see lib/email/sign-in-email.ts). Runtime-neutral Hono sub-app; the portal mounts it.
// Tokens are secrets: they go into the email and nowhere else (no log line, no error message).
import { Hono, type Context } from 'hono';
import { withApiHeaders } from './api-headers.ts';
import { bodyLimit } from 'hono/body-limit';
import { isEmailAddress, isIdempotencyKey, type Mailer } from '../email/mailer.ts';
import { confirmLink, signInEmail } from '../email/sign-in-email.ts';
import { importWebhookSecret, verifyWebhook, WebhookVerificationError } from './standard-webhooks.ts';

export interface AuthEmailHookDeps {
  /** `SEND_EMAIL_HOOK_SECRET`, as Supabase shows it: `v1,whsec_<base64>`. */
  secret: string;
  mailer: Mailer;
  /** The portal's public address; the email's link goes to its confirm page. */
  portalUrl: string;
  now?: () => Date;
}

export const hookPath = '/api/hooks/auth-email';

/** A real payload is about 2 KB; anything far larger is not from Supabase. */
export const hookBodyLimit = 64 * 1024;

// Passwordless sign-in only: an existing person gets `magiclink`, a first sign-in `signup`. The
// portal has no passwords and no email changes, so other kinds are refused rather than mis-sent.
const signInActions = new Set(['magiclink', 'signup']);

type Status = 400 | 401 | 413 | 415 | 422 | 500;

// The shape Supabase Auth reads from a failed hook; `message` may reach the person signing in.
const hookError = (c: Context, status: Status, message: string) =>
  c.json({ error: { http_code: status, message } }, status, { 'Cache-Control': 'no-store' });

export function authEmailHook(deps: AuthEmailHookDeps): Hono {
  const app = new Hono();
  app.use('*', withApiHeaders);
  const now = deps.now ?? (() => new Date());
  const portalOrigin = new URL(deps.portalUrl).origin;
  // Imported once; a malformed secret fails the first request loudly rather than every one quietly.
  const key = importWebhookSecret(deps.secret);
  key.catch(() => {});

  app.onError((e, c) => {
    console.error(`auth email hook error: ${e.name}`);
    return hookError(c, 500, 'The sign-in email could not be sent. Please try again.');
  });

  app.post(
    hookPath,
    bodyLimit({ maxSize: hookBodyLimit, onError: (c) => hookError(c, 413, 'The request body is too large.') }),
    async (c) => {
      const body = new Uint8Array(await c.req.arrayBuffer());
      try {
        await verifyWebhook(
          await key,
          { id: c.req.header('webhook-id'), timestamp: c.req.header('webhook-timestamp'), signature: c.req.header('webhook-signature') },
          body,
          now(),
        );
      } catch (e) {
        if (!(e instanceof WebhookVerificationError)) throw e;
        console.warn(`auth email hook refused: ${e.reason}`);
        return hookError(c, 401, 'The hook signature is not valid.');
      }

      const payload = parsePayload(body);
      if (typeof payload === 'string') return hookError(c, 400, payload);
      if (!signInActions.has(payload.action)) return hookError(c, 422, `This service does not send "${payload.action}" emails.`);

      const link = confirmLink(deps.portalUrl, payload.tokenHash, portalPath(payload.redirectTo, portalOrigin));
      // Supabase retries a hook that fails or times out with the same webhook-id (signed, so
      // ours to trust): keyed by it, a retry after a send that did land sends nothing new.
      const webhookId = c.req.header('webhook-id') ?? '';
      const idempotencyKey = isIdempotencyKey(`auth-email/${webhookId}`) ? `auth-email/${webhookId}` : undefined;
      await deps.mailer.send({ ...signInEmail({ to: payload.to, code: payload.token, link }), ...(idempotencyKey ? { idempotencyKey } : {}) });
      return c.json({}, 200, { 'Cache-Control': 'no-store' });
    },
  );

  return app;
}

interface SignInRequest {
  to: string;
  token: string;
  tokenHash: string;
  action: string;
  redirectTo: string | undefined;
}

/** The fields we use, checked; the answer on failure names the field, never its value. */
function parsePayload(body: Uint8Array): SignInRequest | string {
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return 'The request body is not JSON.';
  }
  const user = field(data, 'user');
  const emailData = field(data, 'email_data');
  const to = field(user, 'email');
  const token = field(emailData, 'token');
  const tokenHash = field(emailData, 'token_hash');
  const action = field(emailData, 'email_action_type');
  const redirectTo = field(emailData, 'redirect_to');
  if (typeof to !== 'string' || !isEmailAddress(to)) return 'user.email is missing or not an email address.';
  if (typeof action !== 'string' || !/^[a-z_]{1,40}$/.test(action)) return 'email_data.email_action_type is missing.';
  if (typeof token !== 'string' || !/^[0-9]{6,10}$/.test(token)) return 'email_data.token is missing or not a code.';
  if (typeof tokenHash !== 'string' || !/^[A-Za-z0-9_-]{1,200}$/.test(tokenHash)) return 'email_data.token_hash is missing or malformed.';
  return { to, token, tokenHash, action, redirectTo: typeof redirectTo === 'string' ? redirectTo : undefined };
}

function field(value: unknown, name: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[name] : undefined;
}

/** Where to go after signing in: the path of `redirect_to` when it is on the portal, else nowhere. */
function portalPath(redirectTo: string | undefined, portalOrigin: string): string | undefined {
  if (!redirectTo) return undefined;
  try {
    const url = new URL(redirectTo);
    return url.origin === portalOrigin ? `${url.pathname}${url.search}` : undefined;
  } catch {
    return undefined;
  }
}
