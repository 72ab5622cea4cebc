// Deadline planning: which policy applies (sla_policies, most specific wins; DEFAULT_POLICIES = the
// law when no active policy matches), on which calendar (calendars + calendar_overrides), and the
// resulting due time, warning points and escalation moment, explained in pt-BR.
// Pure maths lives in sla/calendar.ts, policy choice in sla/policy.ts.
import { ApplicationFailure } from '@temporalio/activity';
import { Temporal } from 'temporal-polyfill';
import type { Database } from '../db/client.ts';
import { readSettings } from '../db/queries/settings.ts';
import {
  activePolicies,
  cachedActivePolicies,
  cachedCalendarWithOverrides,
  getCalendarWithOverrides,
  type SlaPolicyRow,
} from '../db/queries/sla.ts';
import type {
  AppliedPolicy,
  Deadline,
  DeadlineRequest,
  DeadlineScope,
  DeadlineUnit,
  ExtensionFrom,
} from '../workflows/sla-types.ts';
import { permanentFailure } from './failures.ts';
import {
  type BusinessCalendar,
  computeDeadline,
  defaultCalendar,
  isBusinessDay,
  isHoliday,
  nextBusinessMoment,
  warningBetween,
} from './sla/calendar.ts';
import { describeCriteria, selectPolicy } from './sla/policy.ts';

export const DEFAULT_CALENDAR_ID = 'default';
export const WARNING_FRACTIONS = [0.5, 0.75, 0.9];

const law = (
  id: string,
  name: string,
  amount: number,
  extensionAmount: number,
  maxExtensions: number,
): AppliedPolicy => ({
  id,
  name,
  version: 1,
  unit: 'calendar_days',
  amount,
  extensionAmount,
  maxExtensions,
  complementation: 'interrupt_once',
  extensionFrom: 'deadline',
  allowLateExtension: false,
  warningPoints: WARNING_FRACTIONS,
  includeOvertime: false,
  calendarId: DEFAULT_CALENDAR_ID,
});

/** The legal defaults (DESIGN §3); also seeded as rows by db/migrations/0003_sla_defaults.sql. */
export const DEFAULT_POLICIES: Record<DeadlineScope, AppliedPolicy> = {
  case: law(
    'law-case',
    'Lei 13.460/2017 art. 16 — resposta conclusiva em 30 dias, prorrogável uma vez por 30',
    30,
    30,
    1,
  ),
  unit: law('law-unit', 'Resposta da unidade à ouvidoria em 20 dias, prorrogável uma vez por 20', 20, 20, 1),
  complementation: law(
    'law-complementation',
    'Decreto 9.492/2018 art. 18 — complementação em 20 dias',
    20,
    0,
    0,
  ),
  auto_close: law(
    'default-auto-close',
    'Encerramento automático 20 dias após a resposta sem manifestação do cidadão',
    20,
    0,
    0,
  ),
};

const UNIT_LABELS: Record<DeadlineUnit, string> = {
  calendar_days: 'dia(s) corrido(s)',
  business_days: 'dia(s) útil(eis)',
  business_hours: 'hora(s) útil(eis)',
};

/** Which calendar the deadline was computed on, and why this policy (for the explanation). */
export type PlanContext = {
  calendarId?: string;
  calendarName?: string;
  /** e.g. "tipo reclamação, prioridade urgente"; or a note that the legal default was used */
  selection?: string;
};

const two = (n: number) => String(n).padStart(2, '0');
function formatLocal(cal: BusinessCalendar, instant: string): string {
  const z = Temporal.Instant.from(instant).toZonedDateTimeISO(cal.timezone);
  return `${two(z.day)}/${two(z.month)}/${z.year} ${two(z.hour)}:${two(z.minute)}`;
}

/** Holidays counted inside a calendar-day period (the non-business days it was rolled over are
 * explained by computeDeadline itself, so the trailing run before the due day is left out). */
