// The open data of a year read in batches (issue 12 item 4 at scale): the transparency page and its
// dados.csv/.json never hold a year's rows in memory. Two reads:
//  - openDataCombinations: how many cases share each combination the suppression rule looks at (month,
//    kind, topic, item, first unit, channel) — one aggregate, as many rows as distinct combinations;
//  - openDataBatches: the cases themselves in receipt order, `batchSize` at a time, by keyset on
//    (received_at, protocol) — the report_cases_received_idx index — so each batch is one index range
//    and the server never keeps a cursor (works the same on postgres.js and PGlite, and a slow download
//    holds no connection or transaction between batches).
// Between the two reads a case may arrive or be reclassified; the rule then errs on the safe side for new
// combinations (unknown to the counts = fewer than 5 = suppressed). A reclassification during a download
// could leave a combination published with one case fewer than counted; the window is the download's
// duration and the figures are republished on the next request.
import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../client.ts';
import { answerTenthsSql } from './answer-time.ts';
import { rowsOf } from './filter.ts';
import type { OpenDataCase } from './open-data.ts';
import { tzLiteral } from './operational.ts';

/** A combination of the suppression rule (codes for kind and channel, labels for catalogue and unit) and its count. */
export type OpenDataCombination = Pick<
  OpenDataCase,
  'month' | 'kind' | 'topic' | 'item' | 'unit' | 'channel'
> & { n: number };

/** Rows per batch of openDataBatches: ~1–2 MB of rows in memory at a time. */
export const OPEN_DATA_BATCH = 5000;

function yearRange(year: number, tz: string) {
  const zone = tzLiteral(tz);
  return {
    zone,
    where: sql`m.received_at >= ((${`${year}-01-01`}::date)::timestamp at time zone ${zone})
      and m.received_at < ((${`${year + 1}-01-01`}::date)::timestamp at time zone ${zone})`,
  };
}

const joins = sql`left join topics tp on tp.code = m.topic
  left join items it on it.code = m.item
  left join units un on un.code = m.units[1]`;

/** Every combination of the year's cases with its count (the counts rules R2–R4 need). */
export async function openDataCombinations(
  db: Database,
  year: number,
  tz: string,
): Promise<OpenDataCombination[]> {
  const { zone, where } = yearRange(year, tz);
  const rows = await rowsOf<Record<string, unknown>>(
    db,
    sql`select to_char(m.received_at at time zone ${zone}, 'YYYY-MM') as month, m.kind,
          tp.label_pt as topic, it.label_pt as item, un.name as unit, m.channel, count(*)::int as n
        from report_cases m ${joins}
        where ${where}
        group by 1, 2, 3, 4, 5, 6`,
  );
  return rows.map((r) => ({
    month: String(r.month),
    kind: String(r.kind),
    topic: (r.topic as string | null) ?? null,
    item: (r.item as string | null) ?? null,
    unit: (r.unit as string | null) ?? null,
    channel: String(r.channel),
    n: Number(r.n),
  }));
}

/** The year's cases (calendar year in `tz`) in receipt order, `batchSize` at a time. */
export async function* openDataBatches(
  db: Database,
  year: number,
  tz: string,
  batchSize = OPEN_DATA_BATCH,
): AsyncGenerator<OpenDataCase[]> {
  const { zone, where } = yearRange(year, tz);
  let after: SQL = sql``;
  for (;;) {
    const rows = await rowsOf<Record<string, unknown>>(
      db,
      sql`select m.received_at::text as at, m.protocol,
            to_char(m.received_at at time zone ${zone}, 'YYYY-MM') as month,
            m.kind, tp.label_pt as topic, it.label_pt as item, un.name as unit, m.status, m.channel,
            to_char(m.answered_at at time zone ${zone}, 'YYYY-MM') as answer_month,
            ${answerTenthsSql}::int as answer_tenths,
            case when m.answered_at is null or m.answer_due_at is null then null
                 else greatest(0, ceil(extract(epoch from m.answered_at - m.answer_due_at) / 86400))::int end as days_late,
            case when m.answered_at is null or m.answer_due_at is null then null
                 else m.answered_at <= m.answer_due_at end as on_time,
            m.rating_score, m.rating_resolved
          from report_cases m ${joins}
          where ${where} ${after}
          order by m.received_at, m.protocol
          limit ${batchSize}`,
    );
    if (rows.length) yield rows.map(toCase);
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1] as Record<string, unknown>;
    after = sql`and (m.received_at, m.protocol) > (${String(last.at)}::timestamptz, ${String(last.protocol)})`;
  }
}

function toCase(r: Record<string, unknown>): OpenDataCase {
  return {
    month: String(r.month),
    kind: String(r.kind),
    topic: (r.topic as string | null) ?? null,
    item: (r.item as string | null) ?? null,
    unit: (r.unit as string | null) ?? null,
    status: String(r.status),
    channel: String(r.channel),
    answerMonth: (r.answer_month as string | null) ?? null,
    answerTenths: r.answer_tenths === null ? null : Number(r.answer_tenths),
    daysLate: r.days_late === null ? null : Number(r.days_late),
    onTime: r.on_time === null ? null : Boolean(r.on_time),
    rating: r.rating_score === null ? null : Number(r.rating_score),
    resolved: (r.rating_resolved as string | null) ?? null,
  };
}
