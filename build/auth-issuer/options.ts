// The issuer's options and the checks that keep it a development tool: loopback only, never in
// production, and redirects and CORS limited to local origins.
import type { Mailer } from '../../lib/email/mailer.ts';
import type { SecurityEvent } from './security-events.ts';

export interface AuthIssuerAppOptions {
  /** Where the issuer is reached, e.g. `http://127.0.0.1:54321` (no path). The JWT `iss` is this + `/auth/v1`. */
  publicUrl: string;
  /** Signing key, users and sessions are kept in `<dataDir>/auth/`; without it they live in memory. */
  dataDir?: string;
  /** The outbox folder for sign-in emails (one `.eml` per message). Give this or `mailer`. */
  outboxDir?: string;
  /** Another Mailer instead of the outbox (tests). */
  mailer?: Mailer;
  /**
   * Origins that may call the JSON endpoints from a browser (CORS) and receive the sign-in
   * redirect: exact origins (`http://portal.localhost:8787`) or one wildcard label on the left
   * (`http://*.localhost:8787`). By default: localhost, *.localhost, 127.0.0.1 and [::1] on the
   * issuer's own port.
   */
  allowedOrigins?: readonly string[];
  /** Where a sign-in goes when `redirect_to` is missing or not allowed (GoTrue's SITE_URL). */
  siteUrl?: string;
  /** When set, API requests must carry it in the `apikey` header, as Supabase's gateway requires. */
  anonKey?: string;
  /**
   * Turns on the admin API (`/auth/v1/admin/...`): calls must carry it as the Bearer token, as
   * Supabase's admin API wants the service role key. Without it every admin call is refused.
   */
  serviceRoleKey?: string;
  /**
   * Told of sign-ins, failed sign-ins, MFA enrolment, verification and failure, factor deletion,
   * ended sessions and refused refreshes, for the security log. Never given a code, token,
   * secret or link. A handler that throws is logged and does not fail the request.
   */
  onSecurityEvent?: (e: SecurityEvent) => void;
  /** The clock, in milliseconds since the epoch (tests move it). */
  now?: () => number;
  /** Least time between two codes to one address (60 s, as Supabase's default; tests that sign one person in twice lower it). */
  resendIntervalMs?: number;
  /** The environment checked for production mode; `process.env` by default. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Where the issuer's few log lines go; `console.log` by default. Never given codes, links or tokens. */
  log?: (line: string) => void;
  /** The product named in emails and pages. */
  productName?: string;
  /**
   * Send sign-in emails through a Send Email hook, as Supabase Auth does in production, instead
   * of writing them: each request is POSTed to `url` in Supabase's payload shape, signed with
   * Standard Webhooks using `secret` (`v1,whsec_<base64>`). A failed call fails the request.
   */
  sendEmailHook?: SendEmailHookOptions;
}

export interface SendEmailHookOptions {
  /** The hook's address, e.g. `http://portal.localhost:8787/api/hooks/auth-email`. */
  url: string;
  /** The hook secret, as Supabase shows it: `v1,whsec_<base64>`. */
  secret: string;
  /**
   * How the signed request is sent; the global `fetch` by default. A server in the same process
   * can pass its own app's `fetch` to be called without a socket (the request is the same).
   */
  fetch?: (request: Request) => Response | Promise<Response>;
  /** How long to wait for the hook, in milliseconds (Supabase waits 5 seconds). */
  timeoutMs?: number;
}

export interface AuthIssuerOptions extends Omit<AuthIssuerAppOptions, 'publicUrl'> {
  /** A loopback address: 127.0.0.1, ::1 or localhost. */
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Defaults to `http://<host>:<port>`. */
  publicUrl?: string;
}

/** A setting the issuer cannot run with; the message says which and how to fix it. */
export class AuthIssuerConfigError extends Error {
  override name = 'AuthIssuerConfigError';
}

