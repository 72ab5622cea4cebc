// The last view of every concluded case (closed, approved, archived), kept by the projection: a case's
// workflow completes after its reopen window and Temporal deletes it after the namespace's retention
// period, but its record must stay readable (and reopenable) for as long as the organisation keeps it.

import { integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import type { CaseView } from '../../workflows/messages.ts';
import { tstz } from './columns.ts';

export const caseArchives = pgTable('case_archives', {
  protocol: text('protocol').primaryKey(),
  /** the view's revision: an older snapshot never replaces a newer one */
  revision: integer('revision').notNull(),
  view: jsonb('view').$type<CaseView>().notNull(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});
