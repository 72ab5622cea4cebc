// REST for protected identities:
//   POST /api/v1/manifestations/{protocol}/identity-access {purpose} → the reporter (the read is logged)
//   GET  /api/v1/identity-access-log?protocol=&limit=             → the log (ombudsman, admin)
import { Hono } from 'hono';
import { z } from 'zod';
import { listIdentityAccess } from '../../db/queries/identity-access.ts';
import { isProtocol } from '../../db/queries/protocols.ts';
import { requireRole } from '../auth/session.ts';
import { accessLogReaders } from '../disclosure.ts';
import { readJson } from '../json.ts';
import { getCaseView } from '../manifestations/service.ts';
import { limit } from '../rate-limit.ts';
import type { AppEnv } from '../types.ts';
import { presentAccess, revealIdentity, revealSchema } from './reveal.ts';

export const identityRoutes = new Hono<AppEnv>();

identityRoutes.post('/manifestations/:protocol/identity-access', limit('identity-access', 30), async (c) => {
  const user = requireRole(c);
  const { purpose } = revealSchema.parse(await readJson(c.req.raw));
  const view = await getCaseView(c.var.deps, c.req.param('protocol'));
  c.header('Cache-Control', 'no-store');
  return c.json(await revealIdentity(c.var.deps, user, view, purpose));
});

export const accessLogQuerySchema = z.object({
  protocol: z.string().trim().refine(isProtocol, 'Protocolo no formato OUV-AAAA-NNNNNN').optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

identityRoutes.get('/identity-access-log', async (c) => {
  requireRole(c, [...accessLogReaders]);
  const q = accessLogQuerySchema.parse(c.req.query());
  const rows = await listIdentityAccess(c.var.deps.db, q);
  return c.json({ items: rows.map(presentAccess) });
});
