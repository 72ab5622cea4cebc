// REST: GET /api/v1/reports/{name}?from=&to=&…&format=json|csv|xlsx — one operational report (staff;
// units only their own unit; citizens 403). JSON is the report module's result as is (codes, numbers).
// Also /annual (Lei 13.460 arts. 14–15: json, csv, pdf) and /management (json, pdf): api/reports/periodic.ts.
import { Hono } from 'hono';
import { type ReportName, reportNames, runReport } from '../../db/queries/reports/registry.ts';
import { translator } from '../../views/i18n.ts';
import { requireRole } from '../auth/session.ts';
import { notFound } from '../errors.ts';
import type { AppEnv } from '../types.ts';
import { languageOf } from '../ui/render.ts';
import { respondAnnual, respondManagement } from './periodic.ts';
import { presentTable, reportCsv, reportXlsx } from './present.ts';
import { parseReportQuery } from './query.ts';

export const reportRoutes = new Hono<AppEnv>();

const isReportName = (s: string): s is ReportName => (reportNames as readonly string[]).includes(s);

reportRoutes.get('/', (c) => {
  requireRole(c);
  return c.json({ reports: reportNames });
});

reportRoutes.get('/annual', (c) => respondAnnual(c, requireRole(c)));
reportRoutes.get('/management', (c) => respondManagement(c, requireRole(c)));

reportRoutes.get('/:name', async (c) => {
  const user = requireRole(c);
  const name = c.req.param('name');
  if (!isReportName(name)) throw notFound('Relatório não encontrado');
  const deps = c.var.deps;
  const q = parseReportQuery(c.req.query(), user, deps.timezone);
  const report = await runReport(deps.db, name, q.filter, { effortBy: q.effortBy });
  const lang = languageOf(c);
  const t = translator(lang);
  const filename = `relatorio-${name}-${q.filter.from}-${q.filter.to}`;
  if (q.format === 'csv') {
    return c.body(reportCsv(presentTable(report, t), lang), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}.csv"`,
    });
  }
  if (q.format === 'xlsx') {
    const body = await reportXlsx(presentTable(report, t), t(`reports.name.${name}`, name));
    return c.body(new Uint8Array(body), 200, {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="${filename}.xlsx"`,
    });
  }
  return c.json({ ...report, filter: q.filter });
});
