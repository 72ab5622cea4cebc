// What the projection stores for reports (issue 12), derived from a case view and its timeline: one
// `report_cases` row per case and one `report_unit_assignments` row per forward (db/schema/reports.ts).
// The definitions (what "answered", "on time", "time to answer" mean) are documented once in
// db/queries/reports/README.md; this file is where they are computed for each case.
import { type SQLWrapper, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { reportCases, reportUnitAssignments } from '../db/schema.ts';
import type { CaseView, TimelineEvent } from '../workflows/messages.ts';

const DAY_MS = 86_400_000;
const finalEvents = new Set(['closed', 'archived', 'accepted']);
const finalStatuses = new Set(['closed', 'approved', 'archived']);

/** The `report_cases` row of one case. Pure; dates as Date or null. */
export function reportCaseRow(view: CaseView, assigneeName: string | null) {
  const timeline = view.timeline ?? [];
  const firstAnswer = timeline.find((e) => e.type === 'answered');
  const lastFinal = finalStatuses.has(view.status)
    ? [...timeline].reverse().find((e) => finalEvents.has(e.type))
    : undefined;
  const finalRating = [...(view.ratings ?? [])].reverse().find((r) => r.final);
  const partialRating = [...(view.ratings ?? [])].reverse().find((r) => !r.final);
  return {
    protocol: view.protocol,
    revision: view.revision,
    receivedAt: new Date(view.receivedAt),
    dueAt: view.dueAt ? new Date(view.dueAt) : null,
    kind: view.kind,
    status: view.status,
    channel: view.channel,
    priority: view.priority,
    topic: view.topic ?? null,
    item: view.item ?? null,
    groupCode: view.group ?? null,
    assignee: view.assignee,
    assigneeName,
    units: view.units,
    answeredAt: firstAnswer ? new Date(firstAnswer.at) : null,
    // The deadline in force at the first answer: the current one while the case was never reopened (an
    // answer does not move the deadline); after a reopen the projection keeps what it stored before.
    answerDueAt: firstAnswer && view.reopenCount === 0 && view.dueAt ? new Date(view.dueAt) : null,
    answerDays: firstAnswer ? daysToAnswer(view.receivedAt, firstAnswer, timeline) : null,
    closedAt: lastFinal ? new Date(lastFinal.at) : null,
    caseExtensions: timeline.filter((e) => e.type === 'deadline_extended' && !e.data.unit).length,
    complementationRequests: view.complementationRequests ?? 0,
    reopenCount: view.reopenCount ?? 0,
    rejections: timeline.filter((e) => e.type === 'rejected').length,
    workMinutes: view.workMinutes ?? 0,
    estimateMinutes: view.estimateMinutes ?? null,
    ratingScore: finalRating?.score ?? null,
    ratingResolved: finalRating?.resolved ?? null,
    partialScore: partialRating?.score ?? null,
    partialResolved: partialRating?.resolved ?? null,
    improvement: lastImprovement(timeline),
    reasonCode: view.reasonCode ?? null,
  };
}

/** Calendar days from receipt to the answer, minus the time spent awaiting the citizen's complementation. */
function daysToAnswer(receivedAt: string, answer: TimelineEvent, timeline: TimelineEvent[]): number {
  const end = Date.parse(answer.at);
  let paused = 0;
  let since: number | null = null;
  for (const e of timeline) {
    if (e.seq >= answer.seq) break;
    if (e.type === 'info_requested' && since === null) since = Date.parse(e.at);
    else if (e.type === 'citizen_replied' && since !== null) {
      paused += Date.parse(e.at) - since;
      since = null;
    }
  }
  if (since !== null) paused += end - since;
  return Math.max(0, end - Date.parse(receivedAt) - paused) / DAY_MS;
}

function lastImprovement(timeline: TimelineEvent[]): string | null {
  const e = [...timeline].reverse().find((x) => x.type === 'improvement_marked');
  if (!e) return null;
  return e.data.cleared ? null : String(e.data.measure ?? '') || null;
}

/** The units' forwards as report rows (db/schema/reports.ts `report_unit_assignments`). */
export function unitAssignmentRows(view: CaseView) {
  return (view.unitAssignments ?? []).map((a) => ({
    protocol: view.protocol,
    unit: a.unit,
    forwardedAt: new Date(a.forwardedAt),
    dueAt: a.deadline?.dueAt ? new Date(a.deadline.dueAt) : null,
    respondedAt: a.respondedAt ? new Date(a.respondedAt) : null,
    extensions: a.extensions ?? 0,
    revision: view.revision,
  }));
}

/**
 * The statements (unsent) that write the case's report rows; the projection runs them in its own single
 * statement (activities/projection.ts). Idempotent and revision-guarded like the read-model row: a
 * retried projection (same revision) changes nothing and an older snapshot arriving late is ignored, so
 * no figure is ever counted twice or rolled back. Rows are per case, not additive counters, so a replay
 * cannot double-count.
 */
export function reportRowStatements(db: Database, view: CaseView, assigneeName: string | null): SQLWrapper[] {
  const row = reportCaseRow(view, assigneeName);
  const { protocol: _p, ...updatable } = row;
  const statements: SQLWrapper[] = [
    db
      .insert(reportCases)
      .values(row)
      .onConflictDoUpdate({
        target: reportCases.protocol,
        set: {
          ...Object.fromEntries(Object.keys(updatable).map((k) => [k, sql.raw(`excluded.${columnOf(k)}`)])),
          // the deadline in force at the first answer survives a reopen (reportCaseRow)
          answerDueAt: sql`coalesce(${reportCases.answerDueAt}, excluded.answer_due_at)`,
        },
        setWhere: sql`${reportCases.revision} < excluded.revision`,
      }),
  ];
  const assignments = unitAssignmentRows(view);
  if (assignments.length === 0) return statements;
  statements.push(
    db
      .insert(reportUnitAssignments)
      .values(assignments)
      .onConflictDoUpdate({
        target: [
          reportUnitAssignments.protocol,
          reportUnitAssignments.unit,
          reportUnitAssignments.forwardedAt,
        ],
        set: {
          dueAt: sql`excluded.due_at`,
          respondedAt: sql`excluded.responded_at`,
          extensions: sql`excluded.extensions`,
          revision: sql`excluded.revision`,
        },
        setWhere: sql`${reportUnitAssignments.revision} < excluded.revision`,
      }),
  );
  return statements;
}

function columnOf(key: string): string {
  const col = (reportCases as unknown as Record<string, { name: string }>)[key];
  if (!col) throw new Error(`Unknown report_cases column ${key}`);
  return `"${col.name}"`;
}
