// Case use cases shared by the REST API and the htmx pages: file a manifestation, read one case,
// run a staff action. Handlers only decode, call these, and render.
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { WithStartWorkflowOperation } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { deriveAccessCode } from '../../config/access-code.ts';
import { findAccessCodeHash, nextProtocol, saveAccessCode } from '../../db/queries/protocols.ts';
import type { caseWorkflow } from '../../workflows/case.ts';
import * as m from '../../workflows/messages.ts';
import { type CaseInput, type CaseView, caseViewQuery, registeredUpdate } from '../../workflows/messages.ts';
import type { CaseAction } from '../../workflows/transitions.ts';
import { fromTemporal, notFound } from '../errors.ts';
import type { AppDeps } from '../types.ts';
import type { ActionBodies, NewManifestation } from './schemas.ts';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

/** Access codes carry ~60 random bits; scrypt (off the main thread) makes a stolen table useless. */
export async function hashAccessCode(code: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(normalizeAccessCode(code), salt, 32);
  return `scrypt$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

async function verifyAccessCode(stored: string, code: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(normalizeAccessCode(code), Buffer.from(salt, 'base64url'), expected.length);
  return timingSafeEqual(actual, expected);
}

export const normalizeAccessCode = (code: string) => code.toUpperCase().replace(/[^A-Z0-9]/g, '');

export type FileOptions = {
  /** Files already stored (attachments table) that came with the manifestation; the caller links them. */
  attachmentIds?: string[];
  /** Protocol of the concluded case this one follows up (a late e-mail reply to a closed case). */
  linkedTo?: string | null;
};

export async function fileManifestation(
  deps: AppDeps,
  input: NewManifestation,
  registeredBy: string,
  opts: FileOptions = {},
): Promise<{ protocol: string; accessCode: string; view: CaseView }> {
  const receivedAt = input.receivedAt ? new Date(input.receivedAt) : new Date();
  const year = Number(
    new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: deps.timezone }).format(receivedAt),
  );
  const protocol = await nextProtocol(deps.db, year);
  const accessCode = deriveAccessCode(deps.secret, protocol);
  await saveAccessCode(deps.db, protocol, await hashAccessCode(accessCode));
  const caseInput: CaseInput = {
    protocol,
    kind: input.kind,
    subject: input.subject,
    description: input.description,
    identity: input.identity,
    channel: input.channel ?? 'web',
    citizen: input.identity === 'anonymous' ? null : (input.citizen ?? null),
    receivedAt: receivedAt.toISOString(),
    registeredBy,
    ...(opts.attachmentIds?.length ? { attachmentIds: [...opts.attachmentIds] } : {}),
    ...(opts.linkedTo ? { linkedTo: opts.linkedTo } : {}),
  };
  const start = new WithStartWorkflowOperation<typeof caseWorkflow>('caseWorkflow', {
    workflowId: protocol,
    taskQueue: deps.temporal.taskQueue,
    args: [caseInput],
    workflowIdConflictPolicy: 'FAIL',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    staticSummary: `${input.kind} via ${caseInput.channel}`,
  });
  const view = await deps.temporal.client.workflow.executeUpdateWithStart(registeredUpdate, {
    startWorkflowOperation: start,
  });
  return { protocol, accessCode, view };
}

export async function checkAccessCode(deps: AppDeps, protocol: string, code: string): Promise<boolean> {
  const hash = await findAccessCodeHash(deps.db, protocol);
  if (!hash || !code) return false;
  return verifyAccessCode(hash, code);
}

/** The live case view from the workflow (Query); 404 when there is no such case. */
export async function getCaseView(deps: AppDeps, protocol: string): Promise<CaseView> {
  if (!/^OUV-\d{4}-\d{6}$/.test(protocol)) throw notFound();
  try {
    return await deps.temporal.client.workflow.getHandle(protocol).query(caseViewQuery);
  } catch (err) {
    throw fromTemporal(err) ?? err;
  }
}

const updates = {
  assign: m.assignUpdate,
  auxiliary: m.auxiliaryUpdate,
  forward: m.forwardUpdate,
  'unit-response': m.unitResponseUpdate,
  'unit-extend': m.unitExtendUpdate,
  'request-info': m.requestInfoUpdate,
  answer: m.answerUpdate,
  extend: m.extendUpdate,
  priority: m.priorityUpdate,
  reclassify: m.reclassifyUpdate,
  note: m.noteUpdate,
  worklog: m.worklogUpdate,
  close: m.closeUpdate,
  archive: m.archiveUpdate,
  reopen: m.reopenUpdate,
  'accept-email': m.acceptEmailUpdate,
  'discard-email': m.discardEmailUpdate,
  reply: m.replyUpdate,
  accept: m.acceptUpdate,
  reject: m.rejectUpdate,
  rate: m.rateUpdate,
} as const satisfies Record<CaseAction, unknown>;

/** Runs one action as a workflow Update; validator rejections map to 409/422 (api/errors.ts). */
export async function runAction<A extends CaseAction>(
  deps: AppDeps,
  protocol: string,
  action: A,
  body: ActionBodies[A],
  actor: string,
): Promise<CaseView> {
  await getCaseView(deps, protocol); // 404 before anything else
  const handle = deps.temporal.client.workflow.getHandle(protocol);
  try {
    if (action === 'reopen') {
      const { status } = await handle.describe();
      if (status.name !== 'RUNNING')
        return await reopenCompleted(deps, protocol, body as ActionBodies['reopen'], actor);
    }
    const update = updates[action] as unknown as UpdateDefinition<CaseView, [unknown]>;
    return await handle.executeUpdate(update, { args: [{ ...(body as object), actor }] });
  } catch (err) {
    throw fromTemporal(err) ?? err;
  }
}

/** A case whose workflow already completed (after the reopen window) reopens as a new run under the
 * same workflow id, carrying the final state and history. */
async function reopenCompleted(deps: AppDeps, protocol: string, body: ActionBodies['reopen'], actor: string) {
  const handle = deps.temporal.client.workflow.getHandle<typeof caseWorkflow>(protocol);
  const last = (await handle.result()) as CaseView;
  const input: CaseInput = {
    protocol,
    kind: last.kind,
    subject: last.subject,
    description: last.description,
    identity: last.identity,
    channel: last.channel,
    citizen: last.citizen,
    receivedAt: last.receivedAt,
    registeredBy: 'citizen',
    carried: { view: last, processedMessageIds: [], firedAlerts: [] },
    reopen: { justification: body.justification, actor },
  };
  await deps.temporal.client.workflow.start<typeof caseWorkflow>('caseWorkflow', {
    workflowId: protocol,
    taskQueue: deps.temporal.taskQueue,
    args: [input],
    workflowIdConflictPolicy: 'FAIL',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
  });
  return deps.temporal.client.workflow.getHandle(protocol).executeUpdate(m.registeredUpdate);
}
