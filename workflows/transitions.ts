// The one transition table: which staff action may run in which status, and where it leads.
// Used by Update validators, the API (409 before calling Temporal is never needed: the validator
// rejects) and the UI (which buttons to show).
import type { Status } from './vocabulary.ts';

export type CaseAction = 'assign' | 'answer' | 'close';

export const transitions: Record<CaseAction, { from: readonly Status[]; to: Status | 'same' }> = {
  assign: { from: ['received', 'in_progress'], to: 'in_progress' },
  answer: { from: ['in_progress'], to: 'answered' },
  close: { from: ['in_progress', 'answered'], to: 'closed' },
};

export const finalStatuses: readonly Status[] = ['closed', 'approved', 'archived'];

export function canRun(action: CaseAction, status: Status): boolean {
  return transitions[action].from.includes(status);
}

export function nextStatus(action: CaseAction, status: Status): Status {
  const to = transitions[action].to;
  return to === 'same' ? status : to;
}

/** Actions allowed now, in table order (what the case page offers). */
export function allowedActions(status: Status): CaseAction[] {
  return (Object.keys(transitions) as CaseAction[]).filter((a) => canRun(a, status));
}
