import type { Sql } from 'postgres';
import type { Queryable, SqlDriver } from './database.ts';

/** A Postgres server through the `postgres` client: local PostgreSQL, Supabase, or Hyperdrive from Workers. */
export function postgresDriver(sql: Sql): SqlDriver {
  return {
    async transaction<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
      let out!: T;
      await sql.begin(async (tx) => {
        out = await fn({ query: async <R>(text: string, params: unknown[] = []) => (await tx.unsafe(text, params as never[])) as unknown as R[] });
      });
      return out;
    },
    close: () => sql.end(),
  };
}
