// Idempotency-Key (issue 15.1): every write accepts a client key (header `Idempotency-Key`; the HTML forms
// send a hidden `idempotencyKey`, fresh per render). For case actions the key becomes the Temporal Update
// ID, scoped by case (the workflow) and caller, so a retry returns the first result instead of acting
// twice. Filings map the key to their protocol in the `intakes` table. Without a key nothing is derived.
import { createHash, randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { ApiError } from './errors.ts';
import type { AppEnv } from './types.ts';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const IDEMPOTENCY_FORM_FIELD = 'idempotencyKey';

/** 16–200 visible ASCII characters: long enough to be unguessable (send a UUID v4). */
const validKey = /^[\x21-\x7e]{16,200}$/;

/**
 * The request's key: the `Idempotency-Key` header, else the form field; undefined when absent or empty.
 * Throws 422 `invalid_idempotency_key` for a malformed key (nothing is done then).
 */
export function idempotencyKeyOf(c: Context<AppEnv>, formValue?: unknown): string | undefined {
  const raw = c.req.header(IDEMPOTENCY_HEADER) ?? (typeof formValue === 'string' ? formValue : undefined);
  if (raw === undefined || raw === '') return undefined;
  if (!validKey.test(raw))
    throw new ApiError(422, 'invalid_idempotency_key', 'Idempotency-Key inválida', {
      [IDEMPOTENCY_HEADER]: ['De 16 a 200 caracteres ASCII visíveis; use um UUID novo por operação'],
    });
  return raw;
}

/** A fresh key for one rendered form. */
export const newFormKey = (): string => randomUUID();

/** sha256 of the parts, base64url: keys are stored and sent to Temporal only hashed. */
export function keyDigest(...parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\u0000');
  return h.digest('base64url');
}

/** The Temporal Update ID of a keyed case action: scoped by caller (the workflow scopes it by case). */
export const actionUpdateId = (caller: string, key: string): string => `idem-${keyDigest(caller, key)}`;
