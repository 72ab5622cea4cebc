// Reads and writes of the users-and-access area (issue 10 item 1, item 9's audit list): staff users,
// account messages (invitations, password links), the audit list. better-auth owns passwords and
// sessions; these queries touch only the columns it leaves to us (role, unit, active) and revoke
// sessions by deleting their rows.
import { and, count, desc, eq, gte, ilike, inArray, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import {
  type AccountEmailKind,
  type AccountEmailStatus,
  accountEmails,
  attendantGroupMembers,
  auditLog,
  type Role,
  sessions,
  users,
} from '../schema.ts';
import { referenceDataChanged } from './reference-cache.ts';

export const staffRoleCodes = ['admin', 'ombudsman', 'attendant', 'unit'] as const satisfies readonly Role[];
export type StaffRole = (typeof staffRoleCodes)[number];

export type StaffUserRow = {
  id: string;
  name: string;
  email: string;
  role: Role;
  unitCode: string | null;
  active: boolean;
  twoFactorEnabled: boolean;
  /** false until the person set a password from the invitation */
  hasPassword: boolean;
  createdAt: Date;
};

const staffColumns = {
  id: users.id,
  name: users.name,
  email: users.email,
  role: users.role,
  unitCode: users.unitCode,
  active: users.active,
  twoFactorEnabled: sql<boolean>`coalesce(${users.twoFactorEnabled}, false)`,
  // written out: drizzle leaves columns unqualified inside a select, which would bind "id" to accounts
  hasPassword: sql<boolean>`exists (select 1 from "accounts" "a" where "a"."user_id" = "users"."id" and "a"."provider_id" = 'credential' and "a"."password" is not null)`,
  createdAt: users.createdAt,
};

/** Staff users (every role but citizen), by name; `q` matches name or e-mail, `active` filters. */
export async function listStaffUsers(
  db: Database,
  filter: { q?: string; role?: StaffRole; active?: boolean } = {},
): Promise<StaffUserRow[]> {
  const where: SQL[] = [inArray(users.role, filter.role ? [filter.role] : [...staffRoleCodes])];
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    where.push(or(ilike(users.name, like), ilike(users.email, like)) as SQL);
  }
  if (filter.active !== undefined) where.push(eq(users.active, filter.active));
  return db
    .select(staffColumns)
    .from(users)
    .where(and(...where))
    .orderBy(users.name, users.email);
}

export async function getStaffUser(db: Database, id: string): Promise<StaffUserRow | undefined> {
  const [row] = await db
    .select(staffColumns)
    .from(users)
    .where(and(eq(users.id, id), inArray(users.role, [...staffRoleCodes])));
  return row;
}

export type StaffUserPatch = { name?: string; role?: StaffRole; unitCode?: string | null; active?: boolean };

/** Updates the administered columns; deactivating also revokes every session of the user. */
export async function updateStaffUser(db: Database, id: string, patch: StaffUserPatch): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(users.id, id));
    if (patch.active === false) await tx.delete(sessions).where(eq(sessions.userId, id));
  });
  referenceDataChanged();
}

/** Number of active admins other than `exceptId` (the last active admin may not be demoted or deactivated). */
export async function countOtherActiveAdmins(db: Database, exceptId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.active, true), sql`${users.id} <> ${exceptId}`));
  return row?.n ?? 0;
}

/** Replaces the user's group memberships (attendant_group_members) with `codes`. */
export async function setUserGroups(db: Database, userId: string, codes: string[]): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(attendantGroupMembers).where(eq(attendantGroupMembers.userId, userId));
    if (codes.length)
      await tx.insert(attendantGroupMembers).values(codes.map((groupCode) => ({ groupCode, userId })));
  });
}

/** Group codes of the user, active or not (what the edit form shows checked). */
export async function userGroupCodes(db: Database, userId: string): Promise<string[]> {
  const rows = await db
    .select({ code: attendantGroupMembers.groupCode })
    .from(attendantGroupMembers)
    .where(eq(attendantGroupMembers.userId, userId));
  return rows.map((r) => r.code).sort();
}

// ---------- account messages ----------

export type AccountEmailRow = typeof accountEmails.$inferSelect;

