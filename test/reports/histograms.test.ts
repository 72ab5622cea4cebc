// The histogram percentiles and the per-group shortcuts of the reports (db/queries/reports/deadline-figures.ts,
// quality.ts) give exactly what the plain SQL gives over the same cases: a case of two units counts under
// both, labels come from the catalogue, and the medians and p90 equal percentile_cont over the tenths of a day.
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { managementReport } from '../../db/queries/reports/management.ts';
import { runReport } from '../../db/queries/reports/registry.ts';
import * as schema from '../../db/schema.ts';

const migrations = fileURLToPath(new URL('../../db/migrations', import.meta.url));
const tz = 'America/Sao_Paulo';
let client: PGlite;
let db: Database;

beforeAll(async () => {
  client = await PGlite.create('memory://', { extensions: { unaccent, pg_trgm } });
  const pglite = drizzle(client, { schema });
  await migrate(pglite, { migrationsFolder: migrations });
  // 40 cases in March 2025: units {}, {OBRAS}, {SAUDE} and {OBRAS,SAUDE} in turn; answered after i × 0.37 days
  // (late after 30); each forward answered by its unit after i × 0.23 days
  await client.exec(`
    insert into units (code, name, email) values ('T-OBRAS', 'Obras (teste)', 'obras@x'), ('T-SAUDE', 'Saúde (teste)', 'saude@x')
      on conflict do nothing;
    insert into report_cases (protocol, revision, received_at, due_at, answered_at, answer_due_at, answer_days,
      kind, status, channel, priority, units, assignee, assignee_name)
    select 'T-' || i, 1, timestamptz '2025-03-02 12:00-03' + i * interval '10 minutes', null,
      case when i % 7 <> 0 then timestamptz '2025-03-02 12:00-03' + i * interval '10 minutes' + i * 0.37 * interval '1 day' end,
      timestamptz '2025-03-02 12:00-03' + i * interval '10 minutes' + interval '6 days',
      case when i % 7 <> 0 then i * 0.37 end,
      'complaint', 'answered', 'web', 'normal',
      (array['{}', '{T-OBRAS}', '{T-SAUDE}', '{T-OBRAS,T-SAUDE}'])[1 + i % 4]::text[],
      'ana@x', 'Ana'
    from generate_series(1, 40) i;
    insert into report_unit_assignments (protocol, unit, forwarded_at, due_at, responded_at, extensions, revision)
    select r.protocol, u, r.received_at + interval '1 hour', r.received_at + interval '5 days',
      case when i % 5 <> 0 then r.received_at + interval '1 hour' + i * 0.23 * interval '1 day' end, 0, 1
    from generate_series(1, 40) i join report_cases r on r.protocol = 'T-' || i, unnest(r.units) u;
    -- around local midnights and a daylight-saving change (Lisbon, 30 March 2025), for the day and month buckets
    insert into report_cases (protocol, revision, received_at, answered_at, kind, status, channel, priority)
    select 'V-' || i, 1, timestamptz '2025-03-29 20:00Z' + i * interval '97 minutes',
      timestamptz '2025-03-29 20:00Z' + i * interval '97 minutes' + interval '2 days', 'praise', 'answered', 'web', 'normal'
    from generate_series(1, 80) i;
    update report_cases set rating_score = 1 + substr(protocol, 3)::int % 5,
      rating_resolved = (array['yes', 'partially', 'no'])[1 + substr(protocol, 3)::int % 3]
    where protocol like 'T-%' and answered_at is not null and substr(protocol, 3)::int % 3 <> 1;
  `);
  db = pglite as unknown as Database;
}, 120_000);
afterAll(async () => client?.close());

const period = { from: '2025-03-01', to: '2025-03-31', tz };
type Row = Record<string, unknown>;
const query = async (sql: string) => (await client.query<Row>(sql)).rows;
const tenthsPercentiles = (expr: string) => `
  (round((percentile_cont(0.5) within group (order by round(${expr} * 10)))::numeric) / 10)::float8 as median_days,
  (round((percentile_cont(0.9) within group (order by round(${expr} * 10)))::numeric) / 10)::float8 as p90_days`;

