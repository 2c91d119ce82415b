// Every query a request makes runs as the caller: inside a transaction, as Postgres's
// `authenticated` role with the caller's JWT claims in `request.jwt.claims`, so row-level
// security decides what they may read and write, not application code. The service role
// bypasses RLS and is used only where no user is acting (a webhook, an admin job); each use
// names its reason.

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** A database driver: PGlite (embedded default) or `postgres` (a server, Supabase, Hyperdrive). */
export interface SqlDriver {
  /** Runs `fn` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The claims of a verified Supabase access token (at least `sub`). */
export type Claims = Readonly<Record<string, unknown>> & { sub: string };

export interface Database {
  /** Runs `fn` as the caller; `null` runs it as the anonymous role. */
  asCaller<T>(claims: Claims | null, fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** Runs `fn` bypassing row-level security. `reason` says which job needs it and why. */
  asService<T>(reason: string, fn: (q: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Told of every service-role use, for the security log. */
  onServiceUse?: (reason: string) => void;
}

export function database(driver: SqlDriver, o: DatabaseOptions = {}): Database {
  return {
    asCaller(claims, fn) {
      return driver.transaction(async (q) => {
        // One statement for both, as PostgREST does: set_config('role', …, true) is SET LOCAL ROLE.
        await q.query("select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)", [
          claims ? 'authenticated' : 'anon',
          JSON.stringify(claims ?? { role: 'anon' }),
        ]);
        return fn(q);
      });
    },
    asService(reason, fn) {
      if (!reason.trim()) throw new Error('asService needs a reason: say which job bypasses row-level security and why');
      o.onServiceUse?.(reason);
      return driver.transaction(async (q) => {
        await q.query("select set_config('role', 'service_role', true), set_config('request.jwt.claims', $1, true)", [JSON.stringify({ role: 'service_role' })]);
        return fn(q);
      });
    },
    close: () => driver.close(),
  };
}
