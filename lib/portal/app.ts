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
import type { AuthAdmin } from '../auth/auth-admin.ts';
import { secondFactorReason } from '../members/access.ts';
import type { PortalSecurity } from './portal-security.ts';

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
  /** Revoked sessions, second-factor rules and the security log. Without it none of them apply. */
  security?: PortalSecurity;
  /** The sign-in service's admin calls (removing a member's second factor); absent: resets are not offered. */
  authAdmin?: AuthAdmin;
}

/** A media upload of up to 5 MB arrives base64-encoded inside JSON. */
export const cmsBodyLimit = 8 * 1024 * 1024;

type Env = { Variables: { identity: Identity } };

const where = (practice: string) => practice.slice(0, 100);

// JSON only: nothing here is a page, so nothing may be loaded, framed or sniffed.
const apiHeaders = {
  ...securityHeaders({ csp: "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'", hstsPreload: true }),
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

const problem = (c: Context, status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 423 | 500, error: string, message: string) =>
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
    // A session the platform ended (an incident) is refused from its next request, though its
    // token has not expired.
    if (deps.security && (await deps.security.isRevoked(c.get('identity')))) {
      await deps.security.record({ kind: 'session.refused', identity: c.get('identity'), detail: { path: c.req.path.slice(0, 200) } });
      c.header('WWW-Authenticate', `Bearer error="invalid_token"`);
      return problem(c, 401, 'session-revoked', 'your sign-in was ended by the platform for security reasons; please sign in again');
    }
    await next();
  });

  /** The 403 for a caller whose role needs a second factor and whose session has not passed one; undefined when they may go on. */
  const secondFactorRefusal = async (c: Context<Env>, practice: string): Promise<Response | undefined> => {
    if (!deps.security) return undefined;
    const identity = c.get('identity');
    if (identity.aal === 'aal2') return undefined;
    const reason = secondFactorReason(await deps.security.accessOf(identity, practice));
    if (!reason) return undefined;
    await deps.security.record({ kind: 'mfa.required', identity, practice: where(practice), detail: { path: c.req.path.slice(0, 200) } });
    return problem(
      c,
      403,
      'mfa-required',
      `you must sign in with a second step ${reason}: set up an authenticator app on the account page (/account/), then sign in again with a code from it`,
    );
  };
  app.use('/api/practices/:practice/*', async (c, next) => (await secondFactorRefusal(c, c.req.param('practice') ?? '')) ?? next());

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
    const practice = typeof (body as { practice?: unknown }).practice === 'string' ? (body as { practice: string }).practice : '';
    if (practice) {
      const refusal = await secondFactorRefusal(c, practice);
      if (refusal) return refusal;
    }
    try {
      return c.json((await deps.cms.handle(c.get('identity'), body)) ?? null);
    } catch (e) {
      // Refusals of rights (not of bad input) go to the security log: who, which practice, which action, why.
      if (e instanceof GatewayError && (e.status === 403 || e.status === 423) && deps.security) {
        const action = (body as { action?: unknown }).action;
        await deps.security.record({ kind: 'gateway.refused', identity: c.get('identity'), practice: where(practice), detail: { action: typeof action === 'string' ? action.slice(0, 60) : null, refusal: e.code, status: e.status } });
      }
      throw e;
    }
  });

  // A practice manager (or a platform admin) removes a member's second factor when they have lost
  // it; the member then signs in with an email code and sets up a new one. Logged either way.
  app.post('/api/practices/:practice/second-factor-resets', json, async (c) => {
    if (!deps.authAdmin || !deps.security) return problem(c, 404, 'not-found', 'resetting a second factor is not available here');
    const identity = c.get('identity');
    const practice = c.req.param('practice');
    const email = text(await readJson(c), 'email')!;
    const access = await deps.security.accessOf(identity, practice);
    const refuse = async (status: 403 | 404, code: string, message: string) => {
      await deps.security!.record({ kind: 'gateway.refused', identity, practice: where(practice), detail: { action: 'second-factor-reset', refusal: code } });
      return problem(c, status, code, message);
    };
    if (access.role !== 'practice_manager' && !access.platformAdmin)
      return refuse(403, 'forbidden', `only a practice manager of "${practice}" or a platform admin can reset a member's second factor`);
    const target = (await deps.members.list(identity.claims, practice)).members.find((m) => m.active && m.email.toLowerCase() === email.toLowerCase());
    if (!target) return refuse(404, 'not-found', `${email} is not an active member of "${practice}": only the practice's own members' factors can be reset here`);
    if (target.userId === identity.userId) return refuse(403, 'forbidden', 'nobody can reset their own second factor: ask another practice manager or a platform admin');
    const removed = await deps.authAdmin.deleteFactors(target.userId);
    await deps.security.record({ kind: 'mfa.reset', identity, practice: where(practice), detail: { member: target.email, factors: removed } });
    return c.json({ removed, message: `${target.email}'s second factor was removed: they sign in with an email code and set up a new one` });
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
