/**
 * Pure business-calendar maths for deadlines (DESIGN.md §3). No I/O.
 *
 * Conventions:
 * - Instants are ISO-8601 strings; outputs are UTC with 'Z' (Temporal.Instant#toString), ms precision.
 * - Day-based deadlines are due at the END of the due day in the calendar timezone, returned as the
 *   start of the next local day minus 1 ms (23:59:59.999 local).
 * - Holidays: only date-holidays type 'public' (+ 20/11 since 2024) plus overrides; see holidays.ts.
 * - Pauses, day units: the day a pause starts counts; the days after it up to and including the day
 *   it ends are not counted (counting resumes the day after the resumption, as art. 66 excludes the
 *   start day). Business hours: paused working time is not counted.
 * - An open pause (no `to`) that begins before the deadline is reached makes `dueAt` null.
 */
import { Temporal } from 'temporal-polyfill';
import { daySegments, isBusinessDay, isHoliday } from './holidays.ts';

export { isBusinessDay, isHoliday, publicHolidays } from './holidays.ts';

export type TimeSegment = { start: string; end: string }; // 'HH:MM', end exclusive, end may be '24:00'
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7; // ISO: 1 = Monday .. 7 = Sunday
export type WeeklyHours = Record<Weekday, TimeSegment[]>;
export type CalendarOverride = {
  date: string; // YYYY-MM-DD
  kind: 'holiday' | 'workday';
  name: string;
  hours?: TimeSegment[];
};
export type BusinessCalendar = {
  timezone: string;
  workingHours: WeeklyHours;
  overtimeHours?: WeeklyHours;
  country: 'BR';
  state?: string;
  overrides: CalendarOverride[];
};
export type DeadlineUnit = 'calendar_days' | 'business_days' | 'business_hours';
export type Pause = { from: string; to?: string }; // ISO instants; no `to` = still paused
export type DeadlineInput = {
  start: string;
  unit: DeadlineUnit;
  amount: number;
  calendar: BusinessCalendar;
  pauses?: Pause[];
  includeOvertime?: boolean; // business_hours and warnings: count overtimeHours as working time
};
export type DeadlineResult = { dueAt: string | null; explanation: string[] };
type BusinessSpanInput = { calendar: BusinessCalendar; pauses?: Pause[]; includeOvertime?: boolean };

type Span = [number, number]; // epoch ms, end exclusive
type PD = Temporal.PlainDate;
type Ctx = { cal: BusinessCalendar; pauses: Span[]; overtime: boolean };

const HOUR = 3_600_000;
const HORIZON_DAYS = 3660;
const OPEN = Number.POSITIVE_INFINITY;
const DOW = [
  'segunda-feira',
  'terça-feira',
  'quarta-feira',
  'quinta-feira',
  'sexta-feira',
  'sábado',
  'domingo',
];

/** Mon–Fri 08:00–18:00, national holidays, in `timezone` (the organisation's; ORG_TIMEZONE). */
export function defaultCalendar(timezone = 'America/Sao_Paulo'): BusinessCalendar {
  const day = (): TimeSegment[] => [{ start: '08:00', end: '18:00' }];
  const workingHours = { 1: day(), 2: day(), 3: day(), 4: day(), 5: day(), 6: [], 7: [] };
  return { timezone, country: 'BR', overrides: [], workingHours };
}

// ---------- helpers ----------
const ms = (iso: string): number => Temporal.Instant.from(iso).epochMilliseconds;
const iso = (t: number): string => Temporal.Instant.fromEpochMilliseconds(Math.round(t)).toString();
const zoned = (cal: BusinessCalendar, t: number) =>
  Temporal.Instant.fromEpochMilliseconds(t).toZonedDateTimeISO(cal.timezone);
