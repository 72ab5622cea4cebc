// planDeadline against a real database (PGlite in memory, or PostgreSQL in CI): the seeded legal defaults, a calendar edit
// that moves the due date and bumps the calendar version, and a more specific policy taking over.
import { ApplicationFailure } from '@temporalio/common';
import { sql } from 'drizzle-orm';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeadlineActivities } from '../../activities/deadline.ts';
import { isBusinessTime } from '../../activities/sla/calendar.ts';
import { createPolicy, putOverride, saveCalendar, updatePolicy } from '../../db/queries/sla.ts';
import type { DeadlineRequest } from '../../workflows/sla-types.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const TZ = 'America/Sao_Paulo';
const sp = (local: string) => Temporal.PlainDateTime.from(local).toZonedDateTime(TZ).toInstant().toString();

let handle: TestDatabase;
let planDeadline: ReturnType<typeof createDeadlineActivities>['planDeadline'];

beforeAll(async () => {
  // In-memory PGlite (openDatabase({ dataDir: 'memory://' })), or a fresh PostgreSQL database when
  // TEST_DATABASE_ADMIN_URL / DATABASE_URL is set: the activity must work on both drivers.
  handle = await createTestDatabase();
  ({ planDeadline } = createDeadlineActivities({ db: handle.db, timezone: TZ }));
});
afterAll(async () => handle?.drop());

const req = (over: Partial<DeadlineRequest> = {}): DeadlineRequest => ({
  scope: 'case',
  kind: 'complaint',
  priority: 'normal',
  item: null,
  start: sp('2026-10-02T10:00'),
  pauses: [],
  extensions: 0,
  ...over,
});

