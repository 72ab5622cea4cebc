// Pages without a session: the TOTP step of a sign-in (/entrar/codigo, after the password when the user
// enrolled two-factor), "esqueci minha senha" (/entrar/esqueci) and the page of the mailed one-time
// link (/definir-senha/:token) where an invited person, or one who asked for a reset, sets the password
// (better-auth reset-password: the token is single use and expires after 3 days).
import { and, eq, gt } from 'drizzle-orm';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { getStaffUser } from '../../db/queries/access.ts';
import { readSettings } from '../../db/queries/settings.ts';
import { audit, findUserByEmail } from '../../db/queries/users.ts';
import { users, verifications } from '../../db/schema.ts';
import { passwordProblems, passwordRuleText } from '../auth/policy.ts';
import type { FieldErrors } from '../errors.ts';
import { clientIp, limit } from '../rate-limit.ts';
import type { AppEnv } from '../types.ts';
import { render } from './render.ts';

export const staffAccountPublicPages = new Hono<AppEnv>();

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const apiErrorCode = (err: unknown) => (err as { body?: { code?: string } } | null)?.body?.code;

// ---------- TOTP step of the sign-in ----------

staffAccountPublicPages.get('/entrar/codigo', (c) =>
  render(c, 'signin-code', { title: 'access.code.title', error: null }),
);

staffAccountPublicPages.post('/entrar/codigo', limit('signin-code', 10), async (c) => {
  const code = str((await c.req.parseBody()).code).replace(/\s/g, '');
  let failure: string | undefined;
  const result = /^\d{6}$/.test(code)
    ? await c.var.deps.auth.api
        .verifyTOTP({ body: { code }, headers: c.req.raw.headers, returnHeaders: true })
        .catch((err: unknown) => {
          failure = apiErrorCode(err) ?? 'ERROR';
          if (!apiErrorCode(err)) throw err;
          return null;
        })
    : null;
  if (!result) {
    const expired = failure === 'INVALID_TWO_FACTOR_COOKIE' || failure?.startsWith('TOO_MANY');
    await audit(c.var.deps.db, { actor: null, action: 'auth.signin.code_denied', ip: clientIp(c) });
    return render(
      c,
      'signin-code',
      { title: 'access.code.title', error: expired ? 'access.code.expired' : 'access.code.invalid' },
      422,
    );
  }
  for (const cookie of result.headers.getSetCookie()) c.header('Set-Cookie', cookie, { append: true });
  const body = result.response as { user?: { email?: string } };
  await audit(c.var.deps.db, {
    actor: body.user?.email ?? null,
    action: 'auth.signin.ok',
    ip: clientIp(c),
    data: { method: 'totp' },
  });
  return c.redirect('/painel', 303);
});

// ---------- forgotten password ----------

staffAccountPublicPages.get('/entrar/esqueci', (c) =>
  render(c, 'forgot-password', { title: 'access.forgot.title', sent: false, email: '' }),
);

staffAccountPublicPages.post('/entrar/esqueci', limit('forgot-password', 5), async (c) => {
  const email = str((await c.req.parseBody()).email)
    .trim()
    .toLowerCase();
  const valid = z.email().safeParse(email).success; // (control characters never reach the database)
  const user = valid ? await findUserByEmail(c.var.deps.db, email) : undefined;
  // only active staff accounts; the answer is the same either way (no account discovery)
  const staffUser = user ? await getStaffUser(c.var.deps.db, user.id) : undefined;
  if (staffUser?.active) {
    await c.var.deps.auth.api.requestPasswordReset({ body: { email } });
    await audit(c.var.deps.db, {
      actor: email,
      action: 'account.password_reset_requested',
      ip: clientIp(c),
      data: { entity: 'user', id: staffUser.id, before: null, after: null },
    });
  }
  return render(c, 'forgot-password', { title: 'access.forgot.title', sent: true, email: '' });
});

// ---------- set a password from the mailed link ----------

/** The active user a valid (unused, unexpired) reset token belongs to, or null. */
async function tokenOwner(c: Context<AppEnv>, token: string) {
  if (!/^[A-Za-z0-9_-]{8,128}$/.test(token)) return null;
  const [row] = await c.var.deps.db
    .select({ userId: verifications.value })
    .from(verifications)
    .where(
      and(eq(verifications.identifier, `reset-password:${token}`), gt(verifications.expiresAt, new Date())),
    );
  if (!row) return null;
  const [user] = await c.var.deps.db
    .select({ id: users.id, email: users.email, name: users.name, active: users.active })
    .from(users)
    .where(eq(users.id, row.userId));
  return user?.active ? user : null;
}

async function renderSetPassword(
  c: Context<AppEnv>,
  token: string,
  owner: { email: string; name: string } | null,
  errors: FieldErrors = {},
  status: 200 | 410 | 422 = 200,
) {
  const settings = await readSettings(c.var.deps.db);
  return render(
    c,
    'set-password',
    { title: 'access.setpw.title', token, owner, errors, rule: passwordRuleText(settings) },
    owner ? status : 410,
  );
}

staffAccountPublicPages.get('/definir-senha/:token', async (c) => {
  const token = c.req.param('token');
  return renderSetPassword(c, token, await tokenOwner(c, token));
});

staffAccountPublicPages.post('/definir-senha/:token', limit('set-password', 10), async (c) => {
  const token = c.req.param('token');
  const owner = await tokenOwner(c, token);
  if (!owner) return renderSetPassword(c, token, null);
  const form = await c.req.parseBody();
  const password = str(form.password);
  const errors: FieldErrors = {};
  const problems = passwordProblems(await readSettings(c.var.deps.db), password);
  if (problems.length) errors.password = problems;
  else if (password !== str(form.confirmPassword)) errors.confirmPassword = ['As senhas não coincidem.'];
  if (Object.keys(errors).length) return renderSetPassword(c, token, owner, errors, 422);
  const ok = await c.var.deps.auth.api
    .resetPassword({ body: { newPassword: password, token } })
    .then(() => true)
    .catch((err: unknown) => {
      if (apiErrorCode(err)) return false;
      throw err;
    });
  if (!ok) return renderSetPassword(c, token, null);
  await c.var.deps.db.update(users).set({ emailVerified: true }).where(eq(users.id, owner.id));
  await audit(c.var.deps.db, {
    actor: owner.email,
    action: 'account.password_set',
    ip: clientIp(c),
    data: { entity: 'user', id: owner.id, before: null, after: null },
  });
  return c.redirect('/entrar?senha=definida', 303);
});
