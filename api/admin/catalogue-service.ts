// Writes of the administered catalogue (issue 10 items 2–5), shared by REST and pages: validate (zod +
// references), write, audit `{entity, id, before, after}`. Nothing is deleted: entries are deactivated,
// so old cases keep their codes. Group members and routing rules are rows of their own (added/removed).
import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { getCostCentre, getGroup, getItem, getTopic } from '../../db/queries/catalogue.ts';
import { referenceDataChanged } from '../../db/queries/reference-cache.ts';
import { audit } from '../../db/queries/users.ts';
import { attendantGroupMembers, routingRules, users } from '../../db/schema.ts';
import { ApiError, type FieldErrors, notFound } from '../errors.ts';
import type { AppDeps } from '../types.ts';
import {
  type EntityDef,
  itemDef,
  memberSchema,
  type RoutingRuleBody,
  routingRuleSchema,
  unitDef,
} from './catalogue-defs.ts';
import { invalidateDisplayLists } from './display-lists.ts';

/** Who acts, for the audit log. */
export type Actor = { email: string | null; ip: string | null };

type Row = Record<string, unknown>;

/** A key from a URL (code, user or rule id); 404 for what no entry can be called (controls, too long). */
export function pathKey(v: string | undefined): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (!v || v.length > 100 || /[\u0000-\u001f\u007f]/.test(v)) throw notFound('Registro não encontrado');
  return v;
}

const invalid = (fields: FieldErrors) => new ApiError(422, 'invalid_body', 'Dados inválidos', fields);

function parse(schema: EntityDef['patch'], body: unknown): Row {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const fields: FieldErrors = {};
  for (const issue of r.error.issues) {
    const key = issue.path.join('.') || '_';
    fields[key] = [...(fields[key] ?? []), issue.message];
  }
  throw invalid(fields);
}

/** Every row of an entity (order: the table's key). */
export async function listEntity(db: Database, def: EntityDef): Promise<Row[]> {
  return (await db.select().from(def.table).orderBy(def.key)) as Row[];
}

/** One row, or null. */
export async function getEntity(db: Database, def: EntityDef, key: string): Promise<Row | null> {
  const [row] = (await db.select().from(def.table).where(eq(def.key, key))) as Row[];
  return row ?? null;
}

/** References an entity's row must satisfy (a unit's cost centre, an item's topic). */
async function checkReferences(db: Database, def: EntityDef, row: Row, before: Row | null) {
  const fields: FieldErrors = {};
  if (def === unitDef && row.costCentreCode && row.costCentreCode !== before?.costCentreCode) {
    const cc = await getCostCentre(db, String(row.costCentreCode));
    if (!cc) fields.costCentreCode = ['Centro de custo inexistente'];
    else if (!cc.active) fields.costCentreCode = ['Este centro de custo está desativado'];
  }
  if (def === itemDef && row.topicCode && !before) {
    if (!(await getTopic(db, String(row.topicCode)))) fields.topicCode = ['Assunto inexistente no catálogo'];
  }
  if (Object.keys(fields).length) throw invalid(fields);
}

const audited = (deps: Pick<AppDeps, 'db'>, actor: Actor, action: string, data: Row) =>
  audit(deps.db, { actor: actor.email, action, ip: actor.ip, data });

/**
 * Creates an entry. Errors: 422 (invalid body or reference, `code` field when the code exists), 405-like
 * 422 `_` when the entity's codes are fixed.
 */
export async function createEntity(deps: Pick<AppDeps, 'db'>, def: EntityDef, body: unknown, actor: Actor) {
  if (!def.create) throw invalid({ _: ['Os códigos desta lista são fixos; altere os existentes'] });
  const row = parse(def.create, body);
  const key = String(row[def.keyName]);
  if (await getEntity(deps.db, def, key))
    throw invalid({ [def.keyName]: ['Já existe um registro com este código'] });
  await checkReferences(deps.db, def, row, null);
  await deps.db.insert(def.table).values(row as never);
  const after = await getEntity(deps.db, def, key);
  await audited(deps, actor, `admin.${def.entity}.create`, {
    entity: def.entity,
    id: key,
    before: null,
    after,
  });
  invalidateDisplayLists();
  referenceDataChanged();
  return after as Row;
}

/** Changes an entry (only the fields given). Errors: 404, 422. Returns the row after. */
export async function updateEntity(
  deps: Pick<AppDeps, 'db'>,
  def: EntityDef,
  key: string,
  body: unknown,
  actor: Actor,
) {
  const before = await getEntity(deps.db, def, key);
  if (!before) throw notFound('Registro não encontrado');
  const patch = parse(def.patch, body);
  await checkReferences(deps.db, def, { ...before, ...patch }, before);
  const set = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  if ('updatedAt' in before) set.updatedAt = new Date();
  await deps.db
    .update(def.table)
    .set(set as never)
    .where(eq(def.key, key));
  const after = await getEntity(deps.db, def, key);
  await audited(deps, actor, `admin.${def.entity}.update`, { entity: def.entity, id: key, before, after });
  invalidateDisplayLists();
  referenceDataChanged();
  return after as Row;
}

