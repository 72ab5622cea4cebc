// Operational reports about units, extra steps, effort and satisfaction (issue 12 item 1); the rest are in
// operational.ts. Same period/filter rules; definitions in README.md.
import { sql } from 'drizzle-orm';
import type { Database } from '../../client.ts';
import { percentile, rankBound } from './deadline-figures.ts';
import { dimensionWhere, filterKeys, inPeriod, periodBounds, type ReportFilter, rowsOf } from './filter.ts';
import { col, numeric } from './operational.ts';
import type { ReportResult, ReportRow } from './types.ts';

/**
 * Forwards made in the period, per unit: answered, answered late (after the unit's deadline then in force),
 * still pending past it, median and p90 days to the unit's answer, extensions granted to the unit.
 *
 * Days to the unit's answer are taken to the tenth of a day, like the case's time to answer (answer-time.ts),
 * and the median and p90 are continuous percentiles of those tenths computed from a histogram per unit
 * (deadline-figures.ts: a hash aggregate instead of sorting a year of forwards for percentile_cont, which
 * made this the slowest year-long report at 1M cases; the expression statistics of migration 0030 tell the
 * planner the tenths are few, so it hashes). Unit names are joined once per unit, at the end.
 */
export async function unitsReport(db: Database, f: ReportFilter): Promise<ReportResult> {
  const { start, end } = periodBounds(f);
  // Join the cases only when a case filter asks for it: the forwards carry the period and the unit.
  const caseFilters = filterKeys.some((k) => k !== 'unit' && f[k]);
  const rows = await rowsOf<ReportRow>(
    db,
    sql`with h as (
          select a.unit, round(extract(epoch from a.responded_at - a.forwarded_at) / 8640) as d,
            count(*) as forwarded, count(a.responded_at) as n,
            count(*) filter (where a.responded_at > a.due_at) as responded_late,
            count(*) filter (where a.responded_at is null and a.due_at < now()) as overdue,
            sum(a.extensions) as extensions
          from report_unit_assignments a
          ${caseFilters ? sql`join report_cases m on m.protocol = a.protocol` : sql``}
          where a.forwarded_at >= ${start} and a.forwarded_at < ${end}
            ${f.unit ? sql`and a.unit = ${f.unit}` : sql``}
            ${caseFilters ? dimensionWhere({ ...f, unit: undefined }) : sql``}
          group by 1, 2
        ), g as (
          select unit, sum(forwarded) as forwarded, sum(n) as responded, sum(responded_late) as responded_late,
            sum(overdue) as overdue, sum(extensions) as extensions
          from h group by unit
        ), c as (
          select unit, d, sum(n) over (partition by unit order by d) as cum, sum(n) over (partition by unit) as n
          from h where d is not null and n > 0
        ), p as (
          select c.unit, min(c.n) as n,
            ${rankBound(0.5, 'floor')} as lo50, ${rankBound(0.5, 'ceil')} as hi50,
            ${rankBound(0.9, 'floor')} as lo90, ${rankBound(0.9, 'ceil')} as hi90
          from c group by c.unit
        )
        select coalesce(un.name, g.unit) as label, g.forwarded::int as forwarded, g.responded::int as responded,
          g.responded_late::int as responded_late, g.overdue::int as overdue,
          ${percentile(0.5)} as median_days, ${percentile(0.9)} as p90_days, g.extensions::int as extensions
        from g left join p on p.unit = g.unit left join units un on un.code = g.unit
        order by 2 desc, 1 limit 100`,
  );
  return {
    name: 'units',
    columns: [
      { ...col('label', 'text'), headerKey: 'reports.dim.unit' },
      col('forwarded'),
      col('responded'),
      col('responded_late'),
      col('overdue'),
      col('median_days', 'days'),
      col('p90_days', 'days'),
      col('extensions'),
    ],
    rows: rows.map(numeric),
    chart: {
      type: 'bar',
      category: 'label',
      series: ['responded', 'responded_late', 'overdue'],
      stacked: true,
    },
  };
}

/** Cases received in the period per kind: deadline extensions, requests for complementation. */
export async function extensionsReport(db: Database, f: ReportFilter): Promise<ReportResult> {
  const rows = await rowsOf<ReportRow>(
    db,
    sql`select m.kind, count(*)::int as received,
          count(*) filter (where m.case_extensions > 0)::int as extended,
          coalesce(sum(m.case_extensions), 0)::int as extensions,
          count(*) filter (where m.complementation_requests > 0)::int as complemented,
          coalesce(sum(m.complementation_requests), 0)::int as complementation_requests
        from report_cases m ${inPeriod(f, 'received_at')} group by 1 order by 2 desc`,
  );
  return {
    name: 'extensions',
    columns: [
      col('kind', 'text', 'kind.'),
      col('received'),
      col('extended'),
      col('extensions'),
      col('complemented'),
      col('complementation_requests'),
    ],
    rows: rows.map(numeric),
    chart: { type: 'bar', category: 'kind', series: ['extended', 'complemented'] },
  };
}

