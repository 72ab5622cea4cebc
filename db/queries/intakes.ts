// Filing attempts (issue 15.5): reserve a protocol with an intake row in one transaction, then mark it
// created (with the first receipt) or void (a recorded gap).
import { and, asc, eq, lt, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { type IntakeReceipt, intakes, protocolSequences } from '../schema.ts';
import { formatProtocol } from './protocols.ts';
import { executeCached } from './statement-cache.ts';

export type Intake = typeof intakes.$inferSelect;

/** Thrown by reserveIntake when another request already holds the same idempotency key. */
export class IntakeKeyTaken extends Error {}

/**
 * Reserves the next protocol of `year` (OUV-YYYY-NNNNNN…, db/queries/protocols.ts) and records a `pending`
 * intake for it, both or neither (a crash before the workflow starts leaves a pending intake that
 * reconciliation voids). One statement (issue 14: one round trip instead of a transaction of four): the
 * sequence bump is a data-modifying CTE of the intake insert, so a concurrent request with the same key
 * fails the whole statement with IntakeKeyTaken and the number is not consumed. The number is formatted in
 * SQL exactly as formatProtocol does, and checked against it.
 */
export async function reserveIntake(
  db: Database,
  opts: {
    year: number;
    idempotencyKey: string | null;
    fingerprint: string | null;
  },
): Promise<string> {
  let rows: Array<Record<string, unknown>>;
  try {
    // rendered once (statement-cache.ts): drizzle rendered it on every filing, on the loaded main thread
    rows = await executeCached(
      db,
      'intake.reserve',
      sql`
      with seq as (
        insert into ${protocolSequences} (year, last) values (${opts.year}, 1)
        on conflict (year) do update set last = ${protocolSequences}.last + 1
        returning last
      )
      insert into ${intakes} (protocol, idempotency_key, fingerprint)
      select 'OUV-' || ${String(opts.year)} || '-' ||
               case when seq.last < 1000000 then lpad(seq.last::text, 6, '0') else seq.last::text end,
             ${opts.idempotencyKey}, ${opts.fingerprint}
      from seq
      returning protocol, (select last from seq) as last`,
    );
  } catch (err) {
    if (opts.idempotencyKey && uniqueViolation(err)) throw new IntakeKeyTaken();
    throw err;
  }
  const row = rows[0] as { protocol: string; last: number } | undefined;
  if (!row) throw new Error('protocol sequence did not return a value');
  if (row.protocol !== formatProtocol(opts.year, Number(row.last)))
    throw new Error(`protocol ${row.protocol} does not match sequence ${row.last} of ${opts.year}`);
  return row.protocol;
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

/** Marks a `pending` intake `created` with the first receipt (a settled intake is left as it is). */
export async function markIntakeCreated(db: Database, protocol: string, receipt: IntakeReceipt) {
  await intakeCreated(db, protocol, receipt);
}

/** The statement of markIntakeCreated, unsent: the filing runs it with the case's early row (one statement). */
export function intakeCreated(db: Database, protocol: string, receipt: IntakeReceipt) {
  return db
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
