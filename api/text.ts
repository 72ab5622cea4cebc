// Text normalisation at the doors (web forms, REST, the three e-mail doors, admin APIs): one function,
// `normalizeText`, applied to every free-text value before it reaches a workflow or the database.
// PostgreSQL refuses NUL in text and jsonb; other control characters hide or garble text on screen.
// Structured values (codes, e-mail addresses, ids, cursors, query filters) are not cleaned but refused:
// `codeString` answers 422 when one holds a control character.
import { z } from 'zod';

// C0 controls except tab (\t) and newline (\n), DEL, and the C1 controls (U+0080–U+009F).
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly what is removed
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: detection of the same set (plus CR)
const ANY_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Normalises one free-text value: CRLF and lone CR become LF; NUL and every other C0/C1 control character
 * except tab and newline are removed; lone UTF-16 surrogates become U+FFFD; the result is Unicode NFC.
 * Pure and idempotent: `normalizeText(normalizeText(s)) === normalizeText(s)`.
 */
export function normalizeText(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL, '')
    .replace(LONE_SURROGATE, '\ufffd')
    .normalize('NFC');
}

/** True when a structured value holds a control character (tab, CR and LF included). */
export const hasControlChars = (value: string): boolean => ANY_CONTROL.test(value) || /[\t\n\r]/.test(value);

/**
 * `normalizeText` over every string inside a JSON-like value (objects, arrays, Maps); Buffers, typed
 * arrays, Dates and other objects are returned as they are. Used on parsed e-mail and webhook payloads.
 */
export function normalizeDeep<T>(value: T): T {
  if (typeof value === 'string') return normalizeText(value) as T;
  if (Array.isArray(value)) return value.map((v) => normalizeDeep(v)) as T;
  if (value instanceof Map) {
    return new Map([...value].map(([k, v]) => [normalizeDeep(k), normalizeDeep(v)])) as T;
  }
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, normalizeDeep(v)]),
    ) as T;
  }
  return value;
}

/** A free-text string field (zod): normalised first, then the caller's `.trim().min().max()` apply. */
export const textString = (params?: Parameters<typeof z.string>[0]) =>
  z.string(params).overwrite(normalizeText);

export const controlCharsMessage = 'Caracteres de controle não são permitidos neste campo';

/** A structured string field (code, id, cursor, filter): control characters are refused (422). */
export const codeString = (params?: Parameters<typeof z.string>[0]) =>
  z.string(params).refine((s) => !hasControlChars(s), controlCharsMessage);
