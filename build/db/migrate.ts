// Applies supabase/migrations/*.sql in name order, each once, recording them where the Supabase
// CLI does (supabase_migrations.schema_migrations), so a database migrated here and one migrated
// by `supabase db push` agree on what has run.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Queryable } from '../../lib/db/database.ts';

export interface Migration {
  version: string;
  name: string;
  sql: string;
}

export async function readMigrations(root: string): Promise<Migration[]> {
  const dir = path.join(root, 'supabase/migrations');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  return Promise.all(
    files.map(async (f) => {
      const m = /^(\d{14})_(.+)\.sql$/.exec(f);
      if (!m) throw new Error(`supabase/migrations/${f}: name it <14-digit timestamp>_<name>.sql, like 20261204000000_core.sql`);
      return { version: m[1]!, name: m[2]!, sql: await readFile(path.join(dir, f), 'utf8') };
    }),
  );
}

/** An executor of whole SQL scripts (several statements), as the superuser/owner. */
export interface ScriptRunner extends Queryable {
  exec(script: string): Promise<void>;
}

export async function migrate(db: ScriptRunner, migrations: readonly Migration[]): Promise<string[]> {
  await db.exec(`create schema if not exists supabase_migrations;
    create table if not exists supabase_migrations.schema_migrations (version text primary key, statements text[], name text);`);
  const done = new Set((await db.query<{ version: string }>('select version from supabase_migrations.schema_migrations')).map((r) => r.version));
  const applied: string[] = [];
  for (const m of migrations) {
    if (done.has(m.version)) continue;
    try {
      await db.exec(`begin;\n${m.sql}\n;commit;`);
    } catch (e) {
      await db.exec('rollback').catch(() => {});
      throw new Error(`migration ${m.version}_${m.name}.sql failed: ${(e as Error).message}`);
    }
    await db.query('insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)', [m.version, m.name, [m.sql]]);
    applied.push(`${m.version}_${m.name}`);
  }
  return applied;
}
