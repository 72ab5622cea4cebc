// REST: GET /api/v1/units (staff).
import { Hono } from 'hono';
import { listUnits } from '../db/queries/units.ts';
import { requireRole } from './auth/session.ts';
import type { AppEnv } from './types.ts';

export const unitRoutes = new Hono<AppEnv>();

unitRoutes.get('/', async (c) => {
  requireRole(c);
  const rows = await listUnits(c.var.deps.db);
  return c.json(rows.map((u) => ({ code: u.code, name: u.name, email: u.email })));
});
