// The databases the Supabase tests run against: PGlite always, and a PostgreSQL server too when
// DATABASE_URL is set. The server's database is wiped and migrated afresh on every run, so it
// must be a throwaway one: its name has to contain "test".
import path from 'node:path';
import postgres from 'postgres';
import { openDatabase, type OpenedDatabase } from '../../build/db/open-database.ts';

export const projectRoot = path.resolve(import.meta.dirname, '../..');

export interface Target {
  name: 'pglite' | 'postgres';
  url?: string;
}

export function databaseTargets(env: NodeJS.ProcessEnv = process.env): Target[] {
  const targets: Target[] = [{ name: 'pglite' }];
  if (env.DATABASE_URL) targets.push({ name: 'postgres', url: env.DATABASE_URL });
  return targets;
}

export interface OpenedTarget extends OpenedDatabase {
  /** Closes the database and, on a server, removes everything the run created. */
  finish(): Promise<void>;
}

/** A fresh, fully migrated database: on a server, the old schemas are dropped first. */
export async function openTarget(t: Target): Promise<OpenedTarget> {
  if (t.url) await resetServerDatabase(t.url);
  const opened = await openDatabase({ root: projectRoot, url: t.url });
  return {
    ...opened,
    async finish() {
      await opened.close();
      if (t.url) await resetServerDatabase(t.url);
    },
  };
}

/**
 * Drops what the shim's companions and the migrations create (the public and private schemas and
 * the record of applied migrations) and leaves an empty public schema, as a new database has.
 * The roles and the auth schema are left: the shim recreates them idempotently.
 */
export async function resetServerDatabase(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ db: string }[]>`select current_database() as db`;
    const db = row?.db ?? '';
    if (!/test/i.test(db)) {
      throw new Error(
        `DATABASE_URL names the database "${db}": these tests drop and recreate its public schema, ` +
          'so they only run against a database whose name contains "test"',
      );
    }
    await sql.unsafe(`
      drop schema if exists public cascade;
      drop schema if exists private cascade;
      drop schema if exists supabase_migrations cascade;
      create schema public authorization pg_database_owner;
      grant usage on schema public to public;
    `);
  } finally {
    await sql.end();
  }
}
