// Projects a case snapshot into the read model. Revision-guarded: an older snapshot never overwrites a
// newer one, so retries and out-of-order completions are harmless.
import { eq, inArray, max, type SQLWrapper, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { caseChangedChannel } from '../db/queries/case-events.ts';
import { manifestations, timelineEvents, units, users } from '../db/schema.ts';
import type { CaseView } from '../workflows/messages.ts';
import { writeReportRows } from './report-columns.ts';
import { listColumns } from './search-document.ts';

export function createProjectionActivities(db: Database) {
  return {
    async projectCase(view: CaseView): Promise<void> {
      await projectView(db, view);
    },
  };
}

/** The `manifestations` row of a view (list columns, search and reporter documents) and its assignee's name. */
async function caseRow(db: Database, view: CaseView) {
  const [assignee] = view.assignee
    ? await db.select({ name: users.name }).from(users).where(eq(users.email, view.assignee))
    : [];
  const unitNames = view.units.length
    ? (await db.select({ name: units.name }).from(units).where(inArray(units.code, view.units))).map(
        (u) => u.name,
      )
    : [];
  const assigneeName = assignee?.name ?? null;
  const row = {
    ...listColumns(view, { assigneeName, unitNames }),
    protocol: view.protocol,
    kind: view.kind,
    status: view.status,
    subject: view.subject,
    description: view.description,
    identity: view.identity,
    channel: view.channel,
    citizen: view.citizen,
    citizenEmail: view.citizen?.email?.toLowerCase() ?? null,
    assignee: view.assignee,
    units: view.units,
    priority: view.priority,
    receivedAt: new Date(view.receivedAt),
    dueAt: view.dueAt ? new Date(view.dueAt) : null,
    slaState: view.slaState,
    revision: view.revision,
    updatedAt: new Date(),
  };
  return { row, assigneeName };
}

/**
 * Writes the read model of one case view: its `manifestations` row (list columns, search and reporter
 * documents: activities/search-document.ts), its new timeline events and its report rows, in one
 * transaction, then notifies live pages. Revision-guarded: an older snapshot never overwrites a newer one.
 */
export async function projectView(db: Database, view: CaseView): Promise<void> {
  const { row, assigneeName } = await caseRow(db, view);
  const { protocol: _p, ...updatable } = row;
  await db.transaction(async (tx) => {
    await tx
      .insert(manifestations)
      .values(row)
      .onConflictDoUpdate({
        target: manifestations.protocol,
        set: Object.fromEntries(Object.keys(updatable).map((k) => [k, sql.raw(`excluded.${columnName(k)}`)])),
        setWhere: sql`${manifestations.revision} < excluded.revision`,
      });
    // The stored timeline is always a prefix of the case's (events get seq n+1 and are written with
    // their case row, in this transaction), so only the events past the stored last seq are new: a case
    // with a long history is not re-sent whole on every change (issue 14, B3). Retries still conflict
    // harmlessly.
    const fresh = view.timeline.length > 1 ? await newEvents(tx, view) : view.timeline;
    if (fresh.length > 0) {
      await tx
        .insert(timelineEvents)
        .values(
          fresh.map((e) => ({
            protocol: view.protocol,
            seq: e.seq,
            at: new Date(e.at),
            type: e.type,
            actor: e.actor,
            visibility: e.visibility,
            data: e.data,
          })),
        )
        .onConflictDoNothing();
    }
    // report facts (issue 12): same transaction, same revision guard (activities/report-columns.ts)
    await writeReportRows(tx, view, assigneeName);
    // Live updates: every server process LISTENs (db/queries/case-events.ts); delivered on commit.
    await tx.execute(sql`select pg_notify(${caseChangedChannel}, ${view.protocol})`);
  });
}

/**
 * The filing's early row (api/manifestations/filing.ts, issue 14): the registered view at revision 0,
 * written before the workflow's first commit so the list shows the case when the POST answers. Only
 * inserted when absent: the workflow's projection (revision ≥ 1, projectView) replaces it and is never
 * replaced by it, whichever arrives first. Its timeline event and report rows are left to the workflow (an
 * event once stored is never replaced: the workflow's own, with its instant, must be the one). `also`
 * (the intake's update) runs in the same statement, so both or neither land; live pages are notified.
 * One statement (data-modifying CTEs) instead of a transaction of five: one round trip per filing.
 */
export async function projectEarly(db: Database, view: CaseView, also: SQLWrapper): Promise<void> {
  if (view.revision !== 0)
    throw new Error(`early projection of ${view.protocol} at revision ${view.revision}`);
  const { row } = await caseRow(db, view);
  const insert = db.insert(manifestations).values(row).onConflictDoNothing();
  await db.execute(
    // drizzle puts an embedded statement in parentheses: `with early as (insert …)`
    sql`with early as ${insert}, also as ${also} select pg_notify(${caseChangedChannel}, ${view.protocol})`,
  );
}

/** The events of `view` past the last one stored for its case. */
async function newEvents(tx: Pick<Database, 'select'>, view: CaseView) {
  const [row] = await tx
    .select({ last: max(timelineEvents.seq) })
    .from(timelineEvents)
    .where(eq(timelineEvents.protocol, view.protocol));
  const stored = row?.last ?? 0;
  return view.timeline.filter((e) => e.seq > stored);
}

function columnName(key: string): string {
  const col = (manifestations as unknown as Record<string, { name: string }>)[key];
  if (!col) throw new Error(`Unknown manifestation column ${key}`);
  return `"${col.name}"`;
}
