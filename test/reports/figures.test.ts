// The report figures of a small fixture whose answers are known (extended, paused, reopened, late and
// open cases driven through the real workflow), through the REST API as a client reads them, plus the
// CSV (BOM, ";") and XLSX exports and the unit scope.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProjectionActivities } from '../../activities/projection.ts';
import { localToday } from '../../api/reports/query.ts';
import { medianDays } from '../../db/queries/reports/answer-time.ts';
import { openDataBatches } from '../../db/queries/reports/open-data-stream.ts';
import { type CaseView, caseViewQuery } from '../../workflows/messages.ts';
import { json, startTestOuvidor, type TestOuvidor } from '../support/harness.ts';
import { buildReportFixture, type ReportFixture } from './fixture.ts';

let t: TestOuvidor;
let f: ReportFixture;
let ombudsman: Awaited<ReturnType<TestOuvidor['createStaff']>>;
const to = localToday('America/Sao_Paulo');
const from = new Date(Date.parse(`${to}T00:00:00Z`) - 60 * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  t = await startTestOuvidor();
  f = await buildReportFixture(t);
  ombudsman = await t.createStaff('ombudsman');
}, 240_000);
afterAll(async () => t?.stop());

type Report = { rows: Array<Record<string, string | number | null>>; columns: Array<{ key: string }> };
const report = async (name: string, query = '', headers = ombudsman.headers) =>
  json<Report>(t.app.request(`/api/v1/reports/${name}?from=${from}&to=${to}${query}`, { headers }));
const rowBy = (r: Report, key: string, value: string) => r.rows.find((x) => x[key] === value);

describe('operational report figures', () => {
  it('counts received, answered and closed over the period', async () => {
    const r = await report('volume');
    expect(r.status).toBe(200);
    const sum = (k: string) => r.body.rows.reduce((s, x) => s + Number(x[k] ?? 0), 0);
    expect(sum('received')).toBe(7);
    expect(sum('answered')).toBe(5); // A, B, C, D, E (E's second answer is not a second case answered)
  });

  it('judges on time against each case own deadline: extended and interrupted count as on time', async () => {
    const r = (await report('deadlines')).body;
    expect(rowBy(r, 'kind', 'complaint')).toMatchObject({
      answered: 3,
      on_time: 2,
      late: 1,
      on_time_pct: 66.7,
    });
    expect(rowBy(r, 'kind', 'request')).toMatchObject({ answered: 1, on_time: 1, late: 0 });
    expect(rowBy(r, 'kind', 'information')).toMatchObject({ answered: 1, on_time: 1, late: 0 });
    // B's delay is measured from its own deadline (the calendar moves a deadline off holidays/weekends)
    const b = await json<{ dueAt: string; timeline: { type: string; at: string }[] }>(
      t.app.request(`/api/v1/manifestations/${f.cases.B.protocol}`, { headers: ombudsman.headers }),
    );
    const answeredAt = b.body.timeline.find((e) => e.type === 'answered')?.at ?? '';
    const expected = (Date.parse(answeredAt) - Date.parse(b.body.dueAt)) / 86_400_000;
    expect(expected).toBeGreaterThan(0);
    const reported = Number(rowBy(r, 'kind', 'complaint')?.avg_days_late);
    expect(Math.abs(reported - expected)).toBeLessThanOrEqual(0.06); // rounded to one decimal
  });

  it('keeps the backlog by age and flags the overdue case', async () => {
    const r = (await report('backlog')).body;
    expect(rowBy(r, 'age', '11-20')).toMatchObject({ open: 1, overdue: 0 }); // F
    expect(rowBy(r, 'age', '31-60')).toMatchObject({ open: 1, overdue: 1 }); // G
  });

  it('breaks cases down per kind and per attendant', async () => {
    const kinds = (await report('by-kind')).body;
    expect(rowBy(kinds, 'label', 'complaint')).toMatchObject({ received: 4 });
    expect(rowBy(kinds, 'label', 'suggestion')).toMatchObject({ received: 1, answered: 0 });
    const people = (await report('by-attendant')).body;
    expect(rowBy(people, 'label', 'Ana Atendente')).toMatchObject({ received: 6 });
    // per unit: A under the unit it was forwarded to (answered on time), the other six under "—"
    const units = (await report('by-unit')).body;
    expect(units.rows.map((r) => [r.label, r.received])).toEqual([
      ['—', 6],
      [expect.stringMatching(/obras|SEC-OBRAS/i), 1],
    ]);
    expect(units.rows[1]).toMatchObject({ answered: 1, on_time: 1, late: 0 });
  });

  it('counts extensions, complementations, reopens and rejections', async () => {
    const ext = (await report('extensions')).body;
    expect(rowBy(ext, 'kind', 'request')).toMatchObject({ extended: 1, extensions: 1 });
    expect(rowBy(ext, 'kind', 'information')).toMatchObject({ complemented: 1, complementation_requests: 1 });
    const reo = (await report('reopens')).body;
    expect(rowBy(reo, 'kind', 'complaint')).toMatchObject({ answered: 3, reopened: 1, rejected: 1 });
  });

  it('reports unit answers, time spent and satisfaction', async () => {
    const units = (await report('units')).body;
    expect(units.rows).toHaveLength(1);
    expect(units.rows[0]).toMatchObject({ forwarded: 1, responded: 1, responded_late: 0 });
    const effort = (await report('effort')).body;
    expect(rowBy(effort, 'label', 'Ana Atendente')).toMatchObject({ hours_spent: 1.5, hours_estimated: 2 });
    const sat = (await report('satisfaction')).body;
    expect(rowBy(sat, 'answer', 'score.5')).toMatchObject({ final: 1, partial: 0 });
    expect(rowBy(sat, 'answer', 'score.2')).toMatchObject({ final: 0, partial: 1 });
    expect(rowBy(sat, 'answer', 'resolved.partially')).toMatchObject({ partial: 1 });
  });

  it('breaks cases down per opening reason and filters by it', async () => {
    const r = (await report('by-reason')).body;
    expect(rowBy(r, 'label', 'Problema recorrente')).toMatchObject({ received: 1, late: 1 });
    const only = (await report('deadlines', '&reason=problema-recorrente')).body;
    expect(only.rows).toEqual([expect.objectContaining({ kind: 'complaint', answered: 1, late: 1 })]);
  });

  it('filters narrow the figures', async () => {
    const r = (await report('by-kind', '&kind=complaint&channel=phone')).body;
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]).toMatchObject({ label: 'complaint', received: 4 });
    const none = (await report('volume', '&channel=letter')).body;
    expect(none.rows).toHaveLength(0);
  });
});