describe('report histograms', () => {
  it('count a case of two units under each, with the medians of plain percentile_cont', async () => {
    const report = await runReport(db, 'by-unit', period);
    const expected = await query(`
      select coalesce(un.name, u.code, '—') as label, count(*)::int as received, count(m.answered_at)::int as answered,
        ${tenthsPercentiles('m.answer_days')}
      from report_cases m cross join lateral unnest(coalesce(nullif(m.units, '{}'), array[null::text])) u(code)
        left join units un on un.code = u.code
      where m.received_at >= timestamptz '2025-03-01 00:00-03' and m.received_at < timestamptz '2025-04-01 00:00-03'
      group by 1 order by 2 desc, 1`);
    expect(expected.filter((r) => r.label !== '—').map((r) => r.received)).toEqual([20, 20]);
    expect(
      report.rows.map(({ label, received, answered, median_days, p90_days }) => ({
        label,
        received,
        answered,
        median_days,
        p90_days,
      })),
    ).toEqual(expected);
  });

  it('narrowed to one unit (a unit user), show only that unit, not the other units of its cases', async () => {
    const f = { ...period, unit: 'T-OBRAS' };
    const byUnit = await runReport(db, 'by-unit', f);
    expect(byUnit.rows.map((r) => [r.label, r.received])).toEqual([['Obras (teste)', 20]]);
    const effort = await runReport(db, 'effort', f, { effortBy: 'unit' });
    expect(effort.rows.map((r) => [r.label, r.received])).toEqual([['Obras (teste)', 20]]);
    const units = await runReport(db, 'units', f);
    expect(units.rows.map((r) => r.label)).toEqual(['Obras (teste)']);
  });

  it('give the unit answers the percentiles of the days to each unit answer', async () => {
    const report = await runReport(db, 'units', period);
    const expected = await query(`
      select un.name as label, count(*)::int as forwarded, count(a.responded_at)::int as responded,
        ${tenthsPercentiles('extract(epoch from a.responded_at - a.forwarded_at) / 86400')}
      from report_unit_assignments a join units un on un.code = a.unit
      where a.protocol like 'T-%' group by 1 order by 2 desc, 1`);
    expect(expected).toHaveLength(2);
    expect(
      report.rows.map(({ label, forwarded, responded, median_days, p90_days }) => ({
        label,
        forwarded,
        responded,
        median_days,
        p90_days,
      })),
    ).toEqual(expected);
  });

  it.each([
    ['America/Sao_Paulo', '2025-03-29', '2025-04-06'],
    ['Europe/Lisbon', '2025-03-29', '2025-04-06'],
    ['Europe/Lisbon', '2025-01-15', '2025-06-30'],
  ])('put each case in its local day or month (%s, %s to %s)', async (zone, from, to) => {
    const report = await runReport(db, 'volume', { from, to, tz: zone });
    const unit = report.rows.some((r) => String(r.period).length === 7) ? 'month' : 'day';
    const expected = async (col: string) =>
      await query(`
        select to_char(date_trunc('${unit}', ${col} at time zone '${zone}'), '${unit === 'day' ? 'YYYY-MM-DD' : 'YYYY-MM'}') as period,
          count(*)::int as n
        from report_cases where ${col} >= '${from}'::timestamp at time zone '${zone}'
          and ${col} < ('${to}'::date + 1)::timestamp at time zone '${zone}'
        group by 1 order by 1`);
    const received = await expected('received_at');
    const answered = await expected('answered_at');
    expect(received.length).toBeGreaterThan(1);
    expect(report.rows.filter((r) => r.received).map((r) => ({ period: r.period, n: r.received }))).toEqual(
      received,
    );
    expect(report.rows.filter((r) => r.answered).map((r) => ({ period: r.period, n: r.answered }))).toEqual(
      answered,
    );
  });

  it('give the management report the median, rates and rating of plain SQL', async () => {
    const r = await managementReport(db, period);
    const [expected] = await query(`
      select count(*)::int as answered,
        round(100.0 * count(*) filter (where m.answered_at <= m.answer_due_at)
          / nullif(count(*) filter (where m.answer_due_at is not null), 0), 1)::float8 as on_time_pct,
        ${tenthsPercentiles('m.answer_days')},
        round(avg(m.rating_score), 2)::float8 as rating, count(m.rating_score)::int as rated,
        round(100.0 * count(*) filter (where m.rating_resolved = 'yes') / nullif(count(m.rating_resolved), 0), 1)::float8
          as resolved_yes_pct
      from report_cases m
      where m.answered_at >= timestamptz '2025-03-01 00:00-03' and m.answered_at < timestamptz '2025-04-01 00:00-03'`);
    expect(expected?.rated).toBeGreaterThan(5);
    expect({
      answered: r.answered.current,
      on_time_pct: r.onTimePct.current,
      median_days: r.medianDays.current,
      rating: r.satisfaction.average,
      rated: r.satisfaction.rated,
      resolved_yes_pct: r.satisfaction.resolvedYesPct,
    }).toEqual({ ...expected, p90_days: undefined });
    expect(r.topKinds.map((k) => [k.label, k.current])).toEqual([
      ['complaint', 40],
      ['praise', expect.any(Number)],
    ]);
  });

  it('label the attendant from the case row and the kind by its code', async () => {
    expect((await runReport(db, 'by-attendant', period)).rows).toEqual([
      expect.objectContaining({ label: 'Ana', received: 40 }),
      expect.objectContaining({ label: '—' }),
    ]);
    expect((await runReport(db, 'by-kind', period)).rows).toEqual([
      expect.objectContaining({ label: 'complaint', received: 40 }),
      expect.objectContaining({ label: 'praise' }),
    ]);
  });
});
