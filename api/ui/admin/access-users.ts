// Administração → Usuários (/painel/admin/usuarios): list and invite, one user's page (edit, groups,
// deactivate/reactivate, send the password link again, the access e-mails). Plain forms that redirect
// after success (303) and re-render with field messages on bad input (422); the use cases are the REST
// ones (api/admin/access/users-service.ts). Admin only (the shell's guard; not an ombudsman section).
import { type Context, Hono } from 'hono';
import { ZodError } from 'zod';
import { openLink } from '../../../activities/email/account-mail.ts';
import { listAccountEmails, listStaffUsers, staffRoleCodes } from '../../../db/queries/access.ts';
import { listGroups } from '../../../db/queries/catalogue.ts';
import { listUnits } from '../../../db/queries/units.ts';
import { inviteSchema, userPatchSchema } from '../../admin/access/schemas.ts';
import { editUser, inviteUser, loadUser, resendPasswordLink } from '../../admin/access/users-service.ts';
import { requireRole } from '../../auth/session.ts';
import { ApiError, type FieldErrors, notFound, toApiError, zodFieldErrors } from '../../errors.ts';
import { clientIp } from '../../rate-limit.ts';
import { hasControlChars } from '../../text.ts';
import type { AppEnv } from '../../types.ts';
import { render } from '../render.ts';
import { adminSections } from './sections.ts';

export const accessUserPages = new Hono<AppEnv>();

const flashes: Record<string, string> = {
  invited: 'access.invite.sent',
  saved: 'access.user.saved',
  deactivated: 'access.user.deactivated',
  reactivated: 'access.user.reactivated',
  link: 'access.user.linkSent',
};

/** 422 field errors of a zod or domain error; rethrows anything else. */
function formErrors(err: unknown): FieldErrors {
  if (err instanceof ZodError) return zodFieldErrors(err);
  const e = toApiError(err);
  if (e.status === 422 || e.status === 409) return e.fields ?? { _: [e.message] };
  throw err;
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');
const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(text).filter(Boolean);

async function choices(c: Context<AppEnv>) {
  const [units, groups] = await Promise.all([
    listUnits(c.var.deps.db),
    listGroups(c.var.deps.db, { activeOnly: true }),
  ]);
  return { units, groups, roles: staffRoleCodes };
}

async function renderList(
  c: Context<AppEnv>,
  invite: { values: Record<string, unknown>; errors: FieldErrors } = { values: {}, errors: {} },
  status: 200 | 422 = 200,
) {
  const raw = c.req.query('q')?.trim() ?? '';
  const q = hasControlChars(raw) ? '' : raw; // PostgreSQL refuses NUL; no name holds control characters
  const state = c.req.query('situacao') ?? '';
  const users = await listStaffUsers(c.var.deps.db, {
    q: q || undefined,
    active: state === 'ativos' ? true : state === 'desativados' ? false : undefined,
  });
  const flash = flashes[c.req.query('ok') ?? ''];
  return render(
    c,
    'admin/access-users',
    {
      title: 'access.users.title',
      adminSections,
      users,
      q,
      state,
      invite,
      flash: flash ?? null,
      flashEmail: c.req.query('email') ?? '',
      ...(await choices(c)),
    },
    status,
  );
}

accessUserPages.get('/painel/admin/usuarios', (c) => renderList(c));

accessUserPages.post('/painel/admin/usuarios', async (c) => {
  const actor = requireRole(c, ['admin']);
  const form = await c.req.parseBody({ all: true });
  const values = {
    name: text(form.name),
    email: text(form.email),
    role: text(form.role),
    unitCode: text(form.unitCode),
    groups: list(form.groups),
  };
  try {
    const input = inviteSchema.parse(values);
    const user = await inviteUser(c.var.deps, actor, clientIp(c), input);
    return c.redirect(
      `/painel/admin/usuarios/${encodeURIComponent(user.id)}?ok=invited&email=${encodeURIComponent(user.email)}`,
      303,
    );
  } catch (err) {
    return renderList(c, { values, errors: formErrors(err) }, 422);
  }
});

async function renderUser(
  c: Context<AppEnv>,
  id: string,
  edit?: { values: Record<string, unknown>; errors: FieldErrors },
  status: 200 | 422 = 200,
) {
  const user = await loadUser(c.var.deps, id);
  if (!user) throw notFound('Usuário não encontrado');
  const mails = await listAccountEmails(c.var.deps.db, id);
  const now = Date.now();
  const secret = c.var.deps.secret;
  // the link of an invitation that never left the server (mail log only) is shown to admins while valid,
  // so they can hand it over; a reset link never is (it would let an admin take over a working account)
  const presented = mails.map((m) => ({
    ...m,
    expired: m.linkExpiresAt.getTime() < now,
    link:
      m.kind === 'invitation' &&
      m.transport === 'log' &&
      m.linkExpiresAt.getTime() >= now &&
      c.var.user?.role === 'admin'
        ? safeOpen(secret, m.sealedLink)
        : null,
  }));
  const flash = flashes[c.req.query('ok') ?? ''] ?? null;
  return render(
    c,
    'admin/access-user',
    {
      title: 'access.user.title',
      adminSections,
      target: user,
      mails: presented,
      edit: edit ?? { values: user, errors: {} },
      flash,
      flashEmail: c.req.query('email') ?? user.email,
      ...(await choices(c)),
    },
    status,
  );
}

function safeOpen(secret: string, sealed: string): string | null {
  try {
    return openLink(secret, sealed);
  } catch {
    return null; // sealed with another secret (AUTH_SECRET rotated)
  }
}

accessUserPages.get('/painel/admin/usuarios/:id', (c) => renderUser(c, c.req.param('id')));

accessUserPages.post('/painel/admin/usuarios/:id', async (c) => {
  const actor = requireRole(c, ['admin']);
  const id = c.req.param('id');
  const form = await c.req.parseBody({ all: true });
  const values = {
    name: text(form.name),
    role: text(form.role),
    unitCode: text(form.unitCode),
    groups: list(form.groups),
  };
  try {
    await editUser(c.var.deps, actor, clientIp(c), id, userPatchSchema.parse(values));
    return c.redirect(`/painel/admin/usuarios/${encodeURIComponent(id)}?ok=saved`, 303);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) throw err;
    return renderUser(c, id, { values, errors: formErrors(err) }, 422);
  }
});

for (const [path, active, ok] of [
  ['desativar', false, 'deactivated'],
  ['reativar', true, 'reactivated'],
] as const) {
  accessUserPages.post(`/painel/admin/usuarios/:id/${path}`, async (c) => {
    const actor = requireRole(c, ['admin']);
    const id = c.req.param('id');
    try {
      await editUser(c.var.deps, actor, clientIp(c), id, { active });
      return c.redirect(`/painel/admin/usuarios/${encodeURIComponent(id)}?ok=${ok}`, 303);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) throw err;
      const errors = formErrors(err);
      const user = await loadUser(c.var.deps, id);
      return renderUser(c, id, { values: user ?? {}, errors }, 422);
    }
  });
}

accessUserPages.post('/painel/admin/usuarios/:id/link', async (c) => {
  const actor = requireRole(c, ['admin']);
  const id = c.req.param('id');
  await resendPasswordLink(c.var.deps, actor, clientIp(c), id);
  return c.redirect(`/painel/admin/usuarios/${encodeURIComponent(id)}?ok=link`, 303);
});
