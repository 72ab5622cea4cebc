// Administered settings: one row per key (config/settings.ts says which keys exist and what they hold).
// A missing row means the default. Written only by db/queries/settings.ts (validated, audited).
import { jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { tstz } from './columns.ts';

export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').$type<unknown>().notNull(),
  updatedAt: tstz('updated_at'),
  updatedBy: text('updated_by'),
});
