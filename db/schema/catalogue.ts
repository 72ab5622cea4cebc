// Catalogue and organisation lists administered in /painel/admin (issue 10 items 2–5): cost centres,
// attendant groups with their members and routing rules, topics and items/services per legal kind,
// opening reasons, and the display lists (priority labels, status names, rating scale).
// Codes are stable (cases, policies and reports keep them); labels, order and `active` may change.
// Inactive entries stay on old cases but are no longer offered in forms.
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { users } from './auth.ts';
import { tstz } from './columns.ts';

/** Centros de custo: a unit belongs to one (units.cost_centre_code); reports sum work per centre. */
export const costCentres = pgTable('cost_centres', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: tstz('created_at').notNull().defaultNow(),
});

/** Grupos de atendentes: a queue of cases (manifestations.group_code) and an e-mail for notifications. */
export const attendantGroups = pgTable('attendant_groups', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  /** mailed by notification rules whose recipient is `group`; null = nobody */
  email: text('email'),
  active: boolean('active').notNull().default(true),
  createdAt: tstz('created_at').notNull().defaultNow(),
});

/** Staff members of a group (they see its queue in the workspace). */
export const attendantGroupMembers = pgTable(
  'attendant_group_members',
  {
    groupCode: text('group_code')
      .notNull()
      .references(() => attendantGroups.code, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.groupCode, t.userId] }),
    index('attendant_group_members_user_idx').on(t.userId),
  ],
);

/**
 * Routing rules: a case whose (kind, topic, item, channel) matches every non-null field of a rule lands in
 * the rule's group. Evaluated on registration and on reclassification (db/queries/routing.ts): the rule
 * with the most fields set wins, then the lowest `position`.
 */
export const routingRules = pgTable(
  'routing_rules',
  {
    id: text('id').primaryKey(),
    groupCode: text('group_code')
      .notNull()
      .references(() => attendantGroups.code, { onDelete: 'cascade' }),
    /** legal kind (workflows/vocabulary.ts kinds); null = any */
    kind: text('kind'),
    topicCode: text('topic_code'),
    itemCode: text('item_code'),
    /** intake channel (vocabulary channels); null = any */
    channel: text('channel'),
    position: integer('position').notNull().default(0),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [index('routing_rules_group_idx').on(t.groupCode)],
);

/** Assuntos (topics) of one legal kind; the six kinds themselves are fixed by law. */
export const topics = pgTable(
  'topics',
  {
    code: text('code').primaryKey(),
    kind: text('kind').notNull(),
    labelPt: text('label_pt').notNull(),
    labelEn: text('label_en').notNull(),
    active: boolean('active').notNull().default(true),
    position: integer('position').notNull().default(0),
  },
  (t) => [index('topics_kind_idx').on(t.kind, t.position)],
);

/** Itens/serviços of a topic (what SLA policies and routing rules may select). */
export const items = pgTable(
  'items',
  {
    code: text('code').primaryKey(),
    topicCode: text('topic_code')
      .notNull()
      .references(() => topics.code),
    labelPt: text('label_pt').notNull(),
    labelEn: text('label_en').notNull(),
    active: boolean('active').notNull().default(true),
    position: integer('position').notNull().default(0),
  },
  (t) => [index('items_topic_idx').on(t.topicCode, t.position)],
);

/** Motivos de abertura: why a case was opened (set by staff in the case details; reported on). */
export const openingReasons = pgTable('opening_reasons', {
  code: text('code').primaryKey(),
  labelPt: text('label_pt').notNull(),
  labelEn: text('label_en').notNull(),
  active: boolean('active').notNull().default(true),
  position: integer('position').notNull().default(0),
});

/** Display of the four fixed priority codes: labels per language, order, badge colour (#rrggbb). */
export const priorityLabels = pgTable(
  'priority_labels',
  {
    code: text('code').primaryKey(),
    labelPt: text('label_pt').notNull(),
    labelEn: text('label_en').notNull(),
    position: integer('position').notNull().default(0),
    colour: text('colour').notNull(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('priority_labels_code_check', sql`${t.code} in ('low', 'normal', 'high', 'urgent')`),
    check('priority_labels_colour_check', sql`${t.colour} ~ '^#[0-9a-fA-F]{6}$'`),
  ],
);

/** Display names of the legal statuses per language (the codes and their meaning stay). */
export const statusLabels = pgTable('status_labels', {
  code: text('code').primaryKey(),
  labelPt: text('label_pt').notNull(),
  labelEn: text('label_en').notNull(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

/**
 * Rating scale (escala de avaliação) of the partial and the final rating: the question asked, and one
 * label per score 1..5 (index 0 = score 1) per language.
 */
export const ratingScales = pgTable(
  'rating_scales',
  {
    stage: text('stage').$type<'partial' | 'final'>().primaryKey(),
    questionPt: text('question_pt').notNull(),
    questionEn: text('question_en').notNull(),
    labelsPt: jsonb('labels_pt').$type<string[]>().notNull(),
    labelsEn: jsonb('labels_en').$type<string[]>().notNull(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [check('rating_scales_stage_check', sql`${t.stage} in ('partial', 'final')`)],
);
