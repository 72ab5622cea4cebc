// Renders eta views (autoescape on) with what every page needs: translator, language, CSP nonce, user.
// One URL serves the full page or, for htmx requests, just the fragment.
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Settings } from '../../config/settings.ts';
import {
  formatDate,
  formatDateTime,
  formatPeriod,
  formatShortDate,
  type Language,
  languages,
  translator,
} from '../../views/i18n.ts';
import { displayOverlay } from '../admin/display-lists.ts';
import type { ApiError } from '../errors.ts';
import { newFormKey } from '../idempotency.ts';
import type { AppEnv } from '../types.ts';
import { assetUrl } from './static.ts';

const viewsDir = fileURLToPath(new URL('../../views', import.meta.url));
const etas = new Map<boolean, Eta>();

function eta(cache: boolean): Eta {
  let e = etas.get(cache);
  if (!e) {
    e = new Eta({ views: viewsDir, cache, autoEscape: true, defaultExtension: '.eta' });
    etas.set(cache, e);
  }
  return e;
}

export function languageOf(c: Context<AppEnv>): Language {
  const lang = (c.get('language' as never) as string | undefined) ?? 'pt-BR';
  return (languages as readonly string[]).includes(lang) ? (lang as Language) : 'pt-BR';
}

/** True for htmx requests that want a fragment (htmx 4 sends HX-Request-Type: partial). */
export function isPartial(c: Context<AppEnv>): boolean {
  return c.req.header('hx-request') === 'true' && c.req.header('hx-request-type') !== 'full';
}

/** Settings loaded for the pages (api/ui/routes.ts), read by viewModel; unset = the defaults. */
export const SITE_SETTINGS = 'siteSettings' as never;

export function viewModel(c: Context<AppEnv>, data: Record<string, unknown>) {
  const lang = languageOf(c);
  const tz = c.var.deps.timezone;
  const site = c.get(SITE_SETTINGS) as Settings | undefined;
  const builtIn = translator(lang);
  // Regras gerais: public site texts an admin overrode, per language
  const overrides = (site?.['site.texts'][lang] ?? {}) as Record<string, string | undefined>;
  // administered status/priority/rating labels (issue 10 item 5, api/admin/display-lists.ts)
  const lists = displayOverlay(c.var.deps.db, lang);
  return {
    ...data,
    t: (key: string, fallback?: string) => overrides[key] ?? lists[key] ?? builtIn(key, fallback),
    org: {
      name: site?.['org.name'] ?? '',
      logoUrl: site?.['org.logoUrl'] ?? '',
      contact: site?.['org.contact'] ?? '',
    },
    /** the public transparency page (/transparencia) is switched on: the public site links to it */
    transparencyPage: site?.['features.transparencyPage'] ?? false,
    lang,
    nonce: c.get('secureHeadersNonce') ?? '',
    /** content-hashed static file URL (api/ui/static.ts) */
    asset: assetUrl,
    user: c.var.user ?? null,
    path: c.req.path,
    /** a fresh Idempotency-Key for each rendered form (hidden field `idempotencyKey`) */
    formKey: newFormKey,
    langHref: languageSwitchHref(c, lang === 'en' ? 'pt-BR' : 'en'),
    dt: (iso: string | Date | null | undefined) => formatDateTime(iso, lang, tz),
    date: (iso: string | Date | null | undefined) => formatDate(iso, lang, tz),
    shortDate: (iso: string | Date | null | undefined) => formatShortDate(iso, lang, tz),
    /** a report period, YYYY-MM-DD or YYYY-MM, as dd/mm/aaaa or mm/aaaa in pt-BR */
    period: (value: string) => formatPeriod(value, lang),
  };
}

/** The current page (path and query, for GETs) in the other language. */
function languageSwitchHref(c: Context<AppEnv>, other: Language): string {
  const url = new URL(c.req.url);
  const query = c.req.method === 'GET' ? new URLSearchParams(url.search) : new URLSearchParams();
  query.delete('fragment');
  query.set('lang', other);
  return `${url.pathname}?${query.toString()}`;
}

export function render(
  c: Context<AppEnv>,
  template: string,
  data: Record<string, unknown> = {},
  status: ContentfulStatusCode = 200,
) {
  const html = eta(c.var.deps.production).render(template, viewModel(c, data));
  c.header('Vary', 'HX-Request, HX-Request-Type');
  return c.html(html, status);
}

/**
 * Error pages. An htmx request gets a small alert instead of a whole page, retargeted to the page's
 * #messages region so the content the user was working on stays in place.
 */
export function renderErrorPage(c: Context<AppEnv>, e: ApiError) {
  // After an outage (503) a GET can simply be tried again; a form is sent again from its own page.
  const retryHref =
    e.status === 503 && c.req.method === 'GET' ? c.req.url.slice(new URL(c.req.url).origin.length) : null;
  const data = { title: e.message, error: e, requestId: c.get('requestId'), retryHref };
  if (isPartial(c)) {
    c.header('HX-Retarget', '#messages');
    c.header('HX-Reswap', 'innerHTML');
    return render(c, '_error', data, e.status);
  }
  return render(c, 'error', data, e.status);
}
