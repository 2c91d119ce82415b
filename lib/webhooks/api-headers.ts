// Every webhook answer is JSON, never a page: nothing may load, frame, sniff or cache it. Pages'
// `_headers` do not reach Function responses, so each webhook app sets these itself.
import type { MiddlewareHandler } from 'hono';
import { securityHeaders } from '../security/headers.ts';

export const apiHeaders: Readonly<Record<string, string>> = {
  ...securityHeaders({ csp: "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'", hstsPreload: true }),
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

export const withApiHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  for (const [k, v] of Object.entries(apiHeaders)) c.res.headers.set(k, v);
};
