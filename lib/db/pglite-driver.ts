import type { PGlite } from '@electric-sql/pglite';
import type { SqlDriver } from './database.ts';

/** PGlite, the embedded default: Postgres compiled to WebAssembly, in this process. */
export function pgliteDriver(db: PGlite): SqlDriver {
  return {
    transaction: (fn) =>
      db.transaction((tx) => fn({ query: async <T>(sql: string, params?: unknown[]) => (await tx.query<T>(sql, params)).rows })),
    close: () => db.close(),
  };
}
