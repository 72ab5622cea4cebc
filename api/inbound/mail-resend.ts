// Staff "reenviar" for an outbound message left `uncertain` (incerto) or `failed` (issue 15.4):
//   POST /api/v1/manifestations/{protocol}/emails/{id}/resend   (Idempotency-Key) → 200 {id, status, resent}
//   POST /painel/casos/{protocol}/emails/{id}/reenviar          (form; hidden idempotencyKey)
// The resend runs in the worker (workflows/resend-email.ts). With a key, the workflow id is derived from it:
// a retried request gets the first result and never sends twice. 409 `not_resendable` when the message is
// in no state to resend (e.g. already sent, or resent by someone else meanwhile).
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { Hono } from 'hono';
import { findOutboundById } from '../../db/queries/email.ts';
import type { ResendEmailResult } from '../../workflows/resend-email.ts';
import { requireRole, type StaffUser } from '../auth/session.ts';
import { canStaffSee } from '../disclosure.ts';
import { ApiError, notFound } from '../errors.ts';
import { IDEMPOTENCY_FORM_FIELD, idempotencyKeyOf, keyDigest } from '../idempotency.ts';
import { withinBudget } from '../manifestations/budget.ts';
import { getCaseView } from '../manifestations/service.ts';
import type { AppDeps, AppEnv } from '../types.ts';

/** Who may resend: the office (not unit staff, who see a filtered mail log). */
const resendRoles = ['admin', 'ombudsman', 'attendant'] as const;

/**
 * Resends message `emailId` of case `protocol` for `user` (once per `key`).
 * → `{id, status, resent}`; throws 404 (unknown message or case), 409 `not_resendable`, 503 `pending`.
 */
export async function resendEmail(
  deps: AppDeps,
  user: StaffUser,
  protocol: string,
  emailId: string,
  key: string | undefined,
) {
  const view = await getCaseView(deps, protocol);
  if (!canStaffSee(user, view)) throw notFound();
  const row = await findOutboundById(deps.db, emailId);
  if (!row || row.protocol !== view.protocol) throw notFound('Mensagem não encontrada');
  // With a key, a retried request must reach the first run's result, so only the workflow's claim decides.
  if (!key && row.status !== 'uncertain' && row.status !== 'failed') throw notResendable(row.status);
  const workflowId = key
    ? `resend-email-${keyDigest(user.email, emailId, key)}`
    : `resend-email-${emailId}-${randomUUID()}`;
  const client = deps.temporal.client;
  const result = await withinBudget(deps, async () => {
    try {
      const handle = await client.workflow.start('resendEmailWorkflow', {
        workflowId,
        taskQueue: deps.temporal.taskQueue,
        args: [{ emailId, actor: user.email }],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
      return (await handle.result()) as ResendEmailResult;
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      return (await client.workflow.getHandle(workflowId).result()) as ResendEmailResult;
    }
  });
  if (!result.resent) throw notResendable(result.status);
  return { id: emailId, status: result.status, resent: true };
}

const notResendable = (status: string) =>
  new ApiError(409, 'not_resendable', `A mensagem não pode ser reenviada agora (situação: ${status})`);

export const emailResendRoutes = new Hono<AppEnv>();

emailResendRoutes.post('/api/v1/manifestations/:protocol/emails/:id/resend', async (c) => {
  const user = requireRole(c, [...resendRoles]);
  const key = idempotencyKeyOf(c);
  return c.json(await resendEmail(c.var.deps, user, c.req.param('protocol'), c.req.param('id'), key));
});

emailResendRoutes.post('/painel/casos/:protocol/emails/:id/reenviar', async (c) => {
  if (!c.var.user) return c.redirect('/entrar', 303);
  const user = requireRole(c, [...resendRoles]);
  const form = await c.req.parseBody();
  const key = idempotencyKeyOf(c, form[IDEMPOTENCY_FORM_FIELD]);
  const protocol = c.req.param('protocol');
  await resendEmail(c.var.deps, user, protocol, c.req.param('id'), key);
  return c.redirect(`/painel/casos/${encodeURIComponent(protocol)}/emails`, 303);
});
