// The portal as `pd start` runs it: the embedded database, the local auth issuer, the portal's
// pages (built from cms/portal/ at start) and its API, all on http://portal.localhost:<port>/ and
// loopback, with emails in the outbox folder.
import { getRequestListener } from '@hono/node-server';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { createVerifier } from '../../lib/auth/verify-jwt.ts';
import { cmsGateway, type PublishedEvent } from '../../lib/cms/gateway.ts';
import { createLocalGitStore } from '../../lib/git-store/local.ts';
import { outboxMailer } from '../../lib/email/outbox-node.ts';
import { membersService } from '../../lib/members/members.ts';
import { portalApp } from '../../lib/portal/app.ts';
import { authEmailHook, hookPath } from '../../lib/webhooks/auth-email-app.ts';
import { dbWebhooks } from '../../lib/webhooks/db-app.ts';
import { siteGraph } from '../compliance/site-graph.ts';
import { authAdmin } from '../../lib/auth/auth-admin.ts';
import { databaseSecurity } from '../../lib/portal/database-security.ts';
import { freezeState } from '../../lib/security/freezes.ts';
import { recordSecurityEvent } from '../../lib/security/security-events.ts';
import { gocardlessWebhooks } from '../../lib/webhooks/gocardless-app.ts';
import { startAuthIssuer } from '../auth-issuer/index.ts';
import { openConfiguredDatabase, type OpenedDatabase } from '../db/open-database.ts';
import { registerPractices } from '../db/register-practices.ts';
import type { Settings } from '../node/settings.ts';
import { validateContent } from '../pipeline/validate-content.ts';
import { buildPortal } from '../portal/build-portal.ts';
import { portalStaticListener } from '../portal/serve-portal.ts';
import { findRepositoryRoot, withCheckoutSync } from './checkout-sync.ts';
import { seedDemoMembers } from './demo-members.ts';
import { localLiveSites } from './live-sites.ts';
import { revisionStore } from '../publish/revision-store.ts';

/** The local sign-in service's public key for supabase-js. Like Supabase's anon key, it is not a secret. */
export const LOCAL_ANON_KEY = 'local-development-anon-key';
/** The local sign-in service's admin key: the portal uses it to remove a member's lost second factor. Local only. */
export const LOCAL_SERVICE_ROLE_KEY = 'local-development-service-role-key';

export interface LocalPortalOptions {
  /** Where the portal's pages are built; by default `portal/` beside the revision store (`.pd/portal`). */
  portalDir?: string;
  /** The local sign-in service's clock, in milliseconds (tests move it). */
  authNow?: () => number;
  /** Least time between two sign-in codes to one address (tests that sign one person in twice lower it). */
  authResendIntervalMs?: number;
  /** Told after each CMS commit on `main`: rebuild that practice (publish on commit). */
  onPublished?: (event: PublishedEvent) => void | Promise<void>;
  log?: (message: string) => void;
  /** Add the demo people (see demo-members.ts) to the embedded database and local sign-in. */
  demoMembers?: boolean;
  /**
   * Send sign-in emails as production does: the local sign-in service calls the portal's Send
   * Email hook (POST /api/hooks/auth-email, signed with a secret made for this run), whose email
   * links to /sign-in/confirm/. Off: the sign-in service writes its own emails, linking to its own
   * confirmation page. See docs/local-auth.md.
   */
  sendEmailHook?: boolean;
}

export interface LocalPortal {
  /** Serves /api/* from the portal API and everything else from the built pages. */
  listener: http.RequestListener;
  authUrl: string;
  anonKey: string;
  /** The built pages. */
  portalDir: string;
  /** The git repository the CMS commits to, or why the CMS is off. */
  cms: { repository: string } | { off: string };
  /** The database, for setting up local data and tests (its `owner` bypasses row-level security). */
  database: OpenedDatabase;
  close(): Promise<void>;
}

