// The portal's API (a Hono app, runtime-neutral): who works on a practice. Every route verifies
// the caller's Supabase token, then runs its queries as that caller, so row-level security in
// the database has the last word. Served by Pages Functions in production and by the local
// server in development.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { isTokenError } from '../auth/verify-jwt.ts';
import type { Identity, Verifier } from '../auth/identity.ts';
import type { Mailer } from '../email/mailer.ts';
import { invitationEmail } from '../members/invitation-email.ts';
import { MembersError, roles, type MembersService, type Role } from '../members/members.ts';
import { securityHeaders } from '../security/headers.ts';
import { GatewayError, type CmsGateway } from '../cms/gateway.ts';
import { ExportError } from '../export/errors.ts';
import { exportDownload, type ExportSource } from '../export/download.ts';

export interface PortalDeps {
  verifier: Verifier;
  members: MembersService;
  mailer: Mailer;
  /** The portal's public address, for the link in invitation emails. */
  portalUrl: string;
  /**
   * Signed webhooks from other services (GoCardless, Supabase's Send Email hook): mounted as they
   * are, outside the Bearer sign-in check, because each verifies its own signature.
   */
  webhooks?: readonly Hono[];
  /** The CMS git gateway (`POST /api/cms`); absent where the portal runs without content. */
  cms?: CmsGateway;
  /** The content repository practice exports are read from (`GET /api/practices/:practice/export`); absent: 404. */
  exports?: ExportSource;
}

/** A media upload of up to 5 MB arrives base64-encoded inside JSON. */
export const cmsBodyLimit = 8 * 1024 * 1024;

type Env = { Variables: { identity: Identity } };

