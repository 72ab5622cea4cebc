// The htmx pages: language detection, then the public and the staff pages.
import { Hono } from 'hono';
import { languageDetector } from 'hono/language';
import { readSettings } from '../../db/queries/settings.ts';
import { accountPages } from '../account/pages.ts';
import { identityPages } from '../identity/pages.ts';
import { transparencyPages } from '../transparency/routes.ts';
import type { AppEnv } from '../types.ts';
import { followLinkPages } from './follow-link.ts';
import { publicPages } from './public.ts';
import { SITE_SETTINGS } from './render.ts';
import { staffPages } from './staff.ts';

export const uiRoutes = new Hono<AppEnv>();

uiRoutes.use(
  languageDetector({
    supportedLanguages: ['pt-BR', 'en'],
    fallbackLanguage: 'pt-BR',
    order: ['querystring', 'cookie', 'header'],
    lookupQueryString: 'lang',
    lookupCookie: 'lang',
    caches: ['cookie'],
    cookieOptions: { sameSite: 'Lax', path: '/', httpOnly: true, maxAge: 60 * 60 * 24 * 365 },
  }),
);
// Regras gerais (organisation, site texts) for every page; a database outage leaves the defaults.
uiRoutes.use(async (c, next) => {
  const settings = await readSettings(c.var.deps.db).catch(() => undefined);
  if (settings) c.set(SITE_SETTINGS, settings as never);
  await next();
});
uiRoutes.route('/', accountPages); // the citizen account (issue 11); sends citizen sessions away from /painel
uiRoutes.route('/', followLinkPages);
uiRoutes.route('/', publicPages);
uiRoutes.route('/', transparencyPages); // /transparencia (issue 12)
uiRoutes.route('/', identityPages); // before staffPages' /painel/casos/:protocol/:action
uiRoutes.route('/', staffPages);
