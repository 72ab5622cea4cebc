// Shared setup for workflow tests on the run's dev server: a worker with the real (pure) deadline
// planner and recording fakes for projection and notification.

import { randomBytes } from 'node:crypto';
import {
  Client,
  Connection,
  WithStartWorkflowOperation,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { expect, inject } from 'vitest';
import { DEFAULT_POLICIES, planWith } from '../../activities/deadline.ts';
import type { Activities } from '../../activities/index.ts';
import { type CalendarOverride, defaultCalendar, nextBusinessMoment } from '../../activities/sla/calendar.ts';
import type { caseWorkflow } from '../../workflows/case.ts';
import { type CaseInput, type CaseView, registeredUpdate } from '../../workflows/messages.ts';
import { withCommitStep } from '../support/commit-step.ts';
import { testDataConverter } from '../support/payload-codec.ts';

try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {}

export async function startWorkflowWorker() {
  const address = inject('temporalAddress');
  const namespace = inject('temporalNamespace');
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace, dataConverter: testDataConverter });
  const taskQueue = `wf-${randomBytes(4).toString('hex')}`;
  const projected: CaseView[] = [];
  const notified: string[] = [];
  /** every notification activity call, `protocol:seq:type:local|remote` */
  const steps: string[] = [];
  /** event types whose mail goes out through an outside transport (sent by the regular activity) */
  const external = new Set<string>();
  /** event types whose messages the database refuses for good (a non-retryable failure) */
  const refused = new Set<string>();
  const planned: string[] = [];
  /** holidays the test adds to the calendar (e.g. to move a due date) */
  const overrides: CalendarOverride[] = [];
  const activities: Activities = withCommitStep({
    async projectCase(view) {
      projected.push(view);
    },
    async reopenWindowDays() {
      return 30;
    },
    async businessMomentFrom({ at }) {
      return nextBusinessMoment(defaultCalendar(), at);
    },
    async planDeadline(req) {
      planned.push(`${req.scope}:${req.start}:${req.extensions}:${req.pauses.length}`);
      return planWith(
        req,
        DEFAULT_POLICIES[req.scope],
        { ...defaultCalendar(), overrides },
        1 + overrides.length,
      );
    },
    async notifyCaseEvent({ view, event, local }) {
      // The local step stores the messages; only mail that must leave the machine (Resend, SMTP: the test
      // lists the event types in `external`) is left for the regular activity, which sends it.
      const step = local ? 'local' : 'remote';
      steps.push(`${view.protocol}:${event.seq}:${event.type}:${step}`);
      if (refused.has(event.type))
        throw ApplicationFailure.nonRetryable(
          'database refused the data (SQLSTATE 23514)',
          'PermanentDataError',
        );
      const pending = local && external.has(event.type) ? 1 : 0;
      if (!pending) notified.push(`${view.protocol}:${event.seq}:${event.type}`);
      return { pending };
    },
  });
  const nativeConnection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace,
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities,
    dataConverter: testDataConverter,
  });
  const running = worker.run();

  let n = 0;
  async function startCase(over: Partial<CaseInput> & { historyLimit?: number } = {}) {
    n += 1;
    const protocol = `OUV-2026-${(randomBytes(3).readUIntBE(0, 3) % 900000) + 100000 + n}`;
    const input: CaseInput & { historyLimit?: number } = {
      protocol,
      kind: 'complaint',
      subject: 'Buraco na rua',
      description: 'Buraco grande na rua principal',
      identity: 'identified',
      channel: 'web',
      citizen: { name: 'João', email: 'joao@example.org' },
      receivedAt: new Date().toISOString(),
      registeredBy: 'citizen',
      ...over,
    };
    const view = await client.workflow.executeUpdateWithStart(registeredUpdate, {
      startWorkflowOperation: new WithStartWorkflowOperation<typeof caseWorkflow>('caseWorkflow', {
        workflowId: protocol,
        taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      }),
    });
    return { protocol, view, handle: client.workflow.getHandle<typeof caseWorkflow>(protocol) };
  }

  async function stop() {
    worker.shutdown();
    await running;
    await nativeConnection.close();
    await connection.close();
  }

  return {
    client,
    taskQueue,
    projected,
    notified,
    steps,
    external,
    refused,
    planned,
    overrides,
    startCase,
    stop,
  };
}

export async function updateFailure(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await p.then(
    () => {
      throw new Error('expected the update to be rejected');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

export const staff = (actor = 'ana@org') => ({ actor });