// JSON only: nothing here is a page, so nothing may be loaded, framed or sniffed.
const apiHeaders = {
  ...securityHeaders({ csp: "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'", hstsPreload: true }),
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

const problem = (c: Context, status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 500, error: string, message: string) =>
  c.json({ error, message }, status);

export function portalApp(deps: PortalDeps): Hono<Env> {
  const app = new Hono<Env>();

  app.use('*', async (c, next) => {
    await next();
    for (const [k, v] of Object.entries(apiHeaders)) c.res.headers.set(k, v);
  });

  app.onError((e, c) => {
    if (e instanceof MembersError) return problem(c, e.status, e.code, e.message);
    // Decap shows `error` to the person, so for the CMS it carries the sentence itself.
    if (e instanceof GatewayError) return c.json({ error: e.message, message: e.message, code: e.code, ...(e.details ? { details: e.details } : {}) }, e.status);
    // Errors never reveal internals; the cause goes to the server log without request content.
    console.error(`portal error: ${e.name}`);
    return problem(c, 500, 'internal', 'something went wrong on our side; please try again');
  });

  for (const hooks of deps.webhooks ?? []) app.route('/', hooks);

  app.use('/api/*', async (c, next) => {
    // Signed by their sender, not by a person: their own routes check the signature.
    if (/^\/api\/(webhooks|hooks)\//.test(c.req.path)) return next();
    const header = c.req.header('authorization') ?? '';
    const token = /^Bearer ([^\s]+)$/i.exec(header)?.[1];
    if (!token) {
      c.header('WWW-Authenticate', 'Bearer');
      return problem(c, 401, 'unauthorised', 'sign in first: send your access token as "Authorization: Bearer <token>"');
    }
    try {
      c.set('identity', await deps.verifier.verify(token));
    } catch (e) {
      if (!isTokenError(e)) throw e;
      c.header('WWW-Authenticate', `Bearer error="invalid_token"`);
      return problem(c, 401, 'unauthorised', `your sign-in is not valid (${e.reason}); please sign in again`);
    }
    await next();
  });

  const json = bodyLimit({ maxSize: 16 * 1024, onError: (c) => problem(c, 413, 'too-large', 'the request body is larger than 16 KB') });
  const readJson = async (c: Context): Promise<Record<string, unknown>> => {
    if (!/^application\/json\b/i.test(c.req.header('content-type') ?? ''))
      throw new MembersError('invalid', 'send the request body as JSON with "Content-Type: application/json"');
    const body: unknown = await c.req.json().catch(() => undefined);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new MembersError('invalid', 'the request body must be a JSON object');
    return body as Record<string, unknown>;
  };
  const text = (body: Record<string, unknown>, key: string, required = true): string | undefined => {
    const v = body[key];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || !v.trim()) throw new MembersError('invalid', `"${key}" must be a non-empty string`);
    return v.trim();
  };

  app.get('/api/practices', async (c) => c.json({ practices: await deps.members.practicesOf(c.get('identity').claims) }));

  app.post('/api/invitations/accept', json, async (c) => {
    const body = await readJson(c);
    return c.json(await deps.members.accept(c.get('identity').claims, text(body, 'token')!));
  });

  app.get('/api/practices/:practice/members', async (c) => c.json(await deps.members.list(c.get('identity').claims, c.req.param('practice'))));

  app.post('/api/practices/:practice/invitations', json, async (c) => {
    const body = await readJson(c);
    const role = text(body, 'role') as Role;
    if (!roles.includes(role)) throw new MembersError('invalid', `"role" must be one of ${roles.join(', ')}`);
    const expires = text(body, 'member_expires_at', false);
    const memberExpiresAt = expires ? new Date(expires) : undefined;
    if (memberExpiresAt && Number.isNaN(memberExpiresAt.getTime())) throw new MembersError('invalid', '"member_expires_at" must be an ISO date and time');
    const practice = c.req.param('practice');
    const { invitation, token } = await deps.members.invite(c.get('identity').claims, practice, {
      email: text(body, 'email')!,
      name: text(body, 'name', false),
      role,
      memberExpiresAt,
    });
    await deps.mailer.send(invitationEmail(practice, invitation, `${deps.portalUrl}/accept/#token=${token}`));
    // The token travels only in the email, never in the API's answer.
    return c.json({ invitation }, 201);
  });

  app.post('/api/practices/:practice/revocations', json, async (c) => {
    const body = await readJson(c);
    return c.json(await deps.members.revoke(c.get('identity').claims, c.req.param('practice'), text(body, 'email')!));
  });

  const cmsBody = bodyLimit({ maxSize: cmsBodyLimit, onError: (c) => problem(c, 413, 'too-large', `the request body is larger than ${cmsBodyLimit / 1048576} MB; upload smaller files`) });
  app.post('/api/cms', cmsBody, async (c) => {
    if (!deps.cms) return problem(c, 404, 'not-found', 'the CMS is not available here');
    if (!/^application\/json\b/i.test(c.req.header('content-type') ?? ''))
      return problem(c, 415, 'unsupported-media-type', 'send the request body as JSON with "Content-Type: application/json"');
    const body: unknown = await c.req.json().catch(() => undefined);
    if (body === undefined) return problem(c, 400, 'invalid', 'the request body is not valid JSON');
    return c.json((await deps.cms.handle(c.get('identity'), body)) ?? null);
  });

  // A practice's whole content, media and history as one JSON download (docs/export.md), read
  // from the content repository's main branch; for the practice's managers and auditors.
  app.get('/api/practices/:practice/export', async (c) => {
    if (!deps.exports) return problem(c, 404, 'not-found', 'exporting is not available here: this portal has no content repository');
    const claims = c.get('identity').claims;
    try {
      const file = await exportDownload(deps.exports, c.req.param('practice'), async (practice) => (await deps.members.memberOf(claims, practice))?.role ?? null);
      return c.body(file.json, 200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Disposition': `attachment; filename="${file.filename}"` });
    } catch (e) {
      if (e instanceof ExportError) return c.json({ error: e.code, message: e.message, ...(e.problems.length ? { problems: e.problems } : {}) }, e.status);
      throw e;
    }
  });

  app.notFound((c) => problem(c, 404, 'not-found', `there is nothing at ${new URL(c.req.url).pathname}`));
  return app;
}
