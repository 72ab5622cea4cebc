import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import {
  addBusinessTime,
  type BusinessCalendar,
  businessTimeBetween,
  computeDeadline,
  defaultCalendar,
  isBusinessDay,
  isBusinessTime,
  isHoliday,
  nextBusinessMoment,
  warningAt,
} from '../../activities/sla/calendar.ts';

const TZ = 'America/Sao_Paulo';
/** Local São Paulo wall-clock time → UTC ISO instant. */
const sp = (local: string) => Temporal.PlainDateTime.from(local).toZonedDateTime(TZ).toInstant().toString();
const local = (instant: string) => Temporal.Instant.from(instant).toZonedDateTimeISO(TZ);
/** Expected end-of-day instant (23:59:59.999 local). */
const endOf = (date: string) =>
  Temporal.Instant.fromEpochMilliseconds(
    Temporal.PlainDate.from(date).add({ days: 1 }).toZonedDateTime(TZ).epochMilliseconds - 1,
  ).toString();

describe('holidays', () => {
  const cal = defaultCalendar();
  it('knows national public holidays', () => {
    expect(isHoliday(cal, '2026-12-25')).toEqual({ holiday: true, name: 'Natal' });
    expect(isHoliday(cal, '2026-04-21').holiday).toBe(true);
    expect(isHoliday(cal, '2026-11-20').holiday).toBe(true);
    expect(isHoliday(cal, '2026-11-02').holiday).toBe(true);
    expect(isHoliday(cal, '2026-03-10').holiday).toBe(false);
  });
  it('20 November is a holiday from 2024 on, also where date-holidays omits it (SP)', () => {
    const spCal: BusinessCalendar = { ...cal, state: 'SP' };
    expect(isHoliday(spCal, '2026-11-20').holiday).toBe(true);
    expect(isHoliday(spCal, '2026-07-09').holiday).toBe(true); // state holiday
    expect(isHoliday(cal, '2026-07-09').holiday).toBe(false);
    expect(isHoliday(cal, '2024-11-20').holiday).toBe(true);
    expect(isHoliday(cal, '2023-11-20').holiday).toBe(false);
  });
  it('Carnaval and Corpus Christi (ponto facultativo) are business days unless overridden', () => {
    expect(isBusinessDay(cal, '2026-02-17')).toBe(true);
    expect(isBusinessDay(cal, '2026-06-04')).toBe(true);
    const closed: BusinessCalendar = {
      ...cal,
      overrides: [{ date: '2026-02-17', kind: 'holiday', name: 'Carnaval' }],
    };
    expect(isBusinessDay(closed, '2026-02-17')).toBe(false);
    expect(isHoliday(closed, '2026-02-17')).toEqual({ holiday: true, name: 'Carnaval' });
  });
  it('a workday override opens a holiday or a weekend day', () => {
    const c: BusinessCalendar = {
      ...cal,
      overrides: [
        { date: '2026-11-02', kind: 'workday', name: 'Mutirão' },
        {
          date: '2026-03-07',
          kind: 'workday',
          name: 'Sábado letivo',
          hours: [{ start: '09:00', end: '13:00' }],
        },
      ],
    };
    expect(isBusinessDay(c, '2026-11-02')).toBe(true);
    expect(isBusinessDay(c, '2026-03-07')).toBe(true);
    expect(isBusinessTime(c, sp('2026-03-07T10:00'))).toBe(true);
    expect(isBusinessTime(c, sp('2026-03-07T14:00'))).toBe(false);
  });
  it('rejects an unknown state', () => {
    expect(() => isHoliday({ ...cal, state: 'XX' }, '2026-01-01')).toThrow(RangeError);
  });
});

describe('business time predicates', () => {
  const cal = defaultCalendar();
  it('isBusinessTime respects end-exclusive segments', () => {
    expect(isBusinessTime(cal, sp('2026-03-09T08:00'))).toBe(true);
    expect(isBusinessTime(cal, sp('2026-03-09T17:59'))).toBe(true);
    expect(isBusinessTime(cal, sp('2026-03-09T18:00'))).toBe(false);
    expect(isBusinessTime(cal, sp('2026-03-08T10:00'))).toBe(false); // Sunday
  });
  it('nextBusinessMoment', () => {
    expect(nextBusinessMoment(cal, sp('2026-03-09T10:30'))).toBe(sp('2026-03-09T10:30'));
    expect(nextBusinessMoment(cal, sp('2026-03-06T18:00'))).toBe(sp('2026-03-09T08:00'));
    expect(nextBusinessMoment(cal, sp('2026-04-20T19:00'))).toBe(sp('2026-04-22T08:00')); // Tiradentes
  });
  it('overtime counts only when asked', () => {
    const c: BusinessCalendar = {
      ...cal,
      overtimeHours: {
        ...cal.workingHours,
        1: [{ start: '18:00', end: '20:00' }],
        2: [],
        3: [],
        4: [],
        5: [],
      },
    };
    expect(isBusinessTime(c, sp('2026-03-09T19:00'))).toBe(false);
    expect(isBusinessTime(c, sp('2026-03-09T19:00'), true)).toBe(true);
    const input = { start: sp('2026-03-09T17:00'), unit: 'business_hours' as const, amount: 2, calendar: c };
    expect(computeDeadline(input).dueAt).toBe(sp('2026-03-10T09:00'));
    expect(computeDeadline({ ...input, includeOvertime: true }).dueAt).toBe(sp('2026-03-09T19:00'));
  });
});

