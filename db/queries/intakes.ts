// Filing attempts (issue 15.5): reserve a protocol with an intake row in one transaction, then mark it
// created (with the first receipt) or void (a recorded gap).
import { and, asc, eq, lt, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { type IntakeReceipt, intakes, protocolSequences } from '../schema.ts';
import { formatProtocol } from './protocols.ts';

export type Intake = typeof intakes.$inferSelect;

/** Thrown by reserveIntake when another request already holds the same idempotency key. */
export class IntakeKeyTaken extends Error {}

/**
 * Reserves the next protocol of `year` (OUV-YYYY-NNNNNN…, db/queries/protocols.ts) and records a `pending` intake for it, both or
 * neither (a crash before the workflow starts leaves a pending intake that reconciliation voids). A concurrent request with the same key makes it throw IntakeKeyTaken (and the
 * number is not consumed: the transaction rolls back).
 */
export async function reserveIntake(
  db: Database,
  opts: {
    year: number;
    idempotencyKey: string | null;
    fingerprint: string | null;
  },
): Promise<string> {
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(protocolSequences)
        .values({ year: opts.year, last: 1 })
        .onConflictDoUpdate({
          target: protocolSequences.year,
          set: { last: sql`${protocolSequences.last} + 1` },
        })
        .returning({ last: protocolSequences.last });
      if (!row) throw new Error('protocol sequence did not return a value');
      const protocol = formatProtocol(opts.year, row.last);
      await tx.insert(intakes).values({
        protocol,
        idempotencyKey: opts.idempotencyKey,
        fingerprint: opts.fingerprint,
      });
      return protocol;
    });
  } catch (err) {
    if (opts.idempotencyKey && uniqueViolation(err)) throw new IntakeKeyTaken();
    throw err;
  }
}

function uniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

export async function findIntakeByKey(db: Database, idempotencyKey: string): Promise<Intake | undefined> {
  const [row] = await db.select().from(intakes).where(eq(intakes.idempotencyKey, idempotencyKey));
  return row;
}

export async function markIntakeCreated(db: Database, protocol: string, receipt: IntakeReceipt) {
  await db
    .update(intakes)
    .set({ state: 'created', receipt, updatedAt: new Date() })
    .where(and(eq(intakes.protocol, protocol), eq(intakes.state, 'pending')));
}

/**
 * The workflow start failed for good: the number becomes a recorded gap. The idempotency key is released,
 * so a retry files anew.
 */
export async function voidIntake(db: Database, protocol: string, reason: string) {
  await db
    .update(intakes)
    .set({ state: 'void', voidReason: reason.slice(0, 500), idempotencyKey: null, updatedAt: new Date() })
    .where(and(eq(intakes.protocol, protocol), eq(intakes.state, 'pending')));
}

/** Pending intakes older than `before` (a start that timed out or crashed), oldest first. */
export async function stalePendingIntakes(db: Database, before: Date, limit = 100): Promise<Intake[]> {
  return db
    .select()
    .from(intakes)
    .where(and(eq(intakes.state, 'pending'), lt(intakes.createdAt, before)))
    .orderBy(asc(intakes.createdAt))
    .limit(limit);
}

/** Voided protocols (gaps in the numbering), newest first, for the staff "Falhas" page. */
export async function voidIntakes(db: Database, limit = 100): Promise<Intake[]> {
  return db
    .select()
    .from(intakes)
    .where(eq(intakes.state, 'void'))
    .orderBy(sql`${intakes.updatedAt} desc`)
    .limit(limit);
}
