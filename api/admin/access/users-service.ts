// Use cases of the users admin (REST and pages call these): invite, edit, (de)activate, send a password
// link again. Every change is audited with { entity: 'user', id, before, after }.
import { eq } from 'drizzle-orm';
import {
  countOtherActiveAdmins,
  getStaffUser,
  type StaffRole,
  type StaffUserRow,
  setUserGroups,
  updateStaffUser,
  userGroupCodes,
} from '../../../db/queries/access.ts';
import { listGroups } from '../../../db/queries/catalogue.ts';
import { referenceDataChanged } from '../../../db/queries/reference-cache.ts';
import { listUnits } from '../../../db/queries/units.ts';
import { audit, findUserByEmail, setUserRole } from '../../../db/queries/users.ts';
import { users } from '../../../db/schema.ts';
import type { StaffUser } from '../../auth/session.ts';
import { ApiError, type FieldErrors, notFound } from '../../errors.ts';
import type { AppDeps } from '../../types.ts';
import type { InviteInput, UserPatchInput } from './schemas.ts';

const invalid = (fields: FieldErrors) => new ApiError(422, 'invalid_body', 'Dados inválidos', fields);

/** A staff user with the codes of the attendant groups they belong to. */
export type StaffUserWithGroups = StaffUserRow & { groups: string[] };

export async function loadUser(deps: AppDeps, id: string): Promise<StaffUserWithGroups | undefined> {
  const row = await getStaffUser(deps.db, id);
  return row && { ...row, groups: await userGroupCodes(deps.db, id) };
}

/** What the audit keeps of a user (no secrets). */
export const auditedUser = (u: StaffUserWithGroups) => ({
  name: u.name,
  email: u.email,
  role: u.role,
  unitCode: u.unitCode,
  groups: u.groups,
  active: u.active,
});

export const presentUser = (u: StaffUserRow & { groups?: string[] }) => ({
  id: u.id,
  name: u.name,
  email: u.email,
  role: u.role,
  unitCode: u.unitCode,
  groups: u.groups ?? [],
  active: u.active,
  twoFactorEnabled: u.twoFactorEnabled,
  invitationPending: !u.hasPassword,
  createdAt: u.createdAt.toISOString(),
});

async function checkGroups(deps: AppDeps, codes: string[] | undefined) {
  if (!codes?.length) return;
  const known = new Set((await listGroups(deps.db)).map((g) => g.code));
  const unknown = codes.filter((c) => !known.has(c));
  if (unknown.length) throw invalid({ groups: [`Grupo desconhecido: ${unknown.join(', ')}.`] });
}

async function checkUnit(deps: AppDeps, unitCode: string | null | undefined) {
  if (!unitCode) return;
  const known = await listUnits(deps.db);
  if (!known.some((u) => u.code === unitCode)) throw invalid({ unitCode: ['Unidade desconhecida.'] });
}

/**
 * Creates the account (no password) and mails the invitation through better-auth's reset-password flow
 * (api/admin/access/account-mail.ts sends it). 422 when the e-mail is taken or the unit is unknown.
 */
export async function inviteUser(
  deps: AppDeps,
  actor: StaffUser,
  ip: string | null,
  input: InviteInput,
): Promise<StaffUserWithGroups> {
  if (await findUserByEmail(deps.db, input.email))
    throw invalid({ email: ['Já existe um usuário com este e-mail.'] });
  await checkUnit(deps, input.unitCode);
  await checkGroups(deps, input.groups);
  const ctx = await deps.auth.$context;
  const created = await ctx.internalAdapter.createUser(
    {
      email: input.email,
      name: input.name,
      emailVerified: false,
    },
    { method: 'admin' },
  );
  await setUserRole(deps.db, created.id, input.role, input.unitCode ?? null);
  if (input.groups?.length) await setUserGroups(deps.db, created.id, input.groups);
  const user = (await loadUser(deps, created.id)) as StaffUserWithGroups;
  try {
    await sendPasswordLink(deps, user);
  } catch (err) {
    // better-auth refused the address (its own e-mail check): nothing stays behind
    await deps.db.delete(users).where(eq(users.id, created.id));
    referenceDataChanged();
    if ((err as { body?: { code?: string } } | null)?.body) throw invalid({ email: ['E-mail inválido.'] });
    throw err;
  }
  await audit(deps.db, {
    actor: actor.email,
    action: 'users.invited',
    ip,
    data: { entity: 'user', id: user.id, before: null, after: auditedUser(user) },
  });
  return user;
}

