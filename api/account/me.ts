// REST for a citizen session (issue 11 item 7): /api/v1/me (own record and company), /me/manifestations,
// /me/export (LGPD JSON), /me/correction. The session is the cookie set by the e-mailed sign-in link; staff
// sessions get 403. Off when settings `features.citizenAccounts` is false (403 `feature_off`).
import { type Context, Hono } from 'hono';
import { readJson } from '../json.ts';
import { correctionSchema, mePatchSchema } from '../people/schemas.ts';
import { companyJson, personJson } from '../people/service.ts';
import { clientIp } from '../rate-limit.ts';
import type { AppEnv } from '../types.ts';
import {
  accountRecord,
  accountsEnabled,
  accountsOff,
  exportFor,
  myCases,
  requestCorrection,
  requireCitizen,
  updateOwnRecord,
} from './data.ts';

export const meRoutes = new Hono<AppEnv>();

async function citizen(c: Context<AppEnv>) {
  const user = requireCitizen(c);
  if (!(await accountsEnabled(c.var.deps.db))) throw accountsOff();
  return user;
}

meRoutes.get('/me', async (c) => {
  const user = await citizen(c);
  const { person, company } = await accountRecord(c.var.deps.db, user.email);
  return c.json({
    email: user.email,
    person: person ? personJson(person, company) : null,
    company: company ? companyJson(company) : null,
  });
});

meRoutes.patch('/me', async (c) => {
  const user = await citizen(c);
  const body = mePatchSchema.parse(await readJson(c.req.raw));
  const { person, company } = await updateOwnRecord(c.var.deps, user, body, clientIp(c));
  return c.json({
    email: user.email,
    person: personJson(person, company),
    company: company ? companyJson(company) : null,
  });
});

meRoutes.get('/me/manifestations', async (c) => {
  const user = await citizen(c);
  const rows = await myCases(c.var.deps.db, user.email);
  return c.json({
    items: rows.map((r) => ({
      protocol: r.protocol,
      kind: r.kind,
      status: r.status,
      subject: r.subject,
      receivedAt: r.receivedAt.toISOString(),
      dueAt: r.dueAt?.toISOString() ?? null,
      updatedAt: r.updatedAt.toISOString(),
    })),
  });
});

meRoutes.get('/me/export', async (c) => {
  const user = await citizen(c);
  const data = await exportFor(c.var.deps, user, 'json');
  c.header('Content-Disposition', 'attachment; filename="meus-dados-ouvidoria.json"');
  return c.json(data);
});

meRoutes.post('/me/correction', async (c) => {
  const user = await citizen(c);
  const body = correctionSchema.parse(await readJson(c.req.raw));
  const row = await requestCorrection(c.var.deps, user, body.details);
  return c.json({ id: row.id, at: row.at.toISOString(), status: row.status }, 201);
});
