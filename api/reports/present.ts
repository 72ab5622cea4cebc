// A report for people: translated column headers and category values, and the same table as CSV (UTF-8
// BOM, ";" — what a pt-BR spreadsheet opens directly) or XLSX (exceljs). Used by the page and the API.
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { ReportColumn, ReportResult } from '../../db/queries/reports/types.ts';
import type { Language, Translate } from '../../views/i18n.ts';

export type PresentedTable = {
  headers: string[];
  kinds: ReportColumn['kind'][];
  /** display values: numbers stay numbers (formatted by the view), codes become labels */
  rows: (string | number | null)[][];
};

/** The report's table with translated headers (`reports.col.<key>`) and coded values (`<prefix><code>`). */
export function presentTable(report: ReportResult, t: Translate): PresentedTable {
  return {
    headers: report.columns.map((c) => t(c.headerKey ?? `reports.col.${c.key}`, c.key)),
    kinds: report.columns.map((c) => c.kind),
    rows: report.rows.map((r) => report.columns.map((c) => cellValue(r[c.key] ?? null, c, t))),
  };
}

function cellValue(v: string | number | null, c: ReportColumn, t: Translate): string | number | null {
  if (v === null) return null;
  if (c.codePrefix && typeof v === 'string') return t(`${c.codePrefix}${v}`, v);
  return v;
}

/** A number as a pt-BR (or en) spreadsheet reads it: decimal comma in pt-BR. */
export function formatNumber(v: number | null, lang: Language): string {
  if (v === null) return '';
  return new Intl.NumberFormat(lang, { maximumFractionDigits: 2, useGrouping: false }).format(v);
}

/** A cell a spreadsheet would run as a formula ("=", "+", "-", "@", tab, CR) is kept as text. */
const noFormula = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

/** CSV: UTF-8 with BOM, ";" separated, header row, numbers with the language's decimal separator. */
export function reportCsv(table: PresentedTable, lang: Language): string {
  return stringify(
    table.rows.map((r) =>
      r.map((v) => (typeof v === 'number' ? formatNumber(v, lang) : v === null ? '' : noFormula(v))),
    ),
    { bom: true, delimiter: ';', header: true, columns: table.headers },
  );
}

/** XLSX: one sheet, frozen header row, numbers as numbers. */
export async function reportXlsx(table: PresentedTable, sheetName: string): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(sheetName.slice(0, 31).replace(/[\\/?*[\]:]/g, ' '), {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.columns = table.headers.map((h, i) => ({
    header: h,
    width: i === 0 ? 32 : Math.max(12, h.length + 2),
  }));
  sheet.getRow(1).font = { bold: true };
  for (const r of table.rows) sheet.addRow(r.map((v) => (typeof v === 'string' ? noFormula(v) : v)));
  return Buffer.from(await book.xlsx.writeBuffer());
}