function holidaysCounted(cal: BusinessCalendar, start: string, due: string): string[] {
  const local = (t: string) => Temporal.Instant.from(t).toZonedDateTimeISO(cal.timezone).toPlainDate();
  let last = local(due).subtract({ days: 1 });
  while (!isBusinessDay(cal, `${last}`) && Temporal.PlainDate.compare(last, local(start)) > 0)
    last = last.subtract({ days: 1 });
  const out: string[] = [];
  for (
    let d = local(start).add({ days: 1 });
    Temporal.PlainDate.compare(d, last) <= 0;
    d = d.add({ days: 1 })
  ) {
    const h = isHoliday(cal, `${d}`);
    if (h.holiday) out.push(`${two(d.day)}/${two(d.month)}/${d.year} (${h.name})`);
  }
  return out;
}

/** Where the count of each extension begins (default: at the deadline it extends). */
export const extensionFromOf = (p: AppliedPolicy): ExtensionFrom => p.extensionFrom ?? 'deadline';

/**
 * The due instant and its explanation, extensions included. `extensionFrom: 'deadline'` (default):
 * each extension's period is counted like a new deadline starting at the previous due instant (the
 * due day is excluded, art. 66 again), so 13/10 extended by 30 days is 12/11. `'start'`: the amounts
 * add up and are counted once from the start (13/10 extended gives 09/11 for a 10/09 start).
 */
function dueWithExtensions(
  req: DeadlineRequest,
  policy: AppliedPolicy,
  calendar: BusinessCalendar,
  counted: number,
): { dueAt: string | null; explanation: string[] } {
  const includeOvertime = policy.includeOvertime ?? false;
  const base = { unit: policy.unit, calendar, pauses: req.pauses, includeOvertime };
  if (counted === 0 || extensionFromOf(policy) === 'start')
    return computeDeadline({
      ...base,
      start: req.start,
      amount: policy.amount + counted * policy.extensionAmount,
    });
  const first = computeDeadline({ ...base, start: req.start, amount: policy.amount });
  let dueAt = first.dueAt;
  const explanation = [...first.explanation];
  for (let i = 1; i <= counted && dueAt !== null; i++) {
    explanation.push(
      `Prorrogação ${i}: ${policy.extensionAmount} ${UNIT_LABELS[policy.unit]} contados a partir do vencimento anterior (${formatLocal(calendar, dueAt)}).`,
    );
    const next = computeDeadline({ ...base, start: dueAt, amount: policy.extensionAmount });
    explanation.push(...next.explanation.slice(1)); // its first line repeats the start just given
    dueAt = next.dueAt;
  }
  return { dueAt, explanation };
}

/** The two readings of what a request for complementation does to the clock (README, "Prazos"). */
export const COMPLEMENTATION_READINGS: Record<AppliedPolicy['complementation'], string> = {
  interrupt_once:
    'interrompe uma vez (interrupt_once): o primeiro pedido de complementação zera a contagem, que recomeça do início na resposta do cidadão; pedidos seguintes não mexem no prazo — Decreto 9.492/2018, art. 18',
  suspend:
    'suspende (suspend): cada pedido de complementação pausa a contagem até a resposta do cidadão, e o tempo já corrido é mantido — Portaria Normativa CGU 116/2024, art. 25',
};

function complementationLines(req: DeadlineRequest, policy: AppliedPolicy, cal: BusinessCalendar): string[] {
  const lines = [`Complementação pelo cidadão: ${COMPLEMENTATION_READINGS[policy.complementation]}.`];
  if (req.interruption)
    lines.push(
      `Prazo interrompido pelo pedido de complementação de ${formatLocal(cal, req.interruption.requestedAt)}; a contagem recomeçou na resposta do cidadão, em ${formatLocal(cal, req.interruption.repliedAt)}.`,
    );
  if (req.pauses.length)
    lines.push(
      `Suspenso aguardando complementação: ${req.pauses
        .map((p) => `${formatLocal(cal, p.from)} → ${p.to ? formatLocal(cal, p.to) : 'em aberto'}`)
        .join('; ')}.`,
    );
  return lines;
}

