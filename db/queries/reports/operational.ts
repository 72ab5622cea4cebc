// Operational reports over the read model (issue 12 item 1): volume, backlog ageing, deadline compliance
// and case breakdowns per dimension. Definitions (what "answered", "on time", "time to answer" mean) are
// in README.md beside this file; every figure of every report, page, export and API comes from here.
//
// Speed (issue 12 item 7): plain PostgreSQL aggregates over `report_cases`, a narrow per-case table of report
// facts that the projection writes in the same transaction as the case's read-model row, revision-guarded
// (activities/report-columns.ts). Each report reads one period slice of it (btree on received_at,
// answered_at or closed_at; the backlog has a partial index on the open cases) and no report joins the
// timeline: the per-case figures that need it (first answer, deadline then in force, days without the
// complementation time) are computed once, at projection.
//
// Why this and not the alternatives (measured at 1M cases, test/bench/cases/reports.ts = B6):
// - Aggregating `manifestations` itself (before) read ~1 KB per case (texts, search documents and
//   vectors) to use ~150 bytes: a year of cases was most of a 1+ GB table, 5–11 s per report.
// - A daily summary (day × kind, topic, item, unit, group, attendant, channel, reason, priority, status)
//   does not compress: with ten filter dimensions a day's cases fall into nearly as many cells as there
//   are cases (the attendants and units alone multiply to hundreds of cells a day), so it is as large as
//   a per-case table, while it needs bucketed durations (approximate medians), a fixed timezone for its
//   days (the periods are local dates) and additive counters that a retried or out-of-order projection
//   must subtract and re-add exactly. A per-case row is replaced, not added to: a replay cannot count twice.
// - Covering indexes on `manifestations` would carry the same columns three times (one per period
//   column) on the busiest table, and index-only scans there fall back to the heap on every page the
//   workspace has just updated.
// So: one narrow row per case (counts exact for any range, filter and timezone; 194 MB at 1M cases against
// 1.6 GB for manifestations), and one write per projection. The migration that created it copied the facts
// of the cases projected before (db/migrations/0027_report_cases.sql).
//
// What keeps a year (≈ 670,000 of the bench's 1M cases) under the targets is how each statement aggregates,
// not a second copy of the data (each step measured on B6, 2026-11-30, same machine, alternately):
// - no sort of a year of cases anywhere: medians and p90 from a histogram of tenths of a day per group
//   (deadline-figures.ts; the unit answers too, quality.ts, helped by the expression statistics of migrations
//   0029/0030 so the planner hashes); the annual report counts per kind × subject × item × reason × month in
//   one hash aggregate before its grouping sets (annual.ts: 1.3–1.8 s → 0.6–1.1 s);
// - nothing per case that can be done per group: days and months by width_bucket over the period's local
//   starts instead of converting every timestamp to local time (filter.ts periodBuckets: volume 0.46–1.08 s →
//   0.31–0.45 s); labels joined once per group; a case's units grouped as an array and unnested per group
//   (by-unit 0.40–1.05 s → 0.29–0.34 s);
// - volume without filters reads only the period's index (index-only scans on received_at, answered_at,
//   closed_at).
// Every year-long report then runs in 0.15–0.7 s at load ≈ 7 on the 2-core machine; a daily summary would
// only move the remaining cost (one hash pass over a year's narrow rows) to every projection write.
import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../client.ts';
import { deadlineFigures } from './deadline-figures.ts';
import { dimensionWhere, inPeriod, num, periodBuckets, type ReportFilter, rowsOf } from './filter.ts';
import type { ReportColumn, ReportResult, ReportRow } from './types.ts';

/** Case statuses that still wait for the ombudsman (the backlog). */
export const OPEN_STATUSES = sql`('received', 'in_progress', 'forwarded', 'awaiting_citizen')`;