describe('computeDeadline: business_hours', () => {
  it('Friday 17:50 + 8 business hours, Monday an override holiday → Tuesday 15:50', () => {
    const cal: BusinessCalendar = {
      ...defaultCalendar(),
      overrides: [{ date: '2026-03-09', kind: 'holiday', name: 'Aniversário da cidade' }],
    };
    const r = computeDeadline({
      start: sp('2026-03-06T17:50'),
      unit: 'business_hours',
      amount: 8,
      calendar: cal,
    });
    expect(r.dueAt).toBe(sp('2026-03-10T15:50'));
    expect(r.dueAt).toMatch(/Z$/);
    expect(r.explanation.join('\n')).toContain('Aniversário da cidade');
  });
  it('starting outside working hours begins at the next working moment', () => {
    const r = computeDeadline({
      start: sp('2026-03-07T11:00'),
      unit: 'business_hours',
      amount: 3,
      calendar: defaultCalendar(),
    });
    expect(r.dueAt).toBe(sp('2026-03-09T11:00'));
    expect(r.explanation.join('\n')).toContain('fora do expediente');
  });
  it('several segments a day: lunch is not counted', () => {
    const day = () => [
      { start: '08:00', end: '12:00' },
      { start: '13:00', end: '17:00' },
    ];
    const cal: BusinessCalendar = {
      ...defaultCalendar(),
      workingHours: { 1: day(), 2: day(), 3: day(), 4: day(), 5: day(), 6: [], 7: [] },
    };
    const r = computeDeadline({
      start: sp('2026-03-09T10:00'),
      unit: 'business_hours',
      amount: 4,
      calendar: cal,
    });
    expect(r.dueAt).toBe(sp('2026-03-09T15:00'));
    expect(isBusinessTime(cal, sp('2026-03-09T12:30'))).toBe(false);
    expect(
      businessTimeBetween({ from: sp('2026-03-09T08:00'), to: sp('2026-03-10T08:00'), calendar: cal }),
    ).toBe(8 * 3_600_000);
  });
  it('a pause across a weekend counts only business time', () => {
    const base = {
      start: sp('2026-03-06T16:00'),
      unit: 'business_hours' as const,
      amount: 4,
      calendar: defaultCalendar(),
    };
    expect(computeDeadline(base).dueAt).toBe(sp('2026-03-09T10:00'));
    const r = computeDeadline({
      ...base,
      pauses: [{ from: sp('2026-03-06T17:00'), to: sp('2026-03-09T10:00') }],
    });
    // Fri 16–17 (1h) + Mon 10–13 (3h); the weekend is not business time anyway.
    expect(r.dueAt).toBe(sp('2026-03-09T13:00'));
    expect(r.explanation.join('\n')).toContain('3h00min');
  });
  it('an open pause makes the deadline unknown; one after the deadline does not', () => {
    const base = {
      start: sp('2026-03-09T08:00'),
      unit: 'business_hours' as const,
      amount: 4,
      calendar: defaultCalendar(),
    };
    const open = computeDeadline({ ...base, pauses: [{ from: sp('2026-03-09T10:00') }] });
    expect(open.dueAt).toBeNull();
    expect(open.explanation.join('\n')).toContain('suspens');
    expect(computeDeadline({ ...base, pauses: [{ from: sp('2026-03-09T13:00') }] }).dueAt).toBe(
      sp('2026-03-09T12:00'),
    );
  });
  it('addBusinessTime', () => {
    expect(
      addBusinessTime({
        start: sp('2026-03-06T17:00'),
        durationMs: 2 * 3_600_000,
        calendar: defaultCalendar(),
      }),
    ).toBe(sp('2026-03-09T09:00'));
  });
});

