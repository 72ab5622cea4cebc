// Management report (relatório gerencial, issue 12 item 2): one period against the one before it —
// volume and trend, on-time rate, the most frequent subjects with their change, the units with most late
// answers, satisfaction, and the measures taken (answered cases staff marked as having produced an
// improvement). Same definitions as the operational reports (README.md).
import { sql } from 'drizzle-orm';
import type { Database } from '../../client.ts';
import { deadlineFigures } from './deadline-figures.ts';
import { inPeriod, periodBounds, periodBuckets, type ReportFilter, rowsOf } from './filter.ts';

export type Change = { current: number; previous: number; change: number | null };
export type ManagementReport = {
  period: { from: string; to: string };
  previous: { from: string; to: string };
  received: Change;
  answered: Change;
  onTimePct: { current: number | null; previous: number | null };
  medianDays: { current: number | null; previous: number | null };
  /** received per month (or per day for periods up to 62 days) in the period */
  trend: { period: string; received: number }[];
  topSubjects: (Change & { label: string })[];
  topReasons: (Change & { label: string })[];
  topKinds: (Change & { label: string })[];
  lateUnits: { label: string; late: number; overdue: number }[];
  satisfaction: {
    average: number | null;
    rated: number;
    resolvedYesPct: number | null;
    previousAverage: number | null;
  };
  measures: { protocol: string; topic: string | null; measure: string; answeredAt: string }[];
};

const day = 86_400_000;
const shift = (d: string, days: number) =>
  new Date(Date.parse(`${d}T00:00:00Z`) + days * day).toISOString().slice(0, 10);
/** The period of the same length just before `f` (e.g. the previous month for a month). */
export function previousPeriod(f: Pick<ReportFilter, 'from' | 'to'>): { from: string; to: string } {
  const len = Math.round((Date.parse(f.to) - Date.parse(f.from)) / day) + 1;
  return { from: shift(f.from, -len), to: shift(f.from, -1) };
}
const pct = (a: number, b: number) => (b === 0 ? null : Math.round((1000 * (a - b)) / b) / 10);
const change = (current: number, previous: number): Change => ({
  current,
  previous,
  change: pct(current, previous),
});
const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/**
 * Received (one index range) and the answered figures (one pass over the cases answered in the period, the
 * median from the histogram of tenths of a day, deadline-figures.ts: no sort of the period's cases).
 */
async function headline(db: Database, f: ReportFilter) {
  const [[received], [answered]] = await Promise.all([
    rowsOf<Record<string, unknown>>(
      db,
      sql`select count(*)::int as received from report_cases m ${inPeriod(f, 'received_at')}`,
    ),
    rowsOf<Record<string, unknown>>(
      db,
      // one group (every case answered in the period): a bare constant cannot be a GROUP BY key
      sql`select * from (${deadlineFigures({
        keys: [['answered_any', sql`(m.answered_at is not null)`]],
        where: inPeriod(f, 'answered_at'),
        extra: [
          ['rating_sum', sql`sum(m.rating_score)`],
          ['rated', sql`count(m.rating_score)`],
          ['resolved_yes', sql`count(*) filter (where m.rating_resolved = 'yes')`],
          ['resolved_n', sql`count(m.rating_resolved)`],
        ],
      })}) x`,
    ),
  ]);
  const a = answered ?? {};
  const rated = Number(a.rated ?? 0);
  const resolvedN = Number(a.resolved_n ?? 0);
  // rounded half up as round(avg, 2) and round(100.0 * …, 1) would (integer ratios: exact enough)
  return {
    received: received?.received,
    answered: Number(a.answered ?? 0),
    on_time_pct: a.on_time_pct ?? null,
    median_days: a.median_days ?? null,
    rating: rated ? Math.round((100 * Number(a.rating_sum)) / rated) / 100 : null,
    rated,
    resolved_yes_pct: resolvedN ? Math.round((1000 * Number(a.resolved_yes)) / resolvedN) / 10 : null,
  };
}

/**
 * Received per subject, per reason and per kind in the period: the cases counted per kind × subject × reason
 * code in one hash aggregate, then labelled and summed per set over those few groups (grouping sets straight
 * over the cases, with a label join per case, sorted the period for the sets it could not hash).
 */
