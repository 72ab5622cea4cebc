// Annual report (Lei 13.460/2017 arts. 14–15; issue 12 item 3): for a calendar year, the number of
// manifestações received, the reasons by kind and subject, the recurring points, the measures adopted and
// the legal deadline compliance; plus the narrative sections staff write before publishing (annual_reports).
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../client.ts';
import { type AnnualSection, annualReports } from '../../schema.ts';
import { deadlineFigures } from './deadline-figures.ts';
import { inPeriod, num, periodBuckets, type ReportFilter, rowsOf } from './filter.ts';

export type AnnualFigures = {
  year: number;
  received: number;
  /** received per kind */
  byKind: { kind: string; received: number }[];
  /** received per kind and subject (topic) */
  byKindAndSubject: { kind: string; subject: string; received: number }[];
  /**
   * The reasons (opening reasons, Administração → Motivos) of the manifestações received, per kind and
   * subject (Lei 13.460/2017 art. 15 II): most frequent first within each kind. `reason` is the reason's
   * label, or 'Sem motivo informado' for cases filed without one.
   */
  reasons: { kind: string; subject: string; reason: string; received: number }[];
  /** subjects/items received in at least 3 different months, most frequent first (recurring points) */
  recurring: { subject: string; item: string | null; received: number; months: number; share: number }[];
  /**
   * Deadline compliance of the manifestações received in the year, per kind and overall ('total'):
   * answered, on time, late, rate, median and p90 days to answer (README "Time to answer"), extended.
   */
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
  /** received and (first) answered per month */
  byMonth: { month: string; received: number; answered: number }[];
};

/** How many distinct months a subject must appear in to count as a recurring point. */
export const RECURRING_MIN_MONTHS = 3;
export const UNCLASSIFIED = 'Não classificado';
export const NO_REASON = 'Sem motivo informado';

/**
 * The figures of `year` (calendar year in `tz`), optionally narrowed by the report filters. Everything
 * is about the manifestações received in the year (art. 15 I), except the measures (cases answered in the
 * year) and the answered column of `byMonth`. Three statements: one pass over the year's cases counting
 * every table at once (grouping sets), one for the deadline figures (histogram percentiles), one per
 * answer month; plus the few measures.
 */
