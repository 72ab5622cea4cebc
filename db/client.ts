// Opens the database: postgres.js when DATABASE_URL is set, embedded PGlite under DATA_DIR otherwise.
// Both expose the same drizzle query builder; migrations (db/migrations) are applied by `openDatabase`.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { adoptOrgTimezone } from './queries/sla.ts';
import * as schema from './schema.ts';

export type Database = ReturnType<typeof drizzlePostgres<typeof schema>>;

export type DatabaseHandle = {
  db: Database;
  kind: 'postgres' | 'pglite';
  close: () => Promise<void>;
  /** LISTEN on a channel (NOTIFY payloads, delivered on commit); resolves to the function that stops it. */
  listen: (channel: string, onNotify: (payload: string) => void) => Promise<() => Promise<void>>;
};

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/**
 * postgres.js options that fail fast during an outage (the request answers 503 at once): connect_timeout 5 s
 * instead of 30, and a reconnect backoff capped at 250 ms instead of growing to 20 s (queries queued
 * behind a failed connect wait out the backoff). Every statement is planned for its own values
 * (`plan_cache_mode`): the staff list runs as a prepared statement (db/queries/statement-cache.ts), and a
 * generic plan, which PostgreSQL may switch to after five runs, serves every value of a filter alike — the
 * newest-first list's read the whole table (0.94 s at 1M cases instead of 2.5 ms).
 */
export const postgresOptions = {
  max: 10,
  onnotice: () => {},
  connect_timeout: 5,
  backoff: (attempt: number) => Math.min(0.05 * attempt, 0.25),
  connection: { plan_cache_mode: 'force_custom_plan' },
} satisfies postgres.Options<Record<string, postgres.PostgresType>>;

/**
 * `databaseUrl` wins; otherwise PGlite in `dataDir/pgdata` (or in memory when dataDir is 'memory://').
 * After the migrations, `orgTimezone` (ORG_TIMEZONE) becomes the seeded default calendar's timezone on
 * first start (db/queries/sla.ts adoptOrgTimezone); without it the seed keeps America/Sao_Paulo.
 */
export async function openDatabase(opts: {
  databaseUrl?: string | undefined;
  dataDir: string;
  orgTimezone?: string | undefined;
}): Promise<DatabaseHandle> {
  if (opts.databaseUrl) {
    const sql = postgres(opts.databaseUrl, postgresOptions);
    const db = drizzlePostgres(sql, { schema });
    await migratePostgres(db, { migrationsFolder });
    if (opts.orgTimezone) await adoptOrgTimezone(db, opts.orgTimezone);
    const listen = async (channel: string, onNotify: (payload: string) => void) => {
      const { unlisten } = await sql.listen(channel, onNotify);
      return unlisten;
    };
    return { db, kind: 'postgres', close: () => sql.end({ timeout: 5 }), listen };
  }
  let dataDir = 'memory://';
  if (opts.dataDir !== 'memory://') {
    dataDir = path.resolve(opts.dataDir, 'pgdata');
    mkdirSync(dataDir, { recursive: true });
  }
  const client = await PGlite.create(dataDir, { extensions: { unaccent, pg_trgm } });
  const pgliteDb = drizzlePglite(client, { schema });
  await migratePglite(pgliteDb, { migrationsFolder });
  // The two drizzle flavours share the query-builder API we use; db.execute() differs (see LIBRARIES.md),
  // so code outside db/ uses the builder only.
  const db = pgliteDb as unknown as Database;
  if (opts.orgTimezone) await adoptOrgTimezone(db, opts.orgTimezone);
  const listen = async (channel: string, onNotify: (payload: string) => void) => {
    const stop = await client.listen(channel, onNotify);
    return () => stop();
  };
  return { db, kind: 'pglite', close: () => client.close(), listen };
}
