// Time to answer (README.md beside this file, "Time to answer"): the one definition of the median and the
// 90th percentile of the days to answer, used by every report, the management and annual reports and the
// transparency page. A case's days to answer are `report_cases.answer_days` (calendar days from receipt to
// the first answer, complementation time excluded), taken to the tenth of a day (2.4 hours, rounded); the
// median and p90 of a set of cases are continuous percentiles of those values (linear interpolation
// between the two nearest ranks, as PostgreSQL's percentile_cont), rounded to one decimal at the end (half
// up). Tenths are integers, so the SQL (here and deadline-figures.ts, which computes them from a
// histogram) and the JS below (the transparency page tallies its published rows in a histogram) give the
// same digits.
import { sql } from 'drizzle-orm';

/** One case's days to answer in tenths of a day (SQL over `m`; null when not answered). */
export const answerTenthsSql = sql`round(m.answer_days * 10)`;

/** `median_days, p90_days` over the cases `m` of the statement (cases without an answer are ignored). */
export const answerTimeAggregates = sql`
  (round((percentile_cont(0.5) within group (order by ${answerTenthsSql}))::numeric) / 10)::float8 as median_days,
  (round((percentile_cont(0.9) within group (order by ${answerTenthsSql}))::numeric) / 10)::float8 as p90_days`;

/** One case's days to answer in tenths of a day, from exact days (as answerTenthsSql). */
export function answerTenths(days: number | null): number | null {
  return days === null ? null : Math.round(days * 10);
}

/**
 * The median days (one decimal) of cases tallied as tenths of a day → how many cases (the same
 * digits as `median_days` of answerTimeAggregates); null for no cases.
 */
export function medianDays(histogram: ReadonlyMap<number, number>): number | null {
  const sorted = [...histogram.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const count = sorted.reduce((s, [, n]) => s + n, 0);
  if (count === 0) return null;
  const at = (i: number) => {
    let seen = 0;
    for (const [value, n] of sorted) {
      seen += n;
      if (i < seen) return value;
    }
    return sorted[sorted.length - 1]?.[0] ?? 0;
  };
  const mid = Math.floor(count / 2);
  // twice the median, in tenths (an integer), then to tenths half up: exact integer arithmetic
  const twice = count % 2 ? 2 * at(mid) : at(mid - 1) + at(mid);
  return Math.floor((twice + 1) / 2) / 10;
}
