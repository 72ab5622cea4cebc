// E-mail: notification rules, the outbound mail log (idempotent per key), inbound mail (raw first,
// de-duplicated on Message-ID), and the addresses notifications go to.
import {
  and,
  asc,
  desc,
  eq,
  getTableColumns,
  gt,
  inArray,
  isNotNull,
  like,
  lte,
  ne,
  notInArray,
  or,
  sql,
} from 'drizzle-orm';
import type { Database } from '../client.ts';
import {
  inboundEmails,
  type NotificationRecipient,
  notificationRules,
  outboundEmails,
  type Role,
  units,
  users,
} from '../schema.ts';
import { cachedReference, referenceDataChanged } from './reference-cache.ts';
import { placeholdersFor, preparedOnce } from './statement-cache.ts';

export type OutboundRow = typeof outboundEmails.$inferSelect;
export type NewOutbound = typeof outboundEmails.$inferInsert;
export type InboundRow = typeof inboundEmails.$inferSelect;
export type NewInbound = typeof inboundEmails.$inferInsert;

// --- notification rules ---
export async function recipientsForEvent(db: Database, eventType: string): Promise<NotificationRecipient[]> {
  const rows = await db
    .select({ recipient: notificationRules.recipient })
    .from(notificationRules)
    .where(and(eq(notificationRules.eventType, eventType), eq(notificationRules.enabled, true)));
  return rows.map((r) => r.recipient);
}

export async function listNotificationRules(db: Database) {
  return db
    .select()
    .from(notificationRules)
    .orderBy(asc(notificationRules.eventType), asc(notificationRules.recipient));
}

export async function setNotificationRule(
  db: Database,
  rule: { eventType: string; recipient: NotificationRecipient; enabled: boolean },
) {
  await db
    .insert(notificationRules)
    .values({ ...rule, updatedAt: new Date() })
    .onConflictDoUpdate({
      target: [notificationRules.eventType, notificationRules.recipient],
      set: { enabled: rule.enabled, updatedAt: new Date() },
    });
  referenceDataChanged();
}

// --- addresses ---
/**
 * The active staff of `roles` ({email, name, role}[]), read through the reference cache (every staff mail
 * asks; a role or account change in this process drops it: db/queries/users.ts, access.ts).
 */
export function staffAddresses(db: Database, roles: Role[]) {
  return cachedReference(db, `staff.addresses.${roles.join(',')}`, () => readStaffAddresses(db, roles));
}

function readStaffAddresses(db: Database, roles: Role[]) {
  return db
    .select({ email: users.email, name: users.name, role: users.role })
    .from(users)
    .where(and(inArray(users.role, roles), eq(users.active, true))) // nobody mails a deactivated user
    .orderBy(asc(users.email));
}

export async function unitAddresses(db: Database, codes: string[]) {
  if (codes.length === 0) return [];
  return db
    .select({ code: units.code, name: units.name, email: units.email })
    .from(units)
    .where(inArray(units.code, codes));
}

export async function findStaffByEmail(db: Database, email: string) {
  const [row] = await db
    .select({ email: users.email, role: users.role, unitCode: users.unitCode })
    .from(users)
    .where(eq(users.email, email.toLowerCase()));
  return row;
}

// --- outbound ---
/**
 * Inserts the message in state 'sending'; returns undefined when the key already exists. Its text is
 * rendered once per set of columns (statement-cache.ts): every case event's mail inserts one.
 */
export async function insertOutbound(db: Database, row: NewOutbound): Promise<OutboundRow | undefined> {
  const { keys, placeholders, filled } = placeholdersFor(row);
  const [inserted] = await preparedOnce(db, `outbound.insert:${keys}`, () =>
    db
      .insert(outboundEmails)
      .values(placeholders as unknown as NewOutbound)
      .onConflictDoNothing()
      .returning()
      .prepare('outbound_insert'),
  ).execute(filled);
  return inserted;
}

export async function findOutboundByKey(db: Database, key: string): Promise<OutboundRow | undefined> {
  const [row] = await db.select().from(outboundEmails).where(eq(outboundEmails.idempotencyKey, key));
  return row;
}

export async function findOutboundById(db: Database, id: string): Promise<OutboundRow | undefined> {
  const [row] = await db.select().from(outboundEmails).where(eq(outboundEmails.id, id));
  return row;
}

/**
 * Claims an `uncertain` or `failed` message for one resend request (atomic: one request wins); the same
 * request claims it again on a retry. Returns the claimed row (now `sending`, resends + 1) or undefined.
 */