const localDate = (cal: BusinessCalendar, t: number): PD => zoned(cal, t).toPlainDate();
const dayStart = (cal: BusinessCalendar, d: PD): number => d.toZonedDateTime(cal.timezone).epochMilliseconds;
const after = (a: PD, b: PD) => Temporal.PlainDate.compare(a, b) > 0;
const two = (n: number) => String(n).padStart(2, '0');
const fmtD = (d: PD) => `${two(d.day)}/${two(d.month)}/${d.year}`;
const fmtDW = (d: PD) => `${fmtD(d)} (${DOW[d.dayOfWeek - 1]})`;
const fmtDT = (cal: BusinessCalendar, t: number) => {
  const z = zoned(cal, t);
  return `${fmtD(z.toPlainDate())} ${two(z.hour)}:${two(z.minute)}`;
};
const ctx = (i: BusinessSpanInput): Ctx => ({
  cal: i.calendar,
  pauses: merge((i.pauses ?? []).map((p): Span => [ms(p.from), p.to === undefined ? OPEN : ms(p.to)])),
  overtime: i.includeOvertime ?? false,
});

function merge(spans: Span[]): Span[] {
  const out: Span[] = [];
  for (const [a, b] of spans.filter(([a, b]) => a < b).sort((x, y) => x[0] - y[0])) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

function atTime(cal: BusinessCalendar, d: PD, hm: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hm);
  const [h, mi] = [Number(m?.[1]), Number(m?.[2])];
  if (!m || h > 24 || mi > 59 || (h === 24 && mi !== 0)) throw new RangeError(`Invalid time '${hm}'`);
  if (h === 24) return dayStart(cal, d.add({ days: 1 }));
  const plainTime = new Temporal.PlainTime(h, mi);
  return d.toZonedDateTime({ timeZone: cal.timezone, plainTime }).epochMilliseconds;
}

const intervalsFor = (cal: BusinessCalendar, d: PD, overtime: boolean): Span[] =>
  merge(daySegments(cal, d, overtime).map((s): Span => [atTime(cal, d, s.start), atTime(cal, d, s.end)]));

function subtract([s, e]: Span, pauses: Span[]): Span[] {
  const out: Span[] = [];
  let cur = s;
  for (const [a, b] of pauses) {
    if (b <= cur) continue;
    if (a >= e) break;
    if (a > cur) out.push([cur, a]);
    cur = Math.max(cur, b);
  }
  if (cur < e) out.push([cur, e]);
  return out;
}

/** Working, non-paused time from `from` onwards, in order; stops where an open pause begins. */
function* workPieces({ cal, pauses, overtime }: Ctx, from: number): Generator<Span> {
  const openFrom = pauses.find(([, b]) => b === OPEN)?.[0];
  let d = localDate(cal, from);
  for (let i = 0; i < HORIZON_DAYS; i++, d = d.add({ days: 1 })) {
    if (openFrom !== undefined && dayStart(cal, d) >= openFrom) return;
    for (const [s, e] of intervalsFor(cal, d, overtime))
      if (e > from) yield* subtract([Math.max(s, from), e], pauses);
  }
  throw new Error(`Calendar has no working time within ${HORIZON_DAYS} days of ${iso(from)}`);
}

/** Instant where `amount` ms of working time is consumed. 'end' may return a segment end;
 * 'start' returns an instant strictly inside working time (a segment end becomes the next start). */
function advance(c: Ctx, from: number, amount: number, mode: 'end' | 'start'): number | null {
  let rem = Math.round(amount);
  for (const [s, e] of workPieces(c, from)) {
    if (mode === 'end' ? rem <= e - s : rem < e - s) return s + rem;
    rem -= e - s;
  }
  return null;
}

function between(c: Ctx, from: number, to: number): number {
  let total = 0;
  for (const [s, e] of workPieces(c, from)) {
    if (s >= to) break;
    total += Math.min(e, to) - s;
  }
  return total;
}

// ---------- public time functions ----------
export function isBusinessTime(cal: BusinessCalendar, instant: string, includeOvertime = false): boolean {
  const t = ms(instant);
  return intervalsFor(cal, localDate(cal, t), includeOvertime).some(([a, b]) => a <= t && t < b);
}

/** The same instant (normalised) if inside working hours, else the start of the next working segment. */
export function nextBusinessMoment(cal: BusinessCalendar, instant: string, includeOvertime = false): string {
  return iso(advance({ cal, pauses: [], overtime: includeOvertime }, ms(instant), 0, 'start') ?? ms(instant));
}

