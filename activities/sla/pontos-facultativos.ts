/**
 * Pontos facultativos: the days most federal bodies close by the yearly decree/portaria of the Federal
 * Government (a portaria of the Ministério da Gestão each year), which no holiday library counts
 * as holidays. Art. 66 §1 of Lei 9.784/1999 moves a deadline that falls on a day without expediente (or
 * whose expediente closes before the normal hour), so an organisation that closes on them applies
 * them to its calendar as overrides (one admin action: POST /api/v1/admin/calendars/{id}/pontos-facultativos).
 *
 * Defaults offered for a year (dates from date-holidays' Easter rules; nothing hand-computed):
 * - Carnaval, Monday and Tuesday (Easter −48, −47): closed all day.
 * - Quarta-feira de Cinzas (Easter −46): open from 14:00 (the calendar's Wednesday hours, cut at
 *   14:00); it stays a business day for day-counted deadlines (the office opens, it does not close early).
 * - Corpus Christi (Easter +60): closed all day.
 * - Dia do Servidor Público, 28/10 (Lei 8.112/1990 art. 236): closed all day (the decree sometimes
 *   moves it: edit the override then).
 * - 24/12 and 31/12: closed all day. The decree usually makes them pontos facultativos from 14:00;
 *   an expediente closed before the normal hour moves a deadline like a closed day (art. 66 §1),
 *   so the day is closed for deadline purposes.
 * Days that are already closed (weekend without working hours, a public holiday) are not offered.
 */
import Holidays from 'date-holidays';
import { Temporal } from 'temporal-polyfill';
import type { BusinessCalendar, TimeSegment, Weekday } from './calendar.ts';
import { daySegments } from './holidays.ts';

export type PontoFacultativo = {
  date: string; // YYYY-MM-DD
  kind: 'holiday' | 'workday';
  name: string;
  /** workday: the reduced hours (Ash Wednesday from 14:00) */
  hours?: TimeSegment[];
};

const easter = new Holidays('BR');
const ASH_WEDNESDAY_OPENS = '14:00';

/** The date of a date-holidays Easter rule (e.g. 'easter -48') in `year`. */
function easterDate(year: number, offset: number): string {
  const rule = offset === 0 ? 'easter' : `easter ${offset}`;
  const hit = easter.getHolidays(year).find((h) => h.rule === rule || h.rule.startsWith(`${rule} `));
  if (!hit) throw new Error(`date-holidays has no '${rule}' in ${year}`);
  return hit.date.slice(0, 10);
}

const fromHour = (segments: TimeSegment[], hm: string): TimeSegment[] =>
  segments.filter((s) => s.end > hm).map((s) => ({ start: s.start < hm ? hm : s.start, end: s.end }));

/** The federal pontos facultativos of `year` that would change `calendar` (see the file comment). */
export function pontosFacultativos(year: number, calendar: BusinessCalendar): PontoFacultativo[] {
  const all: PontoFacultativo[] = [
    { date: easterDate(year, -48), kind: 'holiday', name: 'Carnaval (ponto facultativo)' },
    { date: easterDate(year, -47), kind: 'holiday', name: 'Carnaval (ponto facultativo)' },
    {
      date: easterDate(year, -46),
      kind: 'workday',
      name: 'Quarta-feira de Cinzas (ponto facultativo até as 14h)',
    },
    { date: easterDate(year, 60), kind: 'holiday', name: 'Corpus Christi (ponto facultativo)' },
    { date: `${year}-10-28`, kind: 'holiday', name: 'Dia do Servidor Público (ponto facultativo)' },
    { date: `${year}-12-24`, kind: 'holiday', name: 'Véspera de Natal (ponto facultativo)' },
    { date: `${year}-12-31`, kind: 'holiday', name: 'Véspera de Ano Novo (ponto facultativo)' },
  ];
  const out: PontoFacultativo[] = [];
  for (const p of all) {
    // What the day looks like without any override of its own.
    const bare = { ...calendar, overrides: calendar.overrides.filter((o) => o.date !== p.date) };
    const day = Temporal.PlainDate.from(p.date);
    const segments = daySegments(bare, day);
    if (segments.length === 0) continue; // already closed: weekend or public holiday
    if (p.kind === 'workday') {
      const hours = fromHour(
        calendar.workingHours[day.dayOfWeek as Weekday] ?? segments,
        ASH_WEDNESDAY_OPENS,
      );
      out.push(hours.length ? { ...p, hours } : { ...p, kind: 'holiday' });
    } else out.push(p);
  }
  return out;
}
