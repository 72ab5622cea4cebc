// Report charts: ECharts rendered on the server to SVG (`ssr: true`, `renderToSVGString`), inlined in the
// page so it works without JavaScript. The strict CSP (style-src 'self', no inline styles) would drop
// what ECharts' SVG carries for interactivity — a <style> block of :hover rules and `style="font-…"`
// attributes — so `cspSafeSvg` removes the block and turns the font declarations into SVG presentation
// attributes (allowed by the CSP), leaving no style, script or event handler in the markup.
import * as echarts from 'echarts';
import type { ChartSpec, ReportResult } from '../../db/queries/reports/types.ts';

/** A chart's category and series names already translated for the reader. */
export type ChartLabels = {
  title: string;
  category: (value: string) => string;
  series: (key: string) => string;
};

const PALETTE = ['#1d4f91', '#c8512f', '#3c8d40', '#8c6bb1', '#d6a01d', '#4f9fb8', '#7a7a7a'];

/** The SVG of a report's chart (width × height px), safe to inline under the CSP. */
export function reportChartSvg(
  report: ReportResult,
  labels: ChartLabels,
  size = { width: 640, height: 320 },
): string {
  const spec = report.chart;
  const rows = report.rows.filter((r) => !spec.omit?.includes(String(r[spec.category])));
  const categories = rows.map((r) => labels.category(String(r[spec.category] ?? '—')));
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, ...size });
  try {
    chart.setOption(optionFor(spec, rows, categories, labels));
    return cspSafeSvg(chart.renderToSVGString(), labels.title);
  } finally {
    chart.dispose();
  }
}

function optionFor(
  spec: ChartSpec,
  rows: ReportResult['rows'],
  categories: string[],
  labels: ChartLabels,
): echarts.EChartsOption {
  const base = {
    animation: false,
    color: PALETTE,
    textStyle: { fontFamily: 'sans-serif' },
    legend: { bottom: 0, data: spec.series.map(labels.series) },
  };
  if (spec.type === 'pie') {
    const key = spec.series[0] ?? '';
    return {
      ...base,
      series: [
        {
          type: 'pie',
          radius: ['35%', '65%'],
          data: rows.map((r, i) => ({ name: categories[i], value: Number(r[key] ?? 0) })),
        },
      ],
    };
  }
  const category = {
    type: 'category' as const,
    data: categories,
    axisLabel: {
      // every category labelled, except along a time line (a day per point): there ECharts skips labels
      // that would overlap (dd/mm/aaaa dates ran into each other over a month)
      interval: spec.type === 'line' ? ('auto' as const) : 0,
      width: spec.horizontal ? 130 : 90,
      overflow: 'truncate' as const,
      fontSize: 11,
    },
  };
  const value = { type: 'value' as const, minInterval: 1 };
  return {
    ...base,
    grid: { left: spec.horizontal ? 140 : 48, right: 24, top: 24, bottom: 56 },
    xAxis: spec.horizontal ? value : category,
    yAxis: spec.horizontal ? { ...category, inverse: true } : value,
    series: spec.series.map((key) => ({
      type: spec.type === 'line' ? ('line' as const) : ('bar' as const),
      name: labels.series(key),
      stack: spec.stacked ? 'total' : undefined,
      data: rows.map((r) => (r[key] === null ? null : Number(r[key]))),
      // values on the bars (beside them when horizontal); a zero is left unlabelled
      label:
        spec.type === 'bar' && rows.length <= 12 && !spec.stacked
          ? {
              show: true,
              position: spec.horizontal ? ('right' as const) : ('top' as const),
              formatter: (p: { value: unknown }) => (Number(p.value) ? String(p.value) : ''),
            }
          : undefined,
    })),
  } as echarts.EChartsOption;
}

const escapeXml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );

/**
 * ECharts SVG made inert and CSP-compatible: no <style> element, `style="a:b;…"` → `a="b"` presentation
 * attributes (font-size, font-family, font-weight, …), no ECharts metadata or hover classes, plus an
 * accessible name (role="img", <title>). Throws if anything style- or script-like remains.
 */
export function cspSafeSvg(svg: string, title: string): string {
  let out = svg
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/ style="([^"]*)"/g, (_m, decls: string) =>
      decls
        .split(';')
        .map((d) => d.trim())
        .filter(Boolean)
        .map((d) => {
          const [prop, ...rest] = d.split(':');
          const name = (prop ?? '').trim();
          return /^[a-z-]+$/.test(name) ? ` ${name}="${escapeXml(rest.join(':').trim())}"` : '';
        })
        .join(''),
    )
    .replace(/ ecmeta_[a-z_]+="[^"]*"/g, '')
    .replace(/ class="zr\d+-cls-\d+"/g, '');
  out = out.replace(/^<svg /, `<svg role="img" aria-label="${escapeXml(title)}" focusable="false" `);
  out = out.replace(/(<svg[^>]*>)/, `$1<title>${escapeXml(title)}</title>`);
  if (/<style|<script|\sstyle=|\son[a-z]+=|javascript:/i.test(out))
    throw new Error('Unsafe SVG from the chart renderer');
  return out;
}
