// Renders eta views (autoescape on) with what every page needs: translator, language, CSP nonce, user.
// One URL serves the full page or, for htmx requests, just the fragment.
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { formatDate, formatDateTime, type Language, languages, translator } from '../../views/i18n.ts';
import type { ApiError } from '../errors.ts';
import type { AppEnv } from '../types.ts';

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

export function viewModel(c: Context<AppEnv>, data: Record<string, unknown>) {
  const lang = languageOf(c);
  const tz = c.var.deps.timezone;
  return {
    ...data,
    t: translator(lang),
    lang,
    nonce: c.get('secureHeadersNonce') ?? '',
    user: c.var.user ?? null,
    path: c.req.path,
    dt: (iso: string | Date | null | undefined) => formatDateTime(iso, lang, tz),
    date: (iso: string | Date | null | undefined) => formatDate(iso, lang, tz),
  };
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

export function renderErrorPage(c: Context<AppEnv>, e: ApiError) {
  return render(
    c,
    'error',
    { title: c.get('requestId') ? e.message : e.message, error: e, requestId: c.get('requestId') },
    e.status,
  );
}
