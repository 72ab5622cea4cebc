// Staff and citizen accounts (rows created through better-auth's adapter; roles live on users.role).
import { and, asc, count, eq, inArray } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { auditLog, type Role, users } from '../schema.ts';
import { referenceDataChanged } from './reference-cache.ts';

export async function countUsers(db: Database): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return row?.n ?? 0;
}

export async function findUserByEmail(db: Database, email: string) {
  const [row] = await db.select().from(users).where(eq(users.email, email.toLowerCase()));
  return row;
}

/**
 * Staff of `roles`, by name. `activeOnly`: leave out deactivated users (pickers for new work); the
 * default keeps them, so their names and addresses on old cases are still recognised as staff.
 */
export async function listStaff(
  db: Database,
  roles: Role[] = ['admin', 'ombudsman', 'attendant'],
  opts: { activeOnly?: boolean } = {},
) {
  return db
    .select({ email: users.email, name: users.name, role: users.role })
    .from(users)
    .where(and(inArray(users.role, roles), opts.activeOnly ? eq(users.active, true) : undefined))
    .orderBy(asc(users.name));
}

export async function setUserRole(db: Database, userId: string, role: Role, unitCode?: string | null) {
  await db
    .update(users)
    .set({ role, unitCode: unitCode ?? null })
    .where(eq(users.id, userId));
  referenceDataChanged(); // the staff e-mail addresses (api/manifestations/present.ts)
}

export async function audit(
  db: Database,
  entry: { actor: string | null; action: string; ip?: string | null; data?: Record<string, unknown> },
) {
  await db.insert(auditLog).values({
    id: crypto.randomUUID(),
    actor: entry.actor,
    action: entry.action,
    ip: entry.ip ?? null,
    data: entry.data ?? {},
  });
}
