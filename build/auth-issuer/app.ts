// The HTTP face of the local auth issuer: enough of Supabase Auth's (GoTrue's) API under
// `/auth/v1` for `@supabase/supabase-js` to sign in against it unchanged.
import path from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Mailer } from '../../lib/email/mailer.ts';
import { outboxMailer } from '../../lib/email/outbox-node.ts';
import { API_VERSION_HEADER, ApiError, OAuthError, errorBody, errors, requestedApiVersion } from './errors.ts';
import { json, readJson, isPlainObject } from './http.ts';
import { loadOrCreateSigningKey } from './keys.ts';
import { MfaService } from './mfa.ts';
import { mountMfaRoutes } from './mfa-routes.ts';
import {
  AuthIssuerConfigError,
  defaultAllowedOrigins,
  isLocalHostname,
  originMatcher,
  parsePublicUrl,
  refuseProduction,
  type AuthIssuerAppOptions,
} from './options.ts';
import { BASE_CSP, confirmPage, deadLinkPage, indexPage, messagePage, pageCsp } from './pages.ts';
import { AuthService, type LogoutScope, type SessionJson } from './service.ts';
import { securityEventSink } from './security-events.ts';
import { emailHookSender } from './send-email-hook.ts';
import { signInEmail } from '../../lib/email/sign-in-email.ts';
import { AuthStore, type PkceChallenge } from './store.ts';

export interface AuthIssuerInstance {
  app: Hono;
  /** `<public url>/auth/v1`: the JWT `iss`. */
  issuer: string;
  jwksUrl: string;
  service: AuthService;
  /** Waits for the state file's last write. */
  flush(): Promise<void>;
}

/** Headers a browser client may send cross-origin (supabase-js's, plus trace context). */
const CORS_ALLOW_HEADERS = 'authorization, apikey, content-type, x-client-info, x-supabase-api-version, x-retry-count, traceparent, tracestate, baggage';
const BODY_LIMIT = 64 * 1024;
const VERIFY_TYPES = new Set(['email', 'magiclink', 'signup']);
const LINK_TYPES = new Set(['magiclink', 'signup']);

export async function authIssuerApp(o: AuthIssuerAppOptions): Promise<Hono> {
  return (await createAuthIssuer(o)).app;
}

