// Policy choice (most specific wins) and planning with a chosen policy on a calendar (pure, no I/O).
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICIES, planWith } from '../../activities/deadline.ts';
import { type BusinessCalendar, defaultCalendar, isBusinessTime } from '../../activities/sla/calendar.ts';
import { type PolicyCandidate, policySpecificity, selectPolicy } from '../../activities/sla/policy.ts';
import type { AppliedPolicy, DeadlineRequest } from '../../workflows/sla-types.ts';

const TZ = 'America/Sao_Paulo';
const sp = (local: string) => Temporal.PlainDateTime.from(local).toZonedDateTime(TZ).toInstant().toString();
const endOf = (date: string) =>
  Temporal.Instant.fromEpochMilliseconds(
    Temporal.PlainDate.from(date).add({ days: 1 }).toZonedDateTime(TZ).epochMilliseconds - 1,
  ).toString();

const policy = (id: string, over: Partial<PolicyCandidate> = {}): PolicyCandidate => ({
  id,
  kind: null,
  item: null,
  priority: null,
  updatedAt: '2026-01-01T00:00:00Z',
  ...over,
});

const req = (over: Partial<DeadlineRequest> = {}): DeadlineRequest => ({
  scope: 'case',
  kind: 'complaint',
  priority: 'normal',
  item: null,
  start: sp('2026-03-02T10:00'),
  pauses: [],
  extensions: 0,
  ...over,
});

describe('selectPolicy', () => {
  const generic = policy('generic');
  const complaint = policy('complaint', { kind: 'complaint' });
  const urgentComplaint = policy('urgent-complaint', { kind: 'complaint', priority: 'urgent' });
  const lighting = policy('lighting', { kind: 'complaint', item: 'iluminacao-publica' });
  const all = [generic, complaint, urgentComplaint, lighting];

  it('picks the policy with the most matching criteria', () => {
    expect(selectPolicy(all, req({ priority: 'urgent' }))?.id).toBe('urgent-complaint');
    expect(selectPolicy(all, req({ item: 'iluminacao-publica' }))?.id).toBe('lighting');
    expect(selectPolicy(all, req())?.id).toBe('complaint');
  });

  it('excludes a policy whose criterion does not match, however specific', () => {
    expect(policySpecificity(urgentComplaint, req({ priority: 'high' }))).toBe(-1);
    expect(selectPolicy(all, req({ kind: 'praise', priority: 'urgent' }))?.id).toBe('generic');
    // an item-specific policy never applies to a case not yet classified
    expect(selectPolicy([lighting], req({ item: null }))).toBeUndefined();
  });

  it('breaks ties by the most recent update, then by id', () => {
    const older = policy('b-older', { priority: 'urgent', updatedAt: '2026-01-01T00:00:00Z' });
    const newer = policy('c-newer', { kind: 'complaint', updatedAt: new Date('2026-02-01T00:00:00Z') });
    expect(selectPolicy([older, newer], req({ priority: 'urgent' }))?.id).toBe('c-newer');
    const twin = policy('a-twin', { kind: 'complaint', updatedAt: '2026-02-01T00:00:00Z' });
    expect(selectPolicy([newer, twin], req())?.id).toBe('a-twin');
  });

  it('returns undefined when nothing applies', () => {
    expect(selectPolicy([], req())).toBeUndefined();
  });
});

