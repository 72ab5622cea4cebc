// What the feature switches of Administração → Regras gerais (config/settings.ts `features.*`) allow, in
// one module every door calls: the public form and the REST filing (anonymous filing), the public form and
// the citizen portal (attachments), the portal and the REST citizen actions (partial ratings).
import type { Settings } from '../config/settings.ts';
import { readSettings } from '../db/queries/settings.ts';
import type { CaseView } from '../workflows/messages.ts';
import { allowedCitizenActions, type CitizenAction } from '../workflows/transitions.ts';
import { ApiError } from './errors.ts';
import type { AppDeps } from './types.ts';

export const anonymousFilingOff =
  'Esta ouvidoria não recebe manifestações anônimas. Escolha “identificada” ou “identidade preservada” (seus dados ficam restritos à ouvidoria).';
export const publicAttachmentsOff = 'Esta ouvidoria não recebe anexos pelo site.';
export const partialRatingsOff =
  'A avaliação parcial está desativada: avalie o atendimento depois de receber a resposta.';

/** Statuses in which a rating is the final one (after the answer); any other rating is partial. */
export const finalRatingStatuses: readonly CaseView['status'][] = ['answered', 'closed', 'approved'];

/** The current switches (cached reads, db/queries/settings.ts). */
export const featureSettings = (deps: Pick<AppDeps, 'db'>): Promise<Settings> => readSettings(deps.db);

/**
 * Field errors for a filing the switches refuse (`{}` when allowed). Only citizens' filings are gated:
 * staff still register an anonymous phone call or letter, since the person chose not to identify.
 */
export function filingRefusals(
  s: Settings,
  filing: { identity: string; byCitizen: boolean; files?: number },
): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  if (!filing.byCitizen) return errors;
  if (!s['features.anonymousFiling'] && filing.identity === 'anonymous')
    errors.identity = [anonymousFilingOff];
  if (!s['features.publicAttachments'] && (filing.files ?? 0) > 0)
    errors.attachments = [publicAttachmentsOff];
  return errors;
}

/** Throws 422 with the refusals of `filingRefusals` (REST doors). */
export function assertFilingAllowed(s: Settings, filing: Parameters<typeof filingRefusals>[1]): void {
  const fields = filingRefusals(s, filing);
  if (Object.keys(fields).length)
    throw new ApiError(422, 'feature_disabled', Object.values(fields).flat().join(' '), fields);
}

/** What the citizen may do now: the transition table, minus a partial rating when those are off. */
export function citizenActionsNow(s: Settings, status: CaseView['status']): CitizenAction[] {
  const allowed = allowedCitizenActions(status);
  if (s['features.partialRatings'] || finalRatingStatuses.includes(status)) return allowed;
  return allowed.filter((a) => a !== 'rate');
}

/** Throws 409 when the citizen asks for a partial rating and those are off. */
export function assertCitizenActionAllowed(s: Settings, status: CaseView['status'], action: string): void {
  if (
    action === 'rate' &&
    !citizenActionsNow(s, status).includes('rate') &&
    allowedCitizenActions(status).includes('rate')
  )
    throw new ApiError(409, 'feature_disabled', partialRatingsOff);
}
