// The one transition table: which action may run in which status, and where it leads.
// Used by the Update validators, the main loop and the UI (which controls to show).
import type { Status } from './vocabulary.ts';

export const staffActions = [
  'assign',
  'auxiliary',
  'forward',
  'unit-response',
  'unit-extend',
  'request-info',
  'answer',
  'extend',
  'priority',
  'reclassify',
  'note',
  'worklog',
  'close',
  'archive',
  'reopen',
  'accept-email',
  'discard-email',
  'improvement',
  'details',
] as const;
export type StaffAction = (typeof staffActions)[number];

export const citizenActions = ['reply', 'accept', 'reject', 'rate'] as const;
export type CitizenAction = (typeof citizenActions)[number];

export type CaseAction = StaffAction | CitizenAction;

export const openStatuses: readonly Status[] = [
  'received',
  'in_progress',
  'forwarded',
  'awaiting_citizen',
  'answered',
];
export const finalStatuses: readonly Status[] = ['closed', 'approved', 'archived'];
const working: readonly Status[] = ['in_progress', 'forwarded', 'awaiting_citizen'];
const all: readonly Status[] = [...openStatuses, ...finalStatuses];

type Rule = { from: readonly Status[]; to: Status | 'same' | ((from: Status) => Status) };

export const transitions: Record<CaseAction, Rule> = {
  assign: { from: ['received', ...working], to: (s) => (s === 'received' ? 'in_progress' : s) },
  auxiliary: { from: working, to: 'same' },
  forward: { from: ['in_progress', 'forwarded'], to: 'forwarded' },
  'unit-response': { from: ['forwarded'], to: 'same' }, // back to in_progress when every unit answered
  'unit-extend': { from: ['forwarded'], to: 'same' },
  'request-info': { from: ['in_progress', 'forwarded'], to: 'awaiting_citizen' },
  answer: { from: ['in_progress'], to: 'answered' },
  extend: { from: ['received', ...working], to: 'same' },
  priority: { from: openStatuses, to: 'same' },
  reclassify: { from: openStatuses, to: 'same' },
  note: { from: all, to: 'same' },
  worklog: { from: all, to: 'same' },
  close: { from: ['in_progress', 'answered'], to: 'closed' },
  archive: { from: ['received', ...working], to: 'archived' },
  reopen: { from: finalStatuses, to: 'in_progress' },
  // decisions on an unverified e-mail (workflows/case-inbound.ts); accepting it acts as the citizen's reply
  'accept-email': { from: all, to: (s) => (s === 'awaiting_citizen' ? 'in_progress' : s) },
  'discard-email': { from: all, to: 'same' },
  // the improvement this case produced (reports: measures adopted); once answered (workflows/case-improvement.ts)
  improvement: { from: ['answered', 'closed', 'approved'], to: 'same' },
  details: { from: all, to: 'same' },
  reply: {
    from: ['awaiting_citizen', 'in_progress', 'forwarded', 'received'],
    to: (s) => (s === 'awaiting_citizen' ? 'in_progress' : s),
  },
  accept: { from: ['answered'], to: 'approved' },
  reject: { from: ['answered'], to: 'in_progress' },
  rate: {
    from: ['in_progress', 'forwarded', 'awaiting_citizen', 'answered', 'closed', 'approved'],
    to: 'same',
  },
};

export function canRun(action: CaseAction, status: Status): boolean {
  return transitions[action].from.includes(status);
}

export function nextStatus(action: CaseAction, status: Status): Status {
  const to = transitions[action].to;
  if (to === 'same') return status;
  return typeof to === 'function' ? to(status) : to;
}

/** Staff actions allowed now, in table order (what the case page offers). */
export function allowedActions(status: Status): StaffAction[] {
  return staffActions.filter((a) => canRun(a, status));
}

export function allowedCitizenActions(status: Status): CitizenAction[] {
  return citizenActions.filter((a) => canRun(a, status));
}

export const isOpen = (status: Status) => openStatuses.includes(status);
export const isFinal = (status: Status) => finalStatuses.includes(status);
