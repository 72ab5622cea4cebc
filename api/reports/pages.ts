// Staff pages of the reports area: /painel/relatorios — the period and filter form, the list of
// operational reports, and the chosen one as a server-rendered chart (SVG inlined) with its table and
// CSV/XLSX export links (the same URLs as the API, which accepts the session cookie).
import { type Context, Hono } from 'hono';
import { listGroups, listOpeningReasons, listTopics } from '../../db/queries/catalogue.ts';
import { filterKeys } from '../../db/queries/reports/filter.ts';
import { type ReportName, reportNames, runReport } from '../../db/queries/reports/registry.ts';
import { listUnits } from '../../db/queries/units.ts';
import { listStaff } from '../../db/queries/users.ts';
import { formatPeriod, translator } from '../../views/i18n.ts';
import { channels, kinds, priorities, statuses } from '../../workflows/vocabulary.ts';
import { requireRole } from '../auth/session.ts';
import { ApiError, toApiError } from '../errors.ts';
import type { AppEnv } from '../types.ts';
import { languageOf, render } from '../ui/render.ts';
import { reportChartSvg } from './chart-svg.ts';
import { periodicPages } from './periodic-pages.ts';
import { formatNumber, presentTable } from './present.ts';
import { parseReportQuery } from './query.ts';

export const reportPages = new Hono<AppEnv>();
reportPages.route('/', periodicPages); // gerencial, anual

const isReportName = (s: string): s is ReportName => (reportNames as readonly string[]).includes(s);

/** Filter choices for the form (units and attendants only for the office; a unit sees its own unit). */
async function choices(c: Context<AppEnv>) {
  const db = c.var.deps.db;
  const lang = languageOf(c);
  const [units, staff, groups, topics, reasons] = await Promise.all([
    listUnits(db),
    listStaff(db),
    listGroups(db),
    listTopics(db),
    listOpeningReasons(db),
  ]);
  return {
    kinds,
    channels,
    priorities,
    statuses,
    units: units.map((u) => ({ code: u.code, name: u.name })),
    staff: staff.map((s) => ({ code: s.email, name: s.name })),
    groups: groups.map((g) => ({ code: g.code, name: g.name })),
    topics: topics.map((t) => ({ code: t.code, name: lang === 'en' ? t.labelEn : t.labelPt })),
    reasons: reasons.map((r) => ({ code: r.code, name: lang === 'en' ? r.labelEn : r.labelPt })),
  };
}

reportPages.get('/painel/relatorios', async (c) => {
  if (!c.var.user) return c.redirect('/entrar', 303);
  const user = requireRole(c); // citizens: 403
  const query = c.req.query();
  const name = query.relatorio && isReportName(query.relatorio) ? query.relatorio : 'volume';
  const t = translator(languageOf(c));

  const { relatorio: _r, lang: _l, ...reportQuery } = query;
  const base = { title: 'reports.title', user, reportNames, name, ...(await choices(c)) };
  let parsed: ReturnType<typeof parseReportQuery>;
  try {
    parsed = parseReportQuery({ ...reportQuery, format: 'json' }, user, c.var.deps.timezone);
  } catch (err) {
    const e = toApiError(err);
    if (!(e instanceof ApiError) || e.status !== 422) throw err;
    return render(
      c,
      'reports/index',
      { ...base, values: reportQuery, errors: e.fields ?? {}, report: null },
      422,
    );
  }
  const report = await runReport(c.var.deps.db, name, parsed.filter, { effortBy: parsed.effortBy });
  const table = presentTable(report, t);
  const lang = languageOf(c);
  const cells = table.rows.map((r) =>
    r.map((v, i) =>
      typeof v === 'number'
        ? `${formatNumber(v, lang)}${table.kinds[i] === 'percent' ? '%' : ''}`
        : v === null
          ? '—'
          : formatPeriod(v, lang),
    ),
  );
  const categoryColumn = report.columns.find((col) => col.key === report.chart.category);
  const svg = report.rows.length
    ? reportChartSvg(report, {
        title: t(`reports.name.${name}`),
        category: (v) =>
          categoryColumn?.codePrefix ? t(`${categoryColumn.codePrefix}${v}`, v) : formatPeriod(v, lang),
        series: (key) => t(`reports.col.${key}`, key),
      })
    : null;
  const values: Record<string, string> = { from: parsed.filter.from, to: parsed.filter.to };
  for (const k of filterKeys)
    if (parsed.filter[k] && !(k === 'unit' && user.role === 'unit')) values[k] = parsed.filter[k] as string;
  if (parsed.effortBy) values.effortBy = parsed.effortBy;
  const exportQuery = new URLSearchParams(values);
  return render(c, 'reports/index', {
    ...base,
    values,
    errors: {},
    report,
    table,
    cells,
    svg,
    unitScoped: user.role === 'unit',
    linkQuery: exportQuery.toString(),
    exportBase: `/api/v1/reports/${name}?${exportQuery.toString()}`,
  });
});
