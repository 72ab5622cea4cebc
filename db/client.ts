// Opens the database: postgres.js to the server of DATABASE_URL, or to embedded PGlite under DATA_DIR (on
// its own thread, db/pglite-socket.ts) otherwise. One driver and one drizzle flavour for both; migrations
// (db/migrations) are applied by `openDatabase`.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { startEmbeddedDatabase } from './pglite-socket.ts';
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
 * The postgres.js client with every parameterized statement prepared (issue 14). drizzle runs a query
 * builder unnamed (`prepare: false` unless the query was given a name), and postgres.js must then have the
 * server describe the statement before it can send it: two round trips per statement, and nothing else is
 * sent on that connection meanwhile. Measured on the embedded database's one connection, statements waited
 * 35 ms (p50) in that queue during 16 e-mail replies at once. Prepared, a statement is described once per
 * connection (postgres.js keeps it by its text and parameter types) and then pipelined with the others.
 * Transactions and savepoints hand drizzle a client that prepares the same way.
 */
export function preparedByDefault<T extends postgres.Sql<Record<string, postgres.PostgresType>>>(sql: T): T {
  return new Proxy(sql, {
    get(target, prop, receiver) {
      if (prop === 'unsafe')
        return (query: string, params?: unknown[], opts?: Record<string, unknown>) =>
          target.unsafe(query, params as never, { ...opts, prepare: true });
      if (prop === 'begin' || prop === 'savepoint')
        return (...args: unknown[]) => {
          const fn = args.pop() as (tx: T) => unknown;
          const open = (target as unknown as Record<string, (...a: unknown[]) => unknown>)[prop]!;
          return open(...args, (tx: T) => fn(preparedByDefault(tx)));
        };
      return Reflect.get(target, prop, receiver);
    },
  });
}

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
    const db = drizzlePostgres(preparedByDefault(sql), { schema });
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
  // PGlite on its own thread (db/pglite-thread.ts), reached by postgres.js over the wire protocol: the same
  // driver as a server, and the event loop no longer runs the database's statements (issue 14).
  const embedded = await startEmbeddedDatabase(dataDir);
  // One PostgreSQL session: one connection (postgres.js pipelines on it; a transaction holds it). LISTEN
  // runs on that session, so its notifications arrive on it (onnotify), not on a listener's own connection.
  const listeners = new Map<string, Set<(payload: string) => void>>();
  const sql = postgres({
    ...postgresOptions,
    max: 1,
    // postgres.js options its typings omit: a socket of our own, and notifications on a query connection
    ...({
      socket: embedded.socket,
      onnotify: (channel: string, payload: string) => {
        for (const fn of listeners.get(channel) ?? []) fn(payload);
      },
    } as object),
  });
  const db = drizzlePostgres(preparedByDefault(sql), { schema });
  await migratePostgres(db, { migrationsFolder });
  if (opts.orgTimezone) await adoptOrgTimezone(db, opts.orgTimezone);
  const quoted = (channel: string) => sql.unsafe(`"${channel.replace(/"/g, '""')}"`);
  const listen = async (channel: string, onNotify: (payload: string) => void) => {
    let set = listeners.get(channel);
    if (!set) {
      set = new Set();
      listeners.set(channel, set);
      await sql`listen ${quoted(channel)}`;
    }
    set.add(onNotify);
    return async () => {
      set.delete(onNotify);
      if (set.size || listeners.get(channel) !== set) return;
      listeners.delete(channel);
      await sql`unlisten ${quoted(channel)}`;
    };
  };
  const close = async () => {
    await sql.end({ timeout: 5 });
    await embedded.close();
  };
  return { db, kind: 'pglite', close, listen };
}