export function refuseProduction(env: Readonly<Record<string, string | undefined>>): void {
  for (const name of ['NODE_ENV', 'PD_ENV'] as const) {
    if ((env[name] ?? '').trim().toLowerCase() === 'production')
      throw new AuthIssuerConfigError(
        `The local auth issuer is for development and tests only and refuses to start in production (${name}=production). ` +
          'In production, sign-in is Supabase Auth: point the portal at your Supabase project instead of starting the local issuer.',
      );
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);

export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return LOOPBACK_HOSTS.has(h) || /^127(\.\d{1,3}){3}$/.test(h);
}

/** A browser-facing local name: loopback, or a `*.localhost` name (which browsers resolve to loopback). */
export function isLocalHostname(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return isLoopbackHost(h) || h.endsWith('.localhost');
}

export function checkListenAddress(host: string, port: number): void {
  if (!isLoopbackHost(host))
    throw new AuthIssuerConfigError(
      `The local auth issuer listens on a loopback address only (127.0.0.1, ::1 or localhost), not "${host}": it is a development tool and must not be reachable from the network.`,
    );
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new AuthIssuerConfigError(`The local auth issuer's port must be a whole number from 0 to 65535, not "${port}".`);
}

/** `http://<host>:<port>` with an IPv6 host in brackets. */
export function originFor(host: string, port: number): string {
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${h}:${port}`;
}

export function parsePublicUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AuthIssuerConfigError(`The auth issuer's public URL must be an absolute http:// address, not "${value}".`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new AuthIssuerConfigError(`The auth issuer's public URL must start with http:// or https://, not "${value}".`);
  if (!isLocalHostname(url.hostname))
    throw new AuthIssuerConfigError(`The auth issuer's public URL must be on a loopback or *.localhost host, not "${value}": the local issuer is for development only.`);
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password)
    throw new AuthIssuerConfigError(`The auth issuer's public URL must be an origin with no path, query or credentials, such as "http://127.0.0.1:54321", not "${value}".`);
  return url;
}

interface OriginPattern {
  protocol: string;
  port: string;
  /** An exact hostname, or the suffix after `*` (starting with a dot). */
  host: string;
  wildcard: boolean;
}

export type OriginMatcher = (origin: string) => boolean;

/** Compiles origin patterns; a bad one stops start-up naming it. */
export function originMatcher(patterns: readonly string[]): OriginMatcher {
  const compiled = patterns.map((p): OriginPattern => {
    let url: URL;
    try {
      url = new URL(p);
    } catch {
      throw new AuthIssuerConfigError(`An allowed origin must look like "http://portal.localhost:8787" or "http://*.localhost:8787", not "${p}".`);
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.search || url.hash || p.replace(/\/$/, '') !== `${url.protocol}//${url.host}`)
      throw new AuthIssuerConfigError(`An allowed origin must be a bare http(s) origin with no path, such as "http://portal.localhost:8787", not "${p}".`);
    const wildcard = url.hostname.startsWith('*.');
    const host = wildcard ? url.hostname.slice(1) : url.hostname;
    if (host.includes('*') || (wildcard && host.split('.').filter(Boolean).length < 1))
      throw new AuthIssuerConfigError(`An allowed origin may have one "*." at the start of its host only, not "${p}".`);
    return { protocol: url.protocol, port: url.port, host: host.toLowerCase(), wildcard };
  });
  return (origin) => {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    if (`${url.protocol}//${url.host}` !== origin.toLowerCase().replace(/\/$/, '')) return false;
    const hostname = url.hostname.toLowerCase();
    return compiled.some(
      (c) =>
        c.protocol === url.protocol &&
        c.port === url.port &&
        (c.wildcard ? hostname.endsWith(c.host) && hostname.length > c.host.length : hostname === c.host),
    );
  };
}

export function defaultAllowedOrigins(publicUrl: URL): string[] {
  const port = publicUrl.port ? `:${publicUrl.port}` : '';
  return [`http://localhost${port}`, `http://*.localhost${port}`, `http://127.0.0.1${port}`, `http://[::1]${port}`];
}
