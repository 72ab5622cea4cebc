// Tables of the reports area (issue 12): the per-case report facts and the units' answers as the
// projection keeps them, and the narrative sections of the annual report (Lei 13.460/2017 arts. 14–15).
import { sql } from 'drizzle-orm';
import { doublePrecision, index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { tstz } from './columns.ts';

const openStatuses = sql`status in ('received', 'in_progress', 'forwarded', 'awaiting_citizen')`;

/**
 * The report facts of one case: every column a report reads or filters by, and nothing else (no text, no
 * search documents), written by the projection in the same transaction as the case's read-model row and
 * guarded by the same revision. Definitions: db/queries/reports/README.md; computed in
 * activities/report-columns.ts. Why a narrow per-case table and not a daily summary: see the top of
 * db/queries/reports/operational.ts.
 */
export const reportCases = pgTable(
  'report_cases',
  {
    protocol: text('protocol').primaryKey(),
    /** the case revision these facts come from: an older projection never overwrites a newer one */
    revision: integer('revision').notNull(),
    receivedAt: tstz('received_at').notNull(),
    /** the case deadline now (the backlog's "overdue") */
    dueAt: tstz('due_at'),
    /** the first conclusive answer (timeline `answered`), and the case deadline in force at that moment */
    answeredAt: tstz('answered_at'),
    answerDueAt: tstz('answer_due_at'),
    /** calendar days from receipt to the first answer, time awaiting the citizen's complementation excluded */
    answerDays: doublePrecision('answer_days'),
    /** when the case reached a final status (closed, approved, archived); null while not final */
    closedAt: tstz('closed_at'),
    // dimensions the reports filter and break down by (codes, as in manifestations)
    kind: text('kind').notNull(),
    status: text('status').notNull(),
    channel: text('channel').notNull(),
    priority: text('priority').notNull(),
    topic: text('topic'),
    item: text('item'),
    groupCode: text('group_code'),
    assignee: text('assignee'),
    /** display name of the assignee when projected (the attendant breakdown's label) */
    assigneeName: text('assignee_name'),
    /** the opening reason (catalogue `opening_reasons.code`) */
    reasonCode: text('reason_code'),
    /** every unit the case was forwarded to */
    units: text('units').array().notNull().default(sql`'{}'::text[]`),
    caseExtensions: integer('case_extensions').notNull().default(0),
    complementationRequests: integer('complementation_requests').notNull().default(0),
    reopenCount: integer('reopen_count').notNull().default(0),
    rejections: integer('rejections').notNull().default(0),
    workMinutes: integer('work_minutes').notNull().default(0),
    estimateMinutes: integer('estimate_minutes'),
    /** the latest final (after the answer) and partial (before it) satisfaction ratings */
    ratingScore: integer('rating_score'),
    ratingResolved: text('rating_resolved'),
    partialScore: integer('partial_score'),
    partialResolved: text('partial_resolved'),
    /** the improvement staff recorded as produced by this case (workflow Update `improvement`) */
    improvement: text('improvement'),
  },
  (t) => [
    // one btree per moment a report puts a case in its period (received, answered, closed); the protocol
    // makes the received one the open data's keyset order (open-data-stream.ts)
    index('report_cases_received_idx').on(t.receivedAt, t.protocol),
    index('report_cases_answered_idx').on(t.answeredAt),
    index('report_cases_closed_idx').on(t.closedAt),
    // the backlog: open cases only
    index('report_cases_open_idx').on(t.receivedAt).where(openStatuses),
    // the measures taken (few cases have one)
    index('report_cases_improvement_idx').on(t.answeredAt).where(sql`improvement is not null`),
  ],
);

/**
 * One row per forward of a case to a unit (the workflow's `unitAssignments`), written by the projection:
 * when it was forwarded, the unit's deadline then in force, when (if) the unit answered, extensions granted.
 * Revision-guarded like the case row it is written with.
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
    /** the case revision this row comes from: an older (retried, out-of-order) projection never overwrites it */
    revision: integer('revision').notNull().default(0),
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
