// REST for stuck cases (issue 8.2):
//   GET  /api/v1/failures                          running cases with a step that failed for good
//   POST /api/v1/manifestations/{protocol}/repair  re-run the failed steps (Idempotency-Key accepted)
import { Hono } from 'hono';
import { requireRole } from '../auth/session.ts';
import { idempotencyKeyOf } from '../idempotency.ts';
import { presentForStaff } from '../manifestations/present.ts';
import type { AppEnv } from '../types.ts';
import { listStuckCases, repairCase } from './service.ts';

/** Who sees and repairs failures: the office, not unit staff. */
export const failureRoles = ['admin', 'ombudsman', 'attendant'] as const;

export const failureRoutes = new Hono<AppEnv>();

failureRoutes.get('/failures', async (c) => {
  requireRole(c, [...failureRoles]);
  return c.json({ items: await listStuckCases(c.var.deps) });
});

failureRoutes.post('/manifestations/:protocol/repair', async (c) => {
  const user = requireRole(c, [...failureRoles]);
  const view = await repairCase(c.var.deps, c.req.param('protocol'), user.email, idempotencyKeyOf(c));
  return c.json(await presentForStaff(c.var.deps, view, user));
});