describe('planWith', () => {
  const cal = (over: Partial<BusinessCalendar> = {}): BusinessCalendar => ({ ...defaultCalendar(), ...over });
  const urgentHours: AppliedPolicy = {
    id: 'urgent-8h',
    name: 'Urgente: 8 horas úteis',
    version: 3,
    unit: 'business_hours',
    amount: 8,
    extensionAmount: 4,
    maxExtensions: 1,
    complementation: 'suspend',
    warningPoints: [0.5, 0.75],
    calendarId: 'default',
  };

  it('counts a business-hours policy for a priority across a holiday override', () => {
    const calendar = cal({ overrides: [{ date: '2026-03-09', kind: 'holiday', name: 'Ponto facultativo' }] });
    const start = sp('2026-03-06T17:50'); // Friday
    const d = planWith(req({ priority: 'urgent', start }), urgentHours, calendar, 7, {
      calendarName: 'Sede',
    });
    expect(d.dueAt).toBe(sp('2026-03-10T15:50')); // Monday closed → Tuesday 15:50
    expect(d.calendarVersion).toBe(7);
    expect(d.policy.version).toBe(3);
    expect(d.warnings).toHaveLength(2);
    for (const w of d.warnings) expect(isBusinessTime(calendar, w)).toBe(true);
    expect(d.escalateAt).toBe(d.dueAt); // 15:50 is inside working hours
    expect(d.explanation[0]).toContain('Urgente: 8 horas úteis (urgent-8h, versão 3)');
    expect(d.explanation.join('\n')).toContain('Calendário: Sede — versão 7');
    expect(d.explanation.join('\n')).toContain('09/03/2026 (Ponto facultativo)');
  });

  it('adds the extension in the policy unit, at most maxExtensions times', () => {
    const start = sp('2026-03-06T17:50');
    const once = planWith(req({ start, extensions: 1 }), urgentHours, cal(), 1);
    const twice = planWith(req({ start, extensions: 2 }), urgentHours, cal(), 1);
    expect(once.dueAt).toBe(sp('2026-03-10T09:50')); // 12 h = Fri 10 min + Mon 10 h + Tue 1 h 50
    expect(twice.dueAt).toBe(once.dueAt);
    expect(twice.explanation.join('\n')).toContain('desconsiderada');
  });

  it('moves a 30-day deadline that lands on 20 November (national since 2024) to the next business day', () => {
    const d = planWith(req({ start: sp('2026-10-21T09:00') }), DEFAULT_POLICIES.case, cal(), 1);
    // 21 Oct + 30 = Fri 20 Nov (Consciência Negra) → Mon 23 Nov
    expect(d.dueAt).toBe(endOf('2026-11-23'));
    expect(d.explanation.join('\n')).toContain('Consciência Negra');
    expect(d.escalateAt).toBe(sp('2026-11-24T08:00'));
    for (const w of d.warnings) expect(isBusinessTime(cal(), w)).toBe(true);
  });

  it('honours the calendar state and a municipal override', () => {
    const start = sp('2026-06-09T09:00'); // + 30 = Thu 9 July, a São Paulo state holiday
    expect(planWith(req({ start }), DEFAULT_POLICIES.case, cal(), 1).dueAt).toBe(endOf('2026-07-09'));
    expect(planWith(req({ start }), DEFAULT_POLICIES.case, cal({ state: 'SP' }), 1).dueAt).toBe(
      endOf('2026-07-10'),
    );
    const municipal = cal({
      state: 'SP',
      overrides: [{ date: '2026-07-10', kind: 'holiday', name: 'Aniversário da cidade' }],
    });
    const d = planWith(req({ start }), DEFAULT_POLICIES.case, municipal, 4);
    expect(d.dueAt).toBe(endOf('2026-07-13')); // Fri holiday, weekend → Monday
    expect(d.explanation.join('\n')).toContain('Aniversário da cidade');
    expect(d.explanation.join('\n')).toContain('feriados nacionais e de SP');
  });

  it('never puts a warning outside working hours, even with a business-days policy', () => {
    const policy: AppliedPolicy = {
      ...DEFAULT_POLICIES.case,
      unit: 'business_days',
      amount: 10,
      warningPoints: [0.1, 0.5, 0.99],
    };
    const d = planWith(req({ start: sp('2026-12-23T16:00') }), policy, cal(), 1);
    expect(d.warnings).toHaveLength(3);
    for (const w of d.warnings) expect(isBusinessTime(cal(), w)).toBe(true);
    expect([...d.warnings].sort()).toEqual(d.warnings);
  });
});
