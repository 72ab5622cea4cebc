/**
 * The day layer of the business calendar: Brazilian holidays (date-holidays), overrides, and the
 * working segments of a given date. Pure; re-exported by calendar.ts. Dates are 'YYYY-MM-DD' strings at
 * the edges and day numbers (days.ts) inside: the deadline loops ask about thousands of days, so each
 * year's holidays are kept as a map from day number to name.
 *
 * Which days close the office (decision, see DESIGN.md §3):
 * - Only date-holidays entries of type `'public'` count as non-business days (Ano Novo, Sexta-Feira
 *   Santa, Tiradentes, Dia do Trabalhador, Independência, Aparecida, Finados, Proclamação da
 *   República, Consciência Negra, Natal; plus state holidays when `calendar.state` is set; election
 *   days are public but always Sundays).
 * - date-holidays types Carnaval Mon/Tue and Corpus Christi as `'bank'`, Carnaval Saturday, Ash
 *   Wednesday and the 24/31 Dec afternoons as `'optional'`, Easter/Mother's Day etc. as
 *   `'observance'`. Federally they are at most "ponto facultativo", so they do NOT close the day;
 *   an organisation that does not work on them adds a `holiday` override (or a `workday` override
 *   with reduced `hours`, e.g. Ash Wednesday from 14:00).
 * - 20 November (Dia Nacional de Zumbi e da Consciência Negra) is a national public holiday since
 *   2024 (Lei 14.759/2023). date-holidays 3.37.0 omits it for some states (AM, MT, RJ, SP), so it is
 *   added for every year >= 2024.
 * - Overrides win: `holiday` closes the day; `workday` opens a holiday or weekend day with `hours`,
 *   else that weekday's working hours, else the first configured weekday's hours.
 */
import Holidays from 'date-holidays';
import { Temporal } from 'temporal-polyfill';
import type { BusinessCalendar, CalendarOverride, TimeSegment, Weekday } from './calendar-types.ts';
import { dayOf, dayOfIsoDate, weekdayOf, yearOf } from './days.ts';

const CONSCIENCIA_NEGRA = 'Dia Nacional de Zumbi e da Consciência Negra';
const engines = new Map<string, Holidays>();
const byYear = new Map<string, ReadonlyMap<string, string>>();
const byDayOfYear = new Map<string, Map<number, ReadonlyMap<number, string>>>(); // state → year → day → name

function engine(state: string | undefined): Holidays {
  const key = state ?? '';
  let hd = engines.get(key);
  if (!hd) {
    if (state && !(state in (new Holidays('BR').getStates('BR') ?? {})))
      throw new RangeError(`Unknown Brazilian state for holidays: ${state}`);
    hd = state ? new Holidays('BR', state) : new Holidays('BR');
    engines.set(key, hd);
  }
  return hd;
}

/** Public holidays of a year: map from 'YYYY-MM-DD' to the holiday name (pt-BR). */
export function publicHolidays(year: number, state?: string): ReadonlyMap<string, string> {
  const key = `${state ?? ''}:${year}`;
  const cached = byYear.get(key);
  if (cached) return cached;
  const map = new Map<string, string>();
  for (const h of engine(state).getHolidays(year, 'pt')) {
    const date = h.date.slice(0, 10);
    if (h.type === 'public' && !map.has(date)) map.set(date, h.name);
  }
  if (year >= 2024 && !map.has(`${year}-11-20`)) map.set(`${year}-11-20`, CONSCIENCIA_NEGRA);
  byYear.set(key, map);
  return map;
}

/** Name of the public holiday on `date` ('YYYY-MM-DD'), or undefined (overrides not applied). */
export function publicHolidayName(date: string, state?: string): string | undefined {
  return publicHolidays(Number(date.slice(0, 4)), state).get(date);
}

