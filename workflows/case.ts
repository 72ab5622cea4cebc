// The case workflow: one run per manifestation, workflow id = protocol. The only writer of case state.
// Every change goes through `commit`: bump revision, timeline event, search attributes,
// current details, projection to PostgreSQL.
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import {
  type AnswerInput,
  type AssignInput,
  answerUpdate,
  assignUpdate,
  type CaseInput,
  type CaseView,
  type CloseInput,
  caseViewQuery,
  closeUpdate,
  registeredUpdate,
  type TimelineEvent,
} from './messages.ts';
import * as sa from './search-attributes.ts';
import { type CaseAction, canRun, finalStatuses, nextStatus } from './transitions.ts';
import type { TimelineEventType } from './vocabulary.ts';

const { planDeadline, projectCase } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export async function caseWorkflow(input: CaseInput): Promise<CaseView> {
  const state: CaseView = {
    protocol: input.protocol,
    kind: input.kind,
    status: 'received',
    subject: input.subject,
    description: input.description,
    identity: input.identity,
    channel: input.channel,
    citizen: input.citizen,
    receivedAt: input.receivedAt,
    dueAt: null,
    deadline: null,
    slaState: 'ok',
    assignee: null,
    units: [],
    priority: 'normal',
    answer: null,
    revision: 0,
    timeline: [],
  };
  let registered = false;

  function record(
    type: TimelineEventType,
    actor: string,
    data: TimelineEvent['data'] = {},
    internal = false,
  ) {
    state.timeline.push({
      seq: state.timeline.length + 1,
      at: new Date().toISOString(),
      type,
      actor,
      visibility: internal ? 'internal' : 'public',
      data,
    });
  }

  async function commit(): Promise<CaseView> {
    state.revision += 1;
    upsertSearchAttributes([
      { key: sa.CaseStatus, value: state.status },
      { key: sa.CaseKind, value: state.kind },
      { key: sa.Channel, value: state.channel },
      { key: sa.AssignedTo, value: state.assignee },
      { key: sa.AssignedUnit, value: state.units[0] ?? null },
      { key: sa.SlaState, value: state.slaState },
      { key: sa.DueAt, value: state.dueAt ? new Date(state.dueAt) : null },
    ]);
    setCurrentDetailsLine();
    await projectCase(JSON.parse(JSON.stringify(state)) as CaseView);
    return state;
  }

  function setCurrentDetailsLine() {
    const parts = [`**${state.status}**`, state.kind];
    if (state.assignee) parts.push(`assigned to ${state.assignee}`);
    if (state.dueAt) parts.push(`due ${state.dueAt}`);
    parts.push(`SLA ${state.slaState}`, `revision ${state.revision}`);
    setCurrentDetails(parts.join(' · '));
  }

  function guard(action: CaseAction) {
    if (!registered) throw ApplicationFailure.nonRetryable('Case is still being registered', 'NotReady');
    if (!canRun(action, state.status)) {
      throw ApplicationFailure.nonRetryable(
        `Action "${action}" is not allowed while the case is "${state.status}"`,
        'TransitionNotAllowed',
      );
    }
  }

  function requireText(value: string | undefined, field: string) {
    if (!value?.trim()) {
      throw ApplicationFailure.nonRetryable(`${field} is required`, 'InvalidPayload', { field });
    }
  }

  setHandler(caseViewQuery, () => state);

  setHandler(registeredUpdate, async () => {
    await condition(() => registered);
    return state;
  });

  setHandler(
    assignUpdate,
    async ({ assignee, actor }: AssignInput) => {
      state.status = nextStatus('assign', state.status);
      state.assignee = assignee;
      record('assigned', actor, { assignee }, true);
      return commit();
    },
    {
      validator: ({ assignee }: AssignInput) => {
        guard('assign');
        requireText(assignee, 'assignee');
      },
    },
  );

  setHandler(
    answerUpdate,
    async ({ text, actor }: AnswerInput) => {
      state.status = nextStatus('answer', state.status);
      state.answer = text;
      record('answered', actor, { text });
      return commit();
    },
    {
      validator: ({ text }: AnswerInput) => {
        guard('answer');
        requireText(text, 'text');
      },
    },
  );

  setHandler(
    closeUpdate,
    async ({ reason, actor }: CloseInput) => {
      state.status = nextStatus('close', state.status);
      record('closed', actor, { reason: reason ?? null });
      return commit();
    },
    { validator: (_: CloseInput) => guard('close') },
  );

  // Registration: the deadline is computed by an activity (calendars and timezones never in workflow code).
  state.deadline = await planDeadline({ kind: state.kind, receivedAt: state.receivedAt });
  state.dueAt = state.deadline.dueAt;
  record('received', input.registeredBy === 'citizen' ? 'citizen' : input.registeredBy, {
    channel: state.channel,
  });
  await commit();
  registered = true;

  await condition(() => finalStatuses.includes(state.status));
  await condition(allHandlersFinished);
  return state;
}
