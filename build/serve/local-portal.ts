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
import type { Settings } from '../node/settings.ts';
import { listPractices } from '../../lib/content/load-practice.ts';
import { validateContent } from '../pipeline/validate-content.ts';
import { fsReader } from '../node/fs-reader.ts';

export interface LocalPortal {
  listener: http.RequestListener;
  authUrl: string;
  close(): Promise<void>;
}

export async function startLocalPortal(root: string, settings: Settings, authPort: number): Promise<LocalPortal> {
  const opened = await openDatabase({ root, url: settings.databaseUrl, dataDir: settings.databaseUrl ? undefined : settings.databaseDir });
  // The content names the practices; the database must know them before anyone can be invited.
  const slugs = await listPractices(fsReader(settings.contentRoot));
  const loaded = (await Promise.all(slugs.map((s) => validateContent(settings.contentRoot, s)))).flat().filter((r) => r.practice);
  await opened.db.asService('register the practices found in the content when the local portal starts', async (q) => {
    for (const { slug, practice } of loaded)
      await q.query(
        `insert into public.practices (slug, ods_code, name, nation, contract_start, status) values ($1, $2, $3, $4, current_date, 'active')
         on conflict (slug) do update set ods_code = excluded.ods_code, name = excluded.name, nation = excluded.nation`,
        [slug, practice!.profile.ods_code, practice!.profile.name, practice!.profile.nation],
      );
  });
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
