// A database reached by URL through the `postgres` client, sized for one serverless request:
// Workers may not share a socket between requests, so a Function opens one of these per request
// and ends it when the response is sent. Hyperdrive pools the real connections behind it.
import postgres from 'postgres';
import { database, type Database, type DatabaseOptions } from './database.ts';
import { postgresDriver } from './postgres-driver.ts';

export function databaseAt(url: string, o: DatabaseOptions = {}): Database {
  const sql = postgres(url, {
    max: 1,
    // Hyperdrive answers type lookups itself; skipping them saves a round trip per request.
    fetch_types: false,
    connect_timeout: 10,
    onnotice: () => {},
  });
  return database(postgresDriver(sql), o);
}
