// Minha conta (/painel/conta) for every staff user: own password change, two-factor enrolment (TOTP,
// better-auth twoFactor plugin) and its removal. Password policy: api/auth/policy.ts. Every change is
// audited. The pages that finish a sign-in or set a password without a session are in
// api/ui/staff-account-public.ts.
import { type Context, Hono } from 'hono';
import QRCode from 'qrcode';
import { readSettings } from '../../db/queries/settings.ts';
import { audit } from '../../db/queries/users.ts';
import { passwordProblems, passwordRuleText } from '../auth/policy.ts';
import { requireRole, type StaffUser } from '../auth/session.ts';
import type { FieldErrors } from '../errors.ts';
import { clientIp } from '../rate-limit.ts';
import type { AppEnv } from '../types.ts';
import { render } from './render.ts';

export const staffAccountPages = new Hono<AppEnv>();

const apiErrorCode = (err: unknown) => (err as { body?: { code?: string } } | null)?.body?.code;
const str = (v: unknown) => (typeof v === 'string' ? v : '');

type Enrolment = { uri: string; secret: string; qr: string; backupCodes: string[] };

async function enrolmentOf(uri: string, backupCodes: string[]): Promise<Enrolment | null> {
  if (!/^otpauth:\/\/totp\/[^\s]+$/.test(uri)) return null;
  const secret = new URL(uri).searchParams.get('secret') ?? '';
  const qr = await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return { uri, secret, qr, backupCodes };
}

async function renderAccount(
  c: Context<AppEnv>,
  user: StaffUser,
  extra: {
    errors?: FieldErrors;
    enrol?: Enrolment | null;
    notice?: string | null;
    status?: 200 | 422;
  } = {},
) {
  const settings = await readSettings(c.var.deps.db);
  const required = settings['security.twoFactor'] && user.role === 'admin';
  return render(
    c,
    'staff-account',
    {
      title: 'access.account.title',
      errors: extra.errors ?? {},
      enrol: extra.enrol ?? null,
      notice: extra.notice ?? c.req.query('ok') ?? null,
      rule: passwordRuleText(settings),
      twoFactorOn: settings['security.twoFactor'],
      twoFactorRequired: required,
      mustEnrol: required && !user.twoFactorEnabled,
      twoFactorEnabled: !!user.twoFactorEnabled,
    },
    extra.status ?? 200,
  );
}

function staff(c: Context<AppEnv>) {
  if (!c.var.user) return null;
  return requireRole(c);
}

staffAccountPages.get('/painel/conta', async (c) => {
  const user = staff(c);
  if (!user) return c.redirect('/entrar', 303);
  return renderAccount(c, user);
});

const forward = (c: Context<AppEnv>, headers: Headers | undefined) => {
  for (const cookie of headers?.getSetCookie() ?? []) c.header('Set-Cookie', cookie, { append: true });
};

staffAccountPages.post('/painel/conta/senha', async (c) => {
  const user = requireRole(c);
  const form = await c.req.parseBody();
  const current = str(form.currentPassword);
  const next = str(form.newPassword);
  const errors: FieldErrors = {};
  if (!current) errors.currentPassword = ['Informe a senha atual.'];
  const problems = passwordProblems(await readSettings(c.var.deps.db), next);
  if (problems.length) errors.newPassword = problems;
  else if (next !== str(form.confirmPassword)) errors.confirmPassword = ['As senhas não coincidem.'];
  if (Object.keys(errors).length) return renderAccount(c, user, { errors, status: 422 });
  const result = await c.var.deps.auth.api
    .changePassword({
      body: { currentPassword: current, newPassword: next, revokeOtherSessions: true },
      headers: c.req.raw.headers,
      returnHeaders: true,
    })
    .catch((err: unknown) => {
      if (apiErrorCode(err) === 'INVALID_PASSWORD') return null;
      throw err;
    });
  if (!result)
    return renderAccount(c, user, {
      errors: { currentPassword: ['A senha atual não confere.'] },
      status: 422,
    });
  forward(c, result.headers);
  await audit(c.var.deps.db, {
    actor: user.email,
    action: 'account.password_changed',
    ip: clientIp(c),
    data: { entity: 'user', id: user.id, before: null, after: null },
  });
  return c.redirect('/painel/conta?ok=password', 303);
});

staffAccountPages.post('/painel/conta/dois-fatores', async (c) => {
  const user = requireRole(c);
  const settings = await readSettings(c.var.deps.db);
  if (!settings['security.twoFactor']) return renderAccount(c, user, { status: 422 });
  const password = str((await c.req.parseBody()).password);
  const result = await c.var.deps.auth.api
    .enableTwoFactor({ body: { password }, headers: c.req.raw.headers })
    .catch((err: unknown) => {
      if (apiErrorCode(err) === 'INVALID_PASSWORD') return null;
      throw err;
    });
  if (!result || !('totpURI' in result))
    return renderAccount(c, user, { errors: { password: ['A senha não confere.'] }, status: 422 });
  return renderAccount(c, user, { enrol: await enrolmentOf(result.totpURI, result.backupCodes) });
});

staffAccountPages.post('/painel/conta/dois-fatores/confirmar', async (c) => {
  const user = requireRole(c);
  const form = await c.req.parseBody();
  const code = str(form.code).replace(/\s/g, '');
  const enrol = await enrolmentOf(str(form.uri), str(form.backupCodes).split(/\s+/).filter(Boolean));
  const refuse = () =>
    renderAccount(c, user, {
      enrol,
      errors: { code: ['Código inválido. Confira o horário do celular e tente de novo.'] },
      status: 422,
    });
  if (!/^\d{6}$/.test(code)) return refuse();
  const result = await c.var.deps.auth.api
    .verifyTOTP({ body: { code }, headers: c.req.raw.headers, returnHeaders: true })
    .catch((err: unknown) => {
      if (apiErrorCode(err)) return null;
      throw err;
    });
  if (!result) return refuse();
  forward(c, result.headers);
  await audit(c.var.deps.db, {
    actor: user.email,
    action: 'account.two_factor_enabled',
    ip: clientIp(c),
    data: { entity: 'user', id: user.id, before: { twoFactor: false }, after: { twoFactor: true } },
  });
  return c.redirect('/painel/conta?ok=twofa', 303);
});

staffAccountPages.post('/painel/conta/dois-fatores/desativar', async (c) => {
  const user = requireRole(c);
  const settings = await readSettings(c.var.deps.db);
  if (settings['security.twoFactor'] && user.role === 'admin')
    return renderAccount(c, user, {
      errors: { disable: ['Administradores não podem desativá-la enquanto as regras a exigirem.'] },
      status: 422,
    });
  const password = str((await c.req.parseBody()).password);
  const result = await c.var.deps.auth.api
    .disableTwoFactor({ body: { password }, headers: c.req.raw.headers, returnHeaders: true })
    .catch((err: unknown) => {
      if (apiErrorCode(err) === 'INVALID_PASSWORD') return null;
      throw err;
    });
  if (!result) return renderAccount(c, user, { errors: { disable: ['A senha não confere.'] }, status: 422 });
  forward(c, result.headers);
  await audit(c.var.deps.db, {
    actor: user.email,
    action: 'account.two_factor_disabled',
    ip: clientIp(c),
    data: { entity: 'user', id: user.id, before: { twoFactor: true }, after: { twoFactor: false } },
  });
  return c.redirect('/painel/conta?ok=twofaoff', 303);
});
