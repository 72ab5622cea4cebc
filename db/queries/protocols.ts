// Citizen access codes (hashed). Protocol numbers are reserved with their intake: db/queries/intakes.ts.
import { eq } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { accessCodes } from '../schema.ts';

/** Saves the hash of a protocol's access code; a second save (a resumed filing) keeps the first. */
export async function saveAccessCode(db: Database, protocol: string, codeHash: string): Promise<void> {
  await db.insert(accessCodes).values({ protocol, codeHash }).onConflictDoNothing();
}

export async function findAccessCodeHash(db: Database, protocol: string): Promise<string | undefined> {
  const [row] = await db
    .select({ codeHash: accessCodes.codeHash })
    .from(accessCodes)
    .where(eq(accessCodes.protocol, protocol));
  return row?.codeHash;
}
