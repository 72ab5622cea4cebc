// Annual report (Lei 13.460/2017 arts. 14–15; issue 12 item 3): for a calendar year, the number of
// manifestações received, the reasons by kind and subject, the recurring points, the measures adopted and
// the legal deadline compliance; plus the narrative sections staff write before publishing (annual_reports).
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../client.ts';
import { type AnnualSection, annualReports } from '../../schema.ts';
import { dimensionWhere, num, type ReportFilter, rowsOf } from './filter.ts';
import { deadlineAggregates, tzLiteral } from './operational.ts';

export type AnnualFigures = {
  year: number;
  received: number;
  /** received per kind */
  byKind: { kind: string; received: number }[];
  /** received per kind and subject (topic) */
  byKindAndSubject: { kind: string; subject: string; received: number }[];
  /** subjects/items received in at least 3 different months, most frequent first (recurring points) */
  recurring: { subject: string; item: string | null; received: number; months: number; share: number }[];
  /** per kind and overall: answered, on time, late, rate, median and p90 days, extensions */
  compliance: {
    kind: string;
    answered: number;
    on_time: number;
    late: number;
    on_time_pct: number | null;
    median_days: number | null;
    p90_days: number | null;
    extended: number;
  }[];
  measures: { subject: string | null; measure: string }[];
  byMonth: { month: string; received: number; answered: number }[];
};

/** How many distinct months a subject must appear in to count as a recurring point. */
export const RECURRING_MIN_MONTHS = 3;

/** The figures of `year` (calendar year in `tz`), optionally narrowed by the report filters. */
export async function annualFigures(
  db: Database,
  year: number,
  tz: string,
  filters: Omit<ReportFilter, 'from' | 'to' | 'tz'> = {},
): Promise<AnnualFigures> {
  const f: ReportFilter = { ...filters, from: `${year}-01-01`, to: `${year}-12-31`, tz };
  const zone = tzLiteral(tz);
  const start = sql`((${f.from}::date)::timestamp at time zone ${zone})`;
  const end = sql`((${f.to}::date + 1)::timestamp at time zone ${zone})`;
  const received = sql`where m.received_at >= ${start} and m.received_at < ${end} ${dimensionWhere(f)}`;
  const answered = sql`where m.answered_at >= ${start} and m.answered_at < ${end} ${dimensionWhere(f)}`;
  const subject = sql`coalesce(tp.label_pt, m.topic, 'Não classificado')`;
  const [byKind, byKindAndSubject, recurring, compliance, total, measures, byMonth] = await Promise.all([
    rowsOf<{ kind: string; received: number }>(
      db,
      sql`select m.kind, count(*)::int as received from manifestations m ${received} group by 1 order by 2 desc`,
    ),
    rowsOf<{ kind: string; subject: string; received: number }>(
      db,
      sql`select m.kind, ${subject} as subject, count(*)::int as received
          from manifestations m left join topics tp on tp.code = m.topic ${received}
          group by 1, 2 order by 1, 3 desc`,
    ),
    rowsOf<{ subject: string; item: string | null; received: number; months: number }>(
      db,
      sql`select ${subject} as subject, it.label_pt as item, count(*)::int as received,
            count(distinct date_trunc('month', m.received_at at time zone ${zone}))::int as months
          from manifestations m left join topics tp on tp.code = m.topic left join items it on it.code = m.item
          ${received} and m.topic is not null
          group by 1, 2 having count(distinct date_trunc('month', m.received_at at time zone ${zone})) >= ${RECURRING_MIN_MONTHS}
          order by 3 desc limit 15`,
    ),
    rowsOf<Record<string, unknown>>(
      db,
      sql`select coalesce(m.kind, 'total') as kind, ${deadlineAggregates},
            count(*) filter (where m.case_extensions > 0)::int as extended
          from manifestations m ${answered} group by rollup (m.kind) order by (m.kind is null), 2 desc`,
    ),
    rowsOf<{ n: number }>(db, sql`select count(*)::int as n from manifestations m ${received}`),
    rowsOf<{ subject: string | null; measure: string }>(
      db,
      sql`select coalesce(tp.label_pt, m.topic) as subject, m.improvement as measure
          from manifestations m left join topics tp on tp.code = m.topic
          ${answered} and m.improvement is not null order by m.answered_at limit 200`,
    ),
    rowsOf<{ month: string; received: number; answered: number }>(
      db,
      sql`select to_char(mo, 'YYYY-MM') as month,
            (select count(*)::int from manifestations m where m.received_at >= (mo at time zone ${zone})
               and m.received_at < ((mo + interval '1 month') at time zone ${zone}) ${dimensionWhere(f)}) as received,
            (select count(*)::int from manifestations m where m.answered_at >= (mo at time zone ${zone})
               and m.answered_at < ((mo + interval '1 month') at time zone ${zone}) ${dimensionWhere(f)}) as answered
          from generate_series((${f.from}::date)::timestamp, (${f.to}::date)::timestamp, interval '1 month') as mo`,
    ),
  ]);
  const totalReceived = Number(total[0]?.n ?? 0);
  return {
    year,
    received: totalReceived,
    byKind: byKind.map((r) => ({ kind: r.kind, received: Number(r.received) })),
    byKindAndSubject: byKindAndSubject.map((r) => ({
      kind: r.kind,
      subject: r.subject,
      received: Number(r.received),
    })),
    recurring: recurring.map((r) => ({
      subject: r.subject,
      item: r.item,
      received: Number(r.received),
      months: Number(r.months),
      share: totalReceived ? Math.round((1000 * Number(r.received)) / totalReceived) / 10 : 0,
    })),
    compliance: compliance.map((r) => ({
      kind: String(r.kind),
      answered: Number(r.answered ?? 0),
      on_time: Number(r.on_time ?? 0),
      late: Number(r.late ?? 0),
      on_time_pct: num(r.on_time_pct),
      median_days: num(r.median_days),
      p90_days: num(r.p90_days),
      extended: Number(r.extended ?? 0),
    })),
    measures: measures.map((r) => ({ subject: r.subject, measure: r.measure })),
    byMonth: byMonth.map((r) => ({
      month: r.month,
      received: Number(r.received),
      answered: Number(r.answered),
    })),
  };
}

