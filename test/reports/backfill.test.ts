// The report facts of cases projected before report_cases existed: the migration that created it
// (db/migrations/0027_report_cases.sql) copies them from the old manifestations columns, so the reports
// give the same figures right after an upgrade, before any case is projected again.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { runReport } from '../../db/queries/reports/registry.ts';
import * as schema from '../../db/schema.ts';

const migrations = fileURLToPath(new URL('../../db/migrations', import.meta.url));
const tz = 'America/Sao_Paulo';
let client: PGlite;
let db: Database;
let before: string;

beforeAll(async () => {
  // the migrations folder as it was before report_cases (journal cut before 0026)
  before = mkdtempSync(path.join(tmpdir(), 'ouvidor-migrations-'));
  cpSync(migrations, before, { recursive: true });
  const journalPath = path.join(before, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const cut = journal.entries.findIndex((e) => e.tag === '0027_report_cases');
  expect(cut).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, cut);
  writeFileSync(journalPath, JSON.stringify(journal));

  client = await PGlite.create('memory://', { extensions: { unaccent, pg_trgm } });
  const pglite = drizzle(client, { schema });
  await migrate(pglite, { migrationsFolder: before });
  // three cases as the projection stored them before: on time (with a measure and a reason), late
  // (forwarded to a unit), open
  await client.exec(`
    insert into manifestations (protocol, kind, status, subject, description, identity, channel, units, priority,
      received_at, due_at, revision, assignee, assignee_name, answered_at, answer_due_at, answer_days, closed_at,
      case_extensions, work_minutes, rating_score, rating_resolved, improvement, reason_code)
    values
      ('OUV-2025-000001', 'complaint', 'closed', 's', 'd', 'identified', 'web', '{}', 'normal',
       '2025-03-03 12:00-03', '2025-04-02 23:59-03', 7, 'ana@x', 'Ana', '2025-03-11 12:00-03', '2025-04-02 23:59-03',
       8, '2025-03-20 12:00-03', 1, 90, 5, 'yes', 'Troca das lâmpadas', 'problema-recorrente'),
      ('OUV-2025-000002', 'complaint', 'answered', 's', 'd', 'identified', 'phone', '{SEC-OBRAS}', 'high',
       '2025-03-05 12:00-03', '2025-04-04 23:59-03', 4, null, null, '2025-04-15 12:00-03', '2025-04-04 23:59-03',
       41, null, 0, 0, null, null, null, null),
      ('OUV-2025-000003', 'request', 'in_progress', 's', 'd', 'identified', 'web', '{}', 'normal',
       '2025-03-10 12:00-03', '2025-04-09 23:59-03', 2, null, null, null, null, null, null, 0, 0, null, null, null, null);
    insert into report_unit_assignments (protocol, unit, forwarded_at, due_at, responded_at, extensions)
    values ('OUV-2025-000002', 'SEC-OBRAS', '2025-03-06 12:00-03', '2025-03-26 23:59-03', '2025-04-01 12:00-03', 0);
  `);
  await migrate(pglite, { migrationsFolder: migrations });
  db = pglite as unknown as Database;
}, 240_000);

afterAll(async () => {
  await client?.close();
  if (before) rmSync(before, { recursive: true, force: true });
});

const period = { from: '2025-03-01', to: '2025-04-30', tz };
const rowBy = (rows: Record<string, unknown>[], key: string, value: string) =>
  rows.find((r) => r[key] === value);

describe('backfill of report_cases by the migration', () => {
  it('copies every case with its facts and revision', async () => {
    const { rows } = await client.query<{ protocol: string; revision: number; answer_days: number | null }>(
      'select protocol, revision, answer_days from report_cases order by protocol',
    );
    expect(rows).toEqual([
      { protocol: 'OUV-2025-000001', revision: 7, answer_days: 8 },
      { protocol: 'OUV-2025-000002', revision: 4, answer_days: 41 },
      { protocol: 'OUV-2025-000003', revision: 2, answer_days: null },
    ]);
    const unit = await client.query<{ revision: number }>('select revision from report_unit_assignments');
    expect(unit.rows).toEqual([{ revision: 4 }]);
  });

  it('gives the reports their figures right after the upgrade', async () => {
    const deadlines = await runReport(db, 'deadlines', period);
    expect(rowBy(deadlines.rows, 'kind', 'complaint')).toMatchObject({
      answered: 2,
      on_time: 1,
      late: 1,
      on_time_pct: 50,
      median_days: 24.5, // (8 + 41) / 2
    });
    const volume = await runReport(db, 'volume', period);
    const sum = (k: string) => volume.rows.reduce((s, r) => s + Number(r[k] ?? 0), 0);
    expect([sum('received'), sum('answered'), sum('closed')]).toEqual([3, 2, 1]);
    const reasons = await runReport(db, 'by-reason', period);
    expect(rowBy(reasons.rows, 'label', 'Problema recorrente')).toMatchObject({ received: 1 });
    const units = await runReport(db, 'units', period);
    expect(units.rows).toEqual([expect.objectContaining({ forwarded: 1, responded: 1, responded_late: 1 })]);
    const sat = await runReport(db, 'satisfaction', period);
    expect(rowBy(sat.rows, 'answer', 'score.5')).toMatchObject({ final: 1 });
  });
});