/** Mails an invitation (no password yet) or a reset link (better-auth request-password-reset). */
export async function sendPasswordLink(deps: AppDeps, user: Pick<StaffUserRow, 'email'>): Promise<void> {
  await deps.auth.api.requestPasswordReset({ body: { email: user.email } });
}

/**
 * Edits name, role, unit, active. Refuses (422) leaving no active admin, an admin deactivating or demoting
 * themselves, a unit user without a unit. Deactivation revokes every session (sign-in is refused from
 * then on by the session hook in api/auth/auth.ts); the user's name stays on the cases.
 */
export async function editUser(
  deps: AppDeps,
  actor: StaffUser,
  ip: string | null,
  id: string,
  patch: UserPatchInput,
): Promise<StaffUserWithGroups> {
  const before = await loadUser(deps, id);
  if (!before) throw notFound('Usuário não encontrado');
  const role = (patch.role ?? before.role) as StaffRole;
  const unitCode = patch.unitCode !== undefined ? patch.unitCode : before.unitCode;
  const active = patch.active ?? before.active;
  const fields: FieldErrors = {};
  if (role === 'unit' && !unitCode) fields.unitCode = ['Um usuário de unidade precisa de uma unidade.'];
  if (id === actor.id && !active) fields.active = ['Você não pode desativar a sua própria conta.'];
  if (id === actor.id && role !== 'admin')
    fields.role = ['Você não pode tirar de si o perfil de administração.'];
  if (before.role === 'admin' && before.active && (role !== 'admin' || !active)) {
    if ((await countOtherActiveAdmins(deps.db, id)) === 0)
      fields[role !== 'admin' ? 'role' : 'active'] ??= [
        'É preciso manter pelo menos um administrador ativo.',
      ];
  }
  if (Object.keys(fields).length) throw invalid(fields);
  if (patch.unitCode !== undefined && patch.unitCode !== before.unitCode) await checkUnit(deps, unitCode);
  await checkGroups(deps, patch.groups);
  await updateStaffUser(deps.db, id, {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    role,
    unitCode,
    active,
  });
  if (patch.groups) await setUserGroups(deps.db, id, [...new Set(patch.groups)].sort());
  const after = (await loadUser(deps, id)) as StaffUserWithGroups;
  const action =
    before.active && !after.active
      ? 'users.deactivated'
      : !before.active && after.active
        ? 'users.reactivated'
        : 'users.updated';
  const changed = JSON.stringify(auditedUser(before)) !== JSON.stringify(auditedUser(after));
  if (changed)
    await audit(deps.db, {
      actor: actor.email,
      action,
      ip,
      data: { entity: 'user', id, before: auditedUser(before), after: auditedUser(after) },
    });
  return after;
}

/** Audited "password link sent again" (invitation or reset) by an admin. */
export async function resendPasswordLink(
  deps: AppDeps,
  actor: StaffUser,
  ip: string | null,
  id: string,
): Promise<StaffUserRow> {
  const user = await getStaffUser(deps.db, id);
  if (!user) throw notFound('Usuário não encontrado');
  if (!user.active)
    throw new ApiError(409, 'user_inactive', 'Reative o usuário antes de enviar um link de senha.');
  await sendPasswordLink(deps, user);
  await audit(deps.db, {
    actor: actor.email,
    action: user.hasPassword ? 'users.password_link_sent' : 'users.invitation_resent',
    ip,
    data: { entity: 'user', id, before: null, after: null },
  });
  return user;
}