export async function createAuthIssuer(o: AuthIssuerAppOptions): Promise<AuthIssuerInstance> {
  refuseProduction(o.env ?? process.env);
  const publicUrl = parsePublicUrl(o.publicUrl);
  const ownOrigin = publicUrl.origin;
  const issuer = `${ownOrigin}/auth/v1`;
  const jwksUrl = `${issuer}/.well-known/jwks.json`;
  const mailer: Mailer | undefined = o.mailer ?? (o.outboxDir ? outboxMailer(o.outboxDir) : undefined);
  if (!mailer && !o.sendEmailHook)
    throw new AuthIssuerConfigError('The local auth issuer needs an outbox folder (outboxDir) to write its sign-in emails to, or a Send Email hook (sendEmailHook).');
  if (o.serviceRoleKey !== undefined && (o.serviceRoleKey.length < 16 || o.serviceRoleKey === o.anonKey))
    throw new AuthIssuerConfigError("The auth issuer's service role key must be at least 16 characters and differ from the anon key: it unlocks the admin API.");
  const now = o.now ?? Date.now;
  const log = o.log ?? ((line: string) => console.log(line));
  // With a Send Email hook, the hook sends every sign-in email, as on Supabase.
  const hook = o.sendEmailHook ? await emailHookSender(o.sendEmailHook, log) : undefined;
  const productName = o.productName ?? 'Practice Digital';
  const originAllowed = originMatcher(o.allowedOrigins ?? defaultAllowedOrigins(publicUrl));
  const redirectAllowed = (value: string): boolean => {
    try {
      const u = new URL(value);
      return (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password && (u.origin === ownOrigin || originAllowed(u.origin));
    } catch {
      return false;
    }
  };
  const siteUrl = o.siteUrl ?? `${ownOrigin}/`;
  if (!redirectAllowed(siteUrl))
    throw new AuthIssuerConfigError(`The auth issuer's site URL must be on the issuer's own origin or an allowed origin, not "${siteUrl}".`);
  /** GoTrue's rule: a redirect that is missing or not allowed goes to the site URL instead. */
  const safeRedirect = (value: string | undefined): string => (value && redirectAllowed(value) ? value : siteUrl);

  const authDir = o.dataDir ? path.join(o.dataDir, 'auth') : undefined;
  const store = await AuthStore.open(authDir);
  const key = await loadOrCreateSigningKey(authDir, now);
  const service = new AuthService({ store, key, issuer, now, events: securityEventSink(o.onSecurityEvent, now, log), ...(o.resendIntervalMs !== undefined ? { resendIntervalMs: o.resendIntervalMs } : {}) });
  const mfa = new MfaService(service, productName);
  const verifyPath = `${new URL(issuer).pathname}/verify`;

  const requireApiKey = (c: Context, also?: string) => {
    if (o.anonKey === undefined) return;
    const given = Buffer.from(c.req.header('apikey') ?? c.req.query('apikey') ?? '');
    const matches = (key: string) => {
      const wanted = Buffer.from(key);
      return given.length === wanted.length && timingSafeEqual(given, wanted);
    };
    if (!matches(o.anonKey) && !(also !== undefined && matches(also))) throw new ApiError(401, 'invalid_api_key', 'Invalid API key');
  };

  const app = new Hono();

  // Outermost: the security headers on every response.
  app.use('*', async (c, next) => {
    await next();
    const h = c.res.headers;
    if (!h.has('Content-Security-Policy')) h.set('Content-Security-Policy', BASE_CSP);
    h.set('X-Content-Type-Options', 'nosniff');
    h.set('Referrer-Policy', 'no-referrer');
    h.set('X-Frame-Options', 'DENY');
    h.set('Cross-Origin-Opener-Policy', 'same-origin');
    h.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()');
    if (!h.has('Cache-Control')) h.set('Cache-Control', 'no-store');
    const version = requestedApiVersion(c.req.header(API_VERSION_HEADER));
    if (version) h.set(API_VERSION_HEADER, version);
  });

  // Answer only requests addressed to a local name: a guard against DNS rebinding.
  app.use('*', async (c, next) => {
    const hostHeader = c.req.header('host');
    if (hostHeader !== undefined && !hostIsLocal(hostHeader, publicUrl.hostname))
      return text('This local sign-in service only answers requests addressed to a loopback or .localhost name.\n', 421);
    await next();
  });

  // CORS for the JSON endpoints: allowed origins only, echoed back, never `*`.
  app.use('/auth/v1/*', async (c, next) => {
    const origin = c.req.header('origin');
    const allowed = origin !== undefined && originAllowed(origin);
    if (c.req.method === 'OPTIONS' && c.req.header('access-control-request-method')) {
      if (!allowed) return text('This origin may not call the local sign-in service. Add it to the allowed origins.\n', 403, { Vary: 'Origin' });
      return new Response(null, {
        status: 204,
        headers: {
          'Access-Control-Allow-Origin': origin,
          'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, OPTIONS',
          'Access-Control-Allow-Headers': CORS_ALLOW_HEADERS,
          'Access-Control-Max-Age': '600',
          Vary: 'Origin',
        },
      });
    }
    await next();
    c.res.headers.append('Vary', 'Origin');
    if (allowed) {
      c.res.headers.set('Access-Control-Allow-Origin', origin);
      c.res.headers.set('Access-Control-Expose-Headers', API_VERSION_HEADER);
    }
  });

  app.use('*', bodyLimit({ maxSize: BODY_LIMIT, onError: (c) => failure(c, errors.tooLarge()) }));

  app.get('/', () => html(indexPage(productName)));

  app.get('/auth/v1/health', () =>
    json({ version: 'local', name: 'GoTrue', description: `${productName} local development auth issuer (Supabase Auth compatible subset)` }, 200, {
      'Cache-Control': 'no-cache',
    }),
  );

  app.get('/auth/v1/settings', () =>
    json({
      external: { anonymous_users: false, email: true, phone: false, apple: false, azure: false, github: false, google: false, saml: false, web3_ethereum: false, web3_solana: false },
      disable_signup: false,
      mailer_autoconfirm: false,
      phone_autoconfirm: false,
      sms_provider: '',
      saml_enabled: false,
      mfa_enabled: true,
    }),
  );

  app.get('/auth/v1/.well-known/jwks.json', () => json({ keys: [key.publicJwk] }, 200, { 'Cache-Control': 'public, max-age=600' }));

  app.post('/auth/v1/otp', async (c) => {
    requireApiKey(c);
    const body = await readJson(c);
    if (typeof body.phone === 'string' && body.phone) throw new ApiError(400, 'phone_provider_disabled', 'Phone sign-in is not available on the local auth issuer');
    const email = service.normaliseEmail(body.email);
    const redirectTo = safeRedirect(c.req.query('redirect_to'));
    const known = service.store.userByEmail(email);
    const action = known?.email_confirmed_at ? 'magiclink' : 'signup';
    const { code, linkToken } = await service.requestOtp({
      email,
      createUser: body.create_user !== false,
      metadata: isPlainObject(body.data) ? body.data : {},
      redirectTo,
      pkce: pkceChallenge(body.code_challenge, body.code_challenge_method),
    });
    if (hook) {
      try {
        // The magic-link token is the token hash: verifyOtp({ token_hash, type: 'email' }) takes it.
        await hook({ user: service.userJson(service.store.userByEmail(email)!), code, tokenHash: linkToken, redirectTo, siteUrl, action });
      } catch (e) {
        await service.cancelOtp(email);
        throw e instanceof ApiError ? e : errors.emailSendFailed();
      }
      log('auth issuer: sign-in email handed to the Send Email hook');
      return json({});
    }
    const link = `${issuer}/verify?${new URLSearchParams({ token: linkToken, type: 'magiclink', redirect_to: redirectTo })}`;
    try {
      const { id } = await mailer!.send(signInEmail({ to: email, code, link, productName }));
      log(`auth issuer: sign-in email ${id} written to the outbox`);
    } catch (e) {
      await service.cancelOtp(email);
      log(`auth issuer: a sign-in email could not be written to the outbox (${(e as Error).message})`);
      throw errors.emailSendFailed();
    }
    return json({});
  });

  app.post('/auth/v1/verify', async (c) => {
    const contentType = (c.req.header('content-type') ?? '').toLowerCase();
    if (contentType.startsWith('application/x-www-form-urlencoded') || contentType.startsWith('multipart/form-data')) return verifyForm(c);
    requireApiKey(c);
    const body = await readJson(c);
    const type = typeof body.type === 'string' ? body.type : '';
    if (!VERIFY_TYPES.has(type)) throw errors.validation(`Unsupported verification type "${type}": the local auth issuer verifies email codes and magic links only`);
    if (typeof body.token_hash === 'string' && body.token_hash) {
      const result = await service.useLink(body.token_hash, { allowPkceCode: false });
      if ('session' in result) return json(result.session);
      throw errors.otpExpired();
    }
    if (typeof body.token !== 'string' || !body.token) throw errors.validation('Verify requires a token or a token hash');
    if (typeof body.phone === 'string' && body.phone) throw errors.validation('Only an email address should be provided on verify');
    return json(await service.verifyCode(body.email, body.token));
  });

  // Opening a magic link never signs in: it shows a page whose button does (see verifyForm).
  app.get('/auth/v1/verify', (c) => {
    const token = c.req.query('token') ?? '';
    const type = c.req.query('type') ?? '';
    const redirectTo = safeRedirect(c.req.query('redirect_to'));
    if (!LINK_TYPES.has(type))
      return html(messagePage({ title: 'This link is not a sign-in link', paragraphs: ['Open the link from your most recent sign-in email, or type its code instead.'] }), 400);
    if (!service.linkIsLive(token)) return html(deadLinkPage(productName), 403);
    const target = new URL(redirectTo).origin;
    return html(confirmPage({ productName, action: verifyPath, token, type, redirectTo }), 200, {
      'Content-Security-Policy': pageCsp(target === ownOrigin ? undefined : target),
    });
  });

  /** The confirmation page's POST: signs in and redirects with the session in the fragment, as GoTrue does. */
  async function verifyForm(c: Context): Promise<Response> {
    const site = c.req.header('sec-fetch-site');
    if (site !== undefined && site !== 'same-origin' && site !== 'none')
      return html(messagePage({ title: 'Sign in from the link in your email', paragraphs: ['This form only works from the page the sign-in link opens.'] }), 403);
    const form = await c.req.parseBody();
    const field = (name: string) => (typeof form[name] === 'string' ? form[name] : '');
    const type = field('type');
    const redirectTo = safeRedirect(field('redirect_to') || undefined);
    const base = redirectTo.split('#')[0]!;
    try {
      if (!LINK_TYPES.has(type)) throw errors.validation('Unsupported verification type');
      const result = await service.useLink(field('token'), { allowPkceCode: true });
      if ('authCode' in result) {
        const u = new URL(base);
        u.searchParams.set('code', result.authCode);
        return redirect(u.href);
      }
      return redirect(`${base}#${sessionFragment(result.session, type)}`);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      const q = sortedParams({
        error: e.status === 403 ? 'access_denied' : 'invalid_request',
        error_code: e.code,
        error_description: e.message,
        sb: '',
      });
      return redirect(`${base}#${q}`);
    }
  }

  app.post('/auth/v1/token', async (c) => {
    requireApiKey(c);
    const grantType = c.req.query('grant_type') ?? '';
    const body = await readJson(c);
    if (grantType === 'refresh_token') return json(await service.refresh(body.refresh_token));
    if (grantType === 'pkce') return json(await service.exchangeAuthCode(body.auth_code, body.code_verifier));
    throw new OAuthError('unsupported_grant_type', 'The local auth issuer supports grant_type=refresh_token and grant_type=pkce only; sign in with an email code or link.');
  });

  app.get('/auth/v1/user', async (c) => {
    requireApiKey(c);
    const { user } = await service.authenticate(c.req.header('authorization'));
    return json(service.userJson(user));
  });

  app.post('/auth/v1/logout', async (c) => {
    requireApiKey(c);
    const scope = c.req.query('scope') || 'global';
    if (scope !== 'global' && scope !== 'local' && scope !== 'others') throw errors.validation(`Unsupported logout scope "${scope.slice(0, 40)}"`);
    const { user, session } = await service.authenticate(c.req.header('authorization'));
    await service.logout(user, session, scope satisfies LogoutScope);
    return new Response(null, { status: 204 });
  });

  mountMfaRoutes(app, { service, mfa, requireApiKey, ...(o.serviceRoleKey === undefined ? {} : { serviceRoleKey: o.serviceRoleKey }) });

  app.notFound((c) => (c.req.path.startsWith('/auth/v1/') ? failure(c, errors.notFound()) : text('Not found\n', 404)));

  app.onError((e, c) => {
    if (e instanceof ApiError || e instanceof OAuthError) return failure(c, e);
    // The path only: a query string may hold a token.
    log(`auth issuer: unexpected ${e.name} in ${c.req.method} ${c.req.path}: ${e.message}`);
    return failure(c, errors.unexpected());
  });

  return { app, issuer, jwksUrl, service, flush: () => store.flush() };
}

// --- helpers ---------------------------------------------------------------------------------

function hostIsLocal(hostHeader: string, publicHostname: string): boolean {
  try {
    const hostname = new URL(`http://${hostHeader}`).hostname;
    return isLocalHostname(hostname) || hostname === publicHostname;
  } catch {
    return false;
  }
}

function text(body: string, status: number, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers } });
}

