// Use cases of Prazos e calendários, shared by the REST routes (routes.ts, pontos-facultativos.ts) and the
// admin pages (api/ui/admin/params-deadlines.ts): validate, store (the row's version bumps), audit
// `{entity, id, before, after}`, and signal the open cases so they re-plan. Errors are ApiError (422 with
// fields, 404, 409); the caller maps them to JSON or to the re-rendered form.

import { randomUUID } from 'node:crypto';
import { checkPolicyItem } from '../../db/queries/catalogue.ts';
import {
  createPolicy,
  deleteOverride,
  getCalendar,
  getPolicy,
  listOverrides,
  putOverride,
  type SlaPolicyRow,
  saveCalendar,
  updatePolicy,
} from '../../db/queries/sla.ts';
import { audit } from '../../db/queries/users.ts';
import { ApiError, type FieldErrors, notFound } from '../errors.ts';
import type { AppDeps } from '../types.ts';
import { signalOpenCases } from './notify.ts';
import {
  type CalendarBody,
  checkCalendar,
  checkPolicy,
  type NewPolicyBody,
  type OverrideBody,
  type PolicyPatchBody,
} from './schemas.ts';

export type Deps = Pick<AppDeps, 'db' | 'temporal' | 'timezone'>;
export type Actor = { email: string; ip: string | null };
export type Told = { signalled: number; signalFailures?: number };

export const invalid = (fields: FieldErrors) => new ApiError(422, 'invalid_body', 'Dados inválidos', fields);

function throwIfAny(fields: FieldErrors) {
  if (Object.keys(fields).length) throw invalid(fields);
}

async function tellOpenCases(
  deps: Deps,
  id: string,
  calendarVersion: number,
  policyVersion?: number,
): Promise<Told> {
  const report = await signalOpenCases(deps, {
    id,
    calendarVersion,
    ...(policyVersion === undefined ? {} : { policyVersion }),
  });
  return { signalled: report.signalled, ...(report.failed ? { signalFailures: report.failed } : {}) };
}

async function tellAboutPolicy(deps: Deps, row: SlaPolicyRow): Promise<Told> {
  const calendar = await getCalendar(deps.db, row.calendarId);
  return tellOpenCases(deps, `policy:${row.id}:v${row.version}`, calendar?.version ?? 0, row.version);
}

async function checkCalendarRef(deps: Deps, calendarId: string | undefined) {
  if (calendarId === undefined) return;
  if (!(await getCalendar(deps.db, calendarId)))
    throw invalid({ calendarId: [`Calendário não encontrado: ${calendarId}`] });
}

const record = (deps: Deps, actor: Actor, action: string, data: Record<string, unknown>) =>
  audit(deps.db, { actor: actor.email, action, ip: actor.ip, data });

/** Creates a policy (409 when the id exists); signals the open cases when it is active. */
export async function createPolicyCase(deps: Deps, actor: Actor, body: NewPolicyBody) {
  throwIfAny(
    checkPolicy({ maxExtensions: body.maxExtensions ?? 0, extensionAmount: body.extensionAmount ?? 0 }),
  );
  await checkCalendarRef(deps, body.calendarId);
  throwIfAny(await checkPolicyItem(deps.db, body.item)); // an item of the catalogue (issue 10)
  const { id = `pol-${randomUUID().slice(0, 8)}`, ...values } = body;
  const row = await createPolicy(deps.db, { id, ...values });
  if (!row) throw new ApiError(409, 'conflict', `Já existe uma política com o identificador ${id}`);
  await record(deps, actor, 'sla.policy.created', {
    entity: 'sla_policy',
    id,
    policyId: id,
    version: row.version,
    policy: body,
    before: null,
    after: row,
  });
  const told = row.active ? await tellAboutPolicy(deps, row) : { signalled: 0 };
  return { row, told };
}

