// The portal as `pd start` runs it: the embedded database, the local auth issuer and the portal
// API on http://portal.localhost:<port>/, all on loopback, with emails in the outbox folder.
import { getRequestListener } from '@hono/node-server';
import type http from 'node:http';
import path from 'node:path';
import { createVerifier } from '../../lib/auth/verify-jwt.ts';
import { outboxMailer } from '../../lib/email/outbox-node.ts';
import { membersService } from '../../lib/members/members.ts';
import { portalApp } from '../../lib/portal/app.ts';
import { startAuthIssuer } from '../auth-issuer/index.ts';
import { openDatabase } from '../db/open-database.ts';
import { registerPractices } from '../db/register-practices.ts';
import type { Settings } from '../node/settings.ts';
import { validateContent } from '../pipeline/validate-content.ts';

export interface LocalPortal {
  listener: http.RequestListener;
  authUrl: string;
  close(): Promise<void>;
}

export async function startLocalPortal(root: string, settings: Settings, authPort: number): Promise<LocalPortal> {
  const opened = await openDatabase({ root, url: settings.databaseUrl, dataDir: settings.databaseUrl ? undefined : settings.databaseDir });
  // The content names the practices; the database must know them before anyone can be invited.
  const loaded = (await validateContent(settings.contentRoot)).filter((r) => r.practice);
  await registerPractices(opened.db, 'register the practices found in the content when the local portal starts', loaded.map((r) => ({ slug: r.slug, profile: r.practice!.profile })));
  const issuer = await startAuthIssuer({
    host: settings.host,
    port: authPort,
    dataDir: path.dirname(settings.databaseDir),
    outboxDir: settings.outboxDir,
    allowedOrigins: [`http://*.localhost:${settings.port}`],
  });
  const app = portalApp({
    verifier: createVerifier({ issuer: issuer.issuer, jwks: { url: issuer.jwksUrl } }),
    members: membersService(opened.db),
    mailer: outboxMailer(settings.outboxDir),
    portalUrl: settings.portalUrl,
  });
  return {
    listener: getRequestListener(app.fetch),
    authUrl: issuer.url,
    async close() {
      await issuer.close();
      await opened.close();
    },
  };
}