/** The narrative sections staff may write, in report order (keys are stable; titles are pt-BR). */
export const annualSectionKeys = [
  { key: 'presentation', title: 'Apresentação' },
  { key: 'recurring', title: 'Análise dos pontos recorrentes' },
  { key: 'measures', title: 'Medidas adotadas e providências' },
  { key: 'conclusion', title: 'Considerações finais' },
] as const;

export type AnnualNarrative = {
  year: number;
  sections: AnnualSection[];
  publishedAt: Date | null;
  publishedBy: string | null;
  updatedAt: Date | null;
  updatedBy: string | null;
};

/** The stored narrative of `year` (empty sections when none was written). */
export async function readAnnualNarrative(db: Database, year: number): Promise<AnnualNarrative> {
  const [row] = await db.select().from(annualReports).where(eq(annualReports.year, year));
  const stored = new Map((row?.sections ?? []).map((s) => [s.key, s]));
  return {
    year,
    sections: annualSectionKeys.map((k) => ({
      key: k.key,
      title: k.title,
      text: stored.get(k.key)?.text ?? '',
    })),
    publishedAt: row?.publishedAt ?? null,
    publishedBy: row?.publishedBy ?? null,
    updatedAt: row?.updatedAt ?? null,
    updatedBy: row?.updatedBy ?? null,
  };
}

/** Saves the narrative sections of `year` (and publishes it when `publish`); returns what was stored before. */
export async function saveAnnualNarrative(
  db: Database,
  year: number,
  texts: Record<string, string>,
  by: string,
  publish: boolean,
): Promise<{ before: AnnualNarrative; after: AnnualNarrative }> {
  const before = await readAnnualNarrative(db, year);
  const sections = annualSectionKeys.map((k) => ({
    key: k.key,
    title: k.title,
    text: (texts[k.key] ?? '').trim(),
  }));
  const now = new Date();
  const published = publish ? { publishedAt: now, publishedBy: by } : {};
  await db
    .insert(annualReports)
    .values({ year, sections, updatedAt: now, updatedBy: by, ...published })
    .onConflictDoUpdate({
      target: annualReports.year,
      set: { sections, updatedAt: now, updatedBy: by, ...published },
    });
  return { before, after: await readAnnualNarrative(db, year) };
}
