// The MFA endpoints under /auth/v1 (what supabase-js's `auth.mfa.*` calls) and the admin calls
// (what `auth.admin.mfa.*` calls, plus a global sign-out for a user id). See docs/local-auth.md.
import { timingSafeEqual } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { errors } from './errors.ts';
import { json, readJson } from './http.ts';
import type { MfaService } from './mfa.ts';
import type { AuthService } from './service.ts';
import type { UserRecord } from './store.ts';

export interface MfaRoutesOptions {
  service: AuthService;
  mfa: MfaService;
  /** Checks the `apikey` header; `also` is one more key it may carry (the service role key). */
  requireApiKey: (c: Context, also?: string) => void;
  /** Admin calls need it as the Bearer token; without it the admin API is off. */
  serviceRoleKey?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function mountMfaRoutes(app: Hono, o: MfaRoutesOptions): void {
  const { service, mfa } = o;
  const signedIn = (c: Context) => {
    o.requireApiKey(c);
    return service.authenticate(c.req.header('authorization'));
  };

  app.post('/auth/v1/factors', async (c) => {
    const { user, session } = await signedIn(c);
    return json(await mfa.enrol(user, session, await readJson(c)));
  });

  app.post('/auth/v1/factors/:id/challenge', async (c) => {
    const { user } = await signedIn(c);
    await readJson(c); // supabase-js sends its parameters; TOTP needs none, but the body must be JSON.
    return json(await mfa.challenge(user, c.req.param('id')));
  });

  app.post('/auth/v1/factors/:id/verify', async (c) => {
    const { user, session } = await signedIn(c);
    return json(await mfa.verify(user, session, c.req.param('id'), await readJson(c)));
  });

  app.delete('/auth/v1/factors/:id', async (c) => {
    const { user, session } = await signedIn(c);
    return json(await mfa.unenrol(user, session, c.req.param('id')));
  });

  // --- admin ----------------------------------------------------------------------------------

  const admin = (c: Context): UserRecord => {
    if (o.serviceRoleKey === undefined) throw errors.adminDisabled();
    o.requireApiKey(c, o.serviceRoleKey);
    const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
    if (!match) throw errors.noAuthorization();
    const given = Buffer.from(match[1]!);
    const wanted = Buffer.from(o.serviceRoleKey);
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) throw errors.notAdmin();
    const id = c.req.param('id') ?? '';
    if (!UUID.test(id)) throw errors.validation('user_id must be an UUID');
    const user = service.store.state.users[id.toLowerCase()];
    if (!user) throw errors.adminUserNotFound();
    return user;
  };

  app.get('/auth/v1/admin/users/:id/factors', (c) => json(mfa.adminList(admin(c))));

  app.delete('/auth/v1/admin/users/:id/factors/:factorId', async (c) => json(await mfa.adminDelete(admin(c), c.req.param('factorId'))));

  // Not in GoTrue's admin API (there, deleting or banning the user ends their sessions): a
  // global sign-out for a user id, so every refresh token of theirs stops working at once.
  app.post('/auth/v1/admin/users/:id/logout', async (c) => {
    await service.endAllSessions(admin(c), 'admin');
    return new Response(null, { status: 204 });
  });
}
