// Configuration from the environment, read once at start-up into a typed object. A bad value
// stops start-up with a message naming the setting.
import os from 'node:os';
import path from 'node:path';

export interface Settings {
  /** The folder holding content/practices/ (the platform repository itself by default). */
  contentRoot: string;
  /** Where revisions and the live pointers are kept. */
  storeDir: string;
  /** Where `dist/<slug>` links to each practice's live revision. */
  distDir: string;
  /** Build caches (the compiled theme), kept apart from revisions. */
  cacheDir: string;
  /** Worker threads a large build may use. */
  buildWorkers: number;
  host: string;
  port: number;
  /** A Postgres URL (local server or Supabase); without one, the embedded PGlite database. */
  databaseUrl?: string;
  /** Where the embedded database keeps its files. */
  databaseDir: string;
  /** Where emails are written locally (one .eml file each). */
  outboxDir: string;
  /** The portal's public address, for links in emails. */
  portalUrl: string;
  security: { contact: string; policy: string };
  /** With these set, `npm start` also accepts signed GoCardless and database webhooks (for trying them locally). */
  webhookSecrets: { gocardless?: string; db?: string };
}

export class SettingsError extends Error {}

function databaseUrl(url: string): string {
  if (!/^postgres(ql)?:\/\//.test(url)) throw new SettingsError('DATABASE_URL must be a postgres:// URL, like postgres://user:password@127.0.0.1:5432/name');
  return url;
}

export function loadSettings(root: string, env: NodeJS.ProcessEnv = process.env): Settings {
  const port = Number(env.PD_PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new SettingsError(`PD_PORT must be a port number from 0 to 65535, not "${env.PD_PORT}"`);
  const host = env.PD_HOST ?? '127.0.0.1';
  if (!['127.0.0.1', 'localhost', '::1'].includes(host))
    throw new SettingsError(`PD_HOST must be a loopback address (127.0.0.1, ::1 or localhost): the local server is for development only, not "${host}"`);
  const contact = env.PD_SECURITY_CONTACT ?? 'mailto:security@practicedigital.co.uk';
  if (!/^(mailto:|https:\/\/)/.test(contact))
    throw new SettingsError(`PD_SECURITY_CONTACT must start with mailto: or https:// (RFC 9116), not "${contact}"`);
  const policy = env.PD_SECURITY_POLICY ?? 'https://practicedigital.co.uk/security';
  if (!policy.startsWith('https://')) throw new SettingsError(`PD_SECURITY_POLICY must be an https:// address, not "${policy}"`);
  const workers = Number(env.PD_BUILD_WORKERS ?? os.availableParallelism());
  if (!Number.isInteger(workers) || workers < 1 || workers > 64)
    throw new SettingsError(`PD_BUILD_WORKERS must be a whole number from 1 to 64, not "${env.PD_BUILD_WORKERS}"`);
  return {
    contentRoot: path.resolve(root, env.PD_CONTENT_ROOT ?? '.'),
    ...(env.DATABASE_URL ? { databaseUrl: databaseUrl(env.DATABASE_URL) } : {}),
    databaseDir: path.resolve(root, env.PD_DATABASE_DIR ?? '.pd/db'),
    outboxDir: path.resolve(root, env.PD_OUTBOX_DIR ?? 'outbox'),
    portalUrl: (env.PD_PORTAL_URL ?? `http://portal.localhost:${port}`).replace(/\/+$/, ''),
    cacheDir: path.resolve(root, env.PD_CACHE_DIR ?? '.pd/cache'),
    buildWorkers: workers,
    storeDir: path.resolve(root, env.PD_STORE_DIR ?? '.pd/sites'),
    distDir: path.resolve(root, env.PD_DIST_DIR ?? 'dist'),
    host,
    port,
    security: { contact, policy },
    webhookSecrets: {
      ...(env.GOCARDLESS_WEBHOOK_SECRET ? { gocardless: env.GOCARDLESS_WEBHOOK_SECRET } : {}),
      ...(env.DB_WEBHOOK_SECRET ? { db: env.DB_WEBHOOK_SECRET } : {}),
    },
  };
}