export async function claimOutboundForResend(
  db: Database,
  q: { emailId: string; requestId: string; actor: string },
): Promise<OutboundRow | undefined> {
  const [row] = await db
    .update(outboundEmails)
    .set({
      status: 'sending',
      inFlightAt: null,
      error: null,
      resends: sql`${outboundEmails.resends} + 1`,
      resentBy: q.actor,
      resendRequest: q.requestId,
    })
    .where(and(eq(outboundEmails.id, q.emailId), inArray(outboundEmails.status, ['uncertain', 'failed'])))
    .returning();
  if (row) return row;
  const [same] = await db
    .select()
    .from(outboundEmails)
    .where(and(eq(outboundEmails.id, q.emailId), eq(outboundEmails.resendRequest, q.requestId)));
  return same && same.status === 'sending' ? same : undefined;
}

/** Sets the defined columns of `patch` on outbound message `id` (the text rendered once per set of columns). */
export async function updateOutbound(db: Database, id: string, patch: Partial<NewOutbound>) {
  const { keys, placeholders, filled } = placeholdersFor(patch);
  if (!keys.length) return;
  await preparedOnce(db, `outbound.update:${keys}`, () =>
    db
      .update(outboundEmails)
      .set(placeholders as Partial<NewOutbound>)
      .where(eq(outboundEmails.id, sql.placeholder('whereId')))
      .prepare('outbound_update'),
  ).execute({ ...filled, whereId: id });
}

export async function findOutboundByMessageIds(db: Database, messageIds: string[]) {
  if (messageIds.length === 0) return [];
  return db.select().from(outboundEmails).where(inArray(outboundEmails.messageId, messageIds));
}

export async function listOutboundForCase(db: Database, protocol: string) {
  return preparedOnce(db, 'outbound.forCase', () =>
    db
      .select()
      .from(outboundEmails)
      .where(eq(outboundEmails.protocol, sql.placeholder('protocol')))
      .orderBy(asc(outboundEmails.createdAt), asc(outboundEmails.eventSeq))
      .prepare('outbound_for_case'),
  ).execute({ protocol });
}

/** Outbound recipients of a case that match `email` (the roles we mailed it as). */
export async function outboundRolesFor(db: Database, protocol: string, email: string) {
  const rows = await preparedOnce(db, 'outbound.roles', () =>
    db
      .selectDistinct({ role: outboundEmails.recipientRole })
      .from(outboundEmails)
      .where(
        and(
          eq(outboundEmails.protocol, sql.placeholder('protocol')),
          eq(outboundEmails.recipient, sql.placeholder('email')),
        ),
      )
      .prepare('outbound_roles'),
  ).execute({ protocol, email: email.toLowerCase() });
  return rows.map((r) => r.role);
}

// --- inbound ---
/** Stores the message unless its Message-ID is known: `{ row, duplicate }`. */
/** Raw messages are written in slices of this size: serialising one 25 MB parameter blocks the event loop. */
const rawSlice = 1024 * 1024;

/**
 * Stores one inbound message, or finds the stored one with the same Message-ID (`duplicate`). A message of
 * up to 1 MiB is one INSERT; a larger one goes in 1 MiB slices inside one transaction, joined once at the
 * end. The bytes are never read back here (the returned row carries the caller's `raw`): a large message
 * costs the event loop a few milliseconds at a time.
 */
export async function insertInbound(
  db: Database,
  row: NewInbound,
): Promise<{ row: InboundRow; duplicate: boolean }> {
  const { raw: _raw, ...columns } = getTableColumns(inboundEmails);
  const raw = row.raw ?? null;
  // one slice: its text rendered once per set of columns (statement-cache.ts)
  const oneSlice = () => {
    const { keys, placeholders, filled } = placeholdersFor({ ...row, raw });
    return preparedOnce(db, `inbound.insert:${keys}`, () =>
      db
        .insert(inboundEmails)
        .values(placeholders as unknown as NewInbound)
        .onConflictDoNothing()
        .returning(columns)
        .prepare('inbound_insert'),
    )
      .execute(filled)
      .then((rows) => rows[0]);
  };
  const first = (tx: Pick<Database, 'insert'>) =>
    tx
      .insert(inboundEmails)
      .values({ ...row, raw: raw && raw.byteLength > rawSlice ? raw.subarray(0, rawSlice) : raw })
      .onConflictDoNothing()
      .returning(columns)
      .then((rows) => rows[0]);
  // One slice (a reply, most mail): one statement, atomic by itself; no transaction to open and commit.
  const inserted =
    !raw || raw.byteLength <= rawSlice
      ? await oneSlice()
      : await db.transaction(async (tx) => {
          const stored = await first(tx);
          if (!stored) return stored;
          // The other slices go to a transaction-local table, then are joined once: appending each slice to
          // the stored value would rewrite (and recompress) the whole value every time, O(n²) for the database.
          await tx.execute(
            sql`CREATE TEMP TABLE IF NOT EXISTS inbound_raw_parts (n int NOT NULL, part bytea NOT NULL) ON COMMIT DROP`,
          );
          for (let at = rawSlice, n = 1; at < raw.byteLength; at += rawSlice, n++) {
            const part = sql.param(raw.subarray(at, at + rawSlice), inboundEmails.raw);
            await tx.execute(sql`INSERT INTO inbound_raw_parts (n, part) VALUES (${n}, ${part}::bytea)`);
          }
          await tx
            .update(inboundEmails)
            .set({
              raw: sql`${inboundEmails.raw} || (SELECT string_agg(part, ''::bytea ORDER BY n) FROM inbound_raw_parts)`,
            })
            .where(eq(inboundEmails.id, stored.id));
          return stored;
        });
  if (inserted) return { row: { ...inserted, raw }, duplicate: false };
  const [existing] = await db
    .select(columns)
    .from(inboundEmails)
    .where(eq(inboundEmails.messageId, row.messageId));
  if (!existing) throw new Error('inbound insert conflicted but no row was found');
  return { row: { ...existing, raw: null }, duplicate: true };
}

