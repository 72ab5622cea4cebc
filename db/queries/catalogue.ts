// Reads of the administered catalogue (db/schema/catalogue.ts): topics and items per legal kind, opening
// reasons, attendant groups, cost centres, and the display lists. Writes live in
// db/queries/catalogue-admin.ts (audited by the admin routes).
import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Database } from '../client.ts';
import {
  attendantGroupMembers,
  attendantGroups,
  costCentres,
  items,
  openingReasons,
  priorityLabels,
  ratingScales,
  routingRules,
  statusLabels,
  topics,
  users,
} from '../schema.ts';

export type TopicRow = typeof topics.$inferSelect;
export type ItemRow = typeof items.$inferSelect;
export type OpeningReasonRow = typeof openingReasons.$inferSelect;
export type GroupRow = typeof attendantGroups.$inferSelect;
export type RoutingRuleRow = typeof routingRules.$inferSelect;
export type CostCentreRow = typeof costCentres.$inferSelect;
export type PriorityLabelRow = typeof priorityLabels.$inferSelect;
export type StatusLabelRow = typeof statusLabels.$inferSelect;
export type RatingScaleRow = typeof ratingScales.$inferSelect;

/** A catalogue label in the viewer's language ('en' → English, anything else → Portuguese). */
export const labelOf = (row: { labelPt: string; labelEn: string }, lang: string) =>
  lang === 'en' ? row.labelEn : row.labelPt;

/** Topics (assuntos), ordered by kind then position; `kind` filters one legal kind, `activeOnly` drops inactive. */
export async function listTopics(db: Database, opts: { kind?: string; activeOnly?: boolean } = {}) {
  const where: SQL[] = [];
  if (opts.kind) where.push(eq(topics.kind, opts.kind));
  if (opts.activeOnly) where.push(eq(topics.active, true));
  return db
    .select()
    .from(topics)
    .where(and(...where))
    .orderBy(asc(topics.kind), asc(topics.position), asc(topics.labelPt));
}

export async function getTopic(db: Database, code: string): Promise<TopicRow | null> {
  const [row] = await db.select().from(topics).where(eq(topics.code, code));
  return row ?? null;
}

/**
 * Items/services (itens/serviços), ordered by topic then position. `topicCode` filters one topic; `kind`
 * keeps the items whose topic has that kind; `activeOnly` drops inactive items and items of inactive topics.
 */
export async function listItems(
  db: Database,
  opts: { topicCode?: string; kind?: string; activeOnly?: boolean } = {},
) {
  const where: SQL[] = [];
  if (opts.topicCode) where.push(eq(items.topicCode, opts.topicCode));
  if (opts.kind) where.push(eq(topics.kind, opts.kind));
  if (opts.activeOnly) where.push(eq(items.active, true), eq(topics.active, true));
  const rows = await db
    .select({ item: items })
    .from(items)
    .innerJoin(topics, eq(topics.code, items.topicCode))
    .where(and(...where))
    .orderBy(asc(topics.kind), asc(topics.position), asc(items.position), asc(items.labelPt));
  return rows.map((r) => r.item);
}

export async function getItem(db: Database, code: string): Promise<ItemRow | null> {
  const [row] = await db.select().from(items).where(eq(items.code, code));
  return row ?? null;
}

/** Opening reasons (motivos de abertura) in their order. */
export async function listOpeningReasons(db: Database, opts: { activeOnly?: boolean } = {}) {
  return db
    .select()
    .from(openingReasons)
    .where(opts.activeOnly ? eq(openingReasons.active, true) : undefined)
    .orderBy(asc(openingReasons.position), asc(openingReasons.labelPt));
}

export async function getOpeningReason(db: Database, code: string): Promise<OpeningReasonRow | null> {
  const [row] = await db.select().from(openingReasons).where(eq(openingReasons.code, code));
  return row ?? null;
}

/** Attendant groups by name. */
export async function listGroups(db: Database, opts: { activeOnly?: boolean } = {}) {
  return db
    .select()
    .from(attendantGroups)
    .where(opts.activeOnly ? eq(attendantGroups.active, true) : undefined)
    .orderBy(asc(attendantGroups.name));
}

export async function getGroup(db: Database, code: string): Promise<GroupRow | null> {
  const [row] = await db.select().from(attendantGroups).where(eq(attendantGroups.code, code));
  return row ?? null;
}

/** Members of a group: user id, name, e-mail, role. */
export async function listGroupMembers(db: Database, groupCode: string) {
  return db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role })
    .from(attendantGroupMembers)
    .innerJoin(users, eq(users.id, attendantGroupMembers.userId))
    .where(eq(attendantGroupMembers.groupCode, groupCode))
    .orderBy(asc(users.name));
}

