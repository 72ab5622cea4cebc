// The management report (a period against the previous one) and the annual report (Lei 13.460/2017
// arts. 14–15) for the API and the pages: figures as JSON, PDF rendered in the worker pool, annual CSV.
import type { Context } from 'hono';
import { annualFigures, readAnnualNarrative } from '../../db/queries/reports/annual.ts';
import { managementReport } from '../../db/queries/reports/management.ts';
import { readSettings } from '../../db/queries/settings.ts';
import { formatDateTime } from '../../views/i18n.ts';
import type { StaffUser } from '../auth/session.ts';
import { ApiError } from '../errors.ts';
import { organisationLogo, renderPdf } from '../pdf/render.ts';
import type { AppEnv } from '../types.ts';
import { annualCsv, annualPdf, managementPdf, type Organisation } from './documents.ts';
import { localToday, parseReportQuery } from './query.ts';

async function organisation(c: Context<AppEnv>): Promise<Organisation> {
  const s = await readSettings(c.var.deps.db);
  return { name: s['org.name'], logo: await organisationLogo(s['org.logoUrl']) };
}

const stamp = (c: Context<AppEnv>) => formatDateTime(new Date(), 'pt-BR', c.var.deps.timezone);

const pdfResponse = (c: Context<AppEnv>, bytes: Buffer, filename: string) =>
  c.body(new Uint8Array(bytes), 200, {
    'Content-Type': 'application/pdf',
    'Content-Disposition': `attachment; filename="${filename}.pdf"`,
  });

/** The year asked for (`year` or `ano`), default the current one; 422 outside 2000…current year. */
export function parseYear(raw: string | undefined, tz: string): number {
  const current = Number(localToday(tz).slice(0, 4));
  if (raw === undefined || raw === '') return current;
  if (!/^\d{4}$/.test(raw) || Number(raw) < 2000 || Number(raw) > current)
    throw new ApiError(422, 'invalid_query', 'Ano inválido', {
      year: [`Informe um ano entre 2000 e ${current}.`],
    });
  return Number(raw);
}

/** GET management report: `format` json (default) or pdf. */
export async function respondManagement(c: Context<AppEnv>, user: StaffUser) {
  const { format, ...query } = c.req.query();
  if (format !== undefined && format !== 'json' && format !== 'pdf')
    throw new ApiError(422, 'invalid_query', 'Formato inválido', { format: ['Formato: json ou pdf.'] });
  const q = parseReportQuery(query, user, c.var.deps.timezone);
  const report = await managementReport(c.var.deps.db, q.filter);
  if (format === 'pdf') {
    const pdf = await renderPdf(managementPdf(report, await organisation(c), stamp(c)));
    return pdfResponse(c, pdf, `relatorio-gerencial-${q.filter.from}-${q.filter.to}`);
  }
  return c.json(report);
}

/** GET annual report: `format` json (default, figures + narrative), csv (tables) or pdf. */
export async function respondAnnual(c: Context<AppEnv>, user: StaffUser) {
  const format = c.req.query('format');
  if (format !== undefined && !['json', 'csv', 'pdf'].includes(format))
    throw new ApiError(422, 'invalid_query', 'Formato inválido', { format: ['Formato: json, csv ou pdf.'] });
  const year = parseYear(c.req.query('year') ?? c.req.query('ano'), c.var.deps.timezone);
  const scope = user.role === 'unit' ? { unit: user.unitCode ?? '__none__' } : {};
  const [figures, narrative] = await Promise.all([
    annualFigures(c.var.deps.db, year, c.var.deps.timezone, scope),
    readAnnualNarrative(c.var.deps.db, year),
  ]);
  if (format === 'csv')
    return c.body(annualCsv(figures), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="relatorio-anual-${year}.csv"`,
    });
  if (format === 'pdf') {
    const pdf = await renderPdf(annualPdf(figures, narrative, await organisation(c), stamp(c)));
    return pdfResponse(c, pdf, `relatorio-anual-${year}`);
  }
  return c.json({ ...figures, narrative });
}