/** Cases opened by e-mail since `since` from one address, or from any address of one domain. */
export async function countCasesOpenedBy(
  db: Database,
  q: { address?: string; domain?: string; since: Date },
): Promise<number> {
  const who = q.address
    ? eq(inboundEmails.fromAddress, q.address.toLowerCase())
    : like(inboundEmails.fromAddress, `%@${(q.domain ?? '').toLowerCase().replace(/[\\%_]/g, '\\$&')}`);
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(inboundEmails)
    .where(
      and(
        who,
        eq(inboundEmails.status, 'created'),
        eq(inboundEmails.threadedBy, 'new_case'),
        gt(inboundEmails.receivedAt, q.since),
      ),
    );
  return Number(row?.n ?? 0);
}

/** Subjects of the personal messages `from` sent since `since` (loop detection), other than `excludeId`. */
export async function recentSubjectsFrom(
  db: Database,
  q: { from: string; since: Date; excludeId: string },
): Promise<Array<string | null>> {
  const rows = await db
    .select({ subject: inboundEmails.subject })
    .from(inboundEmails)
    .where(
      and(
        eq(inboundEmails.fromAddress, q.from.toLowerCase()),
        gt(inboundEmails.receivedAt, q.since),
        ne(inboundEmails.id, q.excludeId),
        inArray(inboundEmails.status, ['created', 'threaded', 'held']),
      ),
    )
    .limit(1000);
  return rows.map((r) => r.subject);
}

/**
 * The three automatic-mail caps of one message in one query (issue 14: one round trip instead of three):
 * `onCase` = messages of this case to this recipient within `caseSince`…`until`;
 * `toRecipient` / `toDomain` = messages to this address / to any address of its domain within
 * `loopSince`…`until`. Suppressed and failed messages, and `excludeId`, never count.
 */
export async function countRecentOutboundCaps(
  db: Database,
  q: {
    protocol: string;
    recipient: string;
    caseSince: Date;
    loopSince: Date;
    until: Date;
    excludeId: string;
  },
): Promise<{ onCase: number; toRecipient: number; toDomain: number }> {
  const domain = q.recipient.split('@')[1] ?? '';
  const since = new Date(Math.min(q.caseSince.getTime(), q.loopSince.getTime()));
  // rendered once (statement-cache.ts): every automatic mail asks it
  const [row] = await preparedOnce(db, 'outbound.caps', () => {
    const p = (name: string) => sql.placeholder(name);
    const recipient = eq(outboundEmails.recipient, p('recipient'));
    const sameDomain = like(outboundEmails.recipient, p('domainPattern'));
    const onCase = and(eq(outboundEmails.protocol, p('protocol')), recipient);
    return db
      .select({
        onCase: sql<number>`(count(*) filter (where ${onCase} and ${gt(outboundEmails.createdAt, p('caseSince'))}))::int`,
        toRecipient: sql<number>`(count(*) filter (where ${recipient} and ${gt(outboundEmails.createdAt, p('loopSince'))}))::int`,
        toDomain: sql<number>`(count(*) filter (where ${sameDomain} and ${gt(outboundEmails.createdAt, p('loopSince'))}))::int`,
      })
      .from(outboundEmails)
      .where(
        and(
          or(recipient, sameDomain),
          gt(outboundEmails.createdAt, p('since')),
          lte(outboundEmails.createdAt, p('until')),
          ne(outboundEmails.id, p('excludeId')),
          notInArray(outboundEmails.status, ['suppressed', 'failed']),
        ),
      )
      .prepare('outbound_caps');
  }).execute({
    recipient: q.recipient,
    domainPattern: `%@${domain.replace(/[\\%_]/g, '\\$&')}`,
    protocol: q.protocol,
    // placeholders outside a column's encoder: the driver takes the instants as text
    caseSince: q.caseSince.toISOString(),
    loopSince: q.loopSince.toISOString(),
    since: since.toISOString(),
    until: q.until.toISOString(),
    excludeId: q.excludeId,
  });
  return {
    onCase: Number(row?.onCase ?? 0),
    toRecipient: Number(row?.toRecipient ?? 0),
    toDomain: Number(row?.toDomain ?? 0),
  };
}

