// REST: /api/v1/admin — business calendars (working hours, overtime, state, overrides) and deadline
// policies. Admin writes, admin and ombudsman read. Every edit bumps the row's version, is audited, and
// is signalled to the open cases (calendarChanged) so they re-plan; the answer says how many were told.
import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { z } from 'zod';
import { createDeadlineActivities } from '../../activities/deadline.ts';
import {
  type CalendarOverrideRow,
  type CalendarRow,
  createPolicy,
  deleteOverride,
  getCalendar,
  getPolicy,
  listCalendars,
  listOverrides,
  listPolicies,
  putOverride,
  type SlaPolicyRow,
  saveCalendar,
  updatePolicy,
} from '../../db/queries/sla.ts';
import { audit } from '../../db/queries/users.ts';
import type { Role } from '../../db/schema.ts';
import { requireRole } from '../auth/session.ts';
import { ApiError, type FieldErrors, notFound } from '../errors.ts';
import { readJson } from '../json.ts';
import { clientIp } from '../rate-limit.ts';
import type { AppEnv } from '../types.ts';
import { notificationRuleRoutes } from './notification-rules.ts';
import { signalOpenCases } from './notify.ts';
import { pontosFacultativosRoutes } from './pontos-facultativos.ts';
import {
  calendarBodySchema,
  checkCalendar,
  checkPolicy,
  dateParamSchema,
  idSchema,
  newPolicySchema,
  overrideBodySchema,
  policyListQuerySchema,
  policyPatchSchema,
  previewSchema,
} from './schemas.ts';
import { settingsRoutes } from './settings.ts';

export const adminRoutes = new Hono<AppEnv>();
adminRoutes.route('/', notificationRuleRoutes); // e-mail notification rules (issue 4)
adminRoutes.route('/', pontosFacultativosRoutes); // federal pontos facultativos applied to a calendar
adminRoutes.route('/', settingsRoutes); // Regras gerais (config/settings.ts)

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

function requireFields(body: object) {
  if (Object.keys(body).length === 0) throw invalid({ _: ['Informe ao menos um campo a alterar'] });
}

function throwIfAny(fields: FieldErrors) {
  if (Object.keys(fields).length) throw invalid(fields);
}

async function record(c: Context<AppEnv>, action: string, data: Record<string, unknown>) {
  const user = c.var.user;
  await audit(c.var.deps.db, { actor: user?.email ?? null, action, ip: clientIp(c), data });
}

