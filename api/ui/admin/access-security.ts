// Administração → Regras de segurança (/painel/admin/seguranca): the security.* settings (password
// policy, session lifetime, per-account sign-in throttling, two-factor) through the settings store
// (db/queries/settings.ts validates, stores and audits before → after). Admin only.
import { type Context, Hono } from 'hono';
import { ZodError } from 'zod';
import { securitySettingsShape } from '../../../config/security-settings.ts';
import type { Settings } from '../../../config/settings.ts';
import { readSettings, writeSettings } from '../../../db/queries/settings.ts';
import { requireRole } from '../../auth/session.ts';
import { type FieldErrors, zodFieldErrors } from '../../errors.ts';
import { clientIp } from '../../rate-limit.ts';
import type { AppEnv } from '../../types.ts';
import { render } from '../render.ts';
import { adminSections } from './sections.ts';

export const accessSecurityPages = new Hono<AppEnv>();

type SecurityKey = keyof typeof securitySettingsShape;
const keys = Object.keys(securitySettingsShape) as SecurityKey[];
const flags: SecurityKey[] = ['security.passwordRequireMixed', 'security.twoFactor'];

async function renderSecurity(
  c: Context<AppEnv>,
  values: Record<string, unknown> | null,
  errors: FieldErrors,
  status: 200 | 422 = 200,
) {
  const current = await readSettings(c.var.deps.db);
  return render(
    c,
    'admin/access-security',
    {
      title: 'access.security.title',
      adminSections,
      keys,
      flags,
      values: values ?? Object.fromEntries(keys.map((k) => [k, current[k]])),
      errors,
      saved: c.req.query('ok') === 'saved',
    },
    status,
  );
}

accessSecurityPages.get('/painel/admin/seguranca', (c) => renderSecurity(c, null, {}));

accessSecurityPages.post('/painel/admin/seguranca', async (c) => {
  const actor = requireRole(c, ['admin']);
  const form = await c.req.parseBody();
  const patch: Record<string, unknown> = {};
  for (const key of keys) {
    if (flags.includes(key)) patch[key] = form[key] === 'on';
    else {
      const raw = typeof form[key] === 'string' ? (form[key] as string).trim() : '';
      patch[key] = raw === '' ? Number.NaN : Number(raw);
    }
  }
  try {
    await writeSettings(c.var.deps.db, { id: actor.email, ip: clientIp(c) }, patch as Partial<Settings>);
  } catch (err) {
    if (!(err instanceof ZodError)) throw err;
    const shown = Object.fromEntries(
      keys.map((k) => [k, flags.includes(k) ? patch[k] : typeof form[k] === 'string' ? form[k] : '']),
    );
    return renderSecurity(c, shown, zodFieldErrors(err), 422);
  }
  return c.redirect('/painel/admin/seguranca?ok=saved', 303);
});
