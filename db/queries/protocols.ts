// Protocol numbers (OUV-YYYY-NNNNNN, one sequence per year) and citizen access codes.
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { accessCodes, protocolSequences } from '../schema.ts';

export async function nextProtocol(db: Database, year: number): Promise<string> {
  const [row] = await db
    .insert(protocolSequences)
    .values({ year, last: 1 })
    .onConflictDoUpdate({ target: protocolSequences.year, set: { last: sql`${protocolSequences.last} + 1` } })
    .returning({ last: protocolSequences.last });
  if (!row) throw new Error('protocol sequence did not return a value');
  return `OUV-${year}-${String(row.last).padStart(6, '0')}`;
}

export async function saveAccessCode(db: Database, protocol: string, codeHash: string): Promise<void> {
  await db.insert(accessCodes).values({ protocol, codeHash });
}

export async function findAccessCodeHash(db: Database, protocol: string): Promise<string | undefined> {
  const [row] = await db
    .select({ codeHash: accessCodes.codeHash })
    .from(accessCodes)
    .where(eq(accessCodes.protocol, protocol));
  return row?.codeHash;
}
