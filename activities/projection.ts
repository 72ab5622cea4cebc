// Projects a case snapshot into the read model. Revision-guarded: an older snapshot never overwrites a
// newer one, so retries and out-of-order completions are harmless.
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { manifestations, timelineEvents } from '../db/schema.ts';
import type { CaseView } from '../workflows/messages.ts';

export function createProjectionActivities(db: Database) {
  return {
    async projectCase(view: CaseView): Promise<void> {
      const row = {
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
        if (view.timeline.length > 0) {
          await tx
            .insert(timelineEvents)
            .values(
              view.timeline.map((e) => ({
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
      });
    },
  };
}

function columnName(key: string): string {
  const col = (manifestations as unknown as Record<string, { name: string }>)[key];
  if (!col) throw new Error(`Unknown manifestation column ${key}`);
  return `"${col.name}"`;
}
