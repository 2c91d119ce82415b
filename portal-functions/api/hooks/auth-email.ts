// POST /api/hooks/auth-email on the portal: Supabase Auth's Send Email hook (lib/webhooks/auth-email-app.ts)
// on Pages Functions, sending through Resend. The hook and its imported secret live as long as the
// isolate does. The route carries no user token: the signature is its authentication.
import type { Hono } from 'hono';
import { resendMailer } from '../../../lib/email/resend.ts';
import { authEmailHook } from '../../../lib/webhooks/auth-email-app.ts';
import { apiHeaders } from '../../../lib/webhooks/api-headers.ts';

interface Env {
  /** The hook secret Supabase generates: `v1,whsec_<base64>`. */
  SEND_EMAIL_HOOK_SECRET?: string;
  /** A Resend API key with sending access only. */
  RESEND_API_KEY?: string;
  /** The From header, on a domain verified in Resend. */
  EMAIL_FROM?: string;
  /** Optional; Resend's API by default. */
  RESEND_API_URL?: string;
  /** The portal's public address; the email's link goes to its confirm page. */
  PORTAL_URL?: string;
}

interface PagesContext {
  request: Request;
  env: Env;
}

let app: Hono | undefined;

function appFor(env: Env): Hono | undefined {
  const { SEND_EMAIL_HOOK_SECRET: secret, RESEND_API_KEY: apiKey, EMAIL_FROM: from, PORTAL_URL: portalUrl } = env;
  if (!secret || !apiKey || !from || !portalUrl) return undefined;
  app ??= authEmailHook({
    secret,
    mailer: resendMailer({ apiKey, from, baseUrl: env.RESEND_API_URL || undefined }),
    portalUrl,
  });
  return app;
}

// The shape Supabase Auth reads from a failed hook. Names no setting and no value.
const notConfigured = () =>
  new Response(JSON.stringify({ error: { http_code: 500, message: 'The sign-in email service is not configured.' } }), {
    status: 500,
    headers: { ...apiHeaders, 'Content-Type': 'application/json' },
  });

export const onRequestPost = (context: PagesContext): Response | Promise<Response> => {
  let hook: Hono | undefined;
  try {
    hook = appFor(context.env);
  } catch {
    // e.g. a malformed PORTAL_URL: the error's message could quote it, so it is not passed on.
  }
  if (!hook) {
    console.error('auth email hook: a setting is missing or invalid');
    return notConfigured();
  }
  return hook.fetch(context.request);
};
