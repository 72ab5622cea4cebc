// Attachment metadata (the bytes live in the attachment store: disk under DATA_DIR, or S3).
import { asc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { attachments } from '../schema.ts';

export type AttachmentRow = typeof attachments.$inferSelect;

export async function insertAttachment(db: Database, row: typeof attachments.$inferInsert) {
  await db.insert(attachments).values(row);
}

export async function getAttachment(db: Database, id: string): Promise<AttachmentRow | undefined> {
  if (!/^[a-f0-9-]{36}$/.test(id)) return undefined;
  const [row] = await db.select().from(attachments).where(eq(attachments.id, id));
  return row;
}

export async function listAttachmentsForCase(db: Database, protocol: string) {
  return db
    .select()
    .from(attachments)
    .where(eq(attachments.protocol, protocol))
    .orderBy(asc(attachments.createdAt));
}

/** Links attachments saved before the case existed (e.g. a new case by e-mail) to its protocol. */
export async function setAttachmentsProtocol(db: Database, ids: string[], protocol: string) {
  if (ids.length === 0) return;
  await db.update(attachments).set({ protocol }).where(inArray(attachments.id, ids));
}

/** Attachments already kept from one inbound message (a replay reuses them instead of saving copies). */
export async function listAttachmentsForInbound(db: Database, inboundEmailId: string) {
  return db
    .select()
    .from(attachments)
    .where(eq(attachments.inboundEmailId, inboundEmailId))
    .orderBy(asc(attachments.createdAt));
}

/** Of `ids`, those that are not attachments of `protocol` (unknown, of another case, or not linked yet). */
export async function attachmentsNotOf(db: Database, protocol: string, ids: string[]): Promise<string[]> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return [];
  const valid = wanted.filter((id) => /^[a-f0-9-]{36}$/.test(id));
  const rows = valid.length
    ? await db
        .select({ id: attachments.id, protocol: attachments.protocol })
        .from(attachments)
        .where(inArray(attachments.id, valid))
    : [];
  const mine = new Set(rows.filter((r) => r.protocol === protocol).map((r) => r.id));
  return wanted.filter((id) => !mine.has(id));
}