/** Codes of the active groups a user belongs to (the per-group queues of the workspace). */
export async function groupsOfUser(db: Database, userId: string): Promise<string[]> {
  const rows = await db
    .select({ code: attendantGroups.code })
    .from(attendantGroupMembers)
    .innerJoin(attendantGroups, eq(attendantGroups.code, attendantGroupMembers.groupCode))
    .where(and(eq(attendantGroupMembers.userId, userId), eq(attendantGroups.active, true)))
    .orderBy(asc(attendantGroups.name));
  return rows.map((r) => r.code);
}

/** Routing rules, of one group or all, in evaluation order (position). */
export async function listRoutingRules(db: Database, groupCode?: string) {
  return db
    .select()
    .from(routingRules)
    .where(groupCode ? eq(routingRules.groupCode, groupCode) : undefined)
    .orderBy(asc(routingRules.position), asc(routingRules.createdAt));
}

/** Cost centres (centros de custo) by name. */
export async function listCostCentres(db: Database, opts: { activeOnly?: boolean } = {}) {
  return db
    .select()
    .from(costCentres)
    .where(opts.activeOnly ? eq(costCentres.active, true) : undefined)
    .orderBy(asc(costCentres.name));
}

export async function getCostCentre(db: Database, code: string): Promise<CostCentreRow | null> {
  const [row] = await db.select().from(costCentres).where(eq(costCentres.code, code));
  return row ?? null;
}

/** Priority display (labels, colour) in the administered order. */
export async function listPriorityLabels(db: Database) {
  return db.select().from(priorityLabels).orderBy(asc(priorityLabels.position));
}

/** Status display names per language. */
export async function listStatusLabels(db: Database) {
  return db.select().from(statusLabels);
}

/** The partial and final rating scales. */
export async function listRatingScales(db: Database) {
  return db.select().from(ratingScales).orderBy(asc(ratingScales.stage));
}

/**
 * Checks a (kind, topic, item) choice against the catalogue: the topic must exist and belong to the kind,
 * the item must belong to the topic; with `activeOnly` (new filings) both must be active. Returns the
 * field errors in pt-BR (empty = valid). `keep` accepts the codes a case already carries even if inactive.
 */
export async function checkClassification(
  db: Database,
  choice: { kind: string; topic?: string | null | undefined; item?: string | null | undefined },
  opts: { activeOnly?: boolean; keep?: { topic?: string | null; item?: string | null } } = {},
): Promise<Record<string, string[]>> {
  const errors: Record<string, string[]> = {};
  const codes = [choice.topic, choice.item].filter((c): c is string => !!c);
  if (!codes.length) return errors;
  const topic = choice.topic ? await getTopic(db, choice.topic) : null;
  if (choice.topic) {
    const kept = opts.keep?.topic === choice.topic;
    if (!topic) errors.topic = ['Assunto inexistente no catálogo'];
    else if (topic.kind !== choice.kind) errors.topic = ['Este assunto não pertence ao tipo escolhido'];
    else if (opts.activeOnly && !topic.active && !kept) errors.topic = ['Este assunto está desativado'];
  }
  if (choice.item) {
    const kept = opts.keep?.item === choice.item;
    const [item] = await db
      .select()
      .from(items)
      .where(inArray(items.code, [choice.item]));
    if (!item) errors.item = ['Item ou serviço inexistente no catálogo'];
    else if (!choice.topic || item.topicCode !== choice.topic)
      errors.item = ['Este item não pertence ao assunto escolhido'];
    else if (opts.activeOnly && !item.active && !kept) errors.item = ['Este item está desativado'];
  }
  return errors;
}

/**
 * Where mail for a case's group goes (notification recipient `group`): the group's e-mail when it has
 * one, else its members' addresses; nothing for an unknown or inactive group (callers fall back).
 */
export async function groupAddresses(
  db: Database,
  groupCode: string,
): Promise<{ email: string; name: string | null }[]> {
  const group = await getGroup(db, groupCode);
  if (!group?.active) return [];
  if (group.email) return [{ email: group.email, name: group.name }];
  return (await listGroupMembers(db, groupCode)).map((m) => ({ email: m.email, name: m.name }));
}

/**
 * A deadline policy's `item` must be an item/service of the catalogue (inactive ones stay valid: a
 * policy may outlive what the forms offer). null/undefined = any item. Field errors in pt-BR.
 */
export async function checkPolicyItem(
  db: Database,
  item: string | null | undefined,
): Promise<Record<string, string[]>> {
  if (!item) return {};
  return (await getItem(db, item)) ? {} : { item: [`Item ou serviço inexistente no catálogo: ${item}`] };
}

/** The administered display name of a status in `lang` ('en' or Portuguese); null when not listed. */
export async function statusDisplayName(db: Database, code: string, lang: string): Promise<string | null> {
  const [row] = await db.select().from(statusLabels).where(eq(statusLabels.code, code));
  return row ? labelOf(row, lang) : null;
}
