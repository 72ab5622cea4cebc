// Public transparency page (no sign-in; Administração → Regras gerais `features.transparencyPage`, off →
// 404): the year's volumes by month, kind and unit, response times, on-time percentage and satisfaction,
// with charts, and the open data it is computed from (/transparencia/dados.csv and .json, Fala.BR
// conventions, data dictionary). Every figure comes from the suppressed rows (api/transparency/suppress.ts),
// so the page and the CSV agree and nothing rests on fewer than 5 cases. Rate-limited like other public doors.
import { stringify } from 'csv-stringify/sync';
import { type Context, Hono } from 'hono';
import {
  OPEN_DATA_BATCH,
  openDataBatches,
  openDataCombinations,
} from '../../db/queries/reports/open-data-stream.ts';
import type { ReportResult } from '../../db/queries/reports/types.ts';
import { readSettings } from '../../db/queries/settings.ts';
import { formatDateTime, translator } from '../../views/i18n.ts';
import { kinds } from '../../workflows/vocabulary.ts';
import { ApiError, notFound } from '../errors.ts';
import { limit } from '../rate-limit.ts';
import { reportChartSvg } from '../reports/chart-svg.ts';
import { formatNumber } from '../reports/present.ts';
import { localToday } from '../reports/query.ts';
import type { AppDeps, AppEnv } from '../types.ts';
import { languageOf, render } from '../ui/render.ts';
import { openDataColumns, suppressionRule } from './dictionary.ts';
import {
  type Cell,
  COMPLEMENTARY,
  FigureAccumulator,
  type Labeller,
  MIN_CELL,
  type PublicRow,
  protectedCountCells,
  publishRow,
  SUPPRESSED,
  suppressionPlan,
  Tally,
} from './suppress.ts';

export const transparencyPages = new Hono<AppEnv>();

/** The page's figures are cached per app and year for this long (ms): the page is public and unauthenticated. */
export const OPEN_DATA_CACHE_MS = 5 * 60_000;
/** Rows read per batch for the page and the downloads (tests lower it to cross batch boundaries). */
export const openDataReading = { batchSize: OPEN_DATA_BATCH };

const pt = translator('pt-BR');
/** Codes as published: pt-BR labels; "Resolvida: Sim" → "Sim". */
const publishedLabel: Labeller = (prefix, code) =>
  prefix === 'resolved'
    ? pt(`reports.answer.resolved.${code}`, code).replace(/^Resolvida: /, '')
    : pt(`${prefix}.${code}`, code);

/**
 * The published (suppressed) rows of `year`, batch by batch: the suppression counts first (one aggregate),
 * then the cases in receipt order. Nothing holds the whole year.
 */
export async function* publishedBatches(deps: AppDeps, year: number): AsyncGenerator<PublicRow[]> {
  const plan = suppressionPlan(await openDataCombinations(deps.db, year, deps.timezone));
  for await (const batch of openDataBatches(deps.db, year, deps.timezone, openDataReading.batchSize))
    yield batch.map((c) => publishRow(c, plan, publishedLabel));
}

/** The page's figures of `year`: totals, by month, kind and unit, the ratings (from the published rows). */
async function computeFigures(deps: AppDeps, year: number) {
  const totals = new Tally();
  const byMonth = new FigureAccumulator((r) => r.month);
  const byKind = new FigureAccumulator((r) => r.kind);
  const byUnit = new FigureAccumulator((r) => r.unit ?? '—');
  const ratings = new Map<number, number>();
  for await (const batch of publishedBatches(deps, year))
    for (const r of batch) {
      totals.add(r);
      byMonth.add(r);
      byKind.add(r);
      byUnit.add(r);
      if (r.rating !== null) ratings.set(r.rating, (ratings.get(r.rating) ?? 0) + 1);
    }
  const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
  const kindLabels = kinds.map((k) => pt(`kind.${k}`));
  return {
    /** When these figures were computed (the page is cached OPEN_DATA_CACHE_MS; the open data is read at download). */
    computedAt: new Date().toISOString(),
    total: totals.received,
    totals: totals.figures(),
    months,
    byMonth: byMonth.figures(months),
    byKind: byKind.figures([...kindLabels, SUPPRESSED]).filter((g) => g.received.value !== 0),
    byUnit: byUnit.figures(),
    // the scores' counts and the published average rating tie them together: R5 as for a total
    ratings: (() => {
      const scores = [5, 4, 3, 2, 1];
      const cells = protectedCountCells(scores.map((n) => ratings.get(n) ?? 0));
      return scores.map((n, i) => ({ key: String(n), cell: cells[i]! }));
    })(),
  };
}
type PageFigures = Awaited<ReturnType<typeof computeFigures>>;

