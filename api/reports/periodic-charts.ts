// Charts of the management and annual report pages: the same server-rendered ECharts SVG as the
// operational reports (api/reports/chart-svg.ts — inline, CSP-safe, no JavaScript), each drawn from the
// very rows its table beside it shows, so chart and table cannot disagree.
import type { AnnualFigures } from '../../db/queries/reports/annual.ts';
import type { ManagementReport } from '../../db/queries/reports/management.ts';
import type { ChartSpec, ReportRow } from '../../db/queries/reports/types.ts';
import { formatPeriod, type Language, type Translate } from '../../views/i18n.ts';
import { reportChartSvg } from './chart-svg.ts';

/** One chart: `rows` keyed by `spec.category` and the series columns; null when there is nothing to draw. */
function draw(
  t: Translate,
  title: string,
  rows: ReportRow[],
  spec: ChartSpec,
  category: (v: string) => string = (v) => v,
  size?: { width: number; height: number },
): string | null {
  if (!rows.length || rows.every((r) => spec.series.every((s) => !r[s]))) return null;
  return reportChartSvg(
    { name: title, columns: [], rows, chart: spec },
    { title, category, series: (key) => t(`reports.col.${key}`, key) },
    size,
  );
}

/** Height of a horizontal bar chart with `n` bars (px): room for each label, never cramped. */
const barsHeight = (n: number) => Math.max(180, 60 + 34 * n);

/** The management page's charts: trend, subjects, reasons and kinds (this period vs the previous), late units. */
export function managementCharts(r: ManagementReport, t: Translate, lang: Language) {
  const versus = (items: { label: string; current: number; previous: number }[]) =>
    items.map((s) => ({ label: s.label, received: s.current, previous: s.previous }));
  const compare: ChartSpec = {
    type: 'bar',
    category: 'label',
    series: ['received', 'previous'],
    horizontal: true,
  };
  return {
    // days dd/mm/aaaa or months mm/aaaa in pt-BR, as the table beside it and the operational charts
    trend: draw(
      t,
      t('reports.trend'),
      r.trend,
      { type: 'line', category: 'period', series: ['received'] },
      (p) => formatPeriod(p, lang),
    ),
    subjects: draw(t, t('reports.topSubjects'), versus(r.topSubjects), compare, undefined, {
      width: 640,
      height: barsHeight(r.topSubjects.length),
    }),
    reasons: draw(t, t('reports.topReasons'), versus(r.topReasons), compare, undefined, {
      width: 640,
      height: barsHeight(r.topReasons.length),
    }),
    kinds: draw(t, t('reports.topKinds'), versus(r.topKinds), compare, (k) => t(`kind.${k}`, k), {
      width: 640,
      height: barsHeight(r.topKinds.length),
    }),
    lateUnits: draw(
      t,
      t('reports.lateUnits'),
      r.lateUnits.map((u) => ({ label: u.label, responded_late: u.late, overdue: u.overdue })),
      {
        type: 'bar',
        category: 'label',
        series: ['responded_late', 'overdue'],
        stacked: true,
        horizontal: true,
      },
      undefined,
      { width: 640, height: barsHeight(r.lateUnits.length) },
    ),
  };
}

/** The ten most frequent reasons of the year, whatever the kind and subject (the chart of the reasons table). */
function topReasons(reasons: AnnualFigures['reasons']): ReportRow[] {
  const total = new Map<string, number>();
  for (const r of reasons) total.set(r.reason, (total.get(r.reason) ?? 0) + r.received);
  return [...total.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 10)
    .map(([reason, received]) => ({ reason, received }));
}

/** The annual page's charts: by month, by kind, reasons, deadline compliance per kind, recurring points. */
export function annualCharts(a: AnnualFigures, t: Translate, lang: Language) {
  const kindLabel = (k: string) => (k === 'total' ? 'Total' : t(`kind.${k}`, k));
  const perKind = a.compliance.filter((c) => c.kind !== 'total');
  return {
    months: draw(
      t,
      t('reports.byMonth'),
      a.byMonth,
      { type: 'line', category: 'month', series: ['received', 'answered'] },
      (m) => formatPeriod(m, lang),
    ),
    kinds: draw(
      t,
      t('reports.byKind'),
      a.byKind,
      { type: 'pie', category: 'kind', series: ['received'] },
      kindLabel,
    ),
    reasons: draw(
      t,
      t('reports.reasonsByKind'),
      topReasons(a.reasons),
      { type: 'bar', category: 'reason', series: ['received'], horizontal: true },
      undefined,
      { width: 640, height: barsHeight(Math.min(10, new Set(a.reasons.map((r) => r.reason)).size)) },
    ),
    compliance: draw(
      t,
      t('reports.compliance'),
      perKind.map((c) => ({ kind: c.kind, on_time: c.on_time, late: c.late })),
      { type: 'bar', category: 'kind', series: ['on_time', 'late'], stacked: true, horizontal: true },
      kindLabel,
      { width: 640, height: barsHeight(perKind.length) },
    ),
    recurring: draw(
      t,
      t('reports.recurring'),
      a.recurring.map((r) => ({
        label: r.item ? `${r.subject} — ${r.item}` : r.subject,
        received: r.received,
      })),
      { type: 'bar', category: 'label', series: ['received'], horizontal: true },
      undefined,
      { width: 640, height: barsHeight(a.recurring.length) },
    ),
  };
}