/** Working time in ms between two instants, pauses excluded (an open pause stops the count). */
export function businessTimeBetween(input: BusinessSpanInput & { from: string; to: string }): number {
  return between(ctx(input), ms(input.from), ms(input.to));
}

/** The instant `durationMs` of working time after `start` is consumed; null if an open pause intervenes. */
export function addBusinessTime(
  input: BusinessSpanInput & { start: string; durationMs: number },
): string | null {
  if (!(input.durationMs >= 0 && Number.isFinite(input.durationMs)))
    throw new RangeError(`Invalid duration: ${input.durationMs}`);
  const due = advance(ctx(input), ms(input.start), input.durationMs, 'end');
  return due === null ? null : iso(due);
}

// ---------- deadlines ----------
function dayReason(cal: BusinessCalendar, d: PD): string {
  const h = isHoliday(cal, d.toString());
  if (h.holiday) return `feriado: ${h.name}`;
  return d.dayOfWeek >= 6 ? (DOW[d.dayOfWeek - 1] ?? '') : 'sem expediente';
}

function openPause(when: string, out: string[]): null {
  out.push(`Prazo suspenso desde ${when} (suspensão em aberto): o vencimento será calculado na retomada.`);
  return null;
}

function dayDeadline(input: DeadlineInput, out: string[]): string | null {
  const { calendar: cal, amount, unit } = input;
  const start = ms(input.start);
  const startDate = localDate(cal, start);
  const calendarDays = unit === 'calendar_days';
  const paused = new Set<string>(); // dates not counted: day after each pause's start .. day of its end
  let openFrom: PD | undefined;
  for (const [a, b] of ctx(input).pauses) {
    if (b <= start) continue;
    const from = localDate(cal, Math.max(a, start));
    if (b === OPEN) openFrom = from;
    else
      for (let d = from.add({ days: 1 }); !after(d, localDate(cal, b)); d = d.add({ days: 1 }))
        paused.add(`${d}`);
  }
  const isPaused = (d: PD) => paused.has(`${d}`) || (openFrom !== undefined && after(d, openFrom));
  const open = () => openPause(fmtD(openFrom as PD), out);
  out.push(
    calendarDays
      ? `Prazo de ${amount} dia(s) corrido(s) (Lei 9.784/1999, art. 66): exclui-se o dia do início (${fmtD(startDate)}); a contagem começa em ${fmtD(startDate.add({ days: 1 }))}.`
      : `Prazo de ${amount} dia(s) útil(eis): exclui-se o dia do início (${fmtD(startDate)}); contam apenas os dias úteis seguintes.`,
  );
  let d = startDate;
  let [count, pausedCount] = [0, 0];
  const skipped: string[] = [];
  for (let guard = 0; count < amount; guard++) {
    if (guard > HORIZON_DAYS * 10) throw new Error('Deadline beyond the calendar horizon');
    d = d.add({ days: 1 });
    if (openFrom && after(d, openFrom)) return open();
    if (isPaused(d)) pausedCount++;
    else if (calendarDays || isBusinessDay(cal, `${d}`)) count++;
    else skipped.push(`${fmtD(d)} (${dayReason(cal, d)})`);
  }
  if (skipped.length) out.push(`Dias não úteis desconsiderados: ${skipped.join(', ')}.`);
  if (pausedCount)
    out.push(
      `Suspensão: ${pausedCount} dia(s) não contado(s) (a contagem recomeça no dia seguinte à retomada).`,
    );
  if (calendarDays) out.push(`O ${amount}º dia da contagem cai em ${fmtDW(d)}.`);
  const reasons: string[] = [];
  for (let guard = 0; !isBusinessDay(cal, `${d}`) || isPaused(d); guard++) {
    if (guard > HORIZON_DAYS) throw new Error('No business day within the calendar horizon');
    if (openFrom && after(d, openFrom)) return open();
    reasons.push(`${fmtD(d)}: ${isPaused(d) ? 'suspenso' : dayReason(cal, d)}`);
    d = d.add({ days: 1 });
  }
  if (reasons.length)
    out.push(`Dia não útil (${reasons.join('; ')}); prorrogado para o próximo dia útil: ${fmtDW(d)}.`);
  out.push(`Vencimento: fim do dia ${fmtDW(d)}, 23:59:59 (${cal.timezone}).`);
  return iso(dayStart(cal, d.add({ days: 1 })) - 1);
}

