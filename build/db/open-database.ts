// Opens the database the local tools and tests use: PGlite by default (in memory, or in a folder
// so it persists), or a Postgres server when a URL is given. Local and test databases get the
// Supabase shim (roles and auth functions) first, then every migration.
import { PGlite } from '@electric-sql/pglite';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import postgres from 'postgres';
import { database, type Database } from '../../lib/db/database.ts';
import { pgliteDriver } from '../../lib/db/pglite-driver.ts';
import { postgresDriver } from '../../lib/db/postgres-driver.ts';
import type { Settings } from '../node/settings.ts';
import { migrate, readMigrations, type ScriptRunner } from './migrate.ts';

export interface OpenedDatabase {
  db: Database;
  /** Runs SQL as the owner (no RLS): for setting up tests and local data only. */
  owner: ScriptRunner;
  kind: 'pglite' | 'postgres';
  /** The embedded instance itself, when it is PGlite: tests serve it over a socket to other runtimes. */
  pglite?: PGlite;
  close(): Promise<void>;
}

export interface OpenOptions {
  root: string;
  /** A postgres:// URL; without it, PGlite. */
  url?: string;
  /** PGlite data folder; without it, in memory. */
  dataDir?: string;
  onServiceUse?: (reason: string) => void;
}

export async function openDatabase(o: OpenOptions): Promise<OpenedDatabase> {
  const shim = await readFile(path.join(o.root, 'supabase/local/supabase-shim.sql'), 'utf8');
  const migrations = await readMigrations(o.root);
  if (o.url) {
    const sql = postgres(o.url, { max: 4, onnotice: () => {} });
    const owner: ScriptRunner = {
      exec: async (script) => void (await sql.unsafe(script)),
      query: async <T>(text: string, params: unknown[] = []) => (await sql.unsafe(text, params as never[])) as unknown as T[],
    };
    await owner.exec(shim);
    await migrate(owner, migrations);
    return { db: database(postgresDriver(sql), o), owner, kind: 'postgres', close: () => sql.end() };
  }
  const pg = await PGlite.create(o.dataDir);
  const owner: ScriptRunner = {
    exec: async (script) => void (await pg.exec(script)),
    query: async <T>(text: string, params?: unknown[]) => (await pg.query<T>(text, params)).rows,
  };
  await owner.exec(shim);
  await migrate(owner, migrations);
  return { db: database(pgliteDriver(pg), o), owner, kind: 'pglite', pglite: pg, close: () => pg.close() };
}

/** The database the settings name: DATABASE_URL when set, else the embedded one in its folder. */
export function openConfiguredDatabase(root: string, settings: Pick<Settings, 'databaseUrl' | 'databaseDir'>): Promise<OpenedDatabase> {
  return openDatabase({ root, url: settings.databaseUrl, dataDir: settings.databaseUrl ? undefined : settings.databaseDir });
}

/**
 * The database an operator's command works on: with DATABASE_URL, that server exactly as it is
 * (production: Supabase, whose auth schema the local shim must never touch, and whose migrations
 * are applied by their own deploy, not by a command); without it, the embedded one, set up as
 * `npm start` leaves it.
 */
export async function openOperatorDatabase(root: string, settings: Pick<Settings, 'databaseUrl' | 'databaseDir'>): Promise<{ db: Database; close(): Promise<void> }> {
  if (!settings.databaseUrl) return openConfiguredDatabase(root, settings);
  const sql = postgres(settings.databaseUrl, { max: 1, onnotice: () => {} });
  return { db: database(postgresDriver(sql)), close: () => sql.end() };
}
