// The operational reports by name (the `{name}` of /api/v1/reports/{name} and of /painel/relatorios).
import type { Database } from '../../client.ts';
import type { ReportFilter } from './filter.ts';
import {
  backlogReport,
  breakdownReport,
  type Dimension,
  deadlinesReport,
  volumeReport,
} from './operational.ts';
import {
  type EffortBy,
  effortReport,
  extensionsReport,
  reopensReport,
  satisfactionReport,
  unitsReport,
} from './quality.ts';
import type { ReportResult } from './types.ts';

export const reportNames = [
  'volume',
  'backlog',
  'deadlines',
  'by-status',
  'by-kind',
  'by-unit',
  'by-attendant',
  'by-channel',
  'by-group',
  'by-topic',
  'by-reason',
  'by-priority',
  'units',
  'extensions',
  'reopens',
  'effort',
  'satisfaction',
] as const;
export type ReportName = (typeof reportNames)[number];
export const effortByValues = ['attendant', 'unit', 'cost_centre'] as const;

/** Runs one operational report. `effortBy` only matters to `effort`. */
export function runReport(
  db: Database,
  name: ReportName,
  f: ReportFilter,
  opts: { effortBy?: EffortBy } = {},
): Promise<ReportResult> {
  if (name.startsWith('by-')) return breakdownReport(db, f, name.slice(3) as Dimension);
  switch (name) {
    case 'volume':
      return volumeReport(db, f);
    case 'backlog':
      return backlogReport(db, f);
    case 'deadlines':
      return deadlinesReport(db, f);
    case 'units':
      return unitsReport(db, f);
    case 'extensions':
      return extensionsReport(db, f);
    case 'reopens':
      return reopensReport(db, f);
    case 'effort':
      return effortReport(db, f, opts.effortBy);
    default:
      return satisfactionReport(db, f);
  }
}
