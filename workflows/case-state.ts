// Case state helpers: the initial view, timeline recording, SLA state from a deadline. Deterministic.
import type { CaseInput, CaseView, TimelineEvent } from './messages.ts';
import type { Deadline } from './sla-types.ts';
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