describe('report facts under retried and late projections', () => {
  it('a retried projection or an older snapshot arriving late changes no figure', async () => {
    const names = ['volume', 'deadlines', 'by-kind', 'units', 'reopens', 'extensions', 'satisfaction'];
    const snapshot = () => Promise.all(names.map(async (n) => (await report(n)).body));
    const before = await snapshot();
    const projection = createProjectionActivities(t.db);
    for (const c of [f.cases.A, f.cases.C, f.cases.E]) {
      const view = await t.client.workflow.getHandle(c.protocol).query(caseViewQuery);
      await projection.projectCase(view); // the activity retried after a lost acknowledgement
      await projection.projectCase(view);
      // an older snapshot (before the first answer, the rating and the unit's answer) delivered late
      const firstAnswer = view.timeline.findIndex((e) => e.type === 'answered');
      const stale: CaseView = {
        ...view,
        revision: view.revision - 1,
        status: 'in_progress',
        timeline: view.timeline.slice(0, firstAnswer),
        ratings: [],
        reopenCount: 0,
        unitAssignments: view.unitAssignments.map((a) => ({ ...a, status: 'pending', respondedAt: null })),
      };
      await projection.projectCase(stale);
    }
    const after = await snapshot();
    expect(after).toEqual(before);
    const volume = after[0];
    const sum = (k: string) => volume?.rows.reduce((s, x) => s + Number(x[k] ?? 0), 0);
    expect([sum('received'), sum('answered')]).toEqual([7, 5]);
    expect(after[3]?.rows[0]).toMatchObject({ forwarded: 1, responded: 1 });
  });
});

describe('exports and access', () => {
  it('exports CSV with BOM and ";" and XLSX with the same figures', async () => {
    const res = await t.app.request(`/api/v1/reports/deadlines?from=${from}&to=${to}&format=csv`, {
      headers: ombudsman.headers,
    });
    expect(res.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder()
      .decode(bytes)
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]?.split(';')[0]).toBe('Tipo');
    const complaint = lines.find((l) => l.startsWith('Reclamação;'))?.split(';');
    expect(complaint?.slice(1, 4)).toEqual(['3', '2', '1']);
    expect(complaint?.[4]).toBe('66,7'); // decimal comma for a pt-BR spreadsheet

    const x = await t.app.request(`/api/v1/reports/deadlines?from=${from}&to=${to}&format=xlsx`, {
      headers: ombudsman.headers,
    });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await x.arrayBuffer());
    const sheet = book.worksheets[0];
    const values = sheet?.getColumn(1).values as unknown[];
    const rowIndex = values.indexOf('Reclamação');
    expect(sheet?.getRow(rowIndex).getCell(2).value).toBe(3);
  });

  it('shows a unit only its own unit, refuses citizens and bad periods', async () => {
    const unit = await report('by-kind', '&unit=SEC-SAUDE', f.unitUser.headers);
    expect(unit.status).toBe(200);
    expect(unit.body.rows.reduce((s, x) => s + Number(x.received), 0)).toBe(1); // A only: forced to SEC-OBRAS
    const citizen = await t.createStaff('citizen');
    expect((await report('volume', '', citizen.headers)).status).toBe(403);
    expect((await json(t.app.request('/api/v1/reports/volume'))).status).toBe(401);
    const bad = await json<{ error: { fields: Record<string, string[]> } }>(
      t.app.request('/api/v1/reports/volume?from=2026-02-30', { headers: ombudsman.headers }),
    );
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields.from).toBeDefined();
    expect((await report('nope')).status).toBe(404);
  });
});