const caches = new WeakMap<AppDeps, Map<number, { at: number; figures: Promise<PageFigures> }>>();

/** The page's figures of `year`, cached briefly. */
export function pageFigures(deps: AppDeps, year: number): Promise<PageFigures> {
  let cache = caches.get(deps);
  if (!cache) {
    cache = new Map();
    caches.set(deps, cache);
  }
  const hit = cache.get(year);
  if (hit && Date.now() - hit.at < OPEN_DATA_CACHE_MS) return hit.figures;
  const figures = computeFigures(deps, year);
  figures.catch(() => cache?.delete(year));
  cache.set(year, { at: Date.now(), figures });
  return figures;
}

/** Forgets the cached figures (tests, after new cases). */
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

/**
 * A published figure as text: "<5" for a small count, "X" for a count hidden by complementary suppression (R5;
 * the IBGE sign for an omitted figure), "—" for a hidden or missing statistic.
 */
const cellText = (cell: Cell, lang: string, suffix = '') => {
  if (cell.hidden) return cell.complementary ? COMPLEMENTARY : cell.count ? `<${MIN_CELL}` : '—';
  if (cell.value === null) return '—';
  return `${new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(cell.value)}${suffix}`;
};

transparencyPages.get('/transparencia', limit('transparency', 60), async (c) => {
  const year = await guard(c);
  const f = await pageFigures(c.var.deps, year);
  const lang = languageOf(c);
  const t = translator(lang);
  const { months, byMonth, byKind, byUnit, ratings } = f;
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
    computedAt: formatDateTime(f.computedAt, lang, c.var.deps.timezone),
    refreshMinutes: OPEN_DATA_CACHE_MS / 60_000,
    total: f.total,
    totals: f.totals,
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

/** A response body streamed from text chunks as they are produced (UTF-8). */
function streamed(chunks: AsyncIterable<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = chunks[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

/**
 * The open data as CSV, batch by batch: UTF-8 BOM and the header first, then each batch's records — the same
 * bytes csv-stringify writes for the whole year at once (";" separator, "\n" after every record); numbers
 * with the pt-BR decimal comma ("Dias para Resolução" is to the tenth of a day, e.g. 3,2).
 */
async function* csvChunks(deps: AppDeps, year: number): AsyncGenerator<string> {
  yield stringify([openDataColumns.map((col) => col.name)], { bom: true, delimiter: ';' });
  for await (const batch of publishedBatches(deps, year))
    yield stringify(
      batch.map((r) =>
        openDataColumns.map((col) => {
          const v = col.value(r);
          // numbers as a pt-BR spreadsheet reads them (decimal comma), like the other report CSVs
          return typeof v === 'number' ? formatNumber(v, 'pt-BR') : (v ?? '');
        }),
      ),
      { delimiter: ';' },
    );
}

/** The open data as JSON (year, suppression rule, dictionary, rows), rows written batch by batch. */
async function* jsonChunks(deps: AppDeps, year: number): AsyncGenerator<string> {
  const head = JSON.stringify({
    year,
    generatedAt: new Date().toISOString(),
    suppression: suppressionRule,
    dictionary: openDataColumns.map(({ name, description, falaBr }) => ({ name, description, falaBr })),
  });
  yield `${head.slice(0, -1)},"rows":[`;
  let first = true;
  for await (const batch of publishedBatches(deps, year)) {
    const rows = batch.map((r) =>
      JSON.stringify(Object.fromEntries(openDataColumns.map((col) => [col.name, col.value(r)]))),
    );
    yield (first ? '' : ',') + rows.join(',');
    first = false;
  }
  yield ']}';
}

transparencyPages.get('/transparencia/dados.csv', limit('transparency-data', 20), async (c) => {
  const year = await guard(c);
  return c.body(streamed(csvChunks(c.var.deps, year)), 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="manifestacoes-${year}.csv"`,
    'Cache-Control': 'public, max-age=300',
  });
});

transparencyPages.get('/transparencia/dados.json', limit('transparency-data', 20), async (c) => {
  const year = await guard(c);
  return c.body(streamed(jsonChunks(c.var.deps, year)), 200, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'public, max-age=300',
  });
});