/** Changes a policy (omitted fields kept); 404 when unknown. */
export async function updatePolicyCase(deps: Deps, actor: Actor, id: string, body: PolicyPatchBody) {
  const current = await getPolicy(deps.db, id);
  if (!current) throw notFound('Política não encontrada');
  if (Object.keys(body).length === 0) throw invalid({ _: ['Informe ao menos um campo a alterar'] });
  throwIfAny(
    checkPolicy({
      maxExtensions: body.maxExtensions ?? current.maxExtensions,
      extensionAmount: body.extensionAmount ?? current.extensionAmount,
    }),
  );
  await checkCalendarRef(deps, body.calendarId);
  throwIfAny(await checkPolicyItem(deps.db, body.item)); // an item of the catalogue (issue 10)
  const row = await updatePolicy(deps.db, id, body);
  if (!row) throw notFound('Política não encontrada');
  const action = body.active === false && current.active ? 'sla.policy.deactivated' : 'sla.policy.updated';
  await record(deps, actor, action, {
    entity: 'sla_policy',
    id,
    policyId: id,
    version: row.version,
    changes: body,
    before: current,
    after: row,
  });
  const told = current.active || row.active ? await tellAboutPolicy(deps, row) : { signalled: 0 };
  return { row, told };
}

/** Creates a calendar or changes it; a new calendar counts in the organisation's timezone by default. */
export async function saveCalendarCase(deps: Deps, actor: Actor, id: string, body: CalendarBody) {
  if (Object.keys(body).length === 0) throw invalid({ _: ['Informe ao menos um campo a alterar'] });
  const current = await getCalendar(deps.db, id);
  const workingHours = body.workingHours ?? current?.workingHours;
  if (!workingHours) throw invalid({ workingHours: ['Informe o expediente para criar o calendário'] });
  const overtimeHours =
    body.overtimeHours === undefined ? (current?.overtimeHours ?? null) : body.overtimeHours;
  throwIfAny(checkCalendar({ workingHours, overtimeHours }));
  const saved = await saveCalendar(
    deps.db,
    id,
    current ? body : { ...body, timezone: body.timezone ?? deps.timezone },
  );
  if (!saved) throw invalid({ workingHours: ['Informe o expediente para criar o calendário'] });
  const { row, created } = saved;
  await record(deps, actor, created ? 'sla.calendar.created' : 'sla.calendar.updated', {
    entity: 'calendar',
    id,
    calendarId: id,
    version: row.version,
    changes: body,
    before: current ?? null,
    after: row,
  });
  // A new calendar is used by no policy yet: nothing to re-plan.
  const told = created
    ? { signalled: 0 }
    : await tellOpenCases(deps, `calendar:${id}:v${row.version}`, row.version);
  return { row, created, told };
}

/** Holiday/closure or extra/reduced workday on a date (replaces that date's override). */
export async function putOverrideCase(
  deps: Deps,
  actor: Actor,
  id: string,
  date: string,
  body: OverrideBody,
) {
  const before = (await listOverrides(deps.db, id, date)).find((o) => o.date === date) ?? null;
  const saved = await putOverride(deps.db, id, date, body);
  if (!saved) throw notFound('Calendário não encontrado');
  const { override, calendar } = saved;
  await record(deps, actor, 'sla.calendar.override.saved', {
    entity: 'calendar_override',
    id: `${id}/${date}`,
    calendarId: id,
    date,
    version: calendar.version,
    override: body,
    before,
    after: override,
  });
  const told = await tellOpenCases(deps, `calendar:${id}:v${calendar.version}`, calendar.version);
  return { override, calendar, told };
}

/** Removes the override of a date (404 when there is none). */
export async function deleteOverrideCase(deps: Deps, actor: Actor, id: string, date: string) {
  if (!(await getCalendar(deps.db, id))) throw notFound('Calendário não encontrado');
  const deleted = await deleteOverride(deps.db, id, date);
  if (!deleted) throw notFound('Não há exceção cadastrada nesta data');
  const { override, calendar } = deleted;
  await record(deps, actor, 'sla.calendar.override.deleted', {
    entity: 'calendar_override',
    id: `${id}/${date}`,
    calendarId: id,
    date,
    version: calendar.version,
    before: override,
    after: null,
  });
  const told = await tellOpenCases(deps, `calendar:${id}:v${calendar.version}`, calendar.version);
  return { override, calendar, told };
}
