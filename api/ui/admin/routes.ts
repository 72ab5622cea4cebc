// Administração (/painel/admin): the shell every admin page lives in. Admins read and write; the
// ombudsman may read the pages that say so (issue 10). Each area adds its own module here:
//   adminPages.route('/', <area>AdminPages)
// and its section to `adminSections` (sections.ts), so the index and the side navigation list it.

import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { requireRole } from '../../auth/session.ts';
import type { AppEnv } from '../../types.ts';
import { render } from '../render.ts';
import { accessAuditPages } from './access-audit.ts';
import { accessSecurityPages } from './access-security.ts';
import { accessUserPages } from './access-users.ts';
import { catalogueAdminPages } from './catalogue.ts';
import { paramsAdminPages } from './params.ts';
import { adminSections } from './sections.ts';

export const adminPages = new Hono<AppEnv>();

// Signed out → sign-in page; attendant, unit and citizen → 403 (requireRole throws).
const adminGuard = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.var.user) return c.redirect('/entrar', 303);
  const user = requireRole(c, ['admin', 'ombudsman']);
  // the ombudsman reads; every write is the admin's
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') requireRole(c, ['admin']);
  if (user.role === 'ombudsman' && c.req.method === 'GET') {
    const section = adminSections.find((s) => c.req.path.startsWith(s.href));
    if (section && !section.ombudsmanReads) requireRole(c, ['admin']);
  }
  await next();
});
adminPages.use('/painel/admin', adminGuard);
adminPages.use('/painel/admin/*', adminGuard);
adminPages.route('/', paramsAdminPages); // prazos, emails, geral (params.ts); before the catalogue's generic /:page/:path routes
// users and access: before the catalogue's generic /:page/:path routes too
adminPages.route('/', accessUserPages); // usuarios (issue 10 item 1)
adminPages.route('/', accessSecurityPages); // seguranca
adminPages.route('/', accessAuditPages); // auditoria
adminPages.route('/', catalogueAdminPages); // grupos, unidades, catalogo, listas (issue 10 items 2–5)

adminPages.get('/painel/admin', (c) => {
  const user = requireRole(c, ['admin', 'ombudsman']);
  const sections = adminSections.filter((s) => user.role === 'admin' || s.ombudsmanReads);
  return render(c, 'admin/index', { title: 'admin.title', sections });
});
