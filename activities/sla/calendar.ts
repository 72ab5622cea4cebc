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
 *
 * Speed: the loops count on day numbers and epoch ms (days.ts), converting through the time zone only
 * where a day meets an instant, and those conversions are remembered; a deadline costs microseconds,
 * not the milliseconds of a Temporal object per day (B8 in `npm run bench` measures it).
 */
import type { BusinessCalendar, CalendarOverride, TimeSegment } from './calendar-types.ts';
import {
  dayStart,
  formatInstant as iso,
  localDay,
  localWall,
  parseInstant as ms,
  wallTime,
  weekdayOf,
  ymdOf,
} from './days.ts';
import { holidayOn, isBusinessDayOn, overridesByDay, segmentsOn } from './holidays.ts';

export type {
  BusinessCalendar,
  CalendarOverride,
  TimeSegment,
  Weekday,
  WeeklyHours,
} from './calendar-types.ts';
export { isBusinessDay, isHoliday, publicHolidays } from './holidays.ts';

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
/** One computation's view of a calendar: overrides by day, and each day's working spans once. */
type Ctx = {
  cal: BusinessCalendar;
  pauses: Span[];
  overtime: boolean;
  overrides: Map<number, CalendarOverride>;
  spans: Map<number, Span[]>; // key: day * 2 + (overtime ? 1 : 0)
};

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

// ---------- helpers (days are day numbers, instants epoch ms; see days.ts) ----------
const two = (n: number) => String(n).padStart(2, '0');
function fmtD(d: number): string {
  const [y, m, day] = ymdOf(d);
  return `${two(day)}/${two(m)}/${y}`;
}
const fmtDW = (d: number) => `${fmtD(d)} (${DOW[weekdayOf(d) - 1]})`;
const fmtDT = (cal: BusinessCalendar, t: number) => {
  const w = localWall(cal.timezone, t);
  return `${fmtD(w.day)} ${two(w.hour)}:${two(w.minute)}`;
};
const calCtx = (cal: BusinessCalendar, pauses: Span[], overtime: boolean): Ctx => ({
  cal,
  pauses,
  overtime,
  overrides: overridesByDay(cal),
  spans: new Map(),
});
const ctx = (i: BusinessSpanInput): Ctx =>
  calCtx(
    i.calendar,
    merge((i.pauses ?? []).map((p): Span => [ms(p.from), p.to === undefined ? OPEN : ms(p.to)])),
    i.includeOvertime ?? false,
  );
const isBusinessDayC = (c: Ctx, d: number) => isBusinessDayOn(c.cal, d, c.overrides);