export async function insertAccountEmail(
  db: Database,
  row: Omit<typeof accountEmails.$inferInsert, 'id' | 'status'>,
): Promise<string> {
  const id = crypto.randomUUID();
  await db.insert(accountEmails).values({ ...row, id, status: 'sending' });
  return id;
}

export async function finishAccountEmail(
  db: Database,
  id: string,
  outcome: { status: AccountEmailStatus; transport: string; error?: string | null },
): Promise<void> {
  await db
    .update(accountEmails)
    .set({
      status: outcome.status,
      transport: outcome.transport,
      error: outcome.error ?? null,
      sentAt: outcome.status === 'failed' ? null : new Date(),
    })
    .where(eq(accountEmails.id, id));
}

export async function listAccountEmails(
  db: Database,
  userId: string,
  limit = 20,
): Promise<AccountEmailRow[]> {
  return db
    .select()
    .from(accountEmails)
    .where(eq(accountEmails.userId, userId))
    .orderBy(desc(accountEmails.createdAt))
    .limit(limit);
}

export async function lastAccountEmail(
  db: Database,
  userId: string,
  kind: AccountEmailKind,
): Promise<AccountEmailRow | undefined> {
  const [row] = await db
    .select()
    .from(accountEmails)
    .where(and(eq(accountEmails.userId, userId), eq(accountEmails.kind, kind)))
    .orderBy(desc(accountEmails.createdAt))
    .limit(1);
  return row;
}

// ---------- audit list ----------

export type AuditFilter = {
  actor?: string;
  /** prefix of the action (`users.`) or an exact action */
  action?: string;
  /** data.entity */
  entity?: string;
  from?: Date;
  /** exclusive */
  to?: Date;
  /** keyset: entries strictly older than this (at, id) */
  before?: { at: Date; id: string };
  limit?: number;
};

export type AuditRow = typeof auditLog.$inferSelect;

/** Audit entries, newest first; `limit` + 1 are read so the caller knows whether there is a next page. */
export async function listAudit(db: Database, f: AuditFilter): Promise<{ rows: AuditRow[]; more: boolean }> {
  const where: SQL[] = [];
  if (f.actor) where.push(ilike(auditLog.actor, `%${f.actor.replace(/[\\%_]/g, (m) => `\\${m}`)}%`));
  if (f.action) where.push(or(eq(auditLog.action, f.action), ilike(auditLog.action, `${f.action}.%`)) as SQL);
  if (f.entity) where.push(sql`${auditLog.data}->>'entity' = ${f.entity}`);
  if (f.from) where.push(gte(auditLog.at, f.from));
  if (f.to) where.push(lt(auditLog.at, f.to));
  if (f.before)
    where.push(
      or(
        lt(auditLog.at, f.before.at),
        and(eq(auditLog.at, f.before.at), lt(auditLog.id, f.before.id)),
      ) as SQL,
    );
  const limit = f.limit ?? 50;
  const rows = await db
    .select()
    .from(auditLog)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(limit + 1);
  return { rows: rows.slice(0, limit), more: rows.length > limit };
}

/** Distinct entities named in the audit log (for the filter's choices). */
export async function auditEntities(db: Database): Promise<string[]> {
  const rows = await db
    .selectDistinct({ entity: sql<string>`${auditLog.data}->>'entity'` })
    .from(auditLog)
    .where(sql`${auditLog.data}->>'entity' is not null`);
  return rows
    .map((r) => r.entity)
    .filter(Boolean)
    .sort();
}

/** Failed sign-ins for an account since `since` (per-account throttling; api/auth/sign-in.ts). */
export async function countFailedSignIns(db: Database, email: string, since: Date): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.actor, email.toLowerCase()),
        inArray(auditLog.action, ['auth.signin.denied', 'auth.token.denied']),
        gte(auditLog.at, since),
      ),
    );
  return row?.n ?? 0;
}

/** Whether the account signed in successfully after `since` (a success resets the throttle). */
export async function lastSignInSuccess(db: Database, email: string): Promise<Date | null> {
  const [row] = await db
    .select({ at: auditLog.at })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.actor, email.toLowerCase()),
        inArray(auditLog.action, ['auth.signin.ok', 'auth.token.issued']),
      ),
    )
    .orderBy(desc(auditLog.at))
    .limit(1);
  return row?.at ?? null;
}
