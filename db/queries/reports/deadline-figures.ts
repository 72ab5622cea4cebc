// The deadline figures of a set of cases per group (answered, on time, late, on-time rate, median and p90
// days to answer, average days late) as one statement over report_cases. Used by the deadline report,
// every "cases per …" breakdown and the annual report's compliance table.
//
// Speed (issue 12 item 7): the percentiles come from a histogram, not from sorting the cases. The
// statement counts the cases per group × tenth of a day to answer (a hash aggregate: a group has at most
// a few hundred distinct values a year), then finds the ranks the continuous percentile needs with a
// running sum per group, and interpolates between them exactly as percentile_cont does over the same
// values (answer-time.ts). Sorting a year of cases per group for percentile_cont was most of a year-long
// breakdown's time at 1M cases; this gives the same digits at the cost of one more small aggregate.
import { type SQL, sql } from 'drizzle-orm';
import { answerTenthsSql } from './answer-time.ts';

export type DeadlineFiguresQuery = {
  /** group columns: alias → expression over `m` (and the joins in `from`) */
  keys: [string, SQL][];
  /**
   * with `unnestKey`, the (one) key is an array (a case's units): each group's figures are counted once under
   * each of its elements, and under null for an empty array. The cases are grouped by the whole array first
   * (a few distinct arrays) and the groups are unnested after, instead of unnesting every case.
   */
  unnestKey?: boolean;
  /**
   * label columns, computed once per group at the end: alias → expression over `g` (the keys by alias) and
   * the tables joined by `labelFrom` (a code's name): no join per case
   */
  labels?: [string, SQL][];
  /** joins after `g` for `labels`, e.g. `left join units lu on lu.code = g.code` */
  labelFrom?: SQL;
  /**
   * label columns that live on the case row (e.g. the assignee's name as projected): alias → expression over
   * `m`, taken with min() per group (grouping by the key alone lets the planner hash the groups; it cannot
   * estimate a label expression and would sort a year of cases)
   */
  rowLabels?: [string, SQL][];
  /** joins after `report_cases m` that the `where` needs */
  from?: SQL;
  /** `where …` (period and filters) */
  where: SQL;
  /** more per-group counts: alias → an aggregate that sums (count/sum), e.g. `count(*) filter (…)` */
  extra?: [string, SQL][];
  /** add a row with every key 'total' over all the groups (only with one key) */
  total?: boolean;
};

/**
 * The continuous percentile `p` (0.5 → lo50/hi50) of group `p.` in days, one decimal (half up): over a CTE `p`
 * with `n` (values in the group) and the rank bounds of rankBound.
 */
export const percentile = (p: 0.5 | 0.9) => {
  const n = p === 0.5 ? 50 : 90;
  const rank = `${p} * (p.n - 1)`;
  return sql.raw(
    `(round((p.lo${n} + (p.hi${n} - p.lo${n}) * (${rank} - floor(${rank})))::numeric) / 10)::float8`,
  );
};
/**
 * The smallest tenth whose running count passes the rank (floor or ceil) of percentile `p`: an aggregate over
 * a CTE `c` of `d` (the tenth), `cum` (running count in the group, by d) and `n` (count in the group).
 */
export const rankBound = (p: 0.5 | 0.9, fn: 'floor' | 'ceil') =>
  sql.raw(`min(c.d) filter (where c.cum > ${fn}(${p} * (c.n - 1)))`);

/** The per-group counts of the histogram rows `h` (all add up when groups are merged). */
const sums = ['received', 'answered', 'n', 'on_time', 'late', 'judged', 'late_days'];

/**
 * Rows: the key aliases, the label aliases, `received`, `answered`, `on_time`, `late`, `on_time_pct`,
 * `median_days`, `p90_days`, `avg_days_late`, and each `extra` alias (counts as int, rates and days as float,
 * one decimal).
 */