/** publicHolidayName for a day number (days.ts). */
export function publicHolidayOn(day: number, state?: string): string | undefined {
  const key = state ?? '';
  let years = byDayOfYear.get(key);
  if (!years) {
    years = new Map();
    byDayOfYear.set(key, years);
  }
  const year = yearOf(day);
  let days = years.get(year);
  if (!days) {
    const map = new Map<number, string>();
    for (const [date, name] of publicHolidays(year, state)) {
      const d = dayOfIsoDate(date);
      if (d !== undefined) map.set(d, name);
    }
    years.set(year, map);
    days = map;
  }
  return days.get(day);
}

/** The calendar's overrides by day number; the first one listed for a date wins (as everywhere). */
export function overridesByDay(cal: BusinessCalendar): Map<number, CalendarOverride> {
  const out = new Map<number, CalendarOverride>();
  for (const o of cal.overrides) {
    const d = dayOfIsoDate(o.date);
    if (d !== undefined && !out.has(d)) out.set(d, o);
  }
  return out;
}

const overrideFor = (cal: BusinessCalendar, date: string) => cal.overrides.find((o) => o.date === date);

/** Holiday after overrides: a `workday` override cancels a holiday, a `holiday` override creates one. */
export function isHoliday(cal: BusinessCalendar, date: string): { holiday: boolean; name?: string } {
  const o = overrideFor(cal, date);
  if (o) return o.kind === 'holiday' ? { holiday: true, name: o.name } : { holiday: false };
  const name = publicHolidayName(date, cal.state);
  return name ? { holiday: true, name } : { holiday: false };
}

/** isHoliday for a day number whose override (if any) the caller has looked up. */
export function holidayOn(
  cal: BusinessCalendar,
  day: number,
  o: CalendarOverride | undefined,
): { holiday: boolean; name?: string } {
  if (o) return o.kind === 'holiday' ? { holiday: true, name: o.name } : { holiday: false };
  const name = publicHolidayOn(day, cal.state);
  return name ? { holiday: true, name } : { holiday: false };
}

const dayOfPlain = (d: Temporal.PlainDate) => dayOf(d.year, d.month, d.day);

/** Working segments of a date (overtime segments appended when asked). Empty = not a business day. */
export function daySegments(
  cal: BusinessCalendar,
  date: Temporal.PlainDate,
  overtime = false,
): TimeSegment[] {
  return segmentsOn(cal, dayOfPlain(date), overrideFor(cal, date.toString()), overtime);
}

/** daySegments for a day number whose override (if any) the caller has looked up. */
export function segmentsOn(
  cal: BusinessCalendar,
  day: number,
  o: CalendarOverride | undefined,
  overtime = false,
): TimeSegment[] {
  const dow = weekdayOf(day) as Weekday;
  if (o?.kind === 'holiday') return [];
  let segs: TimeSegment[] = cal.workingHours[dow] ?? [];
  if (o?.kind === 'workday') {
    const first = ([1, 2, 3, 4, 5, 6, 7] as const)
      .map((w) => cal.workingHours[w] ?? [])
      .find((s) => s.length);
    segs = o.hours ?? (segs.length ? segs : (first ?? []));
  } else if (publicHolidayOn(day, cal.state)) {
    return [];
  }
  return overtime ? [...segs, ...(cal.overtimeHours?.[dow] ?? [])] : segs;
}

/** A business day is a date with working hours after holidays and overrides (overtime ignored). */
export function isBusinessDay(cal: BusinessCalendar, date: string): boolean {
  const day = dayOfIsoDate(date);
  if (day === undefined) return daySegments(cal, Temporal.PlainDate.from(date)).length > 0;
  return segmentsOn(cal, day, overrideFor(cal, date)).length > 0;
}

/** isBusinessDay for a day number, with the calendar's overrides by day (overridesByDay). */
export const isBusinessDayOn = (
  cal: BusinessCalendar,
  day: number,
  overrides: ReadonlyMap<number, CalendarOverride>,
): boolean => segmentsOn(cal, day, overrides.get(day)).length > 0;
