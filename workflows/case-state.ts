// Case state helpers: the initial view, its registration, timeline recording, SLA state from a deadline.
// Deterministic: the workflow runs them, and so does the filing request (api/manifestations/filing.ts),
// which projects the registered view before the workflow's first commit; one code, so the two cannot drift.
import type { CaseInput, CaseView, TimelineEvent } from './messages.ts';
import type { Deadline, DeadlineRequest, DeadlineScope, Interruption, Pause } from './sla-types.ts';
import type { SlaState, TimelineEventType } from './vocabulary.ts';

export function initialView(input: CaseInput): CaseView {
  if (input.carried) return input.carried.view;
  return {
    protocol: input.protocol,
    kind: input.kind,
    originalKind: input.kind,
    topic: input.topic ?? null,
    item: input.item ?? null,
    group: input.group ?? null,
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
    auxiliaries: [],
    units: [],
    unitAssignments: [],
    priority: 'normal',
    answer: null,
    answeredAt: null,
    pendingQuestion: null,
    complementationDeadline: null,
    complementationRequests: 0,
    autoCloseDeadline: null,
    ratings: [],
    workMinutes: 0,
    estimateMinutes: null,
    reopenCount: 0,
    linkedTo: input.linkedTo ?? null,
    attachmentIds: input.attachmentIds ?? [],
    revision: 0,
    timeline: [],
  };
}

/**
 * What a deadline of `scope` is planned from for the case `v` (activities/deadline.ts `planDeadline`): the
 * case's kind, priority and classification, where counting starts (ISO instant), the complementation
 * pauses, the extensions granted so far and an interruption of the clock.
 */
export function deadlineRequest(
  v: CaseView,
  scope: DeadlineScope,
  start: string,
  extensions: number,
  pauses: Pause[] = [],
  interruption?: Interruption,
): DeadlineRequest {
  return {
    scope,
    kind: v.kind,
    priority: v.priority,
    item: v.item,
    topic: v.topic ?? null,
    start,
    pauses,
    extensions,
    ...(interruption ? { interruption } : {}),
  };
}

/** The deadline request of a new case's registration: the case deadline, counted from `receivedAt`. */
export const registrationDeadlineRequest = (v: CaseView): DeadlineRequest =>
  deadlineRequest(v, 'case', v.receivedAt, 0);

/**
 * Registers a new case's view `v` (from initialView): its first case deadline (`null` only in the filing
 * request when planning failed there: the workflow then records the failure and its own fallback), the
 * due date, the `received` event at `now` (epoch ms; returned: the workflow mails it) and the SLA state at
 * `now`. The revision stays 0: the workflow's commit makes it 1 (and so does the filing, which writes the
 * registered view of a run started with CaseInput.registration: the same view, revision 1).
 */
export function registerView(
  v: CaseView,
  input: Pick<CaseInput, 'registeredBy'>,
  deadline: Deadline | null,
  now: number,
): TimelineEvent {
  v.deadline = deadline;
  v.dueAt = deadline?.dueAt ?? null;
  const actor = input.registeredBy === 'citizen' ? 'citizen' : input.registeredBy;
  const event = appendEvent(v, 'received', actor, { channel: v.channel, linkedTo: v.linkedTo });
  event.at = new Date(now).toISOString();
  v.slaState = slaStateOf(v.deadline, now);
  return event;
}

export function appendEvent(
  view: CaseView,
  type: TimelineEventType,
  actor: string,
  data: TimelineEvent['data'] = {},
  visibility: TimelineEvent['visibility'] = 'public',
): TimelineEvent {
  const last = view.timeline[view.timeline.length - 1];
  const event: TimelineEvent = {
    seq: (last?.seq ?? 0) + 1,
    at: new Date().toISOString(),
    type,
    actor,
    visibility,
    data,
  };
  view.timeline.push(event);
  return event;
}

/** The SLA state of a running deadline at `now`, given which alerts already fired. */
export function slaStateOf(deadline: Deadline | null, now: number): SlaState {
  if (!deadline?.dueAt) return deadline ? 'paused' : 'ok';
  if (now > Date.parse(deadline.dueAt)) return 'breached';
  if (deadline.warnings.some((w) => Date.parse(w) <= now)) return 'warning';
  return 'ok';
}

export const alertKey = (
  scope: string,
  what: 'warning' | 'breach' | 'escalation',
  at: string,
  unit?: string,
) => `${scope}${unit ? `:${unit}` : ''}:${what}:${at}`;