/** Signal the open cases; the id is unique per edit (the row's new version) and idempotent on retry. */
async function tellOpenCases(
  c: Context<AppEnv>,
  id: string,
  calendarVersion: number,
  policyVersion?: number,
) {
  const report = await signalOpenCases(c.var.deps, {
    id,
    calendarVersion,
    ...(policyVersion === undefined ? {} : { policyVersion }),
  });
  return { signalled: report.signalled, ...(report.failed ? { signalFailures: report.failed } : {}) };
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

adminRoutes.put('/calendars/:id', async (c) => {
  requireRole(c, writers);
  const id = param(idSchema, 'id', c.req.param('id'));
  const body = calendarBodySchema.parse(await readJson(c.req.raw));
  requireFields(body);
  const db = c.var.deps.db;
  const current = await getCalendar(db, id);
  const workingHours = body.workingHours ?? current?.workingHours;
  if (!workingHours) throw invalid({ workingHours: ['Informe o expediente para criar o calendário'] });
  const overtimeHours =
    body.overtimeHours === undefined ? (current?.overtimeHours ?? null) : body.overtimeHours;
  throwIfAny(checkCalendar({ workingHours, overtimeHours }));
  // A new calendar counts in the organisation's timezone unless told otherwise.
  const saved = await saveCalendar(
    db,
    id,
    current ? body : { ...body, timezone: body.timezone ?? c.var.deps.timezone },
  );
  if (!saved) throw invalid({ workingHours: ['Informe o expediente para criar o calendário'] });
  const { row, created } = saved;
  await record(c, created ? 'sla.calendar.created' : 'sla.calendar.updated', {
    calendarId: id,
    version: row.version,
    changes: body,
  });
  // A new calendar is used by no policy yet: nothing to re-plan.
  const told = created
    ? { signalled: 0 }
    : await tellOpenCases(c, `calendar:${id}:v${row.version}`, row.version);
  const overrides = await listOverrides(db, id);
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
  const saved = await putOverride(c.var.deps.db, id, date, body);
  if (!saved) throw notFound('Calendário não encontrado');
  const { override, calendar } = saved;
  await record(c, 'sla.calendar.override.saved', {
    calendarId: id,
    date,
    version: calendar.version,
    override: body,
  });
  const told = await tellOpenCases(c, `calendar:${id}:v${calendar.version}`, calendar.version);
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
  await calendarOr404(c, id);
  const deleted = await deleteOverride(c.var.deps.db, id, date);
  if (!deleted) throw notFound('Não há exceção cadastrada nesta data');
  const { override, calendar } = deleted;
  await record(c, 'sla.calendar.override.deleted', { calendarId: id, date, version: calendar.version });
  const told = await tellOpenCases(c, `calendar:${id}:v${calendar.version}`, calendar.version);
  return c.json({
    ...presentOverride(override),
    deleted: true,
    calendarId: id,
    calendarVersion: calendar.version,
    ...told,
  });
});

// ---------- policies ----------
async function checkCalendarRef(c: Context<AppEnv>, calendarId: string | undefined) {
  if (calendarId === undefined) return;
  if (!(await getCalendar(c.var.deps.db, calendarId)))
    throw invalid({ calendarId: [`Calendário não encontrado: ${calendarId}`] });
}

async function tellAboutPolicy(c: Context<AppEnv>, row: SlaPolicyRow) {
  const calendar = await getCalendar(c.var.deps.db, row.calendarId);
  return tellOpenCases(c, `policy:${row.id}:v${row.version}`, calendar?.version ?? 0, row.version);
}

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
  throwIfAny(
    checkPolicy({ maxExtensions: body.maxExtensions ?? 0, extensionAmount: body.extensionAmount ?? 0 }),
  );
  await checkCalendarRef(c, body.calendarId);
  const { id = `pol-${randomUUID().slice(0, 8)}`, ...values } = body;
  const row = await createPolicy(c.var.deps.db, { id, ...values });
  if (!row) throw new ApiError(409, 'conflict', `Já existe uma política com o identificador ${id}`);
  await record(c, 'sla.policy.created', { policyId: id, version: row.version, policy: body });
  const told = row.active ? await tellAboutPolicy(c, row) : { signalled: 0 };
  return c.json({ ...presentPolicy(row), ...told }, 201, { Location: `/api/v1/admin/sla-policies/${id}` });
});

adminRoutes.put('/sla-policies/:id', async (c) => {
  requireRole(c, writers);
  const id = c.req.param('id');
  const body = policyPatchSchema.parse(await readJson(c.req.raw));
  const db = c.var.deps.db;
  const current = await getPolicy(db, id);
  if (!current) throw notFound('Política não encontrada');
  requireFields(body);
  throwIfAny(
    checkPolicy({
      maxExtensions: body.maxExtensions ?? current.maxExtensions,
      extensionAmount: body.extensionAmount ?? current.extensionAmount,
    }),
  );
  await checkCalendarRef(c, body.calendarId);
  const row = await updatePolicy(db, id, body);
  if (!row) throw notFound('Política não encontrada');
  await record(c, 'sla.policy.updated', { policyId: id, version: row.version, changes: body });
  const told = current.active || row.active ? await tellAboutPolicy(c, row) : { signalled: 0 };
  return c.json({ ...presentPolicy(row), ...told });
});

/** Deactivates (policies stay for the record: cases name the policy and version they used). */
adminRoutes.delete('/sla-policies/:id', async (c) => {
  requireRole(c, writers);
  const id = c.req.param('id');
  const db = c.var.deps.db;
  const current = await getPolicy(db, id);
  if (!current) throw notFound('Política não encontrada');
  if (!current.active) return c.json({ ...presentPolicy(current), signalled: 0 });
  const row = await updatePolicy(db, id, { active: false });
  if (!row) throw notFound('Política não encontrada');
  await record(c, 'sla.policy.deactivated', { policyId: id, version: row.version });
  const told = await tellAboutPolicy(c, row);
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