// ---------- group members ----------

/** The group, or 404. */
export async function groupOr404(db: Database, code: string) {
  const group = await getGroup(db, code);
  if (!group) throw notFound('Grupo não encontrado');
  return group;
}

/** Adds a staff user (not a citizen) to a group. Errors: 404 group, 422 unknown user / citizen. */
export async function addMember(deps: Pick<AppDeps, 'db'>, groupCode: string, body: unknown, actor: Actor) {
  await groupOr404(deps.db, groupCode);
  const m = parse(memberSchema, body);
  const [user] = await deps.db
    .select({ id: users.id, email: users.email, role: users.role })
    .from(users)
    .where(m.userId ? eq(users.id, String(m.userId)) : eq(users.email, String(m.email).toLowerCase()));
  if (!user) throw invalid({ email: ['Usuário não encontrado'] });
  if (user.role === 'citizen') throw invalid({ email: ['Só a equipe pode fazer parte de um grupo'] });
  await deps.db.insert(attendantGroupMembers).values({ groupCode, userId: user.id }).onConflictDoNothing();
  await audited(deps, actor, 'admin.group.member.add', {
    entity: 'group_member',
    id: `${groupCode}:${user.id}`,
    before: null,
    after: { groupCode, userId: user.id, email: user.email },
  });
  return user;
}

/** Removes a member. Errors: 404 when not a member. */
export async function removeMember(
  deps: Pick<AppDeps, 'db'>,
  groupCode: string,
  userId: string,
  actor: Actor,
) {
  const gone = await deps.db
    .delete(attendantGroupMembers)
    .where(and(eq(attendantGroupMembers.groupCode, groupCode), eq(attendantGroupMembers.userId, userId)))
    .returning();
  if (!gone.length) throw notFound('Membro não encontrado');
  await audited(deps, actor, 'admin.group.member.remove', {
    entity: 'group_member',
    id: `${groupCode}:${userId}`,
    before: { groupCode, userId },
    after: null,
  });
}

// ---------- routing rules ----------

/** The rule's catalogue codes must exist, the topic belong to the kind, the item to the topic. */
async function checkRule(db: Database, r: RoutingRuleBody) {
  const fields: FieldErrors = {};
  const topic = r.topicCode ? await getTopic(db, r.topicCode) : null;
  if (r.topicCode && !topic) fields.topicCode = ['Assunto inexistente no catálogo'];
  else if (topic && r.kind && topic.kind !== r.kind)
    fields.topicCode = ['Este assunto não pertence ao tipo escolhido'];
  if (r.itemCode) {
    const item = await getItem(db, r.itemCode);
    if (!item) fields.itemCode = ['Item inexistente no catálogo'];
    else if (r.topicCode && item.topicCode !== r.topicCode)
      fields.itemCode = ['Este item não pertence ao assunto escolhido'];
  }
  if (Object.keys(fields).length) throw invalid(fields);
}

/** Adds a routing rule to a group. Errors: 422. Returns the rule. */
export async function addRule(deps: Pick<AppDeps, 'db'>, groupCode: string, body: unknown, actor: Actor) {
  await groupOr404(deps.db, groupCode);
  const r = parse(routingRuleSchema as never, body) as RoutingRuleBody;
  await checkRule(deps.db, r);
  const row = {
    id: randomUUID(),
    groupCode,
    kind: r.kind ?? null,
    topicCode: r.topicCode ?? null,
    itemCode: r.itemCode ?? null,
    channel: r.channel ?? null,
    position: r.position ?? 0,
  };
  const [after] = await deps.db.insert(routingRules).values(row).returning();
  referenceDataChanged();
  await audited(deps, actor, 'admin.routing_rule.create', {
    entity: 'routing_rule',
    id: row.id,
    before: null,
    after,
  });
  return after!;
}

/** Removes a routing rule of a group. Errors: 404. */
export async function removeRule(deps: Pick<AppDeps, 'db'>, groupCode: string, id: string, actor: Actor) {
  const [before] = await deps.db
    .delete(routingRules)
    .where(and(eq(routingRules.groupCode, groupCode), eq(routingRules.id, id)))
    .returning();
  if (!before) throw notFound('Regra não encontrada');
  referenceDataChanged();
  await audited(deps, actor, 'admin.routing_rule.delete', {
    entity: 'routing_rule',
    id,
    before,
    after: null,
  });
}

/** Members of many groups at once: group code → users. */
export async function membersByGroup(db: Database, codes: string[]) {
  if (!codes.length) return new Map<string, { id: string; name: string; email: string }[]>();
  const rows = await db
    .select({ group: attendantGroupMembers.groupCode, id: users.id, name: users.name, email: users.email })
    .from(attendantGroupMembers)
    .innerJoin(users, eq(users.id, attendantGroupMembers.userId))
    .where(inArray(attendantGroupMembers.groupCode, codes))
    .orderBy(users.name);
  const out = new Map<string, { id: string; name: string; email: string }[]>();
  for (const r of rows)
    out.set(r.group, [...(out.get(r.group) ?? []), { id: r.id, name: r.name, email: r.email }]);
  return out;
}
