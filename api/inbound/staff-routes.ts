// Staff views of the mail log:
//   GET  /api/v1/inbound/dead-letters           messages that could not be processed (with the error)
//   POST /api/v1/inbound/{id}/replay            process a dead letter again
//   GET  /api/v1/manifestations/{protocol}/emails  every inbound and outbound message of a case
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { getInbound, listInboundByStatus, updateInbound } from '../../db/queries/email.ts';
import { isStaff, requireRole } from '../auth/session.ts';
import { canSeeCase, staffViewer } from '../disclosure.ts';
import { ApiError, forbidden, notFound } from '../errors.ts';
import { caseMailLog } from '../manifestations/mail-log.ts';
import { getCaseView } from '../manifestations/service.ts';
import type { AppEnv } from '../types.ts';
import { emailContext } from './context.ts';
import { presentMailboxRows } from './mailbox-rows.ts';
import { processInbound } from './pipeline.ts';
import { fetchAndProcess } from './resend.ts';

const officeRoles = ['admin', 'ombudsman', 'attendant'] as const;

export const inboundStaffRoutes = new Hono<AppEnv>();

/** The messages of one status as the signed-in office user may read them (mailbox-rows.ts). */
export async function mailbox(c: Context<AppEnv>, status: 'dead_letter' | 'held', limit: number) {
  const user = requireRole(c, [...officeRoles]);
  const viewer = staffViewer(user);
  if (!viewer) throw forbidden();
  const rows = await listInboundByStatus(c.var.deps.db, status, limit);
  return presentMailboxRows(c.var.deps.db, c.var.deps.secret, viewer, rows);
}

/** `?limit=1..500` (default 100); anything else answers 422. */
export const deadLetterQuerySchema = z.object({
  limit: z.coerce
    .number({ error: 'limit: um número inteiro de 1 a 500' })
    .int('limit: um número inteiro de 1 a 500')
    .min(1, 'limit: um número inteiro de 1 a 500')
    .max(500, 'limit: um número inteiro de 1 a 500')
    .default(100),
});

inboundStaffRoutes.get('/dead-letters', async (c) => {
  requireRole(c, [...officeRoles]);
  const { limit } = deadLetterQuerySchema.parse(c.req.query());
  const items = await mailbox(c, 'dead_letter', limit);
  return c.json({ items: items.map((i) => ({ ...i, receivedAt: i.receivedAt.toISOString() })) });
});

/** Messages held by the loop limits (api/inbound/loops.ts), newest first, with the reason in `error`. */
inboundStaffRoutes.get('/held', async (c) => {
  requireRole(c, [...officeRoles]);
  const { limit } = deadLetterQuerySchema.parse(c.req.query());
  const items = await mailbox(c, 'held', limit);
  return c.json({ items: items.map((i) => ({ ...i, receivedAt: i.receivedAt.toISOString() })) });
});

/** Processes a held message as usual, past the loop limits (it may open a case). */
inboundStaffRoutes.post('/:id/release', async (c) => {
  const user = requireRole(c, [...officeRoles]);
  const ctx = emailContext(c.var.deps);
  const row = await getInbound(ctx.deps.db, c.req.param('id'));
  if (!row) throw notFound('Mensagem não encontrada');
  if (row.status !== 'held') throw new ApiError(409, 'not_held', `Mensagem não está retida (${row.status})`);
  const result = await processInbound(ctx, row.id, undefined, { release: true });
  const after = await getInbound(ctx.deps.db, row.id);
  const actions = [...(after?.actions ?? []), `liberada por ${user.email}`];
  await updateInbound(ctx.deps.db, row.id, { actions });
  return c.json({ ...result, error: after?.error ?? null, actions });
});

inboundStaffRoutes.post('/:id/replay', async (c) => {
  requireRole(c, [...officeRoles]);
  const ctx = emailContext(c.var.deps);
  const row = await getInbound(ctx.deps.db, c.req.param('id'));
  if (!row) throw notFound('Mensagem não encontrada');
  if (row.status !== 'dead_letter' && row.status !== 'received') {
    throw new ApiError(409, 'not_replayable', `Mensagem já processada (${row.status})`);
  }
  const result = row.raw ? await processInbound(ctx, row.id) : await fetchAndProcess(ctx, row.id);
  const after = await getInbound(ctx.deps.db, row.id);
  return c.json({ ...result, error: after?.error ?? null, actions: after?.actions ?? [] });
});

export const caseEmailRoutes = new Hono<AppEnv>();

caseEmailRoutes.get('/:protocol/emails', async (c) => {
  const user = c.var.user;
  if (!isStaff(user)) requireRole(c); // 401 / 403
  const viewer = staffViewer(user!);
  const view = await getCaseView(c.var.deps, c.req.param('protocol'));
  if (!viewer || !canSeeCase(viewer, view)) throw notFound();
  return c.json(await caseMailLog(c.var.deps, view, viewer));
});