export function planWith(
  req: DeadlineRequest,
  policy: AppliedPolicy,
  calendar: BusinessCalendar,
  calendarVersion: number,
  context: PlanContext = {},
): Deadline {
  const counted = Math.min(req.extensions, policy.maxExtensions);
  const amount = policy.amount + counted * policy.extensionAmount;
  const includeOvertime = policy.includeOvertime ?? false;
  const input = { start: req.start, calendar, pauses: req.pauses, includeOvertime };
  const { dueAt, explanation } = dueWithExtensions(req, policy, calendar, counted);
  const points = policy.warningPoints ?? WARNING_FRACTIONS;
  const warnings =
    dueAt === null
      ? []
      : points
          .filter((f) => f > 0 && f < 1)
          .map((fraction) => warningBetween({ ...input, dueAt, fraction }))
          .filter((w) => w < dueAt)
          .filter((w, i, all) => all.indexOf(w) === i)
          .sort();
  const escalateAt = dueAt ? nextBusinessMoment(calendar, dueAt, includeOvertime) : null;
  const unitLabel = UNIT_LABELS[policy.unit];
  const calendarId = context.calendarId ?? policy.calendarId;
  const calendarName = context.calendarName ?? calendarId ?? 'padrão';
  const holidays = calendar.state ? `feriados nacionais e de ${calendar.state}` : 'feriados nacionais';
  const lines = [
    `Política: ${policy.name} (${policy.id}, versão ${policy.version}) — ${policy.amount} ${unitLabel}${
      context.selection ? `; aplicada a ${context.selection}` : ''
    }.`,
    `Calendário: ${calendarName} — versão ${calendarVersion}; fuso ${calendar.timezone}; ${holidays}${
      calendar.overrides.length ? ' e exceções cadastradas' : ''
    }.`,
  ];
  if (req.extensions > 0) {
    const ignored = req.extensions - counted;
    const from =
      extensionFromOf(policy) === 'deadline'
        ? 'cada prorrogação começa no vencimento que ela prorroga (extensionFrom: deadline)'
        : `somados ao prazo e contados desde o início: total de ${amount} ${unitLabel} (extensionFrom: start)`;
    lines.push(
      `Prazo prorrogado ${counted} vez(es) por ${policy.extensionAmount} ${unitLabel}; ${from}.${
        ignored > 0
          ? ` (${ignored} prorrogação(ões) além do limite de ${policy.maxExtensions} desconsiderada(s).)`
          : ''
      }`,
    );
  }
  if (req.scope === 'case' || req.scope === 'unit')
    lines.push(...complementationLines(req, policy, calendar));
  const counting = [...explanation];
  if (policy.unit === 'calendar_days' && dueAt) {
    // Days are counted straight through; say which holidays fell inside so the count is checkable.
    const inside = holidaysCounted(calendar, req.start, dueAt);
    const at = counting.findIndex((l) => l.startsWith('O ')); // "O Nº dia da contagem cai em ..."
    if (inside.length)
      counting.splice(
        at < 0 ? counting.length : at,
        0,
        `Feriados no período (contam, pois o prazo é em dias corridos): ${inside.join(', ')}.`,
      );
  }
  lines.push(...counting);
  if (warnings.length)
    lines.push(
      `Alertas (em horário de expediente): ${warnings.map((w) => formatLocal(calendar, w)).join(', ')}.`,
    );
  if (escalateAt)
    lines.push(`Se vencer sem resposta, escalonamento em ${formatLocal(calendar, escalateAt)}.`);
  return {
    scope: req.scope,
    dueAt,
    warnings,
    escalateAt,
    policy,
    calendarVersion,
    ...(calendarId ? { calendarId } : {}),
    start: req.start,
    pauses: req.pauses,
    extensions: req.extensions,
    ...(req.interruption ? { interruption: req.interruption } : {}),
    explanation: lines,
  };
}

