// Search attribute keys (DESIGN §2). No PII, ever: operators filter stuck cases in the Temporal UI.
import { defineSearchAttributeKey, type SearchAttributePair, SearchAttributeType } from '@temporalio/common';
import { caseAlarms, nextEscalationOf } from './case-alarms.ts';
import type { CaseView } from './messages.ts';

export const CaseStatus = defineSearchAttributeKey('CaseStatus', SearchAttributeType.KEYWORD);
export const CaseKind = defineSearchAttributeKey('CaseKind', SearchAttributeType.KEYWORD);
export const Channel = defineSearchAttributeKey('Channel', SearchAttributeType.KEYWORD);
export const AssignedUnit = defineSearchAttributeKey('AssignedUnit', SearchAttributeType.KEYWORD);
export const AssignedTo = defineSearchAttributeKey('AssignedTo', SearchAttributeType.KEYWORD);
export const SlaState = defineSearchAttributeKey('SlaState', SearchAttributeType.KEYWORD);
export const DueAt = defineSearchAttributeKey('DueAt', SearchAttributeType.DATETIME);
export const NextEscalationAt = defineSearchAttributeKey('NextEscalationAt', SearchAttributeType.DATETIME);
export const ReopenCount = defineSearchAttributeKey('ReopenCount', SearchAttributeType.INT);
/** Steps that failed for good and wait for a repair, e.g. "projection" or "notification+projection"; unset when healthy. */
export const Stuck = defineSearchAttributeKey('Stuck', SearchAttributeType.KEYWORD);

/** name=Type pairs, for `temporal server start-dev --search-attribute` and the operator CLI. */
export const searchAttributeDefinitions: Array<[string, 'Keyword' | 'Datetime' | 'Int']> = [
  ['CaseStatus', 'Keyword'],
  ['CaseKind', 'Keyword'],
  ['Channel', 'Keyword'],
  ['AssignedUnit', 'Keyword'],
  ['AssignedTo', 'Keyword'],
  ['SlaState', 'Keyword'],
  ['DueAt', 'Datetime'],
  ['NextEscalationAt', 'Datetime'],
  ['ReopenCount', 'Int'],
  ['Stuck', 'Keyword'],
];

export const searchAttributeKeys = [
  CaseStatus,
  CaseKind,
  Channel,
  AssignedUnit,
  AssignedTo,
  SlaState,
  DueAt,
  NextEscalationAt,
  ReopenCount,
  Stuck,
];

/**
 * The search attributes a case shows operators (all but Stuck), from its view and its next escalation
 * instant (epoch ms, or undefined). The workflow's commit sets them; the filing starts the workflow with
 * them (api/manifestations/filing.ts).
 */
export function caseSearchAttributes(v: CaseView, nextEscalation: number | undefined): SearchAttributePair[] {
  return [
    { key: CaseStatus, value: v.status },
    { key: CaseKind, value: v.kind },
    { key: Channel, value: v.channel },
    { key: AssignedTo, value: v.assignee },
    { key: AssignedUnit, value: v.unitAssignments.find((a) => a.status === 'pending')?.unit ?? null },
    { key: SlaState, value: v.slaState },
    { key: DueAt, value: v.dueAt ? new Date(v.dueAt) : null },
    { key: NextEscalationAt, value: nextEscalation ? new Date(nextEscalation) : null },
    { key: ReopenCount, value: v.reopenCount },
  ] as SearchAttributePair[];
}

/**
 * The search attributes of a newly registered view, as its run's registration commit would set them: the
 * filing starts the run with them (api/manifestations/filing.ts), so that commit upserts nothing.
 */
export function registeredSearchAttributes(v: CaseView): SearchAttributePair[] {
  const alarms = caseAlarms(
    v,
    () => {
      throw new Error('a registration fires no alarm');
    },
    true,
  );
  return caseSearchAttributes(v, nextEscalationOf(alarms));
}

/** A search attribute's value, comparable (a date by its instant; unset and null alike). */
const shownValue = (value: unknown) =>
  JSON.stringify(value instanceof Date ? value.toISOString() : (value ?? null));

/**
 * The values a run's search attributes hold (`pairs`: from its start), kept up to date with `set` after
 * each upsert; `changed(pairs)`: those of `pairs` whose value differs from the one held.
 */
export function shownAttributes(pairs: SearchAttributePair[]) {
  const shown = new Map(pairs.map((a) => [a.key.name, shownValue(a.value)]));
  return {
    changed: (next: SearchAttributePair[]) =>
      next.filter((a) => (shown.get(a.key.name) ?? shownValue(null)) !== shownValue(a.value)),
    set: (upserted: SearchAttributePair[]) => {
      for (const a of upserted) shown.set(a.key.name, shownValue(a.value));
    },
  };
}
