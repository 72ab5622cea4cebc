// The reporter of a case as the read model holds it: who may reply to it by e-mail, and what the
// disclosure policy and a late reply's new case need to know of it.
import { eq, inArray } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { manifestations } from '../schema.ts';

/** The citizen's e-mail of a case; null when it has none, undefined when the case is unknown. */
export async function caseCitizenEmail(db: Database, protocol: string): Promise<string | null | undefined> {
  const [row] = await db
    .select({ email: manifestations.citizenEmail, identity: manifestations.identity })
    .from(manifestations)
    .where(eq(manifestations.protocol, protocol));
  if (!row) return undefined;
  return row.email;
}

/**
 * The reporter of each listed case as the read model holds it (`identity`, `kind`, `citizen`): what the
 * disclosure policy needs to present a message of that case to a staff viewer, and what a late reply's new
 * case carries over from a concluded one. Kept for good, unlike a workflow past Temporal's retention.
 * Unknown protocols are absent.
 */
export async function caseReporters(db: Database, protocols: string[]) {
  if (protocols.length === 0) return [];
  return db
    .select({
      protocol: manifestations.protocol,
      identity: manifestations.identity,
      kind: manifestations.kind,
      citizen: manifestations.citizen,
    })
    .from(manifestations)
    .where(inArray(manifestations.protocol, protocols));
}
