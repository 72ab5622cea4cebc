// Projects a case snapshot into the read model. Revision-guarded: an older snapshot never overwrites a
// newer one, so retries and out-of-order completions are harmless.
import { eq, inArray, max, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { caseChangedChannel } from '../db/queries/case-events.ts';
import { manifestations, timelineEvents, units, users } from '../db/schema.ts';
import type { CaseView } from '../workflows/messages.ts';
import { writeReportRows } from './report-columns.ts';
import { listColumns } from './search-document.ts';

export function createProjectionActivities(db: Database) {
  return {
    async projectCase(view: CaseView): Promise<void> {
      const [assignee] = view.assignee
        ? await db.select({ name: users.name }).from(users).where(eq(users.email, view.assignee))
        : [];
      const unitNames = view.units.length
        ? (await db.select({ name: units.name }).from(units).where(inArray(units.code, view.units))).map(
            (u) => u.name,
          )
        : [];
      const row = {
        ...listColumns(view, { assigneeName: assignee?.name ?? null, unitNames }),
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
      const { protocol: _p, ...updatable } = row;
      await db.transaction(async (tx) => {
        await tx
          .insert(manifestations)
          .values(row)
          .onConflictDoUpdate({
            target: manifestations.protocol,
            set: Object.fromEntries(
              Object.keys(updatable).map((k) => [k, sql.raw(`excluded.${columnName(k)}`)]),
            ),
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
        await writeReportRows(tx, view, assignee?.name ?? null);
        // Live updates: every server process LISTENs (db/queries/case-events.ts); delivered on commit.
        await tx.execute(sql`select pg_notify(${caseChangedChannel}, ${view.protocol})`);
      });
    },
  };
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