describe('planDeadline (database)', () => {
  it('applies the seeded legal policy on the seeded default calendar', async () => {
    const d = await planDeadline(req());
    // 2 Oct + 30 = Sun 1 Nov → Mon 2 Nov is Finados → due at the end of Tue 3 Nov.
    expect(d.dueAt).toBe('2026-11-04T02:59:59.999Z');
    expect(d.policy).toMatchObject({
      id: 'law-case',
      version: 1,
      unit: 'calendar_days',
      amount: 30,
      maxExtensions: 1,
    });
    expect(d.calendarVersion).toBe(1);
    expect(d.calendarId).toBe('default');
    expect(d.explanation[0]).toContain('Lei 13.460/2017');
    expect(d.explanation.join('\n')).toContain('Finados');
    const unit = await planDeadline(req({ scope: 'unit' }));
    expect(unit.policy.id).toBe('law-unit');
    expect((await planDeadline(req({ scope: 'complementation' }))).policy.amount).toBe(20);
    expect((await planDeadline(req({ scope: 'auto_close' }))).policy.id).toBe('default-auto-close');
  });

  it('moves the due date when a holiday override lands on the due day, and bumps the calendar version', async () => {
    const before = await planDeadline(req());
    const saved = await putOverride(handle.db, 'default', '2026-11-03', {
      kind: 'holiday',
      name: 'Aniversário do município',
    });
    expect(saved?.calendar.version).toBe(before.calendarVersion + 1);
    const after = await planDeadline(req());
    expect(after.dueAt).toBe('2026-11-05T02:59:59.999Z'); // Wednesday 4 Nov
    expect(after.calendarVersion).toBe(before.calendarVersion + 1);
    expect(after.explanation.join('\n')).toContain('Aniversário do município');
  });

  it('follows working-hours and timezone edits on the calendar', async () => {
    const saved = await saveCalendar(handle.db, 'default', { timezone: 'America/Manaus' });
    expect(saved?.created).toBe(false);
    const d = await planDeadline(req());
    expect(d.calendarVersion).toBe(saved?.row.version);
    expect(d.dueAt).toBe('2026-11-05T03:59:59.999Z'); // end of 4 Nov in Manaus (UTC-4)
    await saveCalendar(handle.db, 'default', { timezone: TZ });
  });

  it('prefers a more specific active policy, on its own calendar, and falls back when it is deactivated', async () => {
    await saveCalendar(handle.db, 'plantao', {
      name: 'Plantão',
      workingHours: {
        1: [
          { start: '08:00', end: '12:00' },
          { start: '13:00', end: '17:00' },
        ],
        2: [{ start: '08:00', end: '12:00' }],
        3: [],
        4: [],
        5: [],
        6: [],
        7: [],
      },
    });
    await createPolicy(handle.db, {
      id: 'urgent-complaints',
      name: 'Reclamações urgentes: 10 horas úteis',
      scope: 'case',
      kind: 'complaint',
      priority: 'urgent',
      unit: 'business_hours',
      amount: 10,
      calendarId: 'plantao',
    });
    const start = sp('2026-10-05T11:00'); // Monday
    const urgent = await planDeadline(req({ priority: 'urgent', start }));
    expect(urgent.policy).toMatchObject({ id: 'urgent-complaints', version: 1, unit: 'business_hours' });
    expect(urgent.calendarId).toBe('plantao');
    // Mon 11–12 (1 h) + 13–17 (4 h) + Tue 08–12 (4 h) = 9 h; Mon 12 Oct is Aparecida → Tue 13, 08:00 + 1 h
    expect(urgent.dueAt).toBe(sp('2026-10-13T09:00'));
    expect(urgent.explanation.join('\n')).toContain('12/10/2026');
    expect(urgent.explanation[0]).toContain('prioridade urgente');
    expect(urgent.warnings.length).toBeGreaterThan(0);
    const plantao = {
      timezone: TZ,
      country: 'BR' as const,
      overrides: [],
      workingHours: {
        1: [
          { start: '08:00', end: '12:00' },
          { start: '13:00', end: '17:00' },
        ],
        2: [{ start: '08:00', end: '12:00' }],
        3: [],
        4: [],
        5: [],
        6: [],
        7: [],
      },
    };
    for (const w of urgent.warnings) expect(isBusinessTime(plantao, w)).toBe(true);
    // a normal-priority complaint still gets the law
    expect((await planDeadline(req({ start }))).policy.id).toBe('law-case');
    await updatePolicy(handle.db, 'urgent-complaints', { active: false });
    expect((await planDeadline(req({ priority: 'urgent', start }))).policy.id).toBe('law-case');
  });

  it('falls back to the legal default when no policy is active for the scope', async () => {
    await updatePolicy(handle.db, 'law-unit', { active: false });
    const d = await planDeadline(req({ scope: 'unit' }));
    expect(d.policy.id).toBe('law-unit');
    expect(d.explanation[0]).toContain('padrão legal');
    await updatePolicy(handle.db, 'law-unit', { active: true });
  });

  it('refuses for good (non-retryable) to plan on bad policy or calendar data, and plans again once fixed', async () => {
    const refusal = async () => {
      try {
        await planDeadline(req());
      } catch (err) {
        return err as ApplicationFailure;
      }
      throw new Error('planned on bad data');
    };
    const before = await planDeadline(req());
    await handle.db.execute(sql`UPDATE calendars SET timezone = 'Marte/Olimpo' WHERE id = 'default'`);
    const tz = await refusal();
    expect(tz).toBeInstanceOf(ApplicationFailure);
    expect(tz.nonRetryable).toBe(true);
    expect(tz.type).toBe('InvalidDeadlineData');
    expect(tz.message).toContain('calendário default');
    await handle.db.execute(sql`UPDATE calendars SET timezone = ${TZ} WHERE id = 'default'`);

    // working hours that are not a list of intervals (a row edited by hand)
    const found = await handle.db.execute(sql`SELECT working_hours FROM calendars WHERE id = 'default'`);
    // postgres.js answers an array, PGlite { rows }
    const [cal] = (Array.isArray(found) ? found : (found as { rows: unknown[] }).rows) as Array<{
      working_hours: unknown;
    }>;
    await handle.db.execute(
      sql`UPDATE calendars SET working_hours = '{"1": "08-17"}'::jsonb WHERE id = 'default'`,
    );
    const hours = await refusal();
    expect(hours.nonRetryable).toBe(true);
    expect(hours.type).toBe('InvalidDeadlineData');
    await handle.db.execute(
      sql`UPDATE calendars SET working_hours = ${JSON.stringify(cal?.working_hours)}::jsonb WHERE id = 'default'`,
    );
    expect((await planDeadline(req())).dueAt).toBe(before.dueAt);
  });

  it('classifies a database refusal (SQLSTATE class 42) as permanent, not retried forever', async () => {
    await handle.db.execute(sql`ALTER TABLE sla_policies RENAME COLUMN amount TO amount_gone`);
    try {
      const err = (await planDeadline(req()).catch((e: unknown) => e)) as ApplicationFailure;
      expect(err).toBeInstanceOf(ApplicationFailure);
      expect(err.nonRetryable).toBe(true);
      expect(err.message).toMatch(/SQLSTATE 42703/);
    } finally {
      await handle.db.execute(sql`ALTER TABLE sla_policies RENAME COLUMN amount_gone TO amount`);
    }
  });
});
