// Open cases counted by status and by whether someone took them, kept by a trigger on manifestations
// (migration queue_counters). Why counters, and why these: db/queries/queue-counts.ts.
import { bigint, boolean, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

export const queueCounters = pgTable(
  'queue_counters',
  {
    status: text('status').notNull(),
    unassigned: boolean('unassigned').notNull(),
    n: bigint('n', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.status, t.unassigned] })],
);
