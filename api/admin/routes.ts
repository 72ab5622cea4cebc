import type { Context } from 'hono';
import { Hono } from 'hono';
import type { z } from 'zod';
import { createDeadlineActivities } from '../../activities/deadline.ts';
import {
  type CalendarOverrideRow,
  type CalendarRow,
  getCalendar,
  getPolicy,
  listCalendars,
  listOverrides,
  listPolicies,
  type SlaPolicyRow,
} from '../../db/queries/sla.ts';
import type { Role } from '../../db/schema.ts';
import { requireRole } from '../auth/session.ts';
import { ApiError, type FieldErrors, notFound } from '../errors.ts';
import { readJson } from '../json.ts';
import { clientIp } from '../rate-limit.ts';
import type { AppEnv } from '../types.ts';
import { accessAdminRoutes } from './access/routes.ts';
import { catalogueAdminRoutes } from './catalogue-routes.ts';
import { emailTemplateRoutes } from './email-templates.ts';
import { notificationRuleRoutes } from './notification-rules.ts';
import { pontosFacultativosRoutes } from './pontos-facultativos.ts';
import {
  calendarBodySchema,
  dateParamSchema,
  idSchema,
  newPolicySchema,
  overrideBodySchema,
  policyListQuerySchema,
  policyPatchSchema,
  previewSchema,
} from './schemas.ts';
import { settingsRoutes } from './settings.ts';
import {
  createPolicyCase,
  deleteOverrideCase,
  putOverrideCase,
  saveCalendarCase,
  updatePolicyCase,
} from './sla-service.ts';

export const adminRoutes = new Hono<AppEnv>();
adminRoutes.route('/', notificationRuleRoutes); // e-mail notification rules (issue 4)
adminRoutes.route('/', pontosFacultativosRoutes); // federal pontos facultativos applied to a calendar
adminRoutes.route('/', catalogueAdminRoutes); // groups, units, cost centres, topics, items, lists (issue 10)
adminRoutes.route('/', settingsRoutes); // Regras gerais (config/settings.ts)
adminRoutes.route('/', accessAdminRoutes); // users, invitations, audit list (issue 10 items 1 and 9)
adminRoutes.route('/', emailTemplateRoutes); // editable e-mail templates

const readers: Role[] = ['admin', 'ombudsman'];
const writers: Role[] = ['admin'];

// ---------- presenters ----------
export const presentCalendar = (row: CalendarRow) => ({
  id: row.id,
  name: row.name,
  timezone: row.timezone,
  workingHours: row.workingHours,
  overtimeHours: row.overtimeHours ?? null,
  state: row.state ?? null,
  version: row.version,
  updatedAt: row.updatedAt.toISOString(),
});

export const presentOverride = (row: CalendarOverrideRow) => ({
  date: row.date,
  kind: row.kind,
  name: row.name,
  hours: row.hours ?? null,
  updatedAt: row.updatedAt.toISOString(),
});

export const presentPolicy = (row: SlaPolicyRow) => ({
  id: row.id,
  name: row.name,
  scope: row.scope,
  kind: row.kind,
  item: row.item,
  topic: row.topic,
  priority: row.priority,
  unit: row.unit,
  amount: row.amount,
  warningPoints: row.warningPoints,
  extensionAmount: row.extensionAmount,
  maxExtensions: row.maxExtensions,
  complementation: row.complementation,
  extensionFrom: row.extensionFrom,
  allowLateExtension: row.allowLateExtension,
  includeOvertime: row.includeOvertime,
  calendarId: row.calendarId,
  active: row.active,
  version: row.version,
  updatedAt: row.updatedAt.toISOString(),
});

const invalid = (fields: FieldErrors) => new ApiError(422, 'invalid_body', 'Dados inválidos', fields);

function param<T>(schema: z.ZodType<T>, name: string, value: string | undefined): T {
  const r = schema.safeParse(value);
  if (!r.success) throw invalid({ [name]: r.error.issues.map((i) => i.message) });
  return r.data;
}

async function calendarOr404(c: Context<AppEnv>, id: string) {
  const row = await getCalendar(c.var.deps.db, id);
  if (!row) throw notFound('Calendário não encontrado');
  return row;
}

// ---------- calendars ----------
adminRoutes.get('/calendars', async (c) => {
  requireRole(c, readers);
  const rows = await listCalendars(c.var.deps.db);
  return c.json({ items: rows.map(presentCalendar) });
});