/** Cases first answered in the period per kind: reopened (by staff or a rejection) and rejected, with rates. */
export async function reopensReport(db: Database, f: ReportFilter): Promise<ReportResult> {
  const rows = await rowsOf<ReportRow>(
    db,
    sql`select m.kind, count(*)::int as answered,
          count(*) filter (where m.reopen_count > 0)::int as reopened,
          count(*) filter (where m.rejections > 0)::int as rejected,
          round(100.0 * count(*) filter (where m.reopen_count > 0) / nullif(count(*), 0), 1)::float8 as reopen_pct,
          round(100.0 * count(*) filter (where m.rejections > 0) / nullif(count(*), 0), 1)::float8 as rejection_pct
        from report_cases m ${inPeriod(f, 'answered_at')} group by 1 order by 2 desc`,
  );
  return {
    name: 'reopens',
    columns: [
      col('kind', 'text', 'kind.'),
      col('answered'),
      col('reopened'),
      col('rejected'),
      col('reopen_pct', 'percent'),
      col('rejection_pct', 'percent'),
    ],
    rows: rows.map(numeric),
    chart: { type: 'bar', category: 'kind', series: ['reopen_pct', 'rejection_pct'] },
  };
}

const effortGroups = {
  attendant: { key: sql`coalesce(m.assignee_name, m.assignee, '—')`, from: sql`` },
  unit: {
    key: sql`coalesce(un.name, u.code, '—')`,
    from: sql`cross join lateral unnest(coalesce(nullif(m.units, '{}'), array[null::text])) as u(code)
              left join units un on un.code = u.code`,
  },
  cost_centre: {
    key: sql`coalesce(cc.name, un.cost_centre_code, '—')`,
    from: sql`cross join lateral unnest(coalesce(nullif(m.units, '{}'), array[null::text])) as u(code)
              left join units un on un.code = u.code
              left join cost_centres cc on cc.code = un.cost_centre_code`,
  },
};
export type EffortBy = keyof typeof effortGroups;

/**
 * Time logged (work_logged) and estimated on cases received in the period, per attendant (the assignee),
 * unit or cost centre (of the units the case was forwarded to; a case forwarded to two units counts in
 * both; narrowed to a unit, only that unit and its cost centre). Hours.
 */
export async function effortReport(
  db: Database,
  f: ReportFilter,
  by: EffortBy = 'attendant',
): Promise<ReportResult> {
  const g = effortGroups[by];
  const rows = await rowsOf<ReportRow>(
    db,
    sql`select ${g.key} as label, count(*)::int as received,
          round(coalesce(sum(m.work_minutes), 0) / 60.0, 1)::float8 as hours_spent,
          round(coalesce(sum(m.estimate_minutes), 0) / 60.0, 1)::float8 as hours_estimated,
          round(avg(m.work_minutes) filter (where m.work_minutes > 0) / 60.0, 2)::float8 as hours_per_case
        from report_cases m ${g.from} ${inPeriod(f, 'received_at')}
          ${by !== 'attendant' && f.unit ? sql`and u.code = ${f.unit}` : sql``}
        group by 1 order by 3 desc, 1 limit 100`,
  );
  return {
    name: 'effort',
    columns: [
      { ...col('label', 'text'), headerKey: `reports.dim.${by}` },
      col('received'),
      col('hours_spent', 'hours'),
      col('hours_estimated', 'hours'),
      col('hours_per_case', 'hours'),
    ],
    rows: rows.map(numeric),
    chart: { type: 'bar', category: 'label', series: ['hours_spent', 'hours_estimated'], horizontal: true },
  };
}

/**
 * Satisfaction of cases received in the period: final ratings (after the answer) and partial ones (while
 * open), the latest of each per case: how many gave each score 1–5 and each "Resolvida?" answer.
 */
export async function satisfactionReport(db: Database, f: ReportFilter): Promise<ReportResult> {
  const [scores] = await rowsOf<Record<string, string | number | null>>(
    db,
    sql`select
          ${sql.join(
            [1, 2, 3, 4, 5].map(
              (s) => sql`count(*) filter (where m.rating_score = ${s})::int as ${sql.raw(`f${s}`)},
                         count(*) filter (where m.partial_score = ${s})::int as ${sql.raw(`p${s}`)}`,
            ),
            sql`, `,
          )},
          ${sql.join(
            ['yes', 'partially', 'no'].map(
              (r) => sql`count(*) filter (where m.rating_resolved = ${r})::int as ${sql.raw(`f_${r}`)},
                         count(*) filter (where m.partial_resolved = ${r})::int as ${sql.raw(`p_${r}`)}`,
            ),
            sql`, `,
          )},
          round(avg(m.rating_score), 2)::float8 as f_avg, round(avg(m.partial_score), 2)::float8 as p_avg
        from report_cases m ${inPeriod(f, 'received_at')}`,
  );
  const s = scores ?? {};
  const rows: ReportRow[] = [
    ...[5, 4, 3, 2, 1].map((n) => ({
      answer: `score.${n}`,
      final: Number(s[`f${n}`] ?? 0),
      partial: Number(s[`p${n}`] ?? 0),
    })),
    ...['yes', 'partially', 'no'].map((r) => ({
      answer: `resolved.${r}`,
      final: Number(s[`f_${r}`] ?? 0),
      partial: Number(s[`p_${r}`] ?? 0),
    })),
    {
      answer: 'average',
      final: s.f_avg === null ? null : Number(s.f_avg),
      partial: s.p_avg === null ? null : Number(s.p_avg),
    },
  ];
  return {
    name: 'satisfaction',
    columns: [col('answer', 'text', 'reports.answer.'), col('final'), col('partial')],
    rows,
    chart: { type: 'bar', category: 'answer', series: ['final', 'partial'], omit: ['average'] },
  };
}
