// What the projection stores for reports (issue 12), derived from a case view and its timeline. The
// definitions (what "answered", "on time", "time to answer" mean) are documented once in
// db/queries/reports/README.md; this file is where they are computed for each case.
import type { CaseView, TimelineEvent } from '../workflows/messages.ts';

const DAY_MS = 86_400_000;
const finalEvents = new Set(['closed', 'archived', 'accepted']);
const finalStatuses = new Set(['closed', 'approved', 'archived']);

/** Report columns of one case (see db/schema.ts, "report columns"). Pure; dates as Date or null. */
export function reportColumns(view: CaseView) {
  const timeline = view.timeline ?? [];
  const firstAnswer = timeline.find((e) => e.type === 'answered');
  const lastFinal = finalStatuses.has(view.status)
    ? [...timeline].reverse().find((e) => finalEvents.has(e.type))
    : undefined;
  const finalRating = [...(view.ratings ?? [])].reverse().find((r) => r.final);
  const partialRating = [...(view.ratings ?? [])].reverse().find((r) => !r.final);
  return {
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
  }));
}