/** Cases received, answered (first answer) and closed per day (periods up to 62 days) or month. */
export async function volumeReport(db: Database, f: ReportFilter): Promise<ReportResult> {
  const days = (Date.parse(f.to) - Date.parse(f.from)) / 86_400_000 + 1;
  const unit = days <= 62 ? 'day' : 'month';
  const buckets = periodBuckets(f, unit);
  // bucket numbers per case (width_bucket over the local day/month starts), labelled per group
  const count = (col: string) =>
    sql`select ${buckets.label('b.i')} as period, b.n from
          (select ${buckets.of(`m.${col}`)} as i, count(*)::int as n from report_cases m ${inPeriod(f, col)} group by 1) b`;
  const [received, answered, closed] = await Promise.all(
    ['received_at', 'answered_at', 'closed_at'].map((c) =>
      rowsOf<{ period: string; n: number }>(db, count(c)),
    ),
  );
  const periods = new Map<string, ReportRow>();
  const fill = (list: { period: string; n: number }[], key: string) => {
    for (const r of list) {
      const row = periods.get(r.period) ?? { period: r.period, received: 0, answered: 0, closed: 0 };
      row[key] = num(r.n);
      periods.set(r.period, row);
    }
  };
  fill(received ?? [], 'received');
  fill(answered ?? [], 'answered');
  fill(closed ?? [], 'closed');
  const rows = [...periods.values()].sort((a, b) => String(a.period).localeCompare(String(b.period)));
  return {
    name: 'volume',
    columns: [col('period', 'text'), col('received'), col('answered'), col('closed')],
    rows,
    chart: { type: 'line', category: 'period', series: ['received', 'answered', 'closed'] },
  };
}

const AGE_BUCKETS = ['0-10', '11-20', '21-30', '31-60', '61+'] as const;

/**
 * Open cases received up to the end of the period, by age in calendar days at the time of the query
 * (0–10, 11–20, 21–30, 31–60, over 60), with how many are past their deadline.
 */
export async function backlogReport(db: Database, f: ReportFilter): Promise<ReportResult> {
  const q = sql`
    select case
        when now() - m.received_at <= interval '10 days' then '0-10'
        when now() - m.received_at <= interval '20 days' then '11-20'
        when now() - m.received_at <= interval '30 days' then '21-30'
        when now() - m.received_at <= interval '60 days' then '31-60'
        else '61+' end as age,
      count(*)::int as open,
      count(*) filter (where m.due_at < now())::int as overdue
    from report_cases m
    where m.status in ${OPEN_STATUSES}
      and m.received_at < ((${f.to}::date + 1)::timestamp at time zone ${f.tz}) ${dimensionWhere(f)}
    group by 1`;
  const found = new Map(
    (await rowsOf<{ age: string; open: number; overdue: number }>(db, q)).map((r) => [r.age, r]),
  );
  return {
    name: 'backlog',
    columns: [col('age', 'text'), col('open'), col('overdue')],
    rows: AGE_BUCKETS.map((age) => ({
      age,
      open: num(found.get(age)?.open) ?? 0,
      overdue: num(found.get(age)?.overdue) ?? 0,
    })),
    chart: { type: 'bar', category: 'age', series: ['open', 'overdue'] },
  };
}

const deadlineColumns: ReportColumn[] = [
  col('answered'),
  col('on_time'),
  col('late'),
  col('on_time_pct', 'percent'),
  col('median_days', 'days'),
  col('p90_days', 'days'),
  col('avg_days_late', 'days'),
];

/** Cases first answered in the period, per kind: on time vs late against each case's own deadline. */
export async function deadlinesReport(db: Database, f: ReportFilter): Promise<ReportResult> {
  const rows = await rowsOf<ReportRow>(
    db,
    sql`select kind, answered, on_time, late, on_time_pct, median_days, p90_days, avg_days_late
        from (${deadlineFigures({ keys: [['kind', sql`m.kind`]], where: inPeriod(f, 'answered_at') })}) x
        order by answered desc`,
  );
  return {
    name: 'deadlines',
    columns: [col('kind', 'text', 'kind.'), ...deadlineColumns],
    rows: rows.map(numeric),
    chart: { type: 'bar', category: 'kind', series: ['on_time', 'late'], stacked: true },
  };
}

/**
 * Dimensions of the "cases per …" reports: the grouping key over `m`, and its label — computed once per
 * group at the end over `g.code` (and the code's table joined by `labelFrom`), or, for a label that lives on
 * the case row, taken per case with min() (`rowLabel`). `unit` groups by the case's units array and counts a
 * case under each of its units (deadline-figures.ts, `unnestKey`).
 */
