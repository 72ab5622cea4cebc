// What the workflow cannot check about case details (issue 11 item 4): the opening reason must be one of
// the administered list (catalogue `opening_reasons`), active. Called before the `details` Update.
import { getOpeningReason, labelOf, listOpeningReasons } from '../../db/queries/catalogue.ts';
import { ApiError } from '../errors.ts';
import type { AppDeps } from '../types.ts';

/** 422 with `reasonCode` when the code is unknown or inactive. */
export async function checkDetails(deps: AppDeps, body: { reasonCode?: string | null | undefined }) {
  if (!body.reasonCode) return;
  const reason = await getOpeningReason(deps.db, body.reasonCode);
  if (!reason?.active)
    throw new ApiError(422, 'invalid_body', 'Dados inválidos', {
      reasonCode: ['Motivo de abertura desconhecido ou inativo'],
    });
}

/** The active opening reasons as select options (code → label in the page's language). */
export async function reasonOptions(deps: AppDeps, lang: string) {
  return (await listOpeningReasons(deps.db, { activeOnly: true })).map((r) => ({
    value: r.code,
    label: labelOf(r, lang),
  }));
}
