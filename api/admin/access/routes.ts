// REST: /api/v1/admin/users (admin) and /api/v1/admin/audit (admin, ombudsman). Users are invited by
// e-mail (the person sets the password from the mailed link), edited, deactivated and reactivated; the
// use cases are in users-service.ts, shared with the pages.
import { Hono } from 'hono';
import { ZodError } from 'zod';
import { listAudit, listStaffUsers } from '../../../db/queries/access.ts';
import { requireRole } from '../../auth/session.ts';
import { ApiError, notFound, zodFieldErrors } from '../../errors.ts';
import { readJson } from '../../json.ts';
import { clientIp } from '../../rate-limit.ts';
import type { AppEnv } from '../../types.ts';
import { auditCursor, auditFilter, presentAudit } from './audit.ts';
import { auditQuerySchema, inviteSchema, userListQuerySchema, userPatchSchema } from './schemas.ts';
import { editUser, inviteUser, loadUser, presentUser, resendPasswordLink } from './users-service.ts';

export const accessAdminRoutes = new Hono<AppEnv>();

const query = <T>(schema: { parse: (v: unknown) => T }, v: unknown): T => {
  try {
    return schema.parse(v);
  } catch (err) {
    if (err instanceof ZodError)
      throw new ApiError(422, 'invalid_query', 'Parâmetros inválidos', zodFieldErrors(err));
    throw err;
  }
};

accessAdminRoutes.get('/users', async (c) => {
  requireRole(c, ['admin']);
  const q = query(userListQuerySchema, c.req.query());
  const rows = await listStaffUsers(c.var.deps.db, {
    q: q.q || undefined,
    role: q.role,
    active: q.active === undefined ? undefined : q.active === 'true',
  });
  return c.json({ items: rows.map((r) => presentUser(r)) });
});

accessAdminRoutes.post('/users', async (c) => {
  const actor = requireRole(c, ['admin']);
  const body = inviteSchema.parse(await readJson(c.req.raw));
  const user = await inviteUser(c.var.deps, actor, clientIp(c), body);
  return c.json(presentUser(user), 201);
});

accessAdminRoutes.get('/users/:id', async (c) => {
  requireRole(c, ['admin']);
  const user = await loadUser(c.var.deps, c.req.param('id'));
  if (!user) throw notFound('Usuário não encontrado');
  return c.json(presentUser(user));
});

accessAdminRoutes.patch('/users/:id', async (c) => {
  const actor = requireRole(c, ['admin']);
  const body = userPatchSchema.parse(await readJson(c.req.raw));
  const user = await editUser(c.var.deps, actor, clientIp(c), c.req.param('id'), body);
  return c.json(presentUser(user));
});

accessAdminRoutes.post('/users/:id/password-link', async (c) => {
  const actor = requireRole(c, ['admin']);
  const user = await resendPasswordLink(c.var.deps, actor, clientIp(c), c.req.param('id'));
  return c.json({ sent: true, kind: user.hasPassword ? 'password_reset' : 'invitation' }, 202);
});

accessAdminRoutes.get('/audit', async (c) => {
  requireRole(c, ['admin', 'ombudsman']);
  const q = query(auditQuerySchema, c.req.query());
  const { rows, more } = await listAudit(c.var.deps.db, auditFilter(q, c.var.deps.timezone));
  const last = rows[rows.length - 1];
  return c.json({ items: rows.map(presentAudit), nextCursor: more && last ? auditCursor(last) : null });
});
