// REST: /api/v1/people and /api/v1/companies (issue 11) — the ouvidoria's records of citizens/customers
// and companies. Staff of the ouvidoria only (units never reach a person record: it would tell them who
// filed a preserved case). Every write is audited (api/people/service.ts).
import { Hono } from 'hono';
import { listCompanies, listPeople } from '../../db/queries/people.ts';
import { requireRole } from '../auth/session.ts';
import type { StaffRole } from '../disclosure.ts';
import { readJson } from '../json.ts';
import { clientIp } from '../rate-limit.ts';
import type { AppEnv } from '../types.ts';
import {
  companyCreateSchema,
  companyPatchSchema,
  listQuerySchema,
  mergeSchema,
  personCreateSchema,
  personPatchSchema,
} from './schemas.ts';
import {
  companyDetail,
  companyJson,
  createCompanyAudited,
  createPersonAudited,
  mergeAudited,
  personDetail,
  personJson,
  recordRoles,
  updateCompanyAudited,
  updatePersonAudited,
} from './service.ts';

export const peopleRoutes = new Hono<AppEnv>();

const caseJson = (c: Awaited<ReturnType<typeof personDetail>>['cases'][number]) => ({
  protocol: c.protocol,
  kind: c.kind,
  status: c.status,
  subject: c.subject,
  channel: c.channel,
  receivedAt: c.receivedAt.toISOString(),
  dueAt: c.dueAt?.toISOString() ?? null,
  linkedBy: c.how,
  verified: c.verified,
});

peopleRoutes.get('/people', async (c) => {
  requireRole(c, recordRoles);
  const q = listQuerySchema.parse(c.req.query());
  const rows = await listPeople(c.var.deps.db, {
    q: q.q ?? '',
    ...(q.companyId ? { companyId: q.companyId } : {}),
  });
  return c.json({
    items: rows.map((p) => ({
      ...personJson(p),
      company: p.companyId ? { id: p.companyId, legalName: p.companyName, vip: p.companyVip } : null,
    })),
  });
});

peopleRoutes.post('/people', async (c) => {
  const user = requireRole(c, recordRoles);
  const body = personCreateSchema.parse(await readJson(c.req.raw));
  const person = await createPersonAudited(c.var.deps, body, { email: user.email, ip: clientIp(c) });
  return c.json(personJson(person), 201, { Location: `/api/v1/people/${person.id}` });
});

peopleRoutes.get('/people/:id', async (c) => {
  const user = requireRole(c, recordRoles);
  const { person, company, cases } = await personDetail(
    c.var.deps,
    c.req.param('id'),
    user.role as StaffRole,
  );
  return c.json({ ...personJson(person, company), cases: cases.map(caseJson) });
});

peopleRoutes.patch('/people/:id', async (c) => {
  const user = requireRole(c, recordRoles);
  const body = personPatchSchema.parse(await readJson(c.req.raw));
  const person = await updatePersonAudited(c.var.deps, c.req.param('id'), body, {
    email: user.email,
    ip: clientIp(c),
  });
  return c.json(personJson(person));
});

peopleRoutes.post('/people/:id/merge', async (c) => {
  const user = requireRole(c, recordRoles);
  const body = mergeSchema.parse(await readJson(c.req.raw));
  const result = await mergeAudited(c.var.deps, c.req.param('id'), body.from, {
    email: user.email,
    ip: clientIp(c),
  });
  return c.json({
    person: personJson(result.after),
    mergedFrom: result.from.id,
    movedCases: result.moved.length,
  });
});

peopleRoutes.get('/companies', async (c) => {
  requireRole(c, recordRoles);
  const q = listQuerySchema.parse(c.req.query());
  return c.json({ items: (await listCompanies(c.var.deps.db, q.q ?? '')).map(companyJson) });
});

peopleRoutes.post('/companies', async (c) => {
  const user = requireRole(c, recordRoles);
  const body = companyCreateSchema.parse(await readJson(c.req.raw));
  const company = await createCompanyAudited(c.var.deps, body, { email: user.email, ip: clientIp(c) });
  return c.json(companyJson(company), 201, { Location: `/api/v1/companies/${company.id}` });
});

peopleRoutes.get('/companies/:id', async (c) => {
  requireRole(c, recordRoles);
  const company = await companyDetail(c.var.deps, c.req.param('id'));
  const members = await listPeople(c.var.deps.db, { companyId: company.id, includeInactive: true });
  return c.json({
    ...companyJson(company),
    people: members.map((p) => ({ id: p.id, name: p.name, vip: p.vip })),
  });
});

peopleRoutes.patch('/companies/:id', async (c) => {
  const user = requireRole(c, recordRoles);
  const body = companyPatchSchema.parse(await readJson(c.req.raw));
  const company = await updateCompanyAudited(c.var.deps, c.req.param('id'), body, {
    email: user.email,
    ip: clientIp(c),
  });
  return c.json(companyJson(company));
});
