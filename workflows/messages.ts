// Workflow message definitions (Updates, Signals, Queries) and their payload/view types.
// Clients (api/) import these same objects; the workflow body lives in case.ts.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CaseFailure } from './failure-messages.ts';
import type { Deadline } from './sla-types.ts';
import type { Channel, Identity, Kind, Priority, SlaState, Status, TimelineEventType } from './vocabulary.ts';

export type Citizen = { name: string; email?: string | undefined; phone?: string | undefined };

/**
 * The generation of the code that starts case runs now (CaseInput.born; workflows/versions.ts). Raise it
 * when a patch is added, with that patch's id in versions.ts BORN_IN_GENERATION.
 */
export const CODE_GENERATION = 2;

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
  attachmentIds?: string[];
  /** Protocol of the closed case this one follows up (a late reply to a closed case). */
  linkedTo?: string | null;
  /** catalogue topic and item/service chosen when filing (db/schema/catalogue.ts); absent = none */
  topic?: string | null | undefined;
  item?: string | null | undefined;
  /** attendant group the routing rules chose at registration (db/queries/routing.ts); absent = none */
  group?: string | null | undefined;
  /**
   * Set by the filing (api/manifestations/filing.ts, issue 14): the case deadline it planned and the instant
   * (ISO) at which it registered the case. The filing writes that registered view (revision 1) to the read
   * model itself and starts the run with its search attributes, so the run registers the same view without
   * planning or projecting it again (workflows/case.ts), and takes the code paths of every patch it was born
   * with without recording markers (workflows/versions.ts). Kept across continue-as-new.
   */
  registration?: { deadline: Deadline; at: string } | undefined;
  /**
   * The code generation that started the run (CODE_GENERATION): a run born with generation ≥ 2 takes the
   * path of every patch of its generation without asking `patched` (workflows/versions.ts), so it records no
   * marker and no replay can find one where the code did not ask. Absent in runs started before it. Kept
   * across continue-as-new.
   */
  born?: number | undefined;
  /** Set when a completed case is reopened or continued-as-new: the state to carry on from. */
  carried?: CarriedState;
  /** With `carried`: reopen the completed case on start (a reopen after the workflow completed). */
  reopen?: ReopenInput | undefined;
};

export type TimelineEvent = {
  seq: number;
  at: string;
  type: TimelineEventType;
  actor: string;
  /** internal events are hidden from the citizen */
  visibility: 'public' | 'internal';
  data: Record<string, string | number | boolean | null | string[]>;
};

export type UnitAssignment = {
  unit: string;
  instructions: string;
  forwardedAt: string;
  status: 'pending' | 'responded';
  response: string | null;
  respondedAt: string | null;
  deadline: Deadline | null;
  extensions: number;
};

export type Rating = {
  at: string;
  final: boolean;
  resolved: 'yes' | 'partially' | 'no' | null;
  score: number;
  comment: string | null;
};

export type CaseView = {
  protocol: string;
  kind: Kind;
  originalKind: Kind;
  topic: string | null;
  item: string | null;
  /** attendant group whose queue holds the case (routing; absent in views older than issue 10) */
  group?: string | null | undefined;
  status: Status;
  subject: string;
  description: string;
  identity: Identity;
  channel: Channel;
  citizen: Citizen | null;
  receivedAt: string;
  dueAt: string | null;
  /** the case deadline: policy, calendar version, start, pauses, extensions, explanation */
  deadline: Deadline | null;
  slaState: SlaState;
  assignee: string | null;
  auxiliaries: string[];
  units: string[];
  unitAssignments: UnitAssignment[];
  priority: Priority;
  answer: string | null;
  answeredAt: string | null;
  /** complementation: the open question and its deadline */
  pendingQuestion: string | null;
  complementationDeadline: Deadline | null;
  complementationRequests: number;
  autoCloseDeadline: Deadline | null;
  ratings: Rating[];
  workMinutes: number;
  estimateMinutes: number | null;
  /** the customer's service-order number (número da OS); absent on cases from before issue 11 */
  serviceOrder?: string | null;
  /** the opening reason (catalogue `opening_reasons.code`), for statistics */
  reasonCode?: string | null;
  reopenCount: number;
  linkedTo: string | null;
  attachmentIds: string[];
  revision: number;
  timeline: TimelineEvent[];
};

/** What a new run (reopen after completion, continue-as-new) carries from the previous one. */
export type CarriedState = {
  view: CaseView;
  processedMessageIds: string[];
  firedAlerts: string[];
  /** side effects still failing (workflows/case-failures.ts) */
  failures?: CaseFailure[] | undefined;
  /** alarm mails held until a business moment (epoch ms), carried across continue-as-new */
  heldMail?: HeldMail[];
};
/** A timeline event whose notification may not go out before `at` (epoch ms). */
export type HeldMail = { at: number; event: TimelineEvent };