/** The case of a message we received and filed on a case, named by one of `messageIds`. */
export async function findInboundCaseByMessageIds(
  db: Database,
  messageIds: string[],
): Promise<{ protocol: string } | undefined> {
  if (messageIds.length === 0) return undefined;
  const [row] = await db
    .select({ protocol: inboundEmails.protocol })
    .from(inboundEmails)
    .where(and(inArray(inboundEmails.messageId, messageIds), isNotNull(inboundEmails.protocol)))
    .orderBy(desc(inboundEmails.receivedAt))
    .limit(1);
  return row?.protocol ? { protocol: row.protocol } : undefined;
}

/** The case of an earlier message of the same Outlook conversation (Thread-Index key). */
export async function findInboundCaseByConversation(
  db: Database,
  key: string,
): Promise<{ protocol: string } | undefined> {
  const [row] = await db
    .select({ protocol: inboundEmails.protocol })
    .from(inboundEmails)
    .where(and(eq(inboundEmails.conversationKey, key), isNotNull(inboundEmails.protocol)))
    .orderBy(desc(inboundEmails.receivedAt))
    .limit(1);
  return row?.protocol ? { protocol: row.protocol } : undefined;
}

/** One inbound message; `{ raw: false }` leaves the raw bytes (up to INBOUND_MAX_BYTES) unread (`raw: null`). */
export async function getInbound(
  db: Database,
  id: string,
  opts: { raw?: boolean } = {},
): Promise<InboundRow | undefined> {
  if (opts.raw === false) {
    const { raw: _raw, ...columns } = getTableColumns(inboundEmails);
    const [row] = await db.select(columns).from(inboundEmails).where(eq(inboundEmails.id, id));
    return row ? { ...row, raw: null } : undefined;
  }
  const [row] = await db.select().from(inboundEmails).where(eq(inboundEmails.id, id));
  return row;
}

/** Sets the defined columns of `patch` on inbound message `id` (the text rendered once per set of columns). */
export async function updateInbound(db: Database, id: string, patch: Partial<NewInbound>) {
  const { keys, placeholders, filled } = placeholdersFor(patch);
  if (!keys.length) return;
  await preparedOnce(db, `inbound.update:${keys}`, () =>
    db
      .update(inboundEmails)
      .set(placeholders as Partial<NewInbound>)
      .where(eq(inboundEmails.id, sql.placeholder('whereId')))
      .prepare('inbound_update'),
  ).execute({ ...filled, whereId: id });
}

export async function listInboundByStatus(db: Database, status: InboundRow['status'], limit = 100) {
  return db
    .select({
      id: inboundEmails.id,
      messageId: inboundEmails.messageId,
      door: inboundEmails.door,
      receivedAt: inboundEmails.receivedAt,
      fromAddress: inboundEmails.fromAddress,
      subject: inboundEmails.subject,
      status: inboundEmails.status,
      error: inboundEmails.error,
      attempts: inboundEmails.attempts,
      protocol: inboundEmails.protocol,
      fromRole: inboundEmails.fromRole,
    })
    .from(inboundEmails)
    .where(eq(inboundEmails.status, status))
    .orderBy(desc(inboundEmails.receivedAt))
    .limit(limit);
}

export async function listInboundForCase(db: Database, protocol: string) {
  return db
    .select({
      id: inboundEmails.id,
      messageId: inboundEmails.messageId,
      door: inboundEmails.door,
      receivedAt: inboundEmails.receivedAt,
      status: inboundEmails.status,
      error: inboundEmails.error,
      classification: inboundEmails.classification,
      fromAddress: inboundEmails.fromAddress,
      fromRole: inboundEmails.fromRole,
      subject: inboundEmails.subject,
      inReplyTo: inboundEmails.inReplyTo,
      references: inboundEmails.references,
      threadedBy: inboundEmails.threadedBy,
      authResults: inboundEmails.authResults,
      replyText: inboundEmails.replyText,
      verification: inboundEmails.verification,
      conversationKey: inboundEmails.conversationKey,
      attachmentIds: inboundEmails.attachmentIds,
      actions: inboundEmails.actions,
      envelope: inboundEmails.envelope,
      size: inboundEmails.size,
    })
    .from(inboundEmails)
    .where(eq(inboundEmails.protocol, protocol))
    .orderBy(asc(inboundEmails.receivedAt));
}
