// Workflow message definitions (Updates, Signals, Queries) and their payload/view types.
// Clients (api/) import these same objects; the workflow body lives in case.ts.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Channel, Identity, Kind, Priority, SlaState, Status, TimelineEventType } from './vocabulary.ts';

export type Citizen = { name: string; email?: string | undefined; phone?: string | undefined };

export type CaseInput = {
  protocol: string;
  kind: Kind;
  subject: string;
  description: string;
  identity: Identity;
  channel: Channel;
  citizen: Citizen | null;
  receivedAt: string;
  /** Who registered it: 'citizen' for the public form, a staff e-mail otherwise. */
  registeredBy: string;
};

export type TimelineEvent = {
  seq: number;
  at: string;
  type: TimelineEventType;
  actor: string;
  /** internal events are hidden from the citizen */
  visibility: 'public' | 'internal';
  data: Record<string, string | number | boolean | null>;
};

export type Deadline = { dueAt: string | null; policy: string; explanation: string[] };

export type CaseView = {
  protocol: string;
  kind: Kind;
  status: Status;
  subject: string;
  description: string;
  identity: Identity;
  channel: Channel;
  citizen: Citizen | null;
  receivedAt: string;
  dueAt: string | null;
  deadline: Deadline | null;
  slaState: SlaState;
  assignee: string | null;
  units: string[];
  priority: Priority;
  answer: string | null;
  revision: number;
  timeline: TimelineEvent[];
};

export type ActorInput = { actor: string };
export type AssignInput = ActorInput & { assignee: string };
export type AnswerInput = ActorInput & { text: string };
export type CloseInput = ActorInput & { reason?: string | undefined };

export const caseViewQuery = defineQuery<CaseView>('caseView');
/** Completes once the case is registered (deadline computed, projected); used with update-with-start. */
export const registeredUpdate = defineUpdate<CaseView>('registered');
export const assignUpdate = defineUpdate<CaseView, [AssignInput]>('assign');
export const answerUpdate = defineUpdate<CaseView, [AnswerInput]>('answer');
export const closeUpdate = defineUpdate<CaseView, [CloseInput]>('close');
