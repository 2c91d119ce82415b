// What the portal's webhook Functions share: where the database is, the answer when a setting is
// missing, and one database connection per request, ended once the answer is sent.
import type { Hono } from 'hono';
import { databaseAt } from '../db/database-at.ts';
import type { Database } from '../db/database.ts';
import { apiHeaders } from './api-headers.ts';

export interface DatabaseEnv {
  /** Cloudflare Hyperdrive in front of Supabase's Postgres (production). */
  HYPERDRIVE?: { connectionString: string };
  /** A direct postgres:// URL, used when no Hyperdrive binding is present. */
  DATABASE_URL?: string;
}

export interface FunctionContext<E> {
  request: Request;
  env: E;
  waitUntil(promise: Promise<unknown>): void;
}

export const databaseUrl = (env: DatabaseEnv): string | undefined => env.HYPERDRIVE?.connectionString || env.DATABASE_URL || undefined;

/** A 500 naming no setting and echoing no value: whoever calls learns nothing of ours. */
export const notConfigured = (what = 'this webhook'): Response =>
  new Response(JSON.stringify({ error: 'not-configured', message: `${what} is not configured` }), {
    status: 500,
    headers: { ...apiHeaders, 'Content-Type': 'application/json; charset=utf-8' },
  });

/**
 * Answers `context.request` with the app `build` makes from a per-request database, or with
 * `notConfigured()` when `secret` or the database is missing. The connection ends after the answer.
 */
export async function serveWithDatabase<E extends DatabaseEnv>(
  context: FunctionContext<E>,
  name: string,
  secret: string | undefined,
  build: (db: Database, secret: string) => Hono,
): Promise<Response> {
  const url = databaseUrl(context.env);
  if (!secret || !url) {
    console.error(`${name}: a setting is missing`);
    return notConfigured();
  }
  const db = databaseAt(url);
  try {
    return await build(db, secret).fetch(context.request);
  } finally {
    context.waitUntil(db.close().catch(() => {}));
  }
}