export type ActorInput = { actor: string };
export type AssignInput = ActorInput & { assignee: string };
export type AuxiliaryInput = ActorInput & { attendant: string };
export type ForwardInput = ActorInput & { units: string[]; instructions: string };
export type UnitResponseInput = ActorInput & {
  unit: string;
  text: string;
  attachmentIds?: string[] | undefined;
};
export type UnitExtendInput = ActorInput & { unit: string; justification: string };
export type RequestInfoInput = ActorInput & { question: string };
export type AnswerInput = ActorInput & { text: string; attachmentIds?: string[] | undefined };
export type ExtendInput = ActorInput & { justification: string };
export type PriorityInput = ActorInput & { priority: Priority; reason?: string | undefined };
export type ReclassifyInput = ActorInput & {
  kind?: Kind | undefined;
  topic?: string | undefined;
  item?: string | undefined;
  reason: string;
  /** the group the routing rules choose for the new classification (set by the API; absent = unchanged) */
  group?: string | null | undefined;
};
export type NoteInput = ActorInput & {
  text: string;
  visibility: 'internal' | 'public';
  attachmentIds?: string[] | undefined;
};
export type WorklogInput = ActorInput & {
  minutes: number;
  description: string;
  estimateMinutes?: number | undefined;
};
export type CloseInput = ActorInput & { reason?: string | undefined };
/** Case details (issue 11 item 4); each key present is set (null clears it). */
export type DetailsInput = ActorInput & {
  serviceOrder?: string | null | undefined;
  reasonCode?: string | null | undefined;
  estimateMinutes?: number | null | undefined;
};
export type ArchiveInput = ActorInput & { justification: string };
export type ReopenInput = ActorInput & { justification: string };
/** The improvement (measure adopted) this case produced; `clear` withdraws the one recorded. */
export type ImprovementInput = ActorInput & { measure?: string | undefined; clear?: boolean | undefined };
// citizen actions (actor is 'citizen')
export type ReplyInput = ActorInput & { text: string; attachmentIds?: string[] | undefined };
export type AcceptInput = ActorInput;
export type RejectInput = ActorInput & { reason: string };
export type RateInput = ActorInput & {
  score: number;
  resolved?: 'yes' | 'partially' | 'no' | undefined;
  comment?: string | undefined;
};

/** An inbound e-mail already stored and threaded to this case (signal; `id` makes it idempotent). */
export type InboundMessage = {
  id: string;
  emailId: string;
  from: string;
  fromRole: 'citizen' | 'staff' | 'unit' | 'unknown';
  subject: string;
  text: string;
  attachmentIds: string[];
  receivedAt: string;
  /** absent (older messages) = verified; see workflows/case-inbound.ts */
  verification?: 'verified' | 'unverified';
};

/** Staff decide on an unverified e-mail kept on the case: accept it as the citizen's, or discard it. */
export type AcceptEmailInput = ActorInput & { emailId: string };
export type DiscardEmailInput = ActorInput & { emailId: string; reason?: string | undefined };

/** Files of an inbound e-mail that were not kept (`files`: "name: reason"); `public` tells the citizen. */
export type AttachmentsRefused = { id: string; emailId: string; files: string[]; public: boolean };

export type CalendarChanged = { id: string; calendarVersion: number; policyVersion?: number };

export const caseViewQuery = defineQuery<CaseView>('caseView');
/** Completes once the case is registered (deadline computed, projected); used with update-with-start. */
export const registeredUpdate = defineUpdate<CaseView>('registered');

export const assignUpdate = defineUpdate<CaseView, [AssignInput]>('assign');
export const auxiliaryUpdate = defineUpdate<CaseView, [AuxiliaryInput]>('auxiliary');
export const forwardUpdate = defineUpdate<CaseView, [ForwardInput]>('forward');
export const unitResponseUpdate = defineUpdate<CaseView, [UnitResponseInput]>('unitResponse');
export const unitExtendUpdate = defineUpdate<CaseView, [UnitExtendInput]>('unitExtend');
export const requestInfoUpdate = defineUpdate<CaseView, [RequestInfoInput]>('requestInfo');
export const answerUpdate = defineUpdate<CaseView, [AnswerInput]>('answer');
export const extendUpdate = defineUpdate<CaseView, [ExtendInput]>('extend');
export const priorityUpdate = defineUpdate<CaseView, [PriorityInput]>('priority');
export const reclassifyUpdate = defineUpdate<CaseView, [ReclassifyInput]>('reclassify');
export const noteUpdate = defineUpdate<CaseView, [NoteInput]>('note');
export const worklogUpdate = defineUpdate<CaseView, [WorklogInput]>('worklog');
export const closeUpdate = defineUpdate<CaseView, [CloseInput]>('close');
export const improvementUpdate = defineUpdate<CaseView, [ImprovementInput]>('improvement');
export const detailsUpdate = defineUpdate<CaseView, [DetailsInput]>('details');
export const archiveUpdate = defineUpdate<CaseView, [ArchiveInput]>('archive');
export const reopenUpdate = defineUpdate<CaseView, [ReopenInput]>('reopen');

export const acceptEmailUpdate = defineUpdate<CaseView, [AcceptEmailInput]>('acceptEmail');
export const discardEmailUpdate = defineUpdate<CaseView, [DiscardEmailInput]>('discardEmail');

export const replyUpdate = defineUpdate<CaseView, [ReplyInput]>('reply');
export const acceptUpdate = defineUpdate<CaseView, [AcceptInput]>('accept');
export const rejectUpdate = defineUpdate<CaseView, [RejectInput]>('reject');
export const rateUpdate = defineUpdate<CaseView, [RateInput]>('rate');

export const inboundMessageSignal = defineSignal<[InboundMessage]>('inboundMessage');
export const attachmentsRefusedSignal = defineSignal<[AttachmentsRefused]>('attachmentsRefused');
export const calendarChangedSignal = defineSignal<[CalendarChanged]>('calendarChanged');