export const dimensions = {
  status: { key: sql`m.status`, label: sql`g.code`, prefix: 'status.' },
  kind: { key: sql`m.kind`, label: sql`g.code`, prefix: 'kind.' },
  channel: { key: sql`m.channel`, label: sql`g.code`, prefix: 'channel.' },
  priority: { key: sql`m.priority`, label: sql`g.code`, prefix: 'priority.' },
  unit: {
    key: sql`m.units`,
    unnest: true,
    label: sql`coalesce(lu.name, g.code, '—')`,
    labelFrom: sql`left join units lu on lu.code = g.code`,
  },
  attendant: { key: sql`m.assignee`, rowLabel: sql`coalesce(m.assignee_name, m.assignee, '—')` },
  group: {
    key: sql`m.group_code`,
    label: sql`coalesce(lg.name, g.code, '—')`,
    labelFrom: sql`left join attendant_groups lg on lg.code = g.code`,
  },
  reason: {
    key: sql`m.reason_code`,
    label: sql`coalesce(lr.label_pt, g.code, '—')`,
    labelFrom: sql`left join opening_reasons lr on lr.code = g.code`,
  },
  topic: {
    key: sql`m.topic`,
    label: sql`coalesce(lt.label_pt, g.code, '—')`,
    labelFrom: sql`left join topics lt on lt.code = g.code`,
  },
} satisfies Record<
  string,
  { key: SQL; label?: SQL; labelFrom?: SQL; rowLabel?: SQL; unnest?: boolean; prefix?: string }
>;
export type Dimension = keyof typeof dimensions;

/** Cases received in the period per dimension value, with their deadline figures (a cohort view). */
export async function breakdownReport(db: Database, f: ReportFilter, by: Dimension): Promise<ReportResult> {
  const d: { key: SQL; label?: SQL; labelFrom?: SQL; rowLabel?: SQL; unnest?: boolean; prefix?: string } =
    dimensions[by];
  const rows = await rowsOf<ReportRow>(
    db,
    sql`select code, label, received, answered, on_time, late, on_time_pct, median_days, p90_days, avg_days_late
        from (${deadlineFigures({
          keys: [['code', d.key]],
          unnestKey: d.unnest ?? false,
          ...(d.rowLabel
            ? { rowLabels: [['label', d.rowLabel]] }
            : { labels: [['label', d.label ?? sql`g.code`]] }),
          ...(d.labelFrom ? { labelFrom: d.labelFrom } : {}),
          where: inPeriod(f, 'received_at'),
        })}) x
        order by received desc, label limit 100`,
  );
  const prefix = d.prefix;
  return {
    name: `by-${by}`,
    columns: [
      { ...col('label', 'text', prefix), headerKey: `reports.dim.${by}` },
      col('received'),
      ...deadlineColumns,
    ],
    // narrowed to a unit (a unit user always is), the cases' other units are not that unit's figures
    rows: rows
      .filter((r) => by !== 'unit' || !f.unit || r.code === f.unit)
      .map(({ code: _code, ...r }) => numeric(r)),
    chart: { type: 'bar', category: 'label', series: ['received'], horizontal: true },
  };
}

/** A column; `kind` defaults to a count. */
export function col(key: string, kind: ReportColumn['kind'] = 'count', codePrefix?: string): ReportColumn {
  return codePrefix ? { key, kind, codePrefix } : { key, kind };
}

/** Converts driver strings of numeric columns to numbers (labels stay strings). */
export function numeric(r: ReportRow): ReportRow {
  return Object.fromEntries(
    Object.entries(r).map(([k, v]) => [
      k,
      typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) && k !== 'label' && k !== 'period' ? Number(v) : v,
    ]),
  ) as ReportRow;
}

/** An IANA timezone name safe to inline (letters, digits, `/_+-`); anything else falls back to UTC. */
export function tzLiteral(tz: string): string {
  return /^[A-Za-z0-9/_+-]+$/.test(tz) ? tz : 'UTC';
}
