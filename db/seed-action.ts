// One demo seeding step as a workflow Update that survives a slow machine. `runAction` answers 503
// `pending` when the workflow does not answer within the request budget (the Update still runs once);
// the seed then asks again with the same Idempotency-Key, so the step is neither lost nor repeated and a
// loaded machine no longer leaves a half-seeded demo that the next start takes as "already present".
import { ApiError } from '../api/errors.ts';
import type { ActionBodies } from '../api/manifestations/schemas.ts';
import { runAction } from '../api/manifestations/service.ts';
import type { AppDeps } from '../api/types.ts';
import type { CaseAction } from '../workflows/transitions.ts';

const ATTEMPTS = 30;
const PAUSE_MS = 2_000;

/** Runs step number `step` of case `protocol` (key `seed-<step>`), asking again while it is `pending`. */
export async function seedAction<A extends CaseAction>(
  deps: AppDeps,
  protocol: string,
  step: number,
  action: A,
  body: ActionBodies[A],
  actor: string,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await runAction(deps, protocol, action, body, actor, { idempotencyKey: `seed-${step}` });
      return;
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 'pending') || attempt >= ATTEMPTS) throw err;
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    }
  }
}