export function deadlineFigures(q: DeadlineFiguresQuery): SQL {
  const list = (prefix: string) =>
    sql.join(
      q.keys.map(([a]) => sql.raw(`${prefix}${a}`)),
      sql`, `,
    );
  const same = sql.join(
    q.keys.map(([a]) => sql.raw(`g.${a} is not distinct from p.${a}`)),
    sql` and `,
  );
  const keyExprs = q.keys.map(([a, e]) =>
    q.total
      ? sql`case when grouping(${e}) = 1 then 'total' else ${e} end as ${sql.raw(a)}`
      : sql`${e} as ${sql.raw(a)}`,
  );
  // by expression, not alias: a joined table's column of the same name would win over the alias
  const exprs = sql.join(
    q.keys.map(([, e]) => e),
    sql`, `,
  );
  const groupBy = q.total
    ? sql`grouping sets ((${exprs}, ${answerTenthsSql}), (${answerTenthsSql}))`
    : sql`${exprs}, ${answerTenthsSql}`;
  const extra = (q.extra ?? []).map(([a]) => a);
  const rowLabels = q.rowLabels ?? [];
  const each = (items: string[], f: (a: string) => string) => sql.raw(items.map((a) => `, ${f(a)}`).join(''));
  const counted = sql`
      select ${sql.join(keyExprs, sql`, `)}, ${answerTenthsSql} as d
        ${sql.join(
          rowLabels.map(([a, e]) => sql`, min(${e}) as ${sql.raw(a)}`),
          sql``,
        )},
        count(*) as received, count(m.answered_at) as answered, count(m.answer_days) as n,
        count(*) filter (where m.answered_at <= m.answer_due_at) as on_time,
        count(*) filter (where m.answered_at > m.answer_due_at) as late,
        count(*) filter (where m.answer_due_at is not null and m.answered_at is not null) as judged,
        sum(extract(epoch from m.answered_at - m.answer_due_at) / 86400) filter (where m.answered_at > m.answer_due_at) as late_days
        ${sql.join(
          (q.extra ?? []).map(([a, e]) => sql`, ${e} as ${sql.raw(a)}`),
          sql``,
        )}
      from report_cases m ${q.from ?? sql``} ${q.where}
      group by ${groupBy}`;
  const [key] = q.keys[0] ?? ['code'];
  // the groups of each array unnested: element × tenth, the counts of every array holding the element added up
  const histogram = q.unnestKey
    ? sql`h0 as (${counted}), h as (
        select u.${sql.raw(key)}, h0.d ${each([...sums, ...extra], (a) => `sum(h0.${a}) as ${a}`)}
        from h0 cross join lateral unnest(coalesce(nullif(h0.${sql.raw(key)}, '{}'), array[null::text])) as u(${sql.raw(key)})
        group by 1, 2)`
    : sql`h as (${counted})`;
  return sql`
    with ${histogram}, g as (
      select ${list('')} ${each(
        rowLabels.map(([a]) => a),
        (a) => `min(${a}) as ${a}`,
      )} ${each([...sums, ...extra], (a) => `sum(${a}) as ${a}`)}
      from h group by ${list('')}
    ), c as (
      select ${list('')}, d, sum(n) over (partition by ${list('')} order by d) as cum,
        sum(n) over (partition by ${list('')}) as n
      from h where d is not null and n > 0
    ), p as (
      select ${list('c.')}, min(c.n) as n,
        ${rankBound(0.5, 'floor')} as lo50, ${rankBound(0.5, 'ceil')} as hi50,
        ${rankBound(0.9, 'floor')} as lo90, ${rankBound(0.9, 'ceil')} as hi90
      from c group by ${list('c.')}
    )
    select ${list('g.')} ${each(
      rowLabels.map(([a]) => a),
      (a) => `g.${a}`,
    )} ${sql.join(
      (q.labels ?? []).map(([a, e]) => sql`, ${e} as ${sql.raw(a)}`),
      sql``,
    )}, g.received::int as received, g.answered::int as answered, g.on_time::int as on_time,
      g.late::int as late,
      round(100.0 * g.on_time / nullif(g.judged, 0), 1)::float8 as on_time_pct,
      ${percentile(0.5)} as median_days, ${percentile(0.9)} as p90_days,
      round((g.late_days / nullif(g.late, 0))::numeric, 1)::float8 as avg_days_late
      ${each(extra, (a) => `g.${a}::int as ${a}`)}
    from g left join p on ${same} ${q.labelFrom ?? sql``}`;
}
