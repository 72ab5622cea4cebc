// The public open data of the transparency page (issue 12 item 4): one row per manifestação received in a
// year, with no personal data — no protocol, name, contact, text, attendant or exact date (months only).
// Suppression of rare combinations happens in api/transparency/suppress.ts before anything is published.
import { sql } from 'drizzle-orm';
import type { Database } from '../../client.ts';
import { rowsOf } from './filter.ts';
import { tzLiteral } from './operational.ts';

/** One case as published (codes for kind/status/channel; catalogue and unit names as labels). */
export type OpenDataCase = {
  /** month of receipt, YYYY-MM (organisation timezone) */
  month: string;
  kind: string;
  topic: string | null;
  item: string | null;
  /** the first unit the case was forwarded to (its name), if any */
  unit: string | null;
  status: string;
  channel: string;
  /** month of the first conclusive answer, YYYY-MM */
  answerMonth: string | null;
  /** whole calendar days from receipt to the first answer (complementation time excluded) */
  daysToAnswer: number | null;
  /** whole calendar days the first answer came after its deadline (0 when on time) */
  daysLate: number | null;
  onTime: boolean | null;
  /** final rating 1–5 */
  rating: number | null;
  resolved: string | null;
};

/** Every case received in `year` (calendar year in `tz`), in receipt order. */
export async function openDataCases(db: Database, year: number, tz: string): Promise<OpenDataCase[]> {
  const zone = tzLiteral(tz);
  const rows = await rowsOf<Record<string, unknown>>(
    db,
    sql`select to_char(m.received_at at time zone ${zone}, 'YYYY-MM') as month,
          m.kind, tp.label_pt as topic, it.label_pt as item, un.name as unit, m.status, m.channel,
          to_char(m.answered_at at time zone ${zone}, 'YYYY-MM') as answer_month,
          floor(m.answer_days)::int as days_to_answer,
          case when m.answered_at is null or m.answer_due_at is null then null
               else greatest(0, ceil(extract(epoch from m.answered_at - m.answer_due_at) / 86400))::int end as days_late,
          case when m.answered_at is null or m.answer_due_at is null then null
               else m.answered_at <= m.answer_due_at end as on_time,
          m.rating_score, m.rating_resolved
        from manifestations m
        left join topics tp on tp.code = m.topic
        left join items it on it.code = m.item
        left join units un on un.code = m.units[1]
        where m.received_at >= ((${`${year}-01-01`}::date)::timestamp at time zone ${zone})
          and m.received_at < ((${`${year + 1}-01-01`}::date)::timestamp at time zone ${zone})
        order by m.received_at`,
  );
  return rows.map((r) => ({
    month: String(r.month),
    kind: String(r.kind),
    topic: (r.topic as string | null) ?? null,
    item: (r.item as string | null) ?? null,
    unit: (r.unit as string | null) ?? null,
    status: String(r.status),
    channel: String(r.channel),
    answerMonth: (r.answer_month as string | null) ?? null,
    daysToAnswer: r.days_to_answer === null ? null : Number(r.days_to_answer),
    daysLate: r.days_late === null ? null : Number(r.days_late),
    onTime: r.on_time === null ? null : Boolean(r.on_time),
    rating: r.rating_score === null ? null : Number(r.rating_score),
    resolved: (r.rating_resolved as string | null) ?? null,
  }));
}
