// Public transparency page (no sign-in; Administração → Regras gerais `features.transparencyPage`, off →
// 404): the year's volumes by month, kind and unit, response times, on-time percentage and satisfaction,
// with charts, and the open data it is computed from (/transparencia/dados.csv and .json, Fala.BR
// conventions, data dictionary). Every figure comes from the suppressed rows (api/transparency/suppress.ts),
// so the page and the CSV agree and nothing rests on fewer than 5 cases. Rate-limited like other public doors.
import { stringify } from 'csv-stringify/sync';
import { type Context, Hono } from 'hono';
import { openDataCases } from '../../db/queries/reports/open-data.ts';
import type { ReportResult } from '../../db/queries/reports/types.ts';
import { readSettings } from '../../db/queries/settings.ts';
import { translator } from '../../views/i18n.ts';
import { kinds } from '../../workflows/vocabulary.ts';
import { ApiError, notFound } from '../errors.ts';
import { limit } from '../rate-limit.ts';
import { reportChartSvg } from '../reports/chart-svg.ts';
import { localToday } from '../reports/query.ts';
import type { AppDeps, AppEnv } from '../types.ts';
import { languageOf, render } from '../ui/render.ts';
import { openDataColumns, suppressionRule } from './dictionary.ts';
import {
  type Cell,
  figuresBy,
  groupFigures,
  MIN_CELL,
  type PublicRow,
  SUPPRESSED,
  suppressRows,
} from './suppress.ts';

export const transparencyPages = new Hono<AppEnv>();

/** Published rows are cached per app and year for this long (ms): the page is public and unauthenticated. */
export const OPEN_DATA_CACHE_MS = 5 * 60_000;
const caches = new WeakMap<AppDeps, Map<number, { at: number; rows: Promise<PublicRow[]> }>>();

const resolvedLabels: Record<string, string> = { yes: 'Sim', partially: 'Parcialmente', no: 'Não' };

/** The published (suppressed) rows of `year`, cached briefly. */
export function publishedRows(deps: AppDeps, year: number): Promise<PublicRow[]> {
  let cache = caches.get(deps);
  if (!cache) {
    cache = new Map();
    caches.set(deps, cache);
  }
  const hit = cache.get(year);
  if (hit && Date.now() - hit.at < OPEN_DATA_CACHE_MS) return hit.rows;
  const pt = translator('pt-BR');
  const rows = openDataCases(deps.db, year, deps.timezone).then((cases) =>
    suppressRows(cases, (prefix, code) =>
      prefix === 'resolved'
        ? pt(`reports.answer.resolved.${code}`, code).replace(/^Resolvida: /, '')
        : pt(`${prefix}.${code}`, code),
    ),
  );
  rows.catch(() => cache?.delete(year));
  cache.set(year, { at: Date.now(), rows });
  return rows;
}

/** Forgets the cached rows (tests, after new cases). */
export function forgetOpenData(deps: AppDeps): void {
  caches.delete(deps);
}

async function guard(c: Context<AppEnv>): Promise<number> {
  const settings = await readSettings(c.var.deps.db);
  if (!settings['features.transparencyPage']) throw notFound('Página não encontrada');
  const current = Number(localToday(c.var.deps.timezone).slice(0, 4));
  const raw = c.req.query('ano');
  if (raw === undefined || raw === '') return current;
  if (!/^\d{4}$/.test(raw) || Number(raw) < 2000 || Number(raw) > current)
    throw new ApiError(422, 'invalid_query', `Ano inválido: informe um ano entre 2000 e ${current}.`, {
      ano: [`Informe um ano entre 2000 e ${current}.`],
    });
  return Number(raw);
}

/** A published figure as text: "<5" for a hidden count, "—" for a hidden or missing statistic. */
const cellText = (cell: Cell, lang: string, suffix = '') => {
  if (cell.hidden) return cell.count ? `<${MIN_CELL}` : '—';
  if (cell.value === null) return '—';
  return `${new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(cell.value)}${suffix}`;
};

