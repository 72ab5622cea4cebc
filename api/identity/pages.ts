// Pages for protected identities: "Revelar identidade" on the staff case page (a form with a required
// purpose; the identity shows in that one response only, never in a later page load) and the
// identity-access log for the ombudsman and admins (/painel/acessos-identidade).
import { Hono } from 'hono';
import { listIdentityAccess } from '../../db/queries/identity-access.ts';
import { requireRole } from '../auth/session.ts';
import { accessLogReaders } from '../disclosure.ts';
import { zodFieldErrors } from '../errors.ts';
import { getCaseView } from '../manifestations/service.ts';
import type { AppEnv } from '../types.ts';
import { render } from '../ui/render.ts';
import { renderCase } from '../ui/staff.ts';
import { presentAccess, revealIdentity, revealSchema } from './reveal.ts';
import { accessLogQuerySchema } from './routes.ts';

export const identityPages = new Hono<AppEnv>();

identityPages.post('/painel/casos/:protocol/identidade', async (c) => {
  const user = requireRole(c);
  const protocol = c.req.param('protocol');
  const form = await c.req.parseBody();
  const purpose = typeof form.purpose === 'string' ? form.purpose : '';
  const parsed = revealSchema.safeParse({ purpose });
  c.header('Cache-Control', 'no-store');
  if (!parsed.success) {
    const error = { message: 'Dados inválidos', fields: zodFieldErrors(parsed.error), purpose };
    return renderCase(c, protocol, undefined, 422, false, { revealError: error });
  }
  await revealIdentity(c.var.deps, user, await getCaseView(c.var.deps, protocol), parsed.data.purpose);
  return renderCase(c, protocol, undefined, 200, false, { revealed: true });
});

identityPages.get('/painel/acessos-identidade', async (c) => {
  if (!c.var.user) return c.redirect('/entrar', 303);
  requireRole(c, [...accessLogReaders]);
  const parsed = accessLogQuerySchema.safeParse(c.req.query());
  const filter = parsed.success ? parsed.data : {};
  const rows = (await listIdentityAccess(c.var.deps.db, filter)).map(presentAccess);
  return render(c, 'identity-access-log', {
    title: 'accessLog.title',
    rows,
    protocol: filter.protocol ?? '',
    invalid: !parsed.success,
  });
});
