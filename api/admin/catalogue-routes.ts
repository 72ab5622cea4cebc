// REST: /api/v1/admin — the administered catalogue (issue 10 items 2–5), one shape per entity of
// catalogue-defs.ts: GET /{path} (list), GET /{path}/{code}, POST /{path} (create; not for the fixed
// lists priorities, statuses, rating-scales), PATCH /{path}/{code} (change; `active: false` deactivates,
// nothing is deleted). Groups also: members (POST/DELETE) and routing rules (POST/DELETE). Admin writes,
// admin and ombudsman read; every write audited (catalogue-service.ts).
import type { Context } from 'hono';
import { Hono } from 'hono';
import { listGroupMembers, listRoutingRules } from '../../db/queries/catalogue.ts';
import { audit } from '../../db/queries/users.ts';
import type { Role } from '../../db/schema.ts';
import { requireRole } from '../auth/session.ts';
import { notFound } from '../errors.ts';
import { readJson } from '../json.ts';
import { clientIp } from '../rate-limit.ts';
import type { AppEnv } from '../types.ts';
import { entityDefs, groupDef } from './catalogue-defs.ts';
import {
  addMember,
  addRule,
  createEntity,
  getEntity,
  groupOr404,
  listEntity,
  pathKey,
  removeMember,
  removeRule,
  updateEntity,
} from './catalogue-service.ts';
import { casesToReroute, rerouteOpenCases } from './reroute.ts';

const readers: Role[] = ['admin', 'ombudsman'];
const writers: Role[] = ['admin'];

const actor = (c: Context<AppEnv>) => ({ email: c.var.user?.email ?? null, ip: clientIp(c) });

export const catalogueAdminRoutes = new Hono<AppEnv>();

const key = (c: Context<AppEnv>, name: string) => pathKey(c.req.param(name));

// open cases the current routing rules would send to another group, and re-routing them (reroute.ts)
catalogueAdminRoutes.get('/routing/pending', async (c) => {
  requireRole(c, readers);
  const cases = await casesToReroute(c.var.deps.db);
  return c.json({
    count: cases.length,
    items: cases.slice(0, 100).map((x) => ({ protocol: x.protocol, from: x.group, to: x.to })),
  });
});
catalogueAdminRoutes.post('/routing/reroute', async (c) => {
  const user = requireRole(c, writers);
  const report = await rerouteOpenCases(c.var.deps, user.email);
  await audit(c.var.deps.db, {
    actor: user.email,
    action: 'admin.routing.reroute',
    ip: clientIp(c),
    data: { entity: 'routing', id: 'open-cases', before: null, after: report },
  });
  return c.json(report);
});

// groups with their members and rules (before the generic /:code route)
catalogueAdminRoutes.get('/groups/:code', async (c) => {
  requireRole(c, readers);
  const group = await groupOr404(c.var.deps.db, key(c, 'code'));
  const members = await listGroupMembers(c.var.deps.db, group.code);
  const rules = await listRoutingRules(c.var.deps.db, group.code);
  return c.json({ ...group, members, rules });
});
catalogueAdminRoutes.post('/groups/:code/members', async (c) => {
  requireRole(c, writers);
  const user = await addMember(c.var.deps, key(c, 'code'), await readJson(c.req.raw), actor(c));
  return c.json({ groupCode: key(c, 'code'), userId: user.id, email: user.email }, 201);
});
catalogueAdminRoutes.delete('/groups/:code/members/:userId', async (c) => {
  requireRole(c, writers);
  await removeMember(c.var.deps, key(c, 'code'), key(c, 'userId'), actor(c));
  return c.json({ removed: true });
});
catalogueAdminRoutes.post('/groups/:code/rules', async (c) => {
  requireRole(c, writers);
  const rule = await addRule(c.var.deps, key(c, 'code'), await readJson(c.req.raw), actor(c));
  return c.json(rule, 201);
});
catalogueAdminRoutes.delete('/groups/:code/rules/:id', async (c) => {
  requireRole(c, writers);
  await removeRule(c.var.deps, key(c, 'code'), key(c, 'id'), actor(c));
  return c.json({ removed: true });
});

for (const def of entityDefs) {
  catalogueAdminRoutes.get(`/${def.path}`, async (c) => {
    requireRole(c, readers);
    return c.json({ items: await listEntity(c.var.deps.db, def) });
  });
  if (def !== groupDef)
    catalogueAdminRoutes.get(`/${def.path}/:code`, async (c) => {
      requireRole(c, readers);
      const row = await getEntity(c.var.deps.db, def, key(c, 'code'));
      if (!row) throw notFound('Registro não encontrado');
      return c.json(row);
    });
  if (def.create)
    catalogueAdminRoutes.post(`/${def.path}`, async (c) => {
      requireRole(c, writers);
      return c.json(await createEntity(c.var.deps, def, await readJson(c.req.raw), actor(c)), 201);
    });
  catalogueAdminRoutes.patch(`/${def.path}/:code`, async (c) => {
    requireRole(c, writers);
    const body = await readJson(c.req.raw);
    return c.json(await updateEntity(c.var.deps, def, key(c, 'code'), body, actor(c)));
  });
}
