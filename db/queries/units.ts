// Organisational units (the internal areas cases are forwarded to).
import { asc, eq } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { units } from '../schema.ts';

export async function listUnits(db: Database) {
  return db.select().from(units).where(eq(units.active, true)).orderBy(asc(units.name));
}

export async function upsertUnit(db: Database, unit: { code: string; name: string; email?: string | null }) {
  await db
    .insert(units)
    .values(unit)
    .onConflictDoUpdate({ target: units.code, set: { name: unit.name, email: unit.email ?? null } });
}
