// Search attribute keys (DESIGN §2). No PII, ever: operators filter stuck cases in the Temporal UI.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

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
