// UI labels: pt-BR first, English second (views/labels). Codes stay English (DESIGN §2).
import { en } from './labels/en.ts';
import { ptBR } from './labels/pt-BR.ts';

export const languages = ['pt-BR', 'en'] as const;
export type Language = (typeof languages)[number];

export type LabelKey = keyof typeof ptBR;

const dictionaries: Record<Language, Record<LabelKey, string>> = { 'pt-BR': ptBR, en };

/** `t(key)`, or `t(key, fallback)` for keys built from data (an unknown code shows the fallback). */
export type Translate = (key: string, fallback?: string) => string;

export function translator(lang: Language): Translate {
  const dict = dictionaries[lang] as Record<string, string>;
  return (key, fallback) => dict[key] ?? fallback ?? key;
}

export function formatDateTime(
  iso: string | Date | null | undefined,
  lang: Language,
  timeZone: string,
): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeStyle: 'short', timeZone }).format(
    new Date(iso),
  );
}

export function formatDate(iso: string | Date | null | undefined, lang: Language, timeZone: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone }).format(new Date(iso));
}

/** dd/mm/aaaa (pt-BR) or the short English form: for tables. */
export function formatShortDate(
  iso: string | Date | null | undefined,
  lang: Language,
  timeZone: string,
): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeZone }).format(new Date(iso));
}

/**
 * A calendar day `YYYY-MM-DD` or month `YYYY-MM` (a report's period) as people read it: in pt-BR dd/mm/aaaa
 * or mm/aaaa; in English kept ISO. Any other string is returned as it is.
 */
export function formatPeriod(value: string, lang: Language): string {
  if (lang !== 'pt-BR' || !/^\d{4}-\d{2}(-\d{2})?$/.test(value)) return value;
  return value.split('-').reverse().join('/');
}