function hourDeadline(input: DeadlineInput, out: string[]): string | null {
  const { calendar: cal, amount } = input;
  const c = ctx(input);
  const start = ms(input.start);
  const extra = c.overtime ? ' (incluindo horas extras)' : '';
  out.push(`Prazo de ${amount} hora(s) útil(eis), contadas apenas no horário de expediente${extra}.`);
  const first = advance({ ...c, pauses: [] }, start, 0, 'start');
  if (first !== null && first !== start)
    out.push(`O início ocorreu fora do expediente; a contagem começa em ${fmtDT(cal, first)}.`);
  const due = advance(c, start, amount * HOUR, 'end');
  if (due === null) return openPause(fmtDT(cal, c.pauses.find(([, b]) => b === OPEN)?.[0] ?? start), out);
  const holidays: string[] = [];
  for (let d = localDate(cal, start); !after(d, localDate(cal, due)); d = d.add({ days: 1 })) {
    const h = isHoliday(cal, `${d}`);
    if (h.holiday) holidays.push(`${fmtD(d)} (${h.name})`);
  }
  if (holidays.length) out.push(`Feriados desconsiderados: ${holidays.join(', ')}.`);
  const pausedMin = Math.round((between({ ...c, pauses: [] }, start, due) - amount * HOUR) / 60_000);
  if (pausedMin > 0)
    out.push(`Tempo útil suspenso, não contado: ${Math.floor(pausedMin / 60)}h${two(pausedMin % 60)}min.`);
  out.push(`Vencimento: ${fmtDT(cal, due)} (${cal.timezone}).`);
  return iso(due);
}

export function computeDeadline(input: DeadlineInput): DeadlineResult {
  const { amount, unit, calendar: cal } = input;
  if (!(amount >= 0 && Number.isFinite(amount))) throw new RangeError(`Invalid deadline amount: ${amount}`);
  if (unit !== 'business_hours' && !Number.isInteger(amount))
    throw new RangeError(`Day deadlines need a whole number of days: ${amount}`);
  const explanation = [`Início da contagem: ${fmtDT(cal, ms(input.start))} (${cal.timezone}).`];
  const dueAt =
    unit === 'business_hours' ? hourDeadline(input, explanation) : dayDeadline(input, explanation);
  return { dueAt, explanation };
}

/**
 * Warning point at `fraction` (0..1, e.g. 0.5/0.75/0.9) of the working time between start and due
 * (pauses excluded). Always strictly inside working hours: a point falling exactly on a segment end
 * moves to the next segment start; if that is past the due instant, the last working ms before it.
 * Null when the deadline is unknown (open pause).
 */
export function warningAt(input: DeadlineInput & { fraction: number }): string | null {
  if (!(input.fraction >= 0 && input.fraction <= 1))
    throw new RangeError(`Invalid fraction: ${input.fraction}`);
  const { dueAt } = computeDeadline(input);
  return dueAt === null ? null : warningBetween({ ...input, dueAt });
}

/**
 * Warning point at `fraction` of the working time between `start` and a known `dueAt` (pauses
 * excluded), by the same rule as warningAt; used when the due instant is not `start + amount`
 * (an extension counted from the deadline it extends).
 */
export function warningBetween(
  input: BusinessSpanInput & { start: string; dueAt: string; fraction: number },
): string {
  if (!(input.fraction >= 0 && input.fraction <= 1))
    throw new RangeError(`Invalid fraction: ${input.fraction}`);
  const c = ctx(input);
  const [start, due] = [ms(input.start), ms(input.dueAt)];
  const target = between(c, start, due) * input.fraction;
  const w = advance(c, start, target, 'start');
  if (w !== null && w <= due) return iso(w);
  return iso((advance(c, start, target, 'end') ?? due) - 1);
}