export function toAppliedPolicy(row: SlaPolicyRow): AppliedPolicy {
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    unit: row.unit,
    amount: row.amount,
    extensionAmount: row.extensionAmount,
    maxExtensions: row.maxExtensions,
    complementation: row.complementation,
    extensionFrom: row.extensionFrom,
    allowLateExtension: row.allowLateExtension,
    warningPoints: row.warningPoints,
    includeOvertime: row.includeOvertime,
    calendarId: row.calendarId,
  };
}

/**
 * The default automatic-close policy (seeded row `default-auto-close`, or the built-in fallback) counts the
 * days set in Regras gerais (`cases.autoCloseDays`); a more specific auto_close policy keeps its own amount.
 */
export function withAutoCloseSetting(policy: AppliedPolicy, days: number): AppliedPolicy {
  if (policy.id !== DEFAULT_POLICIES.auto_close.id || policy.amount === days) return policy;
  return {
    ...policy,
    amount: days,
    name: `Encerramento automático ${days} dias após a resposta sem manifestação do cidadão (Regras gerais)`,
  };
}

export type LoadedCalendar = { id: string; name: string; version: number; calendar: BusinessCalendar };

/**
 * A calendar with its overrides from `fromDate` on (older ones cannot affect a deadline from then);
 * `cached`: through the filing request's short cache (db/queries/sla.ts DEADLINE_DATA_CACHE_MS).
 */
export async function loadCalendar(
  db: Database,
  id: string,
  fromDate?: string,
  cached = false,
): Promise<LoadedCalendar | undefined> {
  const found = await (cached ? cachedCalendarWithOverrides : getCalendarWithOverrides)(db, id, fromDate);
  if (!found) return undefined;
  const { calendar: row, overrides } = found;
  const calendar: BusinessCalendar = {
    timezone: row.timezone,
    workingHours: row.workingHours,
    country: 'BR',
    overrides: overrides.map((o) => ({
      date: o.date,
      kind: o.kind,
      name: o.name,
      ...(o.hours ? { hours: o.hours } : {}),
    })),
    ...(row.overtimeHours ? { overtimeHours: row.overtimeHours } : {}),
    ...(row.state ? { state: row.state } : {}),
  };
  return { id: row.id, name: row.name, version: row.version, calendar };
}

/**
 * The deadline activities. `cachedReads`: policies and calendars come from a short in-process cache
 * (db/queries/sla.ts), for the filing request's receipt only (api/manifestations/filing.ts); the worker's
 * activities read them fresh.
 */