async function countsBy(db: Database, f: ReportFilter) {
  const rows = await rowsOf<{ set: string; label: string | null; n: number }>(
    db,
    sql`with c as (
          select m.kind, m.topic, m.reason_code, count(*) as n
          from report_cases m ${inPeriod(f, 'received_at')} group by 1, 2, 3
        ), l as (
          select c.kind, coalesce(tp.label_pt, c.topic) as topic, coalesce(rs.label_pt, c.reason_code) as reason, c.n
          from c left join topics tp on tp.code = c.topic left join opening_reasons rs on rs.code = c.reason_code
        )
        select case when grouping(l.kind) = 0 then 'kind' when grouping(l.topic) = 0 then 'topic' else 'reason' end as set,
          case when grouping(l.kind) = 0 then l.kind when grouping(l.topic) = 0 then l.topic else l.reason end as label,
          sum(l.n)::int as n
        from l group by grouping sets ((l.kind), (l.topic), (l.reason))`,
  );
  const kinds = new Map<string, number>();
  const topics = new Map<string, number>();
  const reasons = new Map<string, number>();
  for (const r of rows) {
    if (!r.label) continue;
    (r.set === 'kind' ? kinds : r.set === 'topic' ? topics : reasons).set(r.label, Number(r.n));
  }
  return { kinds, topics, reasons };
}

/** The management report of `f`'s period (and filters), compared with the period just before it. */
export async function managementReport(db: Database, f: ReportFilter): Promise<ManagementReport> {
  const prev = { ...f, ...previousPeriod(f) };
  const { start, end } = periodBounds(f);
  const days = Math.round((Date.parse(f.to) - Date.parse(f.from)) / day) + 1;
  const unit = days <= 62 ? 'day' : 'month';
  const buckets = periodBuckets(f, unit);
  const [cur, before, trend, counts, prevCounts, late, measures] = await Promise.all([
    headline(db, f),
    headline(db, prev),
    rowsOf<{ period: string; received: number }>(
      db,
      sql`select ${buckets.label('b.i')} as period, b.received from
            (select ${buckets.of('m.received_at')} as i, count(*)::int as received
             from report_cases m ${inPeriod(f, 'received_at')} group by 1) b order by b.i`,
    ),
    countsBy(db, f),
    countsBy(db, prev),
    rowsOf<{ label: string; late: number; overdue: number }>(
      db,
      sql`select coalesce(un.name, a.unit) as label,
            count(*) filter (where a.responded_at > a.due_at)::int as late,
            count(*) filter (where a.responded_at is null and a.due_at < now())::int as overdue
          from report_unit_assignments a left join units un on un.code = a.unit
          where a.forwarded_at >= ${start} and a.forwarded_at < ${end}
            ${f.unit ? sql`and a.unit = ${f.unit}` : sql``}
          group by a.unit, un.name
          having count(*) filter (where a.responded_at > a.due_at or (a.responded_at is null and a.due_at < now())) > 0
          order by 2 + 3 desc, 1 limit 5`,
    ),
    rowsOf<{ protocol: string; topic: string | null; measure: string; answered_at: Date | string }>(
      db,
      sql`select m.protocol, coalesce(tp.label_pt, m.topic) as topic, m.improvement as measure, m.answered_at
          from report_cases m left join topics tp on tp.code = m.topic
          ${inPeriod(f, 'answered_at')} and m.improvement is not null
          order by m.answered_at limit 50`,
    ),
  ]);
  const top = (now: Map<string, number>, then: Map<string, number>, limit: number) =>
    [...now.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, limit)
      .map(([label, c]) => ({ label, ...change(c, then.get(label) ?? 0) }));
  return {
    period: { from: f.from, to: f.to },
    previous: { from: prev.from, to: prev.to },
    received: change(Number(cur.received ?? 0), Number(before.received ?? 0)),
    answered: change(Number(cur.answered ?? 0), Number(before.answered ?? 0)),
    onTimePct: { current: n(cur.on_time_pct), previous: n(before.on_time_pct) },
    medianDays: { current: n(cur.median_days), previous: n(before.median_days) },
    trend: trend.map((r) => ({ period: String(r.period), received: Number(r.received) })),
    topSubjects: top(counts.topics, prevCounts.topics, 5),
    topReasons: top(counts.reasons, prevCounts.reasons, 5),
    topKinds: top(counts.kinds, prevCounts.kinds, 6),
    lateUnits: late.map((r) => ({
      label: String(r.label),
      late: Number(r.late),
      overdue: Number(r.overdue),
    })),
    satisfaction: {
      average: n(cur.rating),
      rated: Number(cur.rated ?? 0),
      resolvedYesPct: n(cur.resolved_yes_pct),
      previousAverage: n(before.rating),
    },
    measures: measures.map((r) => ({
      protocol: r.protocol,
      topic: r.topic,
      measure: r.measure,
      answeredAt: new Date(r.answered_at).toISOString(),
    })),
  };
}
