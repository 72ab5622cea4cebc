// Revealing a protected reporter identity: an explicit act with a stated purpose, appended to the
// identity-access log before the identity is returned (Lei 13.460/2017 art. 10 §7; Decreto 10.153/2019).
// Units never reveal; anonymous cases have nothing to reveal.
import { z } from 'zod';
import { appendIdentityAccess, type IdentityAccessRow } from '../../db/queries/identity-access.ts';
import type { CaseView, Citizen } from '../../workflows/messages.ts';
import type { StaffUser } from '../auth/session.ts';
import { canSeeCase, reporterAccess, staffViewer } from '../disclosure.ts';
import { ApiError, notFound } from '../errors.ts';
import { textString } from '../text.ts';
import type { AppDeps } from '../types.ts';

export const revealSchema = z.object({
  purpose: textString({ error: 'Informe a finalidade do acesso' })
    .trim()
    .min(10, 'Descreva a finalidade do acesso (ao menos 10 caracteres)')
    .max(500, 'No máximo 500 caracteres'),
});

export type Revealed = {
  protocol: string;
  identity: CaseView['identity'];
  citizen: Citizen;
  access: { id: string; at: string; actor: string; purpose: string };
};

export const presentAccess = (row: IdentityAccessRow) => ({
  id: row.id,
  at: row.at.toISOString(),
  actor: row.actor,
  actorRole: row.actorRole,
  protocol: row.protocol,
  purpose: row.purpose,
});

/**
 * Logs the read, then returns the reporter. Errors: 404 (case not visible to the user), 403 (units, or
 * anyone the policy gives no reveal), 409 `no_identity` (anonymous, or no reporter data recorded).
 */
export async function revealIdentity(
  deps: AppDeps,
  user: StaffUser,
  view: CaseView,
  purpose: string,
): Promise<Revealed> {
  const viewer = staffViewer(user);
  if (!viewer || !canSeeCase(viewer, view)) throw notFound();
  const access = reporterAccess(viewer, view.identity);
  if (view.identity === 'anonymous' || !view.citizen)
    throw new ApiError(409, 'no_identity', 'Manifestação anônima: não há identidade a revelar');
  if (access !== 'full' && access !== 'reveal')
    throw new ApiError(
      403,
      'reveal_forbidden',
      'Unidades não têm acesso à identidade do manifestante (Decreto 10.153/2019)',
    );
  const row = await appendIdentityAccess(deps.db, {
    actor: user.email,
    actorRole: user.role,
    protocol: view.protocol,
    purpose,
  });
  const { id, at, actor } = presentAccess(row);
  return {
    protocol: view.protocol,
    identity: view.identity,
    citizen: view.citizen,
    access: { id, at, actor, purpose },
  };
}
