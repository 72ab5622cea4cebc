// Extension "por igual período" (Lei 13.460/2017 art. 16): the policy says where the extension's period
// begins. Values verified by hand against the 2026 calendar (12/10 Aparecida, 02/11 Finados).
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICIES, planWith } from '../../activities/deadline.ts';
import { defaultCalendar, isBusinessTime } from '../../activities/sla/calendar.ts';
import type { AppliedPolicy, DeadlineRequest, DeadlineScope } from '../../workflows/sla-types.ts';

const TZ = 'America/Sao_Paulo';
const sp = (local: string) => Temporal.PlainDateTime.from(local).toZonedDateTime(TZ).toInstant().toString();
const localDay = (iso: string) => Temporal.Instant.from(iso).toZonedDateTimeISO(TZ).toPlainDate().toString();

const plan = (
  scope: DeadlineScope,
  start: string,
  extensions: number,
  policy: Partial<AppliedPolicy> = {},
) => {
  const req: DeadlineRequest = {
    scope,
    kind: 'complaint',
    priority: 'normal',
    item: null,
    start,
    pauses: [],
    extensions,
  };
  return planWith(req, { ...DEFAULT_POLICIES[scope], ...policy }, defaultCalendar(), 1);
};

describe('extension counted from the deadline (default)', () => {
  it('a case received 10/09 15:00 is due 13/10, and extended it is due 12/11', () => {
    const start = '2026-09-10T15:00:00-03:00';
    expect(localDay(plan('case', start, 0).dueAt!)).toBe('2026-10-13');
    const extended = plan('case', start, 1);
    expect(extended.policy.extensionFrom).toBe('deadline');
    expect(extended.dueAt).toBe('2026-11-13T02:59:59.999Z'); // end of Thu 12/11 in São Paulo
    const text = extended.explanation.join('\n');
    expect(text).toContain('cada prorrogação começa no vencimento que ela prorroga');
    expect(text).toContain(
      'Prorrogação 1: 30 dia(s) corrido(s) contados a partir do vencimento anterior (13/10/2026 23:59)',
    );
    expect(text).toContain('Vencimento: fim do dia 12/11/2026 (quinta-feira)');
  });

  it('extensionFrom "start" adds the 30 days to the count from the start: 09/11', () => {
    const extended = plan('case', '2026-09-10T15:00:00-03:00', 1, { extensionFrom: 'start' });
    expect(localDay(extended.dueAt!)).toBe('2026-11-09');
    expect(extended.explanation.join('\n')).toContain('total de 60 dia(s) corrido(s) (extensionFrom: start)');
  });

  it('a unit forwarded on Sunday 20/09: 13/10, extended 03/11 (from the deadline) or 30/10 (from the start)', () => {
    const start = sp('2026-09-20T10:00');
    expect(localDay(plan('unit', start, 0).dueAt!)).toBe('2026-10-13');
    expect(localDay(plan('unit', start, 1).dueAt!)).toBe('2026-11-03');
    expect(localDay(plan('unit', start, 1, { extensionFrom: 'start' }).dueAt!)).toBe('2026-10-30');
  });

  it('business hours: the extension hours start at the original due instant', () => {
    const policy = { unit: 'business_hours' as const, amount: 8, extensionAmount: 8, maxExtensions: 1 };
    const start = sp('2026-03-02T14:00'); // Monday
    expect(plan('case', start, 0, policy).dueAt).toBe(sp('2026-03-03T12:00')); // 4h Mon + 4h Tue
    const extended = plan('case', start, 1, policy);
    expect(extended.dueAt).toBe(sp('2026-03-04T10:00')); // + 6h Tue + 2h Wed
    for (const w of extended.warnings) expect(isBusinessTime(defaultCalendar(), w)).toBe(true);
    expect(extended.warnings.every((w) => w < extended.dueAt!)).toBe(true);
  });

  it('warnings spread over the whole extended period, inside business hours', () => {
    const extended = plan('case', '2026-09-10T15:00:00-03:00', 1);
    expect(extended.warnings).toHaveLength(3);
    expect(localDay(extended.warnings[2]!) > '2026-10-13').toBe(true);
    for (const w of extended.warnings) expect(isBusinessTime(defaultCalendar(), w)).toBe(true);
  });
});
