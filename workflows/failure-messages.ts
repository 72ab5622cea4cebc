// Messages about side effects that failed for good (issue 8.2): the staff-only failures Query and the
// repair Update. Clients (api/) import these objects; the logic lives in case-failures.ts.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ActorInput, CaseView, TimelineEvent } from './messages.ts';

/** A case step that runs as an activity and may fail for good. */
/** deadline: a deadline could not be planned (bad policy or calendar data); the last one stays in force. */
export type FailedStep = 'projection' | 'notification' | 'deadline';

export type CaseFailure = {
  step: FailedStep;
  /** the last error: failure type and PostgreSQL's message, never the data */
  error: string;
  since: string;
  lastAt: string;
  attempts: number;
  /** notification: the timeline events whose mail is still owed (oldest first, at most 50) */
  owed: TimelineEvent[];
};

/** What the failures Query answers (no event bodies). */
export type CaseFailureSummary = Omit<CaseFailure, 'owed'> & { owedNotifications: number };

export const failuresQuery = defineQuery<CaseFailureSummary[]>('failures');
/** Re-runs every failed step; fails with RepairFailed (the case unchanged but for the attempt) while it still fails. */
export const repairUpdate = defineUpdate<CaseView, [ActorInput]>('repair');
