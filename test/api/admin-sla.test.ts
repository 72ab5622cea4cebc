// Admin REST for business calendars and deadline policies: roles, validation (422 with field errors),
// version bumps, audit, and the calendarChanged signal reaching open cases.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema.ts';
import { json, newManifestation, startTestOuvidor, type TestOuvidor } from '../support/harness.ts';

type Staff = Awaited<ReturnType<TestOuvidor['createStaff']>>;
type Calendar = {
  id: string;
  version: number;
  timezone: string;
  state: string | null;
  workingHours: Record<string, Array<{ start: string; end: string }>>;
  overtimeHours: Record<string, Array<{ start: string; end: string }>> | null;
  overrides: Array<{ date: string; kind: string; name: string }>;
  signalled: number;
};
type Policy = {
  id: string;
  version: number;
  active: boolean;
  amount: number;
  unit: string;
  priority: string | null;
  signalled: number;
};
type ErrorBody = { error: { code: string; fields: Record<string, string[]> } };

let t: TestOuvidor;
let admin: Staff;
let ombudsman: Staff;
let attendant: Staff;
let openProtocol: string;

beforeAll(async () => {
  t = await startTestOuvidor();
  [admin, ombudsman, attendant] = await Promise.all([
    t.createStaff('admin'),
    t.createStaff('ombudsman'),
    t.createStaff('attendant'),
  ]);
  const filed = await json<{ protocol: string }>(
    t.app.request('/api/v1/manifestations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(newManifestation()),
    }),
  );
  expect(filed.status).toBe(201);
  openProtocol = filed.body.protocol;
});
afterAll(async () => t?.stop());

