// Every other /api/* route of the portal (lib/portal/app.ts) on Pages Functions: the practices and
// members API, the CMS git gateway and second-factor resets. The signed hooks and webhooks have
// files of their own, which Pages routes first. Each request gets its own database connection
// (ended after the answer) and its own gateway; the signing keys and the content repository's
// objects stay in this isolate's memory between requests, so a request fetches only what changed.
import http from 'isomorphic-git/http/web';
import { authAdmin } from '../../lib/auth/auth-admin.ts';
import { createVerifier } from '../../lib/auth/verify-jwt.ts';
import { cmsGateway } from '../../lib/cms/gateway.ts';
import { createRemoteGitStore } from '../../lib/git-store/remote.ts';
import { createMemoryFs } from '../../lib/git-store/memory-fs.ts';
import { membersService } from '../../lib/members/members.ts';
import { portalApp } from '../../lib/portal/app.ts';
import { databaseSecurity } from '../../lib/portal/database-security.ts';
import { resendMailer } from '../../lib/email/resend.ts';
import { freezeState } from '../../lib/security/freezes.ts';
import { databaseAt } from '../../lib/db/database-at.ts';
import { databaseUrl, notConfigured, type DatabaseEnv, type FunctionContext } from '../../lib/webhooks/function-entry.ts';
import { apiHeaders } from '../../lib/webhooks/api-headers.ts';
import { siteGraph } from '../../build/compliance/site-graph.ts';

interface Env extends DatabaseEnv {
  /** The Supabase project's URL: tokens are checked against its JWKS and issuer. */
  SUPABASE_URL?: string;
  /** Optional: lets practice managers reset a member's lost second factor. */
  SUPABASE_SERVICE_ROLE_KEY?: string;
  PORTAL_URL?: string;
  RESEND_API_KEY?: string;
  EMAIL_FROM?: string;
  RESEND_API_URL?: string;
  /** The content repository over HTTPS, e.g. https://github.com/org/content.git. */
  CONTENT_REPO_URL?: string;
  /** A token with read and write access to that repository only. */
  CONTENT_REPO_TOKEN?: string;
}

// The repository's objects, kept for the isolate's life: plain data, never a socket.
const repositoryFs = createMemoryFs();

// One verifier per isolate, so the project's signing keys are fetched once and then kept for
// their cache life, not fetched again on every request. A fetch another request started may be
// awaited here; if that request is cancelled the fetch fails, this request answers 401, and the
// next one fetches again.
let verifier: { supabase: string; verifier: ReturnType<typeof createVerifier> } | undefined;
const verifierFor = (supabase: string) => {
  if (verifier?.supabase !== supabase) verifier = { supabase, verifier: createVerifier({ issuer: `${supabase}/auth/v1`, jwks: { url: `${supabase}/auth/v1/.well-known/jwks.json` } }) };
  return verifier.verifier;
};

export const onRequest = async (context: FunctionContext<Env>): Promise<Response> => {
  const e = context.env;
  const url = databaseUrl(e);
  if (!url || !e.SUPABASE_URL || !e.PORTAL_URL || !e.RESEND_API_KEY || !e.EMAIL_FROM || !e.CONTENT_REPO_URL) {
    console.error('portal api: a setting is missing');
    return notConfigured('the portal');
  }
  const db = databaseAt(url);
  try {
    const supabase = e.SUPABASE_URL.replace(/\/+$/, '');
    const members = membersService(db);
    const mailer = resendMailer({ apiKey: e.RESEND_API_KEY, from: e.EMAIL_FROM, baseUrl: e.RESEND_API_URL || undefined });
    const token = e.CONTENT_REPO_TOKEN;
    const store = createRemoteGitStore({
      url: e.CONTENT_REPO_URL,
      http,
      fs: repositoryFs,
      ...(token ? { onAuth: () => ({ username: 'x-access-token', password: token }) } : {}),
    });
    const app = portalApp({
      verifier: verifierFor(supabase),
      members,
      mailer,
      portalUrl: e.PORTAL_URL,
      security: databaseSecurity(db),
      ...(e.SUPABASE_SERVICE_ROLE_KEY ? { authAdmin: authAdmin({ url: supabase, serviceKey: e.SUPABASE_SERVICE_ROLE_KEY }) } : {}),
      cms: cmsGateway({
        store,
        memberOf: (identity, practice) => members.memberOf(identity.claims, practice),
        freezeState: (practice) => freezeState(db, practice),
        siteGraph,
        notify: { mailer, portalUrl: e.PORTAL_URL, recipients: (p, roles) => members.membersWithRole(p, roles) },
      }),
      exports: { store },
    });
    return await app.fetch(context.request);
  } catch (err) {
    console.error(`portal api: ${(err as Error).name}`);
    return new Response(JSON.stringify({ error: 'internal', message: 'something went wrong on our side; please try again' }), {
      status: 500,
      headers: { ...apiHeaders, 'Content-Type': 'application/json; charset=utf-8' },
    });
  } finally {
    context.waitUntil(db.close().catch(() => {}));
  }
};
