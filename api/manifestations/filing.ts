// Filing a manifestation (issues 15.1, 15.5 and 14). A filing either creates the case or leaves nothing a
// user can see, and a retry with the same Idempotency-Key answers the first receipt:
// 1. the protocol is reserved together with a `pending` intake row (db/queries/intakes.ts);
// 2. the request plans the case deadline (the same planner as the workflow, activities/deadline.ts, with
//    cached reads) and registers the case's view (workflows/case-state.ts `registerView`, one function for
//    both) at one instant;
// 3. the case workflow is **started** (a plain start, bounded by the request's budget: budget.ts) with that
//    deadline and instant (CaseInput.registration) and with the view's search attributes: once the start
//    returns, the case is durable in Temporal history, and its run registers the same view in its first
//    task without planning, projecting or upserting anything (it acknowledges the case). Issue 14: the
//    answer does not wait for that task, and the task does no work twice;
// 4. in one statement, the request projects the registered view (activities/projection.ts, revision 1, the
//    run's registration commit) and marks the intake `created` with its receipt. So when the POST answers,
//    the list shows the case.
// The access code is derived from the secret, never stored (config/access-code.ts). A start that fails for
// good (the number is already a workflow) voids the intake: a recorded gap, and the filing takes the next
// number. A start that timed out or met an outage, or a crash between the start and the row, leaves the
// intake `pending` (and, after the start, the case out of the list): the client's retry with the same key
// resumes it with Update-with-Start (USE_EXISTING: the running workflow's own registered view and receipt,
// projected then), and reconcileIntakes settles what no one retries (created and projected if the workflow
// exists, void if not).
// Right after the answer the workflow may not have run its first task yet: staff actions wait for the
// registration and retry (service.ts `runAction`), and a Query waits for that task (Temporal holds a
// Query to a workflow whose task is in flight until it completes).
import { WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import { createDeadlineActivities } from '../../activities/deadline.ts';
import { projectView } from '../../activities/projection.ts';
import { deriveAccessCode } from '../../config/access-code.ts';
import {
  findIntakeByKey,
  type Intake,
  IntakeKeyTaken,
  intakeCreated,
  reserveIntake,
  stalePendingIntakes,
  voidIntake,
} from '../../db/queries/intakes.ts';
import type { IntakeReceipt } from '../../db/schema.ts';
import type { caseWorkflow } from '../../workflows/case.ts';
import { initialView, registerView, registrationDeadlineRequest } from '../../workflows/case-state.ts';
import {
  type CaseInput,
  type CaseView,
  CODE_GENERATION,
  registeredUpdate,
} from '../../workflows/messages.ts';
import { registeredSearchAttributes } from '../../workflows/search-attributes.ts';
import type { Deadline } from '../../workflows/sla-types.ts';
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

/** What the REST API answers for a filing: protocol, access code and receipt (no live view). */
export type FiledReceipt = Omit<Filed, 'view'>;

/**
 * Files a manifestation and returns its protocol, access code, view and receipt (a new filing: the
 * registered view as filed; a retry of a filing already created: the live view, by Query).
 * Errors: 422 `idempotency_key_reused` (same key, another body); 503 `pending` when Temporal did not
 * answer within the budget (retry with the same key); Temporal/DB errors otherwise.
 */
export function fileManifestation(
  deps: AppDeps,
  input: NewManifestation,
  registeredBy: string,
  opts: FileOptions = {},
): Promise<Filed> {
  return file(deps, input, registeredBy, opts, (protocol, receipt) => filedCase(deps, protocol, receipt));
}

/**
 * fileManifestation for a caller that needs only the receipt (the REST API): a retry of a filing already
 * created is answered from its intake row, without asking the workflow (so also while no worker polls).
 */
export function fileForReceipt(
  deps: AppDeps,
  input: NewManifestation,
  registeredBy: string,
  opts: FileOptions = {},
): Promise<FiledReceipt> {
  return file(deps, input, registeredBy, opts, async (protocol, receipt) => ({
    protocol,
    accessCode: deriveAccessCode(deps.secret, protocol),
    receipt,
  }));
}

async function file<R extends FiledReceipt>(
  deps: AppDeps,
  input: NewManifestation,
  registeredBy: string,
  opts: FileOptions,
  answerCreated: (protocol: string, receipt: IntakeReceipt) => Promise<R>,
): Promise<R | Filed> {
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

  const resume = async (prior: Intake): Promise<R | Filed> => {
    if (prior.fingerprint && prior.fingerprint !== fingerprint)
      throw new ApiError(
        422,
        'idempotency_key_reused',
        'Esta Idempotency-Key já foi usada com outros dados',
        {
          [IDEMPOTENCY_HEADER]: ['Use uma chave nova para uma manifestação diferente'],
        },
      );
    if (prior.state === 'created' && prior.receipt) return answerCreated(prior.protocol, prior.receipt);
    await link(prior.protocol);
    return resumeCase(deps, caseInput(prior.protocol));
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
      return await startCase(deps, caseInput(protocol));
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

/**
 * A new filing: plans and registers the view, starts the case workflow with it (FAIL on a taken number:
 * WorkflowExecutionAlreadyStartedError, the intake voided); then writes the case's read-model row and marks
 * the intake `created`, in one statement. A start that did not answer leaves the intake
 * `pending` (503 `pending` past the budget); a start that answered but whose row or receipt could not be
 * written answers 503 `pending` too: the case exists, the retry with the same key resumes it.
 */
async function startCase(deps: AppDeps, filed: CaseInput): Promise<Filed> {
  const { protocol } = filed;
  // Issue 14: the registration is done here, once. The deadline is planned (cached reads), the view
  // registered at `at`, and the run started with both (CaseInput.registration) and with the view's search
  // attributes: its first workflow task then only commits and acknowledges — no planning, projection or
  // search-attribute upsert of its own. When planning fails here, the run plans (and records the failure).
  const at = Date.now();
  const view = initialView(filed);
  const deadline = await planRegistration(deps, view);
  // born with this code's generation: every patch's path taken without asking (workflows/versions.ts)
  const born = { ...filed, born: CODE_GENERATION };
  const input: CaseInput = deadline
    ? { ...born, registration: { deadline, at: new Date(at).toISOString() } }
    : born;
  registerView(view, input, deadline, at);
  if (deadline) view.revision = 1; // the run's registration commit (workflows/case.ts)
  try {
    await withinBudget(deps, () =>
      deps.temporal.client.workflow.start<typeof caseWorkflow>('caseWorkflow', {
        workflowId: protocol,
        taskQueue: deps.temporal.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        staticSummary: `${input.kind} via ${input.channel}`,
        ...(deadline ? { typedSearchAttributes: registeredSearchAttributes(view) } : {}),
      }),
    );
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      await voidIntake(deps.db, protocol, err.message);
      throw err;
    }
    // An answer lost after the server started it (a dropped connection): the case exists, answer 503
    // `pending` (the retry with the same key resumes it), never an error for a case that was filed.
    // Otherwise the intake stays `pending` for the retry or reconcileIntakes.
    if (!(err instanceof ApiError) && (await workflowExists(deps, protocol))) throw pendingError();
    throw err;
  }
  const receipt: IntakeReceipt = { status: view.status, kind: view.kind, dueAt: view.dueAt };
  try {
    await projectView(deps.db, view, {
      early: !deadline,
      also: intakeCreated(deps.db, protocol, receipt),
    });
  } catch (err) {
    console.warn(`filing ${protocol}: started, early row not written (${String(err)}); the retry resumes it`);
    throw pendingError();
  }
  return { protocol, accessCode: deriveAccessCode(deps.secret, protocol), view, receipt };
}

/**
 * The case deadline the workflow's registration will plan, planned here by the same activity code
 * (activities/deadline.ts) from the same request (workflows/case-state.ts); `null` when planning fails here
 * (bad policy data, a database error): the receipt then has no due date, and the workflow records the
 * failure as it always did (workflows/case-failures.ts).
 */
async function planRegistration(deps: AppDeps, view: CaseView): Promise<Deadline | null> {
  try {
    return await plannerOf(deps).planDeadline(registrationDeadlineRequest(view));
  } catch (err) {
    console.warn(`filing ${view.protocol}: receipt without a due date (${String(err)})`);
    return null;
  }
}

const planners = new WeakMap<AppDeps['db'], ReturnType<typeof createDeadlineActivities>>();
function plannerOf(deps: AppDeps) {
  let p = planners.get(deps.db);
  if (!p) {
    p = createDeadlineActivities({ db: deps.db, timezone: deps.timezone, cachedReads: true });
    planners.set(deps.db, p);
  }
  return p;
}

/**
 * A filing resumed by its retry (intake still `pending`: the start or the row did not answer): the
 * workflow started then answers its own registered view (Update-with-Start, USE_EXISTING: it waits for the
 * registration), or it is started now. Marks the intake `created` with that view's receipt.
 */
async function resumeCase(deps: AppDeps, input: CaseInput): Promise<Filed> {
  const { protocol } = input;
  const accessCode = deriveAccessCode(deps.secret, protocol);
  const start = new WithStartWorkflowOperation<typeof caseWorkflow>('caseWorkflow', {
    workflowId: protocol,
    taskQueue: deps.temporal.taskQueue,
    args: [{ ...input, born: CODE_GENERATION }], // started (if it must be) by this code
    workflowIdConflictPolicy: 'USE_EXISTING',
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
    // `pending`: answer 503 `pending` so the client's next retry joins it again, and reconcileIntakes
    // settles it otherwise. Never a 500 for a case that was in fact filed.
    if (await started(start)) throw pendingError();
    throw err;
  }
  const receipt: IntakeReceipt = { status: view.status, kind: view.kind, dueAt: view.dueAt };
  await settleIntake(deps, view);
  return { protocol, accessCode, view, receipt };
}

/**
 * Marks a pending intake `created` with the receipt of the case's `view`, and projects that view in the
 * same statement: a run registered by its filing does not project its registration, so a filing that
 * crashed between the start and its row left the case out of the list until now (the projection is
 * revision-guarded: a newer row stays).
 */
async function settleIntake(deps: AppDeps, view: CaseView): Promise<void> {
  const receipt: IntakeReceipt = { status: view.status, kind: view.kind, dueAt: view.dueAt };
  await projectView(deps.db, view, { also: intakeCreated(deps.db, view.protocol, receipt) });
}

/** Whether the case workflow `protocol` exists (false also when Temporal cannot be asked). */
const workflowExists = (deps: AppDeps, protocol: string): Promise<boolean> =>
  withinBudget(deps, () => deps.temporal.client.workflow.getHandle(protocol).describe()).then(
    () => true,
    () => false,
  );

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
      await settleIntake(deps, await getCaseView(deps, intake.protocol));
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
