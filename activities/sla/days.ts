/**
 * Dates and instants for the business calendar as plain numbers (pure; no I/O).
 *
 * - A **day** is an integer: days since 1970-01-01 in the proleptic Gregorian calendar (a local date,
 *   no time zone), so "the next day" is `d + 1` and a set of days is a `Set<number>`.
 * - An **instant** is epoch milliseconds (an integer).
 * - Converting between the two needs the calendar's time zone. That is Temporal's job (temporal-polyfill;
 *   same rules: start of day, 'compatible' disambiguation), but a Temporal call costs tens of µs, and a
 *   deadline computation makes hundreds of them. So each conversion is asked of Temporal once and
 *   remembered per zone: the offset in force through a UTC day (or "changes within it", then Temporal
 *   answers that instant directly), the start of a local day, a local wall time on a day. Results are
 *   exactly Temporal's; only the repetition is gone.
 * - Instants are parsed from and written as ISO-8601 strings exactly as `Temporal.Instant.from` /
 *   `Temporal.Instant#toString` do (UTC, 'Z', no trailing zeros in the fraction); the common shapes take a
 *   fast path, anything else goes to Temporal (same value, same RangeError).
 */
import { Temporal } from 'temporal-polyfill';

export const DAY_MS = 86_400_000;

// ---------- days (no time zone) ----------

/** The day number of a proleptic Gregorian date (month 1–12). H. Hinnant's days_from_civil. */
export function dayOf(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** [year, month 1–12, day 1–31] of a day number. H. Hinnant's civil_from_days. */
export function ymdOf(d: number): [number, number, number] {
  const [y, month, day] = civil(d);
  return [y, month, day];
}

/** The year of a day number. */
export const yearOf = (d: number): number => civil(d)[0];

const civilOut: [number, number, number] = [0, 0, 0]; // reused: no allocation in the day loops

function civil(d: number): [number, number, number] {
  const z = d + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  civilOut[0] = yoe + era * 400 + (month <= 2 ? 1 : 0);
  civilOut[1] = month;
  civilOut[2] = day;
  return civilOut;
}

/** ISO weekday of a day number: 1 = Monday .. 7 = Sunday (1970-01-01 was a Thursday). */
export const weekdayOf = (d: number): number => ((((d + 3) % 7) + 7) % 7) + 1;

const daysInMonth = (y: number, m: number) =>
  m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;

/** The day of a canonical 'YYYY-MM-DD' that names a real date; undefined for anything else. */
export function dayOfIsoDate(s: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  return dayOf(y, mo, d);
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** 'YYYY-MM-DD' of a day, as Temporal.PlainDate#toString writes it. */
export function isoDateOf(d: number): string {
  const [y, m, day] = ymdOf(d);
  if (y < 0 || y > 9999) return new Temporal.PlainDate(y, m, day).toString();
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(day, 2)}`;
}

// ---------- instants as ISO strings ----------

const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,3})?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

/** Epoch ms of an ISO-8601 instant, as Temporal.Instant.from(s).epochMilliseconds (RangeError if invalid). */
export function parseInstant(s: string): number {
  const m = INSTANT.exec(s);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo)) {
      const t = Date.parse(s);
      if (Number.isSafeInteger(t)) return t;
    }
  }
  return Temporal.Instant.from(s).epochMilliseconds;
}

/** ISO string of epoch ms (rounded to the ms), as Temporal.Instant#toString writes it. */
export function formatInstant(t: number): string {
  const r = Math.round(t);
  const s = new Date(r).toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ for years 0000–9999
  if (s.length !== 24) return Temporal.Instant.fromEpochMilliseconds(r).toString();
  const frac = s.slice(20, 23).replace(/0+$/, '');
  return frac ? `${s.slice(0, 20)}${frac}Z` : `${s.slice(0, 19)}Z`;
}

// ---------- the time zone ----------

type Zone = {
  /** UTC day → offset (ms) in force throughout it, or NaN when it changes within that day */
  offsets: Map<number, number>;
  /** local day → first instant of that day */
  starts: Map<number, number>;
  /** `${day}T${minutes}` → instant of that wall time ('compatible' disambiguation) */
  times: Map<string, number>;
};
const zones = new Map<string, Zone>();
/** Each memo holds at most this many entries (about 270 years of days), then starts again. */
const MEMO_LIMIT = 100_000;

function zone(tz: string): Zone {
  let z = zones.get(tz);
  if (!z) {
    z = { offsets: new Map(), starts: new Map(), times: new Map() };
    zones.set(tz, z);
  }
  return z;
}

function remember<K>(map: Map<K, number>, key: K, value: number): number {
  if (map.size >= MEMO_LIMIT) map.clear();
  map.set(key, value);
  return value;
}

/** The UTC offset (ms) in force through the whole UTC day `u` in `tz`, NaN if a transition falls in it. */
function dayOffset(tz: string, u: number): number {
  const z = zone(tz);
  const known = z.offsets.get(u);
  if (known !== undefined) return known;
  const at = Temporal.Instant.fromEpochMilliseconds(u * DAY_MS).toZonedDateTimeISO(tz);
  const next = at.getTimeZoneTransition('next');
  const offset = at.offsetNanoseconds / 1e6;
  const steady = (!next || next.epochMilliseconds >= (u + 1) * DAY_MS) && Number.isInteger(offset);
  return remember(z.offsets, u, steady ? offset : Number.NaN);
}

const zoned = (tz: string, t: number) => Temporal.Instant.fromEpochMilliseconds(t).toZonedDateTimeISO(tz);

/** The local day of instant `t` in `tz`. */
export function localDay(tz: string, t: number): number {
  const offset = dayOffset(tz, Math.floor(t / DAY_MS));
  if (!Number.isNaN(offset)) return Math.floor((t + offset) / DAY_MS);
  const z = zoned(tz, t);
  return dayOf(z.year, z.month, z.day);
}

/** Local day, hour and minute of instant `t` in `tz`. */
export function localWall(tz: string, t: number): { day: number; hour: number; minute: number } {
  const offset = dayOffset(tz, Math.floor(t / DAY_MS));
  if (Number.isNaN(offset)) {
    const z = zoned(tz, t);
    return { day: dayOf(z.year, z.month, z.day), hour: z.hour, minute: z.minute };
  }
  const wall = t + offset;
  const day = Math.floor(wall / DAY_MS);
  const minutes = Math.floor((wall - day * DAY_MS) / 60_000);
  return { day, hour: Math.floor(minutes / 60), minute: minutes % 60 };
}

const plainDate = (d: number) => {
  const [y, m, day] = ymdOf(d);
  return new Temporal.PlainDate(y, m, day);
};

/** The first instant of local day `d` in `tz` (Temporal's start of day: later than 00:00 in a DST gap). */
export function dayStart(tz: string, d: number): number {
  const z = zone(tz);
  const known = z.starts.get(d);
  if (known !== undefined) return known;
  return remember(z.starts, d, plainDate(d).toZonedDateTime(tz).epochMilliseconds);
}

/** The instant of wall time `hour`:`minute` (0–23, 0–59) on local day `d` in `tz` ('compatible'). */
export function wallTime(tz: string, d: number, hour: number, minute: number): number {
  const z = zone(tz);
  const key = `${d}T${hour * 60 + minute}`;
  const known = z.times.get(key);
  if (known !== undefined) return known;
  const plainTime = new Temporal.PlainTime(hour, minute);
  return remember(z.times, key, plainDate(d).toZonedDateTime({ timeZone: tz, plainTime }).epochMilliseconds);
}
