// Tables of the reports area (issue 12): the units' answers as the projection keeps them (unit response
// times and lateness), and the narrative sections of the annual report (Lei 13.460/2017 arts. 14–15).
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { tstz } from './columns.ts';

/**
 * One row per forward of a case to a unit (the workflow's `unitAssignments`), written by the projection:
 * when it was forwarded, the unit's deadline then in force, when (if) the unit answered, extensions granted.
 */
export const reportUnitAssignments = pgTable(
  'report_unit_assignments',
  {
    protocol: text('protocol').notNull(),
    unit: text('unit').notNull(),
    forwardedAt: tstz('forwarded_at').notNull(),
    dueAt: tstz('due_at'),
    respondedAt: tstz('responded_at'),
    extensions: integer('extensions').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.protocol, t.unit, t.forwardedAt] }),
    index('report_unit_assignments_forwarded_idx').on(t.forwardedAt, t.unit),
  ],
);

/** A narrative section of the annual report, written by staff before publishing. */
export type AnnualSection = { key: string; title: string; text: string };

/** The annual report of one year: narrative sections (draft until published) and who published it. */
export const annualReports = pgTable('annual_reports', {
  year: integer('year').primaryKey(),
  sections: jsonb('sections').$type<AnnualSection[]>().notNull().default(sql`'[]'::jsonb`),
  publishedAt: tstz('published_at'),
  publishedBy: text('published_by'),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
  updatedBy: text('updated_by'),
});