export function createDeadlineActivities(opts: { db: Database; timezone: string; cachedReads?: boolean }) {
  const { db } = opts;
  const cached = opts.cachedReads ?? false;
  return {
    /**
     * The first business moment at or after `at` (ISO instant) on a calendar (default: the default
     * calendar): `at` itself inside working hours, else the start of the next working segment. The
     * case workflow holds an alarm's mail until then when the alarm fired late (issue 13 item 16).
     */
    async businessMomentFrom(input: { at: string; calendarId?: string | undefined }): Promise<string> {
      const fromDate = Temporal.Instant.from(input.at)
        .toZonedDateTimeISO('UTC')
        .toPlainDate()
        .subtract({ days: 1 });
      const wanted = input.calendarId ?? DEFAULT_CALENDAR_ID;
      const loaded =
        (await loadCalendar(db, wanted, `${fromDate}`)) ??
        (await loadCalendar(db, DEFAULT_CALENDAR_ID, `${fromDate}`));
      return nextBusinessMoment(loaded?.calendar ?? defaultCalendar(opts.timezone), input.at);
    },
    /**
     * Days a closed case stays live for a reopen or a late reply (Regras gerais, `cases.reopenWindowDays`;
     * default 30). The case workflow asks when it closes and after a settings change.
     */
    async reopenWindowDays(): Promise<number> {
      return (await readSettings(db))['cases.reopenWindowDays'];
    },
    /**
     * The deadline of `req.scope` for this case under the current policies and calendars. Fails
     * non-retryable when retrying cannot help (the case records it as a stuck `deadline` step and keeps its
     * last deadline until repaired): a permanent database error (SQLSTATE classes 22/23/42/P0,
     * activities/failures.ts) or bad policy/calendar data (`InvalidDeadlineData`: an unknown unit, an amount
     * that is not a positive whole number, an unknown timezone…). Connection errors are retried.
     */
    async planDeadline(req: DeadlineRequest): Promise<Deadline> {
      try {
        return await planDeadlineOnce(req);
      } catch (err) {
        if (err instanceof ApplicationFailure) throw err;
        throw permanentFailure(err) ?? err;
      }
    },
  };

  async function planDeadlineOnce(req: DeadlineRequest): Promise<Deadline> {
    const row = selectPolicy(await (cached ? cachedActivePolicies : activePolicies)(db, req.scope), req);
    const policy = withAutoCloseSetting(
      row ? toAppliedPolicy(row) : DEFAULT_POLICIES[req.scope],
      (await readSettings(db))['cases.autoCloseDays'],
    );
    const selection = row
      ? describeCriteria(row)
      : 'qualquer manifestação (nenhuma política ativa cadastrada: padrão legal)';
    // Overrides before the start (minus a day for the timezone) cannot move the deadline.
    const fromDate = Temporal.Instant.from(req.start)
      .toZonedDateTimeISO('UTC')
      .toPlainDate()
      .subtract({ days: 1 });
    const wanted = policy.calendarId ?? DEFAULT_CALENDAR_ID;
    const loaded = (await loadCalendar(db, wanted, `${fromDate}`, cached)) ??
      (wanted !== DEFAULT_CALENDAR_ID
        ? await loadCalendar(db, DEFAULT_CALENDAR_ID, `${fromDate}`, cached)
        : undefined) ?? {
        id: DEFAULT_CALENDAR_ID,
        name: 'Expediente padrão',
        version: 0,
        calendar: defaultCalendar(opts.timezone),
      };
    try {
      checkDeadlineData(policy, loaded.calendar);
      return planWith(req, policy, loaded.calendar, loaded.version, {
        calendarId: loaded.id,
        calendarName: loaded.name,
        selection,
      });
    } catch (err) {
      throw ApplicationFailure.nonRetryable(
        `dados de prazo inválidos (política ${policy.id}, calendário ${loaded.id}): ${(err as Error).message}`.slice(
          0,
          500,
        ),
        'InvalidDeadlineData',
      );
    }
  }
}

/** Throws on policy or calendar data no deadline can be computed from (rows edited outside the admin API). */
function checkDeadlineData(policy: AppliedPolicy, calendar: BusinessCalendar): void {
  if (!(policy.unit in UNIT_LABELS)) throw new Error(`unidade de prazo desconhecida: ${String(policy.unit)}`);
  for (const [name, n, min] of [
    ['amount', policy.amount, 1],
    ['extensionAmount', policy.extensionAmount, 0],
    ['maxExtensions', policy.maxExtensions, 0],
  ] as const)
    if (!Number.isInteger(n) || n < min || n > 10_000) throw new Error(`${name} inválido: ${String(n)}`);
  // an unknown IANA timezone throws a RangeError here (checked once per zone: a DateTimeFormat is costly)
  if (!knownTimezones.has(calendar.timezone)) {
    new Intl.DateTimeFormat('pt-BR', { timeZone: calendar.timezone });
    knownTimezones.add(calendar.timezone);
  }
}

const knownTimezones = new Set<string>();