adminRoutes.get('/calendars/:id', async (c) => {
  requireRole(c, readers);
  const row = await calendarOr404(c, c.req.param('id'));
  const overrides = await listOverrides(c.var.deps.db, row.id);
  return c.json({ ...presentCalendar(row), overrides: overrides.map(presentOverride) });
});

const actorOf = (c: Context<AppEnv>) => ({ email: c.var.user?.email ?? '', ip: clientIp(c) });

adminRoutes.put('/calendars/:id', async (c) => {
  requireRole(c, writers);
  const id = param(idSchema, 'id', c.req.param('id'));
  const body = calendarBodySchema.parse(await readJson(c.req.raw));
  const { row, created, told } = await saveCalendarCase(c.var.deps, actorOf(c), id, body);
  const overrides = await listOverrides(c.var.deps.db, id);
  return c.json(
    { ...presentCalendar(row), overrides: overrides.map(presentOverride), ...told },
    created ? 201 : 200,
  );
});

adminRoutes.put('/calendars/:id/overrides/:date', async (c) => {
  requireRole(c, writers);
  const id = c.req.param('id');
  const date = param(dateParamSchema, 'date', c.req.param('date'));
  const body = overrideBodySchema.parse(await readJson(c.req.raw));
  const { override, calendar, told } = await putOverrideCase(c.var.deps, actorOf(c), id, date, body);
  return c.json({
    ...presentOverride(override),
    calendarId: id,
    calendarVersion: calendar.version,
    ...told,
  });
});

adminRoutes.delete('/calendars/:id/overrides/:date', async (c) => {
  requireRole(c, writers);
  const id = c.req.param('id');
  const date = param(dateParamSchema, 'date', c.req.param('date'));
  const { override, calendar, told } = await deleteOverrideCase(c.var.deps, actorOf(c), id, date);
  return c.json({
    ...presentOverride(override),
    deleted: true,
    calendarId: id,
    calendarVersion: calendar.version,
    ...told,
  });
});

// ---------- policies ----------
adminRoutes.get('/sla-policies', async (c) => {
  requireRole(c, readers);
  const q = policyListQuerySchema.parse(c.req.query());
  const rows = await listPolicies(c.var.deps.db, {
    scope: q.scope,
    active: q.active === undefined ? undefined : q.active === 'true',
  });
  return c.json({ items: rows.map(presentPolicy) });
});

adminRoutes.get('/sla-policies/:id', async (c) => {
  requireRole(c, readers);
  const row = await getPolicy(c.var.deps.db, c.req.param('id'));
  if (!row) throw notFound('Política não encontrada');
  return c.json(presentPolicy(row));
});

adminRoutes.post('/sla-policies', async (c) => {
  requireRole(c, writers);
  const body = newPolicySchema.parse(await readJson(c.req.raw));
  const { row, told } = await createPolicyCase(c.var.deps, actorOf(c), body);
  return c.json({ ...presentPolicy(row), ...told }, 201, {
    Location: `/api/v1/admin/sla-policies/${row.id}`,
  });
});

adminRoutes.put('/sla-policies/:id', async (c) => {
  requireRole(c, writers);
  const body = policyPatchSchema.parse(await readJson(c.req.raw));
  const { row, told } = await updatePolicyCase(c.var.deps, actorOf(c), c.req.param('id'), body);
  return c.json({ ...presentPolicy(row), ...told });
});

/** Deactivates (policies stay for the record: cases name the policy and version they used). */
adminRoutes.delete('/sla-policies/:id', async (c) => {
  requireRole(c, writers);
  const id = c.req.param('id');
  const current = await getPolicy(c.var.deps.db, id);
  if (!current) throw notFound('Política não encontrada');
  if (!current.active) return c.json({ ...presentPolicy(current), signalled: 0 });
  const { row, told } = await updatePolicyCase(c.var.deps, actorOf(c), id, { active: false });
  return c.json({ ...presentPolicy(row), ...told });
});

// ---------- preview ----------
/** What deadline the current policies and calendars give a case like this (nothing is stored). */
adminRoutes.post('/deadline-preview', async (c) => {
  requireRole(c, readers);
  const body = previewSchema.parse(await readJson(c.req.raw));
  const { planDeadline } = createDeadlineActivities({ db: c.var.deps.db, timezone: c.var.deps.timezone });
  return c.json(await planDeadline({ ...body, pauses: [] }));
});