export async function annualFigures(
  db: Database,
  year: number,
  tz: string,
  filters: Omit<ReportFilter, 'from' | 'to' | 'tz'> = {},
): Promise<AnnualFigures> {
  const f: ReportFilter = { ...filters, from: `${year}-01-01`, to: `${year}-12-31`, tz };
  // the month of each case as a bucket number (filter.ts: width_bucket over the local month starts), labelled
  // per group. The tables are counted in two steps: the year's cases per kind × subject × item × reason ×
  // month in one hash aggregate (a few thousand groups), then the grouping sets over those groups. Grouping
  // sets straight over the cases sorted the whole year for the sets it could not hash (3× slower at 1M).
  const months = periodBuckets(f, 'month');
  const month = months.of('m.received_at');
  const [counts, compliance, answeredByMonth, measures] = await Promise.all([
    rowsOf<{
      set: number;
      kind: string | null;
      subject: string | null;
      item: string | null;
      reason: string | null;
      month: string | null;
      received: number;
    }>(
      db,
      sql`select c.set, c.kind, coalesce(tp.label_pt, c.topic, ${UNCLASSIFIED}) as subject, it.label_pt as item,
            coalesce(rs.label_pt, c.reason_code, ${NO_REASON}) as reason, ${months.label('c.month')} as month,
            c.received
          from (
            select grouping(x.kind, x.topic, x.item, x.reason_code, x.month)::int as set,
              x.kind, x.topic, x.item, x.reason_code, x.month, sum(x.n)::int as received
            from (
              select m.kind, m.topic, m.item, m.reason_code, ${month} as month, count(*) as n
              from report_cases m ${inPeriod(f, 'received_at')}
              group by 1, 2, 3, 4, 5
            ) x
            group by grouping sets ((), (x.month), (x.kind), (x.kind, x.topic), (x.kind, x.topic, x.reason_code),
              (x.topic, x.item, x.month))
          ) c
          left join topics tp on tp.code = c.topic
          left join items it on it.code = c.item
          left join opening_reasons rs on rs.code = c.reason_code`,
    ),
    rowsOf<Record<string, unknown>>(
      db,
      sql`select * from (${deadlineFigures({
        keys: [['kind', sql`m.kind`]],
        total: true,
        where: inPeriod(f, 'received_at'),
        extra: [['extended', sql`count(*) filter (where m.case_extensions > 0)`]],
      })}) x order by (kind = 'total'), answered desc`,
    ),
    rowsOf<{ month: string; answered: number }>(
      db,
      sql`select ${months.label('b.i')} as month, b.answered from
            (select ${months.of('m.answered_at')} as i, count(*)::int as answered
             from report_cases m ${inPeriod(f, 'answered_at')} group by 1) b`,
    ),
    rowsOf<{ subject: string | null; measure: string }>(
      db,
      sql`select coalesce(tp.label_pt, m.topic) as subject, m.improvement as measure
          from report_cases m left join topics tp on tp.code = m.topic
          ${inPeriod(f, 'answered_at')} and m.improvement is not null order by m.answered_at limit 200`,
    ),
  ]);
  // grouping() bits, kind..month from the left: 1 = not grouped by that column
  const G = { kind: 16, topic: 8, item: 4, reason: 2, month: 1 };
  const only = (...cols: (keyof typeof G)[]) => 31 - cols.reduce((bits, c) => bits + G[c], 0);
  const set = (n: number) => counts.filter((r) => Number(r.set) === n);
  const byCount = <T extends { received: number }>(a: T, b: T) => b.received - a.received;
  const totalReceived = Number(set(only())[0]?.received ?? 0);
  const recurring = new Map<
    string,
    { subject: string; item: string | null; received: number; months: number }
  >();
  for (const r of set(only('topic', 'item', 'month'))) {
    if (!r.subject || r.subject === UNCLASSIFIED) continue;
    const key = `${r.subject}\u0000${r.item ?? ''}`;
    const x = recurring.get(key) ?? { subject: r.subject, item: r.item, received: 0, months: 0 };
    x.received += Number(r.received);
    x.months += 1;
    recurring.set(key, x);
  }
  const monthsReceived = new Map(set(only('month')).map((r) => [String(r.month), Number(r.received)]));
  const monthsAnswered = new Map(answeredByMonth.map((r) => [String(r.month), Number(r.answered)]));
  return {
    year,
    received: totalReceived,
    byKind: set(only('kind'))
      .map((r) => ({ kind: String(r.kind), received: Number(r.received) }))
      .sort(byCount),
    byKindAndSubject: set(only('kind', 'topic'))
      .map((r) => ({ kind: String(r.kind), subject: String(r.subject), received: Number(r.received) }))
      .sort((a, b) => a.kind.localeCompare(b.kind) || byCount(a, b)),
    reasons: set(only('kind', 'topic', 'reason'))
      .map((r) => ({
        kind: String(r.kind),
        subject: String(r.subject),
        reason: String(r.reason),
        received: Number(r.received),
      }))
      .sort((a, b) => a.kind.localeCompare(b.kind) || byCount(a, b) || a.subject.localeCompare(b.subject)),
    recurring: [...recurring.values()]
      .filter((r) => r.months >= RECURRING_MIN_MONTHS)
      .sort(byCount)
      .slice(0, 15)
      .map((r) => ({
        ...r,
        share: totalReceived ? Math.round((1000 * r.received) / totalReceived) / 10 : 0,
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
    byMonth: Array.from({ length: 12 }, (_, i) => {
      const m = `${year}-${String(i + 1).padStart(2, '0')}`;
      return { month: m, received: monthsReceived.get(m) ?? 0, answered: monthsAnswered.get(m) ?? 0 };
    }),
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