describe('management and annual reports', () => {
  it('compares the period with the previous one and lists the measures taken', async () => {
    const r = await json<{
      received: { current: number };
      answered: { current: number };
      onTimePct: { current: number };
      measures: { protocol: string; measure: string }[];
      topReasons: { label: string; current: number }[];
    }>(t.app.request(`/api/v1/reports/management?from=${from}&to=${to}`, { headers: ombudsman.headers }));
    expect(r.status).toBe(200);
    expect(r.body.received.current).toBe(7);
    expect(r.body.answered.current).toBe(5);
    expect(r.body.onTimePct.current).toBe(80);
    expect(r.body.topReasons).toEqual([
      expect.objectContaining({ label: 'Problema recorrente', current: 1 }),
    ]);
    expect(r.body.measures).toEqual([
      expect.objectContaining({ protocol: f.cases.A.protocol, measure: 'Troca das lâmpadas da rua por LED' }),
    ]);
    const pdf = await t.app.request(`/api/v1/reports/management?from=${from}&to=${to}&format=pdf`, {
      headers: ombudsman.headers,
    });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const text = await pdfText(new Uint8Array(await pdf.arrayBuffer()));
    expect(text.pages).toBe(1);
    expect(text.all).toContain('Relatório gerencial');
    expect(text.all).toContain('Troca das lâmpadas da rua por LED');
  });

  it('builds the annual report as JSON, CSV and a PDF with the narrative', async () => {
    const year = Number(to.slice(0, 4));
    const j = await json<{
      received: number;
      compliance: { kind: string; on_time: number; late: number; median_days: number | null }[];
      reasons: { kind: string; subject: string; reason: string; received: number }[];
    }>(t.app.request(`/api/v1/reports/annual?year=${year}`, { headers: ombudsman.headers }));
    expect(j.status).toBe(200);
    const total = j.body.compliance.find((c) => c.kind === 'total');
    // the fixture reaches 45 days back: exact when all of it falls in this year (not in early January)
    if (Number(from.slice(0, 4)) === year && new Date().getUTCMonth() > 1) {
      expect(j.body.received).toBe(7);
      expect(total).toMatchObject({ answered: 5, on_time: 4, late: 1 });
      // the reasons by kind and subject (art. 15): B has one, the other complaints none
      expect(j.body.reasons).toContainEqual(
        expect.objectContaining({ kind: 'complaint', reason: 'Problema recorrente', received: 1 }),
      );
      const without = j.body.reasons.filter(
        (r) => r.kind === 'complaint' && r.reason === 'Sem motivo informado',
      );
      expect(without.reduce((n, r) => n + r.received, 0)).toBe(3); // A, E, G
      // one median: the transparency page computes it from its open data with the same definition
      const days = new Map<number, number>();
      for await (const batch of openDataBatches(t.db, year, 'America/Sao_Paulo'))
        for (const c of batch)
          if (c.answerTenths !== null) days.set(c.answerTenths, (days.get(c.answerTenths) ?? 0) + 1);
      expect([...days.values()].reduce((a, b) => a + b, 0)).toBe(5);
      expect(total?.median_days).toBe(medianDays(days));
    } else expect(j.body.received).toBeGreaterThanOrEqual(2); // A and E were filed today
    const csv = await t.app.request(`/api/v1/reports/annual?year=${year}&format=csv`, {
      headers: ombudsman.headers,
    });
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes)).toContain(`Recebidas;${year};;${j.body.received}`);
    const pdf = await t.app.request(`/api/v1/reports/annual?year=${year}&format=pdf`, {
      headers: ombudsman.headers,
    });
    expect(pdf.status).toBe(200);
    const text = await pdfText(new Uint8Array(await pdf.arrayBuffer()));
    expect(text.pages).toBeGreaterThanOrEqual(1);
    expect(text.all).toContain(`Relatório anual da ouvidoria — ${year}`);
    expect(text.all).toContain('Cumprimento dos prazos legais');
    expect(text.all).toContain(`12/${year}`); // months as a pt-BR reader writes them, not ISO
    expect(text.all).not.toContain(`${year}-12`);
    const unitPdf = await t.app.request(`/api/v1/reports/annual?year=${year}&format=pdf`, {
      headers: f.unitUser.headers,
    });
    expect(unitPdf.status).toBe(200);
    const citizen = await t.createStaff('citizen');
    expect((await report('annual', '', citizen.headers)).status).toBe(403);
    expect(
      (await json(t.app.request('/api/v1/reports/annual?year=1999', { headers: ombudsman.headers }))).status,
    ).toBe(422);
  });
});

async function pdfText(bytes: Uint8Array) {
  const { extractText, getDocumentProxy } = await import('unpdf');
  const doc = await getDocumentProxy(bytes);
  const { totalPages, text } = await extractText(doc, { mergePages: true });
  return { pages: totalPages, all: text as unknown as string };
}
