// Administração pages of the parameters area: Regras gerais (/painel/admin/geral), Prazos e calendários
// (/painel/admin/prazos, params-deadlines.ts) and E-mails (/painel/admin/emails, params-emails.ts). Plain
// forms (POST → 303, or 422 with the form re-rendered); htmx swaps the card in place. The admin shell
// (routes.ts) guards every route: admin writes, the ombudsman reads the sections flagged so.
import { Hono } from 'hono';
import { ZodError } from 'zod';
import {
  type SettingKey,
  type Settings,
  settingsDefaults,
  siteLanguages,
  siteTextKeys,
} from '../../../config/settings.ts';
import { readSettings } from '../../../db/queries/settings.ts';
import { saveSettings } from '../../admin/settings.ts';
import { requireRole } from '../../auth/session.ts';
import { zodFieldErrors } from '../../errors.ts';
import { clientIp } from '../../rate-limit.ts';
import type { AppEnv } from '../../types.ts';
import { isPartial, render } from '../render.ts';
import { deadlinePages } from './params-deadlines.ts';
import { emailPages } from './params-emails.ts';
import { adminSections } from './sections.ts';

export const paramsAdminPages = new Hono<AppEnv>();
paramsAdminPages.route('/', deadlinePages); // Prazos e calendários
paramsAdminPages.route('/', emailPages); // E-mails e notificações

const featureKeys = [
  'features.anonymousFiling',
  'features.citizenAccounts',
  'features.publicAttachments',
  'features.partialRatings',
  'features.transparencyPage',
] as const satisfies SettingKey[];
const textKeys = ['org.name', 'org.logoUrl', 'org.contact', 'org.intakeAddress'] as const;
const dayKeys = ['cases.autoCloseDays', 'cases.reopenWindowDays'] as const;

/** The HTML id of a setting's field ('org.name' → 'org-name'; site texts: 'site-en-home-title'). */
const fieldId = (key: string) => key.replace(/[^a-zA-Z0-9]+/g, '-');

/** Form fields → a settings patch (every key of the page; an unchecked box is `false`). */
export function settingsFromForm(form: Record<string, unknown>): Record<string, unknown> {
  const str = (k: string) => (typeof form[k] === 'string' ? (form[k] as string) : '');
  const patch: Record<string, unknown> = {};
  for (const k of textKeys) patch[k] = str(k);
  for (const k of featureKeys) patch[k] = str(k) === 'on' || str(k) === 'true';
  for (const k of dayKeys) {
    const raw = str(k).trim();
    patch[k] = /^-?\d+$/.test(raw) ? Number(raw) : raw;
  }
  const texts: Record<string, Record<string, string>> = {};
  for (const lang of siteLanguages) {
    texts[lang] = {};
    for (const key of siteTextKeys) {
      const v = str(`site.texts.${lang}.${key}`).trim();
      if (v) texts[lang][key] = v;
    }
  }
  patch['site.texts'] = texts;
  return patch;
}

function generalView(
  c: Parameters<typeof render>[0],
  values: Record<string, unknown>,
  errors: Record<string, string[]>,
  saved = false,
) {
  const user = requireRole(c, ['admin', 'ombudsman']);
  return {
    title: 'params.general.title',
    fragment: isPartial(c),
    adminSections: adminSections.filter((s) => user.role === 'admin' || s.ombudsmanReads),
    canEdit: user.role === 'admin',
    values,
    errors,
    saved,
    featureKeys,
    dayKeys,
    siteLanguages,
    siteTextKeys,
    defaults: settingsDefaults,
    fieldId,
  };
}

paramsAdminPages.get('/painel/admin/geral', async (c) => {
  const s: Settings = await readSettings(c.var.deps.db);
  return render(c, 'admin/params-general', generalView(c, s, {}, c.req.query('salvo') === '1'));
});

paramsAdminPages.post('/painel/admin/geral', async (c) => {
  const user = requireRole(c, ['admin']);
  const form = await c.req.parseBody();
  const patch = settingsFromForm(form);
  try {
    await saveSettings(c.var.deps, { id: user.email, ip: clientIp(c) }, patch as Partial<Settings>);
  } catch (err) {
    if (!(err instanceof ZodError)) throw err;
    return render(c, 'admin/params-general', generalView(c, patch, zodFieldErrors(err)), 422);
  }
  if (isPartial(c))
    return render(c, 'admin/params-general', generalView(c, await readSettings(c.var.deps.db), {}, true));
  return c.redirect('/painel/admin/geral?salvo=1', 303);
});
