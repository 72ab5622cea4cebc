// Catalogue classification of a case (issue 10 item 4) and its routing to an attendant group (item 2):
// topic/item codes are checked against the administered catalogue (active entries only for new choices)
// and the routing rules pick the group. Used when a case is filed and when it is reclassified.
import { checkClassification } from '../../db/queries/catalogue.ts';
import { routeCase } from '../../db/queries/routing.ts';
import { ApiError } from '../errors.ts';
import type { AppDeps } from '../types.ts';

export type Classification = {
  kind: string;
  topic?: string | null | undefined;
  item?: string | null | undefined;
  channel?: string | null | undefined;
};

/**
 * Validates the classification and answers the group the routing rules choose (null = none).
 * `keep`: the codes the case already carries (accepted even if deactivated since).
 * Errors: 422 `invalid_body` with `topic`/`item` field messages in pt-BR.
 */
export async function classifyAndRoute(
  deps: Pick<AppDeps, 'db'>,
  c: Classification,
  keep?: { topic?: string | null; item?: string | null },
): Promise<string | null> {
  const errors = await checkClassification(deps.db, c, { activeOnly: true, ...(keep ? { keep } : {}) });
  if (Object.keys(errors).length) throw new ApiError(422, 'invalid_body', 'Classificação inválida', errors);
  return routeCase(deps.db, c);
}

/**
 * A reclassification (kind/topic/item given in `body`, the rest kept from `view`): validates the new
 * choice against the catalogue and answers the group the routing rules now choose for the case
 * (re-routing: a rule edited since registration takes effect here). Errors as classifyAndRoute.
 */
export async function routeReclassified(
  deps: Pick<AppDeps, 'db'>,
  view: { kind: string; topic: string | null; item: string | null; channel: string },
  body: { kind?: string | undefined; topic?: string | undefined; item?: string | undefined },
): Promise<string | null> {
  return classifyAndRoute(
    deps,
    {
      kind: body.kind ?? view.kind,
      topic: body.topic ?? view.topic,
      item: body.item ?? view.item,
      channel: view.channel,
    },
    { topic: view.topic, item: view.item },
  );
}
