// Report charts: ECharts' server-side SVG made CSP-safe (no <style>, no style attributes, no handlers),
// with an accessible name, and the data drawn (one bar per category).
import { describe, expect, it } from 'vitest';
import { cspSafeSvg, reportChartSvg } from '../../api/reports/chart-svg.ts';
import { annualCharts, managementCharts } from '../../api/reports/periodic-charts.ts';
import type { AnnualFigures } from '../../db/queries/reports/annual.ts';
import type { ManagementReport } from '../../db/queries/reports/management.ts';
import type { ReportResult } from '../../db/queries/reports/types.ts';
import { translator } from '../../views/i18n.ts';

const report: ReportResult = {
  name: 'by-kind',
  columns: [],
  rows: [
    { label: 'complaint', received: 4 },
    { label: 'praise', received: 1 },
    { label: 'average', received: 9 },
  ],
  chart: { type: 'bar', category: 'label', series: ['received'], omit: ['average'] },
};

describe('report charts', () => {
  it('renders an inert SVG the strict CSP accepts', () => {
    const svg = reportChartSvg(report, {
      title: 'Manifestações <por> tipo',
      category: (v) => (v === 'complaint' ? 'Reclamação' : 'Elogio'),
      series: () => 'Recebidas',
    });
    expect(svg.startsWith('<svg role="img" aria-label="Manifestações &lt;por&gt; tipo"')).toBe(true);
    expect(svg).toContain('<title>Manifestações &lt;por&gt; tipo</title>');
    expect(svg).not.toMatch(/<style|\sstyle=|<script|\son[a-z]+=/i);
    expect(svg).toContain('font-family="sans-serif"');
    expect(svg).toContain('>Reclamação<');
    expect(svg).toContain('>Elogio<');
    // two bars: the omitted average row is only in the table
    expect(svg.match(/<path d="M[^"]*Z" fill="#1d4f91"/g)?.length).toBe(2);
  });

  it('refuses markup it cannot make safe', () => {
    expect(() => cspSafeSvg('<svg><a href="javascript:alert(1)"></a></svg>', 't')).toThrow();
  });
});

describe('management and annual charts', () => {
  const t = translator('pt-BR');
  const management = {
    trend: [
      { period: '2026-03-01', received: 4 },
      { period: '2026-03-02', received: 7 },
    ],
    topSubjects: [],
    topReasons: [],
    topKinds: [],
    lateUnits: [],
  } as unknown as ManagementReport;

  it('label the trend axis with pt-BR dates, as the table beside it', () => {
    const svg = managementCharts(management, t, 'pt-BR').trend ?? '';
    expect(svg).toContain('>01/03/2026<');
    expect(svg).not.toContain('2026-03-01');
  });

  it('label the months of the annual chart mm/aaaa', () => {
    const annual = {
      byMonth: [
        { month: '2026-01', received: 3, answered: 1 },
        { month: '2026-02', received: 5, answered: 4 },
      ],
      byKind: [],
      reasons: [],
      compliance: [],
      recurring: [],
    } as unknown as AnnualFigures;
    const svg = annualCharts(annual, t, 'pt-BR').months ?? '';
    expect(svg).toContain('>01/2026<');
    expect(svg).not.toContain('2026-01');
  });
});