transparencyPages.get('/transparencia', limit('transparency', 60), async (c) => {
  const year = await guard(c);
  const rows = await publishedRows(c.var.deps, year);
  const lang = languageOf(c);
  const t = translator(lang);
  const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
  const byMonth = figuresBy(rows, (r) => r.month, months);
  const kindLabels = kinds.map((k) => translator('pt-BR')(`kind.${k}`));
  const byKind = figuresBy(rows, (r) => r.kind, [...kindLabels, SUPPRESSED]).filter(
    (g) => g.received.value !== 0,
  );
  const byUnit = figuresBy(rows, (r) => r.unit ?? '—');
  const ratings = [5, 4, 3, 2, 1].map((n) => {
    const c = rows.filter((r) => r.rating === n).length;
    return { key: String(n), count: c > 0 && c < MIN_CELL ? null : c };
  });
  const chart = (
    name: string,
    cat: string[],
    series: Record<string, (number | null)[]>,
    type: 'bar' | 'line',
    horizontal = false,
  ) => {
    const report: ReportResult = {
      name,
      columns: [],
      rows: cat.map((k, i) => ({
        k,
        ...Object.fromEntries(Object.entries(series).map(([s, v]) => [s, v[i] ?? null])),
      })),
      chart: { type, category: 'k', series: Object.keys(series), horizontal },
    };
    return reportChartSvg(report, {
      title: t(`transparency.chart.${name}`),
      category: (v) => v,
      series: (s) => t(`transparency.col.${s}`),
    });
  };
  const visible = (cell: Cell) => (cell.hidden ? null : cell.value);
  return render(c, 'transparency/index', {
    title: 'transparency.title',
    year,
    currentYear: Number(localToday(c.var.deps.timezone).slice(0, 4)),
    total: rows.length,
    totals: groupFigures(rows),
    byMonth,
    byKind,
    byUnit,
    ratings,
    cellText: (cell: Cell, suffix?: string) => cellText(cell, lang, suffix),
    monthChart: chart(
      'months',
      months.map((m) => m.slice(5)),
      {
        received: byMonth.map((g) => visible(g.received)),
        answered: byMonth.map((g) => visible(g.answered)),
      },
      'line',
    ),
    kindChart: byKind.length
      ? chart(
          'kinds',
          byKind.map((g) => g.key),
          { received: byKind.map((g) => visible(g.received)) },
          'bar',
          true,
        )
      : null,
    unitChart: byUnit.length
      ? chart(
          'units',
          byUnit.map((g) => g.key),
          { received: byUnit.map((g) => visible(g.received)) },
          'bar',
          true,
        )
      : null,
    columns: openDataColumns.map(({ name, description, falaBr }) => ({ name, description, falaBr })),
    rule: suppressionRule,
  });
});

transparencyPages.get('/transparencia/dados.csv', limit('transparency-data', 20), async (c) => {
  const year = await guard(c);
  const rows = await publishedRows(c.var.deps, year);
  const csv = stringify(
    rows.map((r) => openDataColumns.map((col) => col.value(r) ?? '')),
    { bom: true, delimiter: ';', header: true, columns: openDataColumns.map((col) => col.name) },
  );
  return c.body(csv, 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="manifestacoes-${year}.csv"`,
    'Cache-Control': 'public, max-age=300',
  });
});

transparencyPages.get('/transparencia/dados.json', limit('transparency-data', 20), async (c) => {
  const year = await guard(c);
  const rows = await publishedRows(c.var.deps, year);
  c.header('Cache-Control', 'public, max-age=300');
  return c.json({
    year,
    generatedAt: new Date().toISOString(),
    suppression: suppressionRule,
    dictionary: openDataColumns.map(({ name, description, falaBr }) => ({ name, description, falaBr })),
    rows: rows.map((r) => Object.fromEntries(openDataColumns.map((col) => [col.name, col.value(r)]))),
  });
});
