// Filing a manifestation (issues 15.1 and 15.5). A filing either creates the case or leaves nothing a user
// can see, and a retry with the same Idempotency-Key answers the first receipt:
// 1. the protocol is reserved together with a `pending` intake row (db/queries/intakes.ts);
// 2. the workflow is started with update-with-start, bounded by the request's budget (budget.ts); it answers
//    once the case is registered, planned and projected (so the list shows it) and durable in Temporal;
// 3. the intake becomes `created` with its receipt.
// The access code is derived from the secret, never stored (config/access-code.ts). A start that fails for
// good voids the intake: the number stays a recorded gap. A start that timed out or met an outage stays
// `pending`: the client's retry (same key) resumes it with USE_EXISTING, and reconcileIntakes settles what
// no one retries (created if the workflow exists, void if not).
import { WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import { deriveAccessCode } from '../../config/access-code.ts';
import {
  findIntakeByKey,
  type Intake,
  IntakeKeyTaken,
  markIntakeCreated,
  reserveIntake,
  stalePendingIntakes,
  voidIntake,
} from '../../db/queries/intakes.ts';
import type { IntakeReceipt } from '../../db/schema.ts';
import type { caseWorkflow } from '../../workflows/case.ts';
import { type CaseInput, type CaseView, registeredUpdate } from '../../workflows/messages.ts';
import { ApiError } from '../errors.ts';
import { IDEMPOTENCY_HEADER, keyDigest } from '../idempotency.ts';
import { type FilingParty, linkFiling } from '../people/linking.ts';
import type { AppDeps } from '../types.ts';
import { pendingError, withinBudget } from './budget.ts';
import { classifyAndRoute } from './classify.ts';
import type { NewManifestation } from './schemas.ts';
import { getCaseView } from './service.ts';

export type FileOptions = {
  /** Files already stored (attachments table) that came with the manifestation; the caller links them. */
  attachmentIds?: string[];
  /** Protocol of the concluded case this one follows up (a late e-mail reply to a closed case). */
  linkedTo?: string | null;
  /** The client's Idempotency-Key (validated by api/idempotency.ts). */
  idempotencyKey?: string | undefined;
  /** Who filed it, for the link to a person record (api/people/linking.ts; issue 11). */
  party?: FilingParty | undefined;
};

/** A filed case: `receipt` is what the first successful attempt answered (status, kind, dueAt). */
export type Filed = { protocol: string; accessCode: string; view: CaseView; receipt: IntakeReceipt };

const filingKey = (registeredBy: string, key: string) => keyDigest('filing', registeredBy, key);

/**
 * Files a manifestation and returns its protocol, access code, live view and receipt.
 * Errors: 422 `idempotency_key_reused` (same key, another body); 503 `pending` when the workflow did not
 * answer within the budget (retry with the same key); Temporal/DB errors otherwise.
 */
export async function fileManifestation(
  deps: AppDeps,
  input: NewManifestation,
  registeredBy: string,
  opts: FileOptions = {},
): Promise<Filed> {
  const keyId = opts.idempotencyKey ? filingKey(registeredBy, opts.idempotencyKey) : null;
  const fingerprint = keyId ? keyDigest(JSON.stringify(input)) : null;
  const receivedAt = input.receivedAt ? new Date(input.receivedAt) : new Date();
  // routing (issue 10 item 2): the group is chosen once, here, and carried by the case
  const group = await classifyAndRoute(deps, { ...input, channel: input.channel ?? 'web' });
  const caseInput = (protocol: string): CaseInput => ({
    protocol,
    kind: input.kind,
    subject: input.subject,
    description: input.description,
    identity: input.identity,
    channel: input.channel ?? 'web',
    // the CPF stays in the person record (api/people/linking.ts), never in workflow payloads
    citizen:
      input.identity === 'anonymous' || !input.citizen
        ? null
        : { name: input.citizen.name, email: input.citizen.email, phone: input.citizen.phone },
    receivedAt: receivedAt.toISOString(),
    registeredBy,
    ...(opts.attachmentIds?.length ? { attachmentIds: [...opts.attachmentIds] } : {}),
    ...(opts.linkedTo ? { linkedTo: opts.linkedTo } : {}),
    ...(input.topic ? { topic: input.topic } : {}),
    ...(input.item ? { item: input.item } : {}),
    ...(group ? { group } : {}),
  });

  const link = (protocol: string) => linkFiling(deps.db, protocol, input, registeredBy, opts.party);

  const resume = async (prior: Intake): Promise<Filed> => {
    if (prior.fingerprint && prior.fingerprint !== fingerprint)
      throw new ApiError(
        422,
        'idempotency_key_reused',
        'Esta Idempotency-Key já foi usada com outros dados',
        {
          [IDEMPOTENCY_HEADER]: ['Use uma chave nova para uma manifestação diferente'],
        },
      );
    if (prior.state === 'created' && prior.receipt) return filedCase(deps, prior.protocol, prior.receipt);
    await link(prior.protocol);
    return startCase(deps, caseInput(prior.protocol), 'USE_EXISTING');
  };

  // No look-up of the key first (issue 14, one query less per filing): the reservation inserts the key
  // under a unique index, so a retry or a concurrent twin fails it (IntakeKeyTaken, the transaction and
  // its number rolled back) and joins the intake that holds the key below.
  const year = Number(yearFormat(deps.timezone).format(receivedAt));
  for (let attempt = 1; ; attempt++) {
    let protocol: string;
    try {
      protocol = await reserveIntake(deps.db, { year, idempotencyKey: keyId, fingerprint });
    } catch (err) {
      // a concurrent request with the same key won the reservation: join it
      const prior =
        err instanceof IntakeKeyTaken && keyId ? await findIntakeByKey(deps.db, keyId) : undefined;
      if (prior) return resume(prior);
      throw err;
    }
    try {
      await link(protocol);
      return await startCase(deps, caseInput(protocol), 'FAIL');
    } catch (err) {
      // the number is already a workflow (a sequence restored behind Temporal): it was voided; take the next
      if (err instanceof WorkflowExecutionAlreadyStartedError && attempt < MAX_NUMBER_ATTEMPTS) continue;
      throw err;
    }
  }
}

/** The year formatter of a timezone, built once (a DateTimeFormat costs ~0.1 ms to construct). */
const yearFormats = new Map<string, Intl.DateTimeFormat>();
function yearFormat(timeZone: string): Intl.DateTimeFormat {
  let f = yearFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en', { year: 'numeric', timeZone });
    yearFormats.set(timeZone, f);
  }
  return f;
}