const call = <T = Record<string, unknown>>(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
) =>
  json<T>(
    t.app.request(`/api/v1/admin${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );

const weekdays = (segments: Array<{ start: string; end: string }>) => ({
  1: segments,
  2: segments,
  3: segments,
  4: segments,
  5: segments,
  6: [],
  7: [],
});

describe('access', () => {
  it('answers 401 without credentials and 403 to staff who are not admin', async () => {
    expect((await call('GET', '/calendars', {})).status).toBe(401);
    expect(
      (await call('PUT', '/calendars/default', { 'content-type': 'application/json' }, { state: 'SP' }))
        .status,
    ).toBe(401);
    expect((await call('GET', '/calendars', attendant.headers)).status).toBe(403);
    expect((await call('GET', '/sla-policies', attendant.headers)).status).toBe(403);
    expect((await call('PUT', '/calendars/default', ombudsman.headers, { state: 'SP' })).status).toBe(403);
    expect((await call('POST', '/sla-policies', attendant.headers, {})).status).toBe(403);
    expect((await call('DELETE', '/sla-policies/law-case', ombudsman.headers)).status).toBe(403);
  });

  it('lets the ombudsman read calendars and policies', async () => {
    const cals = await call<{ items: Calendar[] }>('GET', '/calendars', ombudsman.headers);
    expect(cals.status).toBe(200);
    expect(cals.body.items.map((c) => c.id)).toContain('default');
    const one = await call<Calendar>('GET', '/calendars/default', ombudsman.headers);
    expect(one.body).toMatchObject({ id: 'default', timezone: 'America/Sao_Paulo', overrides: [] });
    expect(one.body.workingHours['1']).toEqual([{ start: '08:00', end: '18:00' }]);
    const policies = await call<{ items: Policy[] }>('GET', '/sla-policies?scope=case', ombudsman.headers);
    expect(policies.body.items.map((p) => p.id)).toContain('law-case');
    expect((await call('GET', '/calendars/nope', ombudsman.headers)).status).toBe(404);
  });
});

describe('calendars', () => {
  it('refuses bad working hours with field errors and changes nothing', async () => {
    const before = await call<Calendar>('GET', '/calendars/default', admin.headers);
    const res = await call<ErrorBody>('PUT', '/calendars/default', admin.headers, {
      workingHours: {
        1: [
          { start: '08:00', end: '12:00' },
          { start: '11:00', end: '14:00' },
        ],
        2: [{ start: '14:00', end: '09:00' }],
        3: [{ start: '8h', end: '18:00' }],
        9: [],
      },
      timezone: 'Mars/Olympus',
      state: 'XX',
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invalid_body');
    const fields = res.body.error.fields;
    expect(Object.keys(fields)).toEqual(
      expect.arrayContaining(['workingHours.2.0.end', 'workingHours.3.0.start', 'timezone', 'state']),
    );
    expect(fields['workingHours.2.0.end']).toContain('O início deve ser anterior ao fim');
    const after = await call<Calendar>('GET', '/calendars/default', admin.headers);
    expect(after.body.version).toBe(before.body.version);
  });

  it('refuses overlapping segments in a day, and overtime overlapping working hours', async () => {
    const overlapping = await call<ErrorBody>('PUT', '/calendars/default', admin.headers, {
      workingHours: weekdays([
        { start: '08:00', end: '12:00' },
        { start: '11:30', end: '17:00' },
      ]),
    });
    expect(overlapping.status).toBe(422);
    expect(overlapping.body.error.fields['workingHours.1.1']?.[0]).toContain('se sobrepõe');
    const overtime = await call<ErrorBody>('PUT', '/calendars/default', admin.headers, {
      overtimeHours: { 1: [{ start: '17:00', end: '20:00' }] },
    });
    expect(overtime.status).toBe(422);
    expect(overtime.body.error.fields['overtimeHours.1.0']?.[0]).toContain('expediente normal');
    const empty = await call<ErrorBody>('PUT', '/calendars/default', admin.headers, { workingHours: {} });
    expect(empty.status).toBe(422);
    expect(Object.keys(empty.body.error.fields)).toContain('workingHours');
  });

  it('edits working hours (several segments a day), overtime and state: bumps the version and signals open cases', async () => {
    const before = await call<Calendar>('GET', '/calendars/default', admin.headers);
    const res = await call<Calendar>('PUT', '/calendars/default', admin.headers, {
      workingHours: weekdays([
        { start: '08:00', end: '12:00' },
        { start: '13:00', end: '18:00' },
      ]),
      overtimeHours: { 1: [{ start: '18:00', end: '20:00' }] },
      state: 'sp',
    });
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(before.body.version + 1);
    expect(res.body.state).toBe('SP');
    expect(res.body.workingHours['1']).toHaveLength(2);
    expect(res.body.overtimeHours?.['1']).toEqual([{ start: '18:00', end: '20:00' }]);
    expect(res.body.workingHours['6']).toEqual([]);
    expect(res.body.signalled).toBeGreaterThanOrEqual(1);
    const audited = await t.db.select().from(auditLog).where(eq(auditLog.action, 'sla.calendar.updated'));
    expect(audited.at(-1)).toMatchObject({
      actor: admin.email,
      data: { calendarId: 'default', version: res.body.version },
    });
  });

  it('adds and removes a holiday override, bumping the calendar version each time', async () => {
    const before = await call<Calendar>('GET', '/calendars/default', admin.headers);
    const put = await call<{ date: string; kind: string; calendarVersion: number; signalled: number }>(
      'PUT',
      '/calendars/default/overrides/2026-12-08',
      admin.headers,
      { kind: 'holiday', name: 'Nossa Senhora da Conceição (municipal)' },
    );
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      date: '2026-12-08',
      kind: 'holiday',
      calendarVersion: before.body.version + 1,
    });
    expect(put.body.signalled).toBeGreaterThanOrEqual(1);
    const read = await call<Calendar>('GET', '/calendars/default', ombudsman.headers);
    expect(read.body.overrides.map((o) => o.date)).toContain('2026-12-08');
    const del = await call<{ deleted: boolean; calendarVersion: number; signalled: number }>(
      'DELETE',
      '/calendars/default/overrides/2026-12-08',
      admin.headers,
    );
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ deleted: true, calendarVersion: before.body.version + 2 });
    expect((await call('DELETE', '/calendars/default/overrides/2026-12-08', admin.headers)).status).toBe(404);
  });

  it('validates overrides: date, kind, and no hours on a holiday', async () => {
    const badDate = await call<ErrorBody>('PUT', '/calendars/default/overrides/2026-02-30', admin.headers, {
      kind: 'holiday',
      name: 'Inexistente',
    });
    expect(badDate.status).toBe(422);
    expect(Object.keys(badDate.body.error.fields)).toEqual(['date']);
    const bad = await call<ErrorBody>('PUT', '/calendars/default/overrides/2026-12-24', admin.headers, {
      kind: 'holiday',
      name: 'Véspera',
      hours: [{ start: '08:00', end: '12:00' }],
    });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.error.fields)).toEqual(['hours']);
    const reduced = await call<{ kind: string; hours: unknown }>(
      'PUT',
      '/calendars/default/overrides/2026-12-24',
      admin.headers,
      {
        kind: 'workday',
        name: 'Véspera de Natal: meio expediente',
        hours: [{ start: '08:00', end: '12:00' }],
      },
    );
    expect(reduced.status).toBe(200);
    expect(reduced.body.hours).toEqual([{ start: '08:00', end: '12:00' }]);
    expect(
      (
        await call('PUT', '/calendars/nope/overrides/2026-12-24', admin.headers, {
          kind: 'holiday',
          name: 'X y',
        })
      ).status,
    ).toBe(404);
  });

  it('creates a new calendar with PUT (201) and requires its working hours', async () => {
    const missing = await call<ErrorBody>('PUT', '/calendars/plantao', admin.headers, { name: 'Plantão' });
    expect(missing.status).toBe(422);
    const created = await call<Calendar>('PUT', '/calendars/plantao', admin.headers, {
      name: 'Plantão 24h',
      timezone: 'America/Manaus',
      workingHours: { 1: [{ start: '00:00', end: '24:00' }] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: 'plantao',
      version: 1,
      timezone: 'America/Manaus',
      signalled: 0,
    });
    const badId = await call<ErrorBody>('PUT', '/calendars/Bad%20Id', admin.headers, { name: 'x' });
    expect(badId.status).toBe(422);
    expect(Object.keys(badId.body.error.fields)).toEqual(['id']);
  });
});

describe('policies', () => {
  it('refuses invalid policies with field errors', async () => {
    const res = await call<ErrorBody>('POST', '/sla-policies', admin.headers, {
      name: 'Bancos',
      scope: 'case',
      unit: 'weeks',
      amount: 0,
      warningPoints: [0.9, 0.5, 1.5],
      priority: 'whenever',
      colour: 'blue',
    });
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.error.fields)).toEqual(
      expect.arrayContaining(['unit', 'amount', 'warningPoints.2', 'priority', '_']),
    );
    expect(res.body.error.fields.amount).toContain('O prazo deve ser maior que zero');
    const noExtension = await call<ErrorBody>('POST', '/sla-policies', admin.headers, {
      name: 'Sem duração',
      scope: 'case',
      unit: 'business_days',
      amount: 10,
      maxExtensions: 1,
    });
    expect(noExtension.status).toBe(422);
    expect(Object.keys(noExtension.body.error.fields)).toEqual(['extensionAmount']);
    const badCalendar = await call<ErrorBody>('POST', '/sla-policies', admin.headers, {
      name: 'Outro calendário',
      scope: 'case',
      unit: 'business_days',
      amount: 10,
      calendarId: 'nao-existe',
    });
    expect(badCalendar.status).toBe(422);
    expect(Object.keys(badCalendar.body.error.fields)).toEqual(['calendarId']);
  });

  it('creates, edits and deactivates a policy: versions bump, open cases are signalled, edits are audited', async () => {
    const created = await call<Policy>('POST', '/sla-policies', admin.headers, {
      id: 'urgent-hours',
      name: 'Urgentes: 8 horas úteis',
      scope: 'case',
      priority: 'urgent',
      unit: 'business_hours',
      amount: 8,
      extensionAmount: 4,
      maxExtensions: 1,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'urgent-hours', version: 1, active: true, priority: 'urgent' });
    expect(created.body.signalled).toBeGreaterThanOrEqual(1);
    const dup = await call<ErrorBody>('POST', '/sla-policies', admin.headers, {
      id: 'urgent-hours',
      name: 'Duplicada',
      scope: 'case',
      unit: 'business_hours',
      amount: 8,
    });
    expect(dup.status).toBe(409);

    const preview = await call<{ policy: { id: string }; dueAt: string; explanation: string[] }>(
      'POST',
      '/deadline-preview',
      ombudsman.headers,
      { priority: 'urgent', start: '2026-03-06T17:50:00-03:00' },
    );
    expect(preview.status).toBe(200);
    expect(preview.body.policy.id).toBe('urgent-hours');

    const edited = await call<Policy>('PUT', '/sla-policies/urgent-hours', admin.headers, { amount: 12 });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ version: 2, amount: 12 });
    expect(edited.body.signalled).toBeGreaterThanOrEqual(1);
    expect((await call('PUT', '/sla-policies/urgent-hours', admin.headers, { amount: -1 })).status).toBe(422);
    expect((await call('PUT', '/sla-policies/nope', admin.headers, { amount: 3 })).status).toBe(404);

    const removed = await call<Policy>('DELETE', '/sla-policies/urgent-hours', admin.headers);
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ active: false, version: 3 });
    const again = await call<Policy>('DELETE', '/sla-policies/urgent-hours', admin.headers);
    expect(again.body).toMatchObject({ active: false, version: 3, signalled: 0 });
    const active = await call<{ items: Policy[] }>('GET', '/sla-policies?active=true', admin.headers);
    expect(active.body.items.map((p) => p.id)).not.toContain('urgent-hours');

    const actions = (await t.db.select().from(auditLog)).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(['sla.policy.created', 'sla.policy.updated', 'sla.policy.deactivated']),
    );
  });
});

describe('open cases', () => {
  it('the case filed before the edits is still open and was among those signalled', async () => {
    const view = await json<{ status: string }>(
      t.app.request(`/api/v1/manifestations/${openProtocol}`, { headers: admin.headers }),
    );
    expect(view.status).toBe(200);
    expect(view.body.status).toBe('received');
    const history = await t.client.workflow.getHandle(openProtocol).fetchHistory();
    const signals = (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes);
    expect(signals.map((e) => e.workflowExecutionSignaledEventAttributes?.signalName)).toContain(
      'calendarChanged',
    );
  });
});

describe('extension counting (extensionFrom)', () => {
  type Preview = { dueAt: string; policy: { extensionFrom: string }; explanation: string[] };
  const preview = () =>
    call<Preview>('POST', '/deadline-preview', admin.headers, {
      start: '2026-09-10T15:00:00-03:00',
      extensions: 1,
    });

  it('counts the extension from the deadline by default (12/11); an admin can switch the policy to "start" (09/11)', async () => {
    const policy = await call<Policy & { extensionFrom: string; allowLateExtension: boolean }>(
      'GET',
      '/sla-policies/law-case',
      admin.headers,
    );
    expect(policy.body).toMatchObject({ extensionFrom: 'deadline', allowLateExtension: false });
    const byDeadline = await preview();
    expect(byDeadline.body.dueAt).toBe('2026-11-13T02:59:59.999Z');
    const bad = await call<ErrorBody>('PUT', '/sla-policies/law-case', admin.headers, {
      extensionFrom: 'end',
    });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.error.fields)).toEqual(['extensionFrom']);
    const switched = await call<Policy>('PUT', '/sla-policies/law-case', admin.headers, {
      extensionFrom: 'start',
    });
    expect(switched.status).toBe(200);
    const byStart = await preview();
    expect(byStart.body.dueAt).toBe('2026-11-10T02:59:59.999Z');
    expect(byStart.body.explanation.join('\n')).toContain('extensionFrom: start');
    await call('PUT', '/sla-policies/law-case', admin.headers, { extensionFrom: 'deadline' });
    expect((await preview()).body.dueAt).toBe('2026-11-13T02:59:59.999Z');
  });
});