describe('computeDeadline: calendar_days (Lei 9.784/1999 art. 66)', () => {
  const cal = defaultCalendar();
  it('excludes the start day: Monday + 1 day → end of Tuesday', () => {
    const r = computeDeadline({
      start: sp('2026-03-02T15:00'),
      unit: 'calendar_days',
      amount: 1,
      calendar: cal,
    });
    expect(r.dueAt).toBe(endOf('2026-03-03'));
    expect(
      local(r.dueAt as string)
        .toPlainDateTime()
        .toString(),
    ).toBe('2026-03-03T23:59:59.999');
  });
  it('30 days landing on Finados (Monday 2 Nov 2026) → Tuesday 3 Nov', () => {
    const r = computeDeadline({
      start: sp('2026-10-03T09:00'),
      unit: 'calendar_days',
      amount: 30,
      calendar: cal,
    });
    expect(r.dueAt).toBe(endOf('2026-11-03'));
    const text = r.explanation.join('\n');
    expect(text).toContain('02/11/2026');
    expect(text).toContain('Finados');
    expect(text).toContain('03/11/2026');
  });
  it('30 days landing on Saturday 2 Nov 2024 → Monday 4 Nov', () => {
    const r = computeDeadline({
      start: sp('2024-10-03T09:00'),
      unit: 'calendar_days',
      amount: 30,
      calendar: cal,
    });
    expect(r.dueAt).toBe(endOf('2024-11-04'));
  });
  it('30 days landing on 20 Nov 2026 (Friday, Consciência Negra) → Monday 23 Nov, also for SP', () => {
    const input = {
      start: sp('2026-10-21T14:00'),
      unit: 'calendar_days' as const,
      amount: 30,
      calendar: cal,
    };
    expect(computeDeadline(input).dueAt).toBe(endOf('2026-11-23'));
    expect(computeDeadline({ ...input, calendar: { ...cal, state: 'SP' } }).dueAt).toBe(endOf('2026-11-23'));
  });
  it('a closed pause extends by the days not counted', () => {
    // 10 days from Mon 2 Mar → Thu 12 Mar. Pause Wed 4 10:00 → Fri 6 15:00: Thu 5 and Fri 6 are not counted.
    const r = computeDeadline({
      start: sp('2026-03-02T09:00'),
      unit: 'calendar_days',
      amount: 10,
      calendar: cal,
      pauses: [{ from: sp('2026-03-04T10:00'), to: sp('2026-03-06T15:00') }],
    });
    expect(r.dueAt).toBe(endOf('2026-03-16')); // 12 + 2 = Sat 14 → Mon 16
  });
  it('an open pause before the deadline → dueAt null', () => {
    const r = computeDeadline({
      start: sp('2026-03-02T09:00'),
      unit: 'calendar_days',
      amount: 10,
      calendar: cal,
      pauses: [{ from: sp('2026-03-04T10:00') }],
    });
    expect(r.dueAt).toBeNull();
  });
});

describe('computeDeadline: business_days', () => {
  it('counts business days only, skipping holidays', () => {
    const r = computeDeadline({
      start: sp('2026-10-29T10:00'),
      unit: 'business_days',
      amount: 3,
      calendar: defaultCalendar(),
    });
    // Start Thu 29 Oct 2026 (excluded); Fri 30 (1), Sat/Sun skipped, Mon 2 Nov Finados skipped, Tue 3 (2), Wed 4 (3)
    expect(r.dueAt).toBe(endOf('2026-11-04'));
    expect(r.explanation.join('\n')).toContain('Finados');
  });
});

describe('warningAt', () => {
  const cal = defaultCalendar();
  it('50% of 8 business hours from Friday 16:00 lands inside working hours', () => {
    const w = warningAt({
      start: sp('2026-03-06T16:00'),
      unit: 'business_hours',
      amount: 8,
      calendar: cal,
      fraction: 0.5,
    });
    expect(w).toBe(sp('2026-03-09T10:00'));
  });
  it('never lands outside working hours, at 00:00 or on a Sunday', () => {
    const inputs = [
      { start: sp('2026-03-06T16:00'), unit: 'business_hours' as const, amount: 8 },
      { start: sp('2026-03-06T16:00'), unit: 'business_hours' as const, amount: 2 },
      { start: sp('2026-03-07T03:00'), unit: 'calendar_days' as const, amount: 30 },
      { start: sp('2026-10-03T09:00'), unit: 'calendar_days' as const, amount: 30 },
      { start: sp('2026-10-29T10:00'), unit: 'business_days' as const, amount: 3 },
    ];
    for (const input of inputs) {
      for (const fraction of [0, 0.25, 0.5, 0.75, 0.9, 1]) {
        const w = warningAt({ ...input, calendar: cal, fraction });
        expect(w).not.toBeNull();
        const z = local(w as string);
        expect(isBusinessTime(cal, w as string), `${input.unit} ${fraction} → ${z}`).toBe(true);
        expect(z.dayOfWeek).not.toBe(7);
        expect(z.hour === 0 && z.minute === 0).toBe(false);
        const due = computeDeadline({ ...input, calendar: cal }).dueAt as string;
        expect(
          Temporal.Instant.compare(Temporal.Instant.from(w as string), Temporal.Instant.from(due)),
        ).toBeLessThanOrEqual(0);
      }
    }
  });
  it('a boundary point (25% = Friday 18:00) moves to the next working moment', () => {
    const w = warningAt({
      start: sp('2026-03-06T16:00'),
      unit: 'business_hours',
      amount: 8,
      calendar: cal,
      fraction: 0.25,
    });
    expect(w).toBe(sp('2026-03-09T08:00'));
  });
  it('is null when the deadline is unknown', () => {
    expect(
      warningAt({
        start: sp('2026-03-06T16:00'),
        unit: 'business_hours',
        amount: 8,
        calendar: cal,
        pauses: [{ from: sp('2026-03-06T17:00') }],
        fraction: 0.5,
      }),
    ).toBeNull();
  });
});