function merge(spans: Span[]): Span[] {
  const out: Span[] = [];
  for (const [a, b] of spans.filter(([a, b]) => a < b).sort((x, y) => x[0] - y[0])) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

const clock = new Map<string, [number, number]>(); // 'HH:MM' → [hour, minute], valid ones only

function atTime(cal: BusinessCalendar, d: number, hm: string): number {
  let parsed = clock.get(hm);
  if (!parsed) {
    const m = /^(\d{1,2}):(\d{2})$/.exec(hm);
    const [h, mi] = [Number(m?.[1]), Number(m?.[2])];
    if (!m || h > 24 || mi > 59 || (h === 24 && mi !== 0)) throw new RangeError(`Invalid time '${hm}'`);
    parsed = [h, mi];
    if (clock.size < 10_000) clock.set(hm, parsed);
  }
  const [h, mi] = parsed;
  return h === 24 ? dayStart(cal.timezone, d + 1) : wallTime(cal.timezone, d, h, mi);
}

function intervalsFor(c: Ctx, d: number, overtime: boolean): Span[] {
  const key = d * 2 + (overtime ? 1 : 0);
  let spans = c.spans.get(key);
  if (!spans) {
    const segs = segmentsOn(c.cal, d, c.overrides.get(d), overtime);
    spans = merge(segs.map((s): Span => [atTime(c.cal, d, s.start), atTime(c.cal, d, s.end)]));
    c.spans.set(key, spans);
  }
  return spans;
}

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
function* workPieces(c: Ctx, from: number): Generator<Span> {
  const openFrom = c.pauses.find(([, b]) => b === OPEN)?.[0];
  let d = localDay(c.cal.timezone, from);
  for (let i = 0; i < HORIZON_DAYS; i++, d++) {
    if (openFrom !== undefined && dayStart(c.cal.timezone, d) >= openFrom) return;
    for (const [s, e] of intervalsFor(c, d, c.overtime))
      if (e > from) yield* subtract([Math.max(s, from), e], c.pauses);
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
  const c = calCtx(cal, [], includeOvertime);
  return intervalsFor(c, localDay(cal.timezone, t), includeOvertime).some(([a, b]) => a <= t && t < b);
}

/** The same instant (normalised) if inside working hours, else the start of the next working segment. */
export function nextBusinessMoment(cal: BusinessCalendar, instant: string, includeOvertime = false): string {
  return iso(advance(calCtx(cal, [], includeOvertime), ms(instant), 0, 'start') ?? ms(instant));
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
function dayReason(c: Ctx, d: number): string {
  const h = holidayOn(c.cal, d, c.overrides.get(d));
  if (h.holiday) return `feriado: ${h.name}`;
  const dow = weekdayOf(d);
  return dow >= 6 ? (DOW[dow - 1] ?? '') : 'sem expediente';
}

function openPause(when: string, out: string[]): null {
  out.push(`Prazo suspenso desde ${when} (suspensão em aberto): o vencimento será calculado na retomada.`);
  return null;
}

function dayDeadline(input: DeadlineInput, out: string[]): string | null {
  const { calendar: cal, amount, unit } = input;
  const tz = cal.timezone;
  const c = ctx(input);
  const start = ms(input.start);
  const startDate = localDay(tz, start);
  const calendarDays = unit === 'calendar_days';
  const paused = new Set<number>(); // days not counted: day after each pause's start .. day of its end
  let openFrom: number | undefined;
  for (const [a, b] of c.pauses) {
    if (b <= start) continue;
    const from = localDay(tz, Math.max(a, start));
    if (b === OPEN) openFrom = from;
    else for (let d = from + 1, last = localDay(tz, b); d <= last; d++) paused.add(d);
  }
  const isPaused = (d: number) => paused.has(d) || (openFrom !== undefined && d > openFrom);
  const open = () => openPause(fmtD(openFrom as number), out);
  out.push(
    calendarDays
      ? `Prazo de ${amount} dia(s) corrido(s) (Lei 9.784/1999, art. 66): exclui-se o dia do início (${fmtD(startDate)}); a contagem começa em ${fmtD(startDate + 1)}.`
      : `Prazo de ${amount} dia(s) útil(eis): exclui-se o dia do início (${fmtD(startDate)}); contam apenas os dias úteis seguintes.`,
  );
  let d = startDate;
  let [count, pausedCount] = [0, 0];
  const skipped: string[] = [];
  for (let guard = 0; count < amount; guard++) {
    if (guard > HORIZON_DAYS * 10) throw new Error('Deadline beyond the calendar horizon');
    d++;
    if (openFrom !== undefined && d > openFrom) return open();
    if (isPaused(d)) pausedCount++;
    else if (calendarDays || isBusinessDayC(c, d)) count++;
    else skipped.push(`${fmtD(d)} (${dayReason(c, d)})`);
  }
  if (skipped.length) out.push(`Dias não úteis desconsiderados: ${skipped.join(', ')}.`);
  if (pausedCount)
    out.push(
      `Suspensão: ${pausedCount} dia(s) não contado(s) (a contagem recomeça no dia seguinte à retomada).`,
    );
  if (calendarDays) out.push(`O ${amount}º dia da contagem cai em ${fmtDW(d)}.`);
  const reasons: string[] = [];
  for (let guard = 0; !isBusinessDayC(c, d) || isPaused(d); guard++) {
    if (guard > HORIZON_DAYS) throw new Error('No business day within the calendar horizon');
    if (openFrom !== undefined && d > openFrom) return open();
    reasons.push(`${fmtD(d)}: ${isPaused(d) ? 'suspenso' : dayReason(c, d)}`);
    d++;
  }
  if (reasons.length)
    out.push(`Dia não útil (${reasons.join('; ')}); prorrogado para o próximo dia útil: ${fmtDW(d)}.`);
  out.push(`Vencimento: fim do dia ${fmtDW(d)}, 23:59:59 (${tz}).`);
  return iso(dayStart(tz, d + 1) - 1);
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
  for (let d = localDay(cal.timezone, start), last = localDay(cal.timezone, due); d <= last; d++) {
    const h = holidayOn(cal, d, c.overrides.get(d));
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
