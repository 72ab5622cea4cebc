// The period and filters every report shares, turned into SQL over the report facts (`report_cases m`, kept by
// the projection; db/schema/reports.ts).
import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../client.ts';

/** Dimensions a report may be filtered by (codes, as stored in the read model). */
export const filterKeys = [
  'kind',
  'topic',
  'item',
  'unit',
  'group',
  'assignee',
  'channel',
  'priority',
  'status',
  'reason',
] as const;
export type FilterKey = (typeof filterKeys)[number];

/**
 * A report's period and filters. `from`/`to` are calendar dates (YYYY-MM-DD, `to` inclusive) in the
 * organisation's timezone `tz` (IANA name); a period covers [from 00:00, to+1 00:00) local time.
 * `unit` narrows to cases forwarded to that unit (a unit user is always narrowed to their own unit).
 */
export type ReportFilter = { from: string; to: string; tz: string } & Partial<Record<FilterKey, string>>;

const columnOf: Record<Exclude<FilterKey, 'unit'>, string> = {
  kind: 'm.kind',
  topic: 'm.topic',
  item: 'm.item',
  group: 'm.group_code',
  assignee: 'm.assignee',
  channel: 'm.channel',
  priority: 'm.priority',
  status: 'm.status',
  reason: 'm.reason_code',
};

/** Start and end (exclusive) of the period as timestamptz SQL expressions. */
export function periodBounds(f: Pick<ReportFilter, 'from' | 'to' | 'tz'>): { start: SQL; end: SQL } {
  return {
    start: sql`((${f.from}::date)::timestamp at time zone ${f.tz})`,
    end: sql`((${f.to}::date + 1)::timestamp at time zone ${f.tz})`,
  };
}

/** `and …` conditions for the dimension filters (empty SQL when none is set). */
export function dimensionWhere(f: ReportFilter): SQL {
  const parts: SQL[] = [];
  for (const key of filterKeys) {
    const value = f[key];
    if (!value) continue;
    if (key === 'unit') parts.push(sql`and ${value} = any(m.units)`);
    else parts.push(sql`and ${sql.raw(columnOf[key])} = ${value}`);
  }
  return sql.join(parts, sql` `);
}

/** `where <column> in period and <filters>` for a timestamptz column of `m`. */
export function inPeriod(f: ReportFilter, column: string): SQL {
  const { start, end } = periodBounds(f);
  const col = sql.raw(`m.${column}`);
  return sql`where ${col} >= ${start} and ${col} < ${end} ${dimensionWhere(f)}`;
}

export type Row = Record<string, unknown>;

/** Runs SQL and returns plain rows on both drivers (postgres.js returns an array, PGlite `{ rows }`). */
export async function rowsOf<T = Row>(db: Database, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : ((result as { rows?: unknown[] }).rows ?? [])) as T[];
}

/** Count-like values as numbers (postgres.js returns bigint and numeric as strings). */
export function num(v: unknown, digits?: number): number | null {
  if (v === null || v === undefined) return null;
  const n = Number(v);
  if (!Number.isFinite(n)) return null;
  return digits === undefined ? n : Math.round(n * 10 ** digits) / 10 ** digits;
}
