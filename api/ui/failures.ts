// "Falhas" (/painel/falhas): the office's page of what failed for good — cases with a stuck step (from
// Temporal visibility, so it works while the database is the failing part) with a Repair button, the
// inbound e-mails in the dead letters, and the voided protocol numbers (recorded gaps). Each list that
// cannot be read says so instead of failing the page.
import { type Context, Hono } from 'hono';
import { getInbound, updateInbound } from '../../db/queries/email.ts';
import { voidIntakes } from '../../db/queries/intakes.ts';
import { translator } from '../../views/i18n.ts';
import { requireRole } from '../auth/session.ts';
import { toApiError } from '../errors.ts';
import { failureRoles } from '../failures/routes.ts';
import { listStuckCases, repairCase } from '../failures/service.ts';
import { IDEMPOTENCY_FORM_FIELD, idempotencyKeyOf } from '../idempotency.ts';
import { emailContext } from '../inbound/context.ts';
import { processInbound } from '../inbound/pipeline.ts';
import { mailbox } from '../inbound/staff-routes.ts';
import type { AppEnv } from '../types.ts';
import { languageOf, render } from './render.ts';

export const failurePages = new Hono<AppEnv>();

const orNull = <T>(p: Promise<T>): Promise<T | null> => p.catch(() => null);

async function renderFailures(
  c: Context<AppEnv>,
  message: { notice?: string; problem?: string } = {},
  status: 200 | 409 = 200,
) {
  const deps = c.var.deps;
  const [stuck, deadLetters, held, voided] = await Promise.all([
    orNull(listStuckCases(deps)),
    orNull(mailbox(c, 'dead_letter', 100)),
    orNull(mailbox(c, 'held', 100)),
    orNull(voidIntakes(deps.db)),
  ]);
  return render(
    c,
    'failures',
    { title: 'failures.title', stuck, deadLetters, held, voided, notice: null, problem: null, ...message },
    status,
  );
}

failurePages.get('/painel/falhas', async (c) => {
  if (!c.var.user) return c.redirect('/entrar', 303);
  requireRole(c, [...failureRoles]);
  const repaired = c.req.query('reparado');
  const t = translator(languageOf(c));
  return renderFailures(c, repaired ? { notice: `${repaired}: ${t('failures.repaired')}` } : {});
});

// A message held by the loop limits (api/inbound/loops.ts) is processed as usual when released.
failurePages.post('/painel/falhas/emails/:id/liberar', async (c) => {
  const user = requireRole(c, [...failureRoles]);
  const t = translator(languageOf(c));
  const ctx = emailContext(c.var.deps);
  const row = await getInbound(ctx.deps.db, c.req.param('id'));
  if (!row || row.status !== 'held') return renderFailures(c, { problem: t('failures.held.gone') }, 409);
  const result = await processInbound(ctx, row.id, undefined, { release: true });
  const after = await getInbound(ctx.deps.db, row.id);
  await updateInbound(ctx.deps.db, row.id, {
    actions: [...(after?.actions ?? []), `liberada por ${user.email}`],
  });
  const what = result.protocol ? `${row.fromAddress ?? ''} → ${result.protocol}` : (row.fromAddress ?? '');
  return renderFailures(c, { notice: `${what}: ${t('failures.held.released')}` });
});

failurePages.post('/painel/falhas/:protocol/reparar', async (c) => {
  const user = requireRole(c, [...failureRoles]);
  const protocol = c.req.param('protocol');
  const form = await c.req.parseBody();
  const key = idempotencyKeyOf(c, form[IDEMPOTENCY_FORM_FIELD]);
  try {
    await repairCase(c.var.deps, protocol, user.email, key);
  } catch (err) {
    const e = toApiError(err);
    if (e.status !== 409) throw err;
    return renderFailures(c, { problem: `${protocol}: ${e.message}` }, 409);
  }
  return c.redirect(`/painel/falhas?reparado=${encodeURIComponent(protocol)}`, 303);
});
