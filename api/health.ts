// GET /healthz → 200 {"status":"ok","db":"ok","temporal":"ok"}, 503 naming the failing part.
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import type { AppEnv } from './types.ts';

export const healthRoutes = new Hono<AppEnv>();

healthRoutes.get('/healthz', async (c) => {
  const { db, temporal } = c.var.deps;
  const dbOk = await db
    .execute(sql`select 1`)
    .then(() => true)
    .catch(() => false);
  const temporalOk = await temporal.connection.healthService
    .check({})
    .then((r) => r.status === 1)
    .catch(() => false);
  const body = {
    status: dbOk && temporalOk ? 'ok' : 'error',
    db: dbOk ? 'ok' : 'error',
    temporal: temporalOk ? 'ok' : 'error',
  };
  return c.json(body, dbOk && temporalOk ? 200 : 503);
});