function html(body: string, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': pageCsp(), 'Cross-Origin-Resource-Policy': 'same-origin', ...headers },
  });
}

function redirect(location: string): Response {
  return new Response(null, { status: 303, headers: { Location: location } });
}

function failure(c: Context, e: ApiError | OAuthError): Response {
  if (e instanceof OAuthError) return json({ error: e.error, error_description: e.message }, 400);
  return json(errorBody(e, requestedApiVersion(c.req.header(API_VERSION_HEADER))), e.status);
}

function pkceChallenge(challenge: unknown, method: unknown): PkceChallenge | null {
  if (typeof challenge !== 'string' || !challenge) return null;
  const m = typeof method === 'string' ? method.toLowerCase() : '';
  if (m !== 's256' && m !== 'plain') throw errors.validation('Code challenge method must be "s256" or "plain"');
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(challenge)) throw errors.validation('Code challenge has invalid format');
  return { challenge, method: m };
}

/** Keys sorted, as Go's url.Values.Encode writes them. */
function sortedParams(values: Record<string, string>): string {
  return new URLSearchParams(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : 1))).toString();
}

function sessionFragment(s: SessionJson, type: string): string {
  return sortedParams({
    access_token: s.access_token,
    expires_at: String(s.expires_at),
    expires_in: String(s.expires_in),
    refresh_token: s.refresh_token,
    sb: '',
    token_type: s.token_type,
    type,
  });
}