export async function startLocalPortal(root: string, settings: Settings, authPort: number, o: LocalPortalOptions = {}): Promise<LocalPortal> {
  const opened = await openConfiguredDatabase(root, settings);
  let issuer: Awaited<ReturnType<typeof startAuthIssuer>> | undefined;
  // The Send Email hook is called in-process, through the portal app's own fetch (the issuer
  // starts before the portal can be reached over HTTP): the same signed request, no socket.
  const hookSecret = `v1,whsec_${randomBytes(32).toString('base64')}`;
  let portalFetch: ((request: Request) => Response | Promise<Response>) | undefined;
  const callPortal = (request: Request) => (portalFetch ? portalFetch(request) : new Response('The portal is starting\n', { status: 503 }));
  try {
    // The content names the practices; the database must know them before anyone can be invited.
    const loaded = (await validateContent(settings.contentRoot)).filter((r) => r.practice);
    await registerPractices(opened.db, 'register the practices found in the content when the local portal starts', loaded.map((r) => ({ slug: r.slug, profile: r.practice!.profile })));
    issuer = await startAuthIssuer({
      host: settings.host,
      port: authPort,
      dataDir: path.dirname(settings.databaseDir),
      outboxDir: settings.outboxDir,
      allowedOrigins: [`http://*.localhost:${settings.port}`],
      anonKey: LOCAL_ANON_KEY,
      serviceRoleKey: LOCAL_SERVICE_ROLE_KEY,
      // Sign-ins, failed codes and second-factor changes go to the security log.
      onSecurityEvent: (e) =>
        void recordSecurityEvent(opened.db, { kind: e.kind, ...(e.userId ? { userId: e.userId } : {}), ...(e.email ? { email: e.email } : {}), ...(e.detail ? { detail: e.detail } : {}) }, `sign-in service: record a ${e.kind} security event`).catch(
          (err: Error) => console.error(`security log: ${err.name}`),
        ),
      ...(o.authNow ? { now: o.authNow } : {}),
      ...(o.authResendIntervalMs !== undefined ? { resendIntervalMs: o.authResendIntervalMs } : {}),
      ...(o.sendEmailHook ? { sendEmailHook: { url: `${settings.portalUrl}${hookPath}`, secret: hookSecret, fetch: callPortal } } : {}),
    });
    // Demo people only ever go into the embedded database, never a configured server.
    if (o.demoMembers && opened.kind === 'pglite') {
      const running = issuer;
      await seedDemoMembers(opened.owner, (email) => running.ensureUser(email));
    }
    const portalDir = path.resolve(o.portalDir ?? path.join(path.dirname(settings.storeDir), 'portal'));
    await buildPortal({ root, outDir: portalDir, cacheDir: settings.cacheDir, authUrl: issuer.url, anonKey: LOCAL_ANON_KEY });
    const members = membersService(opened.db);
    // The CMS commits to the repository the content lives in (its root must be the content root,
    // since entries are addressed as content/practices/<slug>/...).
    const repository = findRepositoryRoot(settings.contentRoot);
    const cms: { repository: string } | { off: string } =
      repository && repository === settings.contentRoot
        ? { repository }
        : { off: repository ? `the content root ${settings.contentRoot} is not the top of its git repository` : `${settings.contentRoot} is not in a git repository (run "git init" there)` };
    const app = portalApp({
      verifier: createVerifier({ issuer: issuer.issuer, jwks: { url: issuer.jwksUrl } }),
      members,
      ...('repository' in cms ? { exports: { store: createLocalGitStore({ fs, dir: cms.repository }), git: { fs, gitdir: path.join(cms.repository, '.git') } } } : {}),
      ...('repository' in cms
        ? {
            cms: cmsGateway({
              store: withCheckoutSync(createLocalGitStore({ fs, dir: cms.repository }), { dir: cms.repository, ...(o.log ? { log: o.log } : {}) }),
              memberOf: (identity, practice) => members.memberOf(identity.claims, practice),
              live: localLiveSites(revisionStore(settings.storeDir)),
              siteGraph,
              freezeState: (practice) => freezeState(opened.db, practice),
              ...(o.onPublished ? { onPublished: o.onPublished } : {}),
              // Workflow emails (review waiting, change live, urgent notice) go to the outbox too.
              notify: { mailer: outboxMailer(settings.outboxDir), portalUrl: settings.portalUrl, recipients: (p, roles) => members.membersWithRole(p, roles) },
            }),
          }
        : {}),
      mailer: outboxMailer(settings.outboxDir),
      portalUrl: settings.portalUrl,
      security: databaseSecurity(opened.db),
      authAdmin: authAdmin({ url: issuer.url, serviceKey: LOCAL_SERVICE_ROLE_KEY }),
      webhooks: [
        ...(o.sendEmailHook ? [authEmailHook({ secret: hookSecret, mailer: outboxMailer(settings.outboxDir), portalUrl: settings.portalUrl })] : []),
        ...(settings.webhookSecrets.gocardless ? [gocardlessWebhooks({ db: opened.db, secret: settings.webhookSecrets.gocardless })] : []),
        ...(settings.webhookSecrets.db ? [dbWebhooks({ db: opened.db, secret: settings.webhookSecrets.db })] : []),
      ],
    });
    portalFetch = (request) => app.fetch(request);
    const api = getRequestListener(app.fetch);
    const pages = portalStaticListener(portalDir);
    const running = issuer;
    return {
      listener: (req, res) => {
        const pathname = (req.url ?? '/').split('?')[0]!;
        return pathname === '/api' || pathname.startsWith('/api/') ? api(req, res) : pages(req, res);
      },
      authUrl: running.url,
      anonKey: LOCAL_ANON_KEY,
      portalDir,
      cms,
      database: opened,
      async close() {
        await running.close();
        await opened.close();
      },
    };
  } catch (e) {
    await issuer?.close();
    await opened.close();
    throw e;
  }
}