/** Numbers tried per filing when a protocol turns out to be taken already. */
const MAX_NUMBER_ATTEMPTS = 3;

/** A filing that already succeeded, for a retry with the same key (same receipt; the live view). */
export async function filedBefore(
  deps: AppDeps,
  registeredBy: string,
  idempotencyKey: string | undefined,
): Promise<Filed | undefined> {
  if (!idempotencyKey) return undefined;
  const prior = await findIntakeByKey(deps.db, filingKey(registeredBy, idempotencyKey));
  if (prior?.state !== 'created' || !prior.receipt) return undefined;
  return filedCase(deps, prior.protocol, prior.receipt);
}

async function filedCase(deps: AppDeps, protocol: string, receipt: IntakeReceipt): Promise<Filed> {
  const view = await getCaseView(deps, protocol);
  return { protocol, accessCode: deriveAccessCode(deps.secret, protocol), view, receipt };
}

async function startCase(deps: AppDeps, input: CaseInput, conflict: 'FAIL' | 'USE_EXISTING'): Promise<Filed> {
  const { protocol } = input;
  const accessCode = deriveAccessCode(deps.secret, protocol);
  const start = new WithStartWorkflowOperation<typeof caseWorkflow>('caseWorkflow', {
    workflowId: protocol,
    taskQueue: deps.temporal.taskQueue,
    args: [input],
    workflowIdConflictPolicy: conflict,
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    staticSummary: `${input.kind} via ${input.channel}`,
  });
  let view: CaseView;
  try {
    view = await withinBudget(deps, () =>
      deps.temporal.client.workflow.executeUpdateWithStart(registeredUpdate, {
        startWorkflowOperation: start,
      }),
    );
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError || err instanceof WorkflowUpdateFailedError) {
      await voidIntake(deps.db, protocol, err.message);
      throw err;
    }
    // The case workflow started but its registration was not answered: on a starved worker the first
    // workflow task times out and the server refuses the Update with FAILED_PRECONDITION ("Update-with-Start
    // could not be executed", "Workflow Task in failed state"). The case exists and its intake row stays
    // `pending`: answer 503 `pending` so the client's retry with the same key joins it (USE_EXISTING), and
    // reconcileIntakes settles it otherwise. Never a 500 for a case that was in fact filed.
    if (await started(start)) throw pendingError();
    throw err;
  }
  const receipt: IntakeReceipt = { status: view.status, kind: view.kind, dueAt: view.dueAt };
  await markIntakeCreated(deps.db, protocol, receipt);
  return { protocol, accessCode, view, receipt };
}

/** Whether the start half of an Update-with-Start reached the server (its handle resolves then). */
const started = (op: WithStartWorkflowOperation<typeof caseWorkflow>): Promise<boolean> =>
  op.workflowHandle().then(
    () => true,
    () => false,
  );

/**
 * Settles filings left `pending` for longer than `olderThanMs` (a start that timed out, an outage, a crash):
 * `created` when the case workflow exists, `void` (a recorded gap) when it never started. Returns counts.
 */
export async function reconcileIntakes(
  deps: AppDeps,
  olderThanMs = 5 * 60_000,
): Promise<{ created: number; voided: number }> {
  const result = { created: 0, voided: 0 };
  for (const intake of await stalePendingIntakes(deps.db, new Date(Date.now() - olderThanMs))) {
    try {
      const view = await getCaseView(deps, intake.protocol);
      await markIntakeCreated(deps.db, intake.protocol, {
        status: view.status,
        kind: view.kind,
        dueAt: view.dueAt,
      });
      result.created += 1;
    } catch (err) {
      const notFound =
        err instanceof WorkflowNotFoundError || (err instanceof ApiError && err.code === 'not_found');
      if (!notFound) continue; // Temporal unreachable: try again later
      await voidIntake(deps.db, intake.protocol, 'the case workflow never started');
      result.voided += 1;
    }
  }
  return result;
}
