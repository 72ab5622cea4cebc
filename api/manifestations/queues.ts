// GET /api/v1/queues: the signed-in staff member's queues with their counts (the same numbers as the
// /painel sidebar). Each queue's cases: GET /api/v1/manifestations?queue=<name>.
import { Hono } from 'hono';
import { countQueues } from '../../db/queries/manifestations.ts';
import { requireRole } from '../auth/session.ts';
import type { AppEnv } from '../types.ts';
import { queueWindow, viewerOf } from './list-filter.ts';
import { queueNames } from './schemas.ts';

export const queueRoutes = new Hono<AppEnv>();

queueRoutes.get('/', async (c) => {
  const user = requireRole(c);
  const window = await queueWindow(c.var.deps);
  const counts = await countQueues(c.var.deps.db, viewerOf(user), window);
  return c.json({
    queues: queueNames.map((name) => ({
      name,
      count: counts[name],
      href: `/api/v1/manifestations?queue=${name}`,
    })),
    dueSoonBusinessDays: c.var.deps.dueSoonBusinessDays ?? 3,
  });
});
