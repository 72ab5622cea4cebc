// What the queue counts read instead of recounting cases (issue 9 item 9), both kept by triggers in the
// database (migrations queue_counters and case_news). Why counters, and why these: db/queries/queue-counts.ts.
import { bigint, boolean, index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { users } from './auth.ts';

/** Open cases counted by status and by whether someone took them. */
export const queueCounters = pgTable(
  'queue_counters',
  {
    status: text('status').notNull(),
    unassigned: boolean('unassigned').notNull(),
    n: bigint('n', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.status, t.unassigned] })],
);

/**
 * One row per (staff member, case) that has news for that person: the case's last news event
 * (manifestations.last_activity_seq) is past what they saw (case_reads.seen_seq), someone else caused it,
 * and they follow the case (its assignee, or they opened it before). "Com novidade" is this user's rows.
 */
export const caseNews = pgTable(
  'case_news',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    protocol: text('protocol').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.protocol] }), index('case_news_protocol_idx').on(t.protocol)],
);
