// Shapes every report returns: columns (keys translated by the views as `reports.col.<key>`), rows, and
// how to draw it. Category values are codes where `codePrefix` says so (e.g. `kind.` → "Reclamação").

export type ColumnKind = 'text' | 'count' | 'percent' | 'days' | 'minutes' | 'hours' | 'score';
export type ReportColumn = {
  key: string;
  kind: ColumnKind;
  /** label key prefix for coded values (`kind.`, `status.`, …): the views translate `${prefix}${value}` */
  codePrefix?: string;
  /** label key of the header when not `reports.col.<key>` (e.g. the dimension of a breakdown) */
  headerKey?: string;
};
export type ReportRow = Record<string, string | number | null>;
export type ChartSpec = {
  type: 'bar' | 'line' | 'pie';
  /** column whose values label the categories (x axis, pie slices) */
  category: string;
  /** numeric columns drawn as series */
  series: string[];
  stacked?: boolean;
  horizontal?: boolean;
  /** category values left out of the chart (kept in the table), e.g. an average row */
  omit?: string[];
};
export type ReportResult = {
  name: string;
  columns: ReportColumn[];
  rows: ReportRow[];
  chart: ChartSpec;
};
