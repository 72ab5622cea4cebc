// Health endpoints. Each dependency check has its own short timeout, so every endpoint answers within a
// second whatever is down:
//   GET /healthz → 200 {"status":"ok","db":"ok","temporal":"ok"}, or 503 naming the failing part (operators);
//   GET /readyz  → 200 {"status":"ready"} when this instance can serve requests; 503 while a dependency is
//                  down or the server is draining after SIGTERM (load balancers stop sending traffic);
//   GET /livez   → 200 {"status":"alive"} while the process answers at all (restart only when this fails).
import type { Connection } from '@temporalio/client';
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import type { Database } from '../db/client.ts';
import type { AppEnv } from './types.ts';

/** Per-check budget (ms): both checks run in parallel, so a probe answers in about this long at worst. */
export const CHECK_TIMEOUT_MS = 800;

/** 'error' also when the check did not answer within its budget. */
type Check = 'ok' | 'error';

function within<T>(ms: number, work: Promise<T>): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Check>((resolve) => {
    timer = setTimeout(() => resolve('error'), ms);
  });
  const done = work.then(
    () => 'ok' as const,
    () => 'error' as const,
  );
  return Promise.race([done, timeout]).finally(() => clearTimeout(timer));
}

/** `select 1` on the database, answered within `ms`. */
export function checkDatabase(db: Database, ms = CHECK_TIMEOUT_MS): Promise<Check> {
  return within(ms, db.execute(sql`select 1`));
}

/** The Temporal frontend's gRPC health check (SERVING), answered within `ms`. */
export function checkTemporal(connection: Connection, ms = CHECK_TIMEOUT_MS): Promise<Check> {
  const probe = connection
    .withDeadline(Date.now() + ms, () => connection.healthService.check({}))
    .then((r) => {
      if (r.status !== 1) throw new Error(`temporal health status ${r.status}`);
    });
  return within(ms, probe);
}

let draining = false;
/** Called on SIGTERM: /readyz answers 503 from now on so load balancers drain this instance. */
export function markDraining() {
  draining = true;
}

export const healthRoutes = new Hono<AppEnv>();

healthRoutes.get('/healthz', async (c) => {
  const { db, temporal } = c.var.deps;
  const [dbState, temporalState] = await Promise.all([checkDatabase(db), checkTemporal(temporal.connection)]);
  const ok = dbState === 'ok' && temporalState === 'ok';
  c.header('Cache-Control', 'no-store');
  if (!ok) c.header('Retry-After', '5');
  return c.json({ status: ok ? 'ok' : 'error', db: dbState, temporal: temporalState }, ok ? 200 : 503);
});

healthRoutes.get('/readyz', async (c) => {
  const { db, temporal } = c.var.deps;
  c.header('Cache-Control', 'no-store');
  if (draining) return c.json({ status: 'draining' }, 503);
  const [dbState, temporalState] = await Promise.all([checkDatabase(db), checkTemporal(temporal.connection)]);
  if (dbState === 'ok' && temporalState === 'ok') return c.json({ status: 'ready' }, 200);
  c.header('Retry-After', '5');
  return c.json({ status: 'unavailable', db: dbState, temporal: temporalState }, 503);
});

healthRoutes.get('/livez', (c) => {
  c.header('Cache-Control', 'no-store');
  return c.json({ status: 'alive' }, 200);
});
