// All queue counts of a staff member at once, at a million cases (issue 9 item 9: ≤ 50 ms together).
//
// Why counters plus small index ranges, not one scan: counting the open cases again on every page view
// reads every open row (hundreds of thousands at 1M cases; ~1.5 s measured), and partial indexes alone
// still walk all of them for "Vencidas", the largest queue. So:
// - totals that do not depend on the clock — open cases by status, and how many nobody took — are kept
//   by a trigger on manifestations (migration queue_counters) in `queue_counters`: a handful of rows;
// - the clock-dependent queues are counted on the *future* side of `now`, which is small by nature (only
//   cases whose deadline has not passed yet, a few weeks of intake): "Vencidas" = open − not yet due,
//   "Vencidas não assumidas" = unassigned − unassigned not yet due; "A vencer" and "Vencem hoje" are
//   ranges of the same partial index (manifestations_open_due_idx);
// - "Minhas" reads the partial index of open cases by assignee (manifestations_open_assignee_idx);
// - "Com novidade" is per person, so no shared counter fits: the triggers of migration case_news keep one
//   row per (follower, case with unseen news) in case_news, and the count is an index-only range of the
//   viewer's rows — as many as the number shown, not as many as the cases they follow (recounting news
//   over followed cases walked every case ever assigned to them: ~1 s at 1M). Opening a case deletes its
//   row in the same transaction (trigger on case_reads), so the count clears when the case is opened.
// A trigger rather than the projection activity keeping the counters: every writer (projection, repair,
// fixtures, a manual fix) keeps them right, in the same transaction as the row. Its cost is one counter
// row updated when a case changes status or is taken — not on other projections.
// A unit's counts (its own cases only, a small set) keep the direct count in manifestations.ts.
import { and, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { caseNews, manifestations as m, queueCounters } from '../schema.ts';

/** Open statuses (same list as pendingStatuses in manifestations.ts and the trigger). */
const open = ['received', 'in_progress', 'forwarded', 'awaiting_citizen'] as const;

export type CountWindow = { now: Date; todayEnd: Date; soonEnd: Date };
/** Who counts: the office queues need only whose cases ("Minhas", by e-mail) and whose news (by user id). */
export type Counter = { userId: string; email: string };

/** Counts of every clock and status queue for a staff member without a unit scope. */
export async function countOfficeQueues(db: Database, viewer: Counter, w: CountWindow) {
  const isOpen = inArray(m.status, [...open]);
  const notOverdue = {
    all: sql<number>`count(*)::int`,
    unassigned: sql<number>`count(*) filter (where ${m.assignee} is null)::int`,
  };
  // two index ranges (not yet due; no deadline): an OR of both would read the whole partial index
  const [totals, [future], [undated], [mine], [news]] = await Promise.all([
    db.select().from(queueCounters),
    db
      .select({
        ...notOverdue,
        dueToday: sql<number>`count(*) filter (where ${lt(m.dueAt, w.todayEnd)})::int`,
        dueSoon: sql<number>`count(*) filter (where ${lt(m.dueAt, w.soonEnd)})::int`,
      })
      .from(m)
      .where(and(isOpen, gte(m.dueAt, w.now))),
    db
      .select(notOverdue)
      .from(m)
      .where(and(isOpen, isNull(m.dueAt))),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(m)
      .where(and(isOpen, eq(m.assignee, viewer.email))),
    db.select({ n: sql<number>`count(*)::int` }).from(caseNews).where(eq(caseNews.userId, viewer.userId)),
  ]);
  const sum = (pick: (r: (typeof totals)[number]) => boolean) =>
    totals.filter(pick).reduce((n, r) => n + Number(r.n), 0);
  const openAll = sum(() => true);
  const unassigned = sum((r) => r.unassigned);
  return {
    mine: Number(mine?.n ?? 0),
    unassigned,
    due_soon: Number(future?.dueSoon ?? 0),
    due_today: Number(future?.dueToday ?? 0),
    overdue: openAll - Number(future?.all ?? 0) - Number(undated?.all ?? 0),
    overdue_unassigned: unassigned - Number(future?.unassigned ?? 0) - Number(undated?.unassigned ?? 0),
    awaiting_unit: sum((r) => r.status === 'forwarded'),
    awaiting_citizen: sum((r) => r.status === 'awaiting_citizen'),
    new_activity: Number(news?.n ?? 0),
  };
}
