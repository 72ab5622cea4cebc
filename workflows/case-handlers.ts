// Staff Update handlers of the case workflow (citizen ones: case-citizen-handlers.ts). Each changes
// state, records the timeline event and commits; validators come from case-handler-kit.ts.
import { registerCitizenHandlers } from './case-citizen-handlers.ts';
import { registerDetailsHandlers } from './case-details.ts';
import { alreadyDone, handlerKit, invalid, requireText, rule } from './case-handler-kit.ts';
import { registerImprovementHandler } from './case-improvement.ts';
import type { CaseView, TimelineEvent, UnitAssignment } from './messages.ts';
import * as m from './messages.ts';
import type { Deadline } from './sla-types.ts';
import { nextStatus } from './transitions.ts';
import type { Applied } from './versions.ts';
import type { TimelineEventType } from './vocabulary.ts';

export type CaseRuntime = {
  view: CaseView;
  /** the run's version check (workflows/versions.ts) */
  applied: Applied;
  isRegistered: () => boolean;
  record: (
    type: TimelineEventType,
    actor: string,
    data?: TimelineEvent['data'],
    visibility?: TimelineEvent['visibility'],
  ) => TimelineEvent;
  commit: () => Promise<CaseView>;
  /** re-plan the case deadline, optionally restarting the count at `restartFrom` */
  replanCase: (opts?: { restartFrom?: string; extend?: boolean }) => Promise<void>;
  /** (re-)plan a unit's deadline from its forward (or the reply that restarted it), keeping its pauses */
  planUnit: (assignment: UnitAssignment) => Promise<Deadline>;
  startComplementation: () => Promise<void>;
  endComplementation: (at: string) => Promise<void>;
  startAutoClose: () => Promise<void>;
};

/** An extension is asked for before the deadline passes, unless the policy allows late extensions
 * (`allowLateExtension`; Lei 13.460/2017 art. 16 extends a running deadline, so the default is no). */
function refuseLateExtension(d: Deadline | null | undefined, what: string) {
  if (!d?.dueAt || d.policy.allowLateExtension) return;
  if (Date.now() > Date.parse(d.dueAt))
    rule(
      `${what} passed at ${d.dueAt}: it can no longer be extended (the policy ${d.policy.id} does not allow late extensions)`,
    );
}

export function registerCaseHandlers(rt: CaseRuntime) {
  const v = rt.view;
  const on = handlerKit(rt);

  on(
    m.assignUpdate,
    'assign',
    (i) => {
      requireText(i.assignee, 'assignee');
      // state guard: a repeated assign (a keyless retry) must not add a second timeline entry
      if (v.status !== 'received' && v.assignee === i.assignee)
        alreadyDone(`The case is already assigned to ${i.assignee}`);
    },
    (i) => {
      v.status = nextStatus('assign', v.status);
      v.assignee = i.assignee;
      rt.record('assigned', i.actor, { assignee: i.assignee }, 'internal');
    },
  );

  on(
    m.auxiliaryUpdate,
    'auxiliary',
    (i) => {
      requireText(i.attendant, 'attendant');
      if (v.auxiliaries.includes(i.attendant) || v.assignee === i.attendant)
        invalid('attendant', 'already working on this case');
    },
    (i) => {
      v.auxiliaries.push(i.attendant);
      rt.record('auxiliary_added', i.actor, { attendant: i.attendant }, 'internal');
    },
  );

  on(
    m.forwardUpdate,
    'forward',
    (i) => {
      if (!Array.isArray(i.units) || i.units.length === 0) invalid('units', 'choose at least one unit');
      requireText(i.instructions, 'instructions');
      const pending = v.unitAssignments.filter((a) => a.status === 'pending').map((a) => a.unit);
      const dup = i.units.find((u) => pending.includes(u));
      // state guard: even a keyless duplicate forward cannot leave two pending assignments to one unit
      if (dup) alreadyDone(`The case is already waiting for ${dup}`);
    },
    async (i) => {
      const now = new Date().toISOString();
      for (const unit of i.units) {
        const assignment: UnitAssignment = {
          unit,
          instructions: i.instructions,
          forwardedAt: now,
          status: 'pending',
          response: null,
          respondedAt: null,
          deadline: null,
          extensions: 0,
        };
        assignment.deadline = await rt.planUnit(assignment);
        v.unitAssignments.push(assignment);
        if (!v.units.includes(unit)) v.units.push(unit);
      }
      v.status = nextStatus('forward', v.status);
      rt.record('forwarded', i.actor, { units: i.units, instructions: i.instructions }, 'internal');
    },
  );

  on(
    m.unitResponseUpdate,
    'unit-response',
    (i) => {
      requireText(i.unit, 'unit');
      requireText(i.text, 'text', 5);
      if (!v.unitAssignments.some((a) => a.unit === i.unit && a.status === 'pending')) {
        if (v.unitAssignments.some((a) => a.unit === i.unit))
          alreadyDone(`${i.unit} has already answered this forward`);
        invalid('unit', `no pending forward to ${i.unit}`);
      }
    },
    (i) => {
      const a = v.unitAssignments.find((x) => x.unit === i.unit && x.status === 'pending')!;
      a.status = 'responded';
      a.response = i.text;
      a.respondedAt = new Date().toISOString();
      rt.record(
        'unit_responded',
        i.actor,
        { unit: i.unit, text: i.text, attachmentIds: i.attachmentIds ?? [] },
        'internal',
      );
      if (v.unitAssignments.every((x) => x.status === 'responded')) v.status = 'in_progress';
    },
  );

  on(
    m.unitExtendUpdate,
    'unit-extend',
    (i) => {
      requireText(i.justification, 'justification', 10);
      const a = v.unitAssignments.find((x) => x.unit === i.unit && x.status === 'pending');
      if (!a) invalid('unit', `no pending forward to ${i.unit}`);
      if (a.deadline && a.extensions >= a.deadline.policy.maxExtensions)
        rule('The unit deadline was already extended the maximum number of times');
      refuseLateExtension(a.deadline, `The deadline of unit ${i.unit}`);
    },
    async (i) => {
      const a = v.unitAssignments.find((x) => x.unit === i.unit && x.status === 'pending')!;
      a.extensions += 1;
      a.deadline = await rt.planUnit(a);
      rt.record(
        'deadline_extended',
        i.actor,
        { unit: i.unit, justification: i.justification, dueAt: a.deadline.dueAt },
        'internal',
      );
    },
  );

  on(
    m.requestInfoUpdate,
    'request-info',
    (i) => requireText(i.question, 'question', 10),
    async (i) => {
      v.status = nextStatus('request-info', v.status);
      v.pendingQuestion = i.question;
      v.complementationRequests += 1;
      rt.record('info_requested', i.actor, { question: i.question });
      await rt.startComplementation();
    },
  );

  on(
    m.answerUpdate,
    'answer',
    (i) => requireText(i.text, 'text', 10),
    async (i) => {
      v.status = nextStatus('answer', v.status);
      v.answer = i.text;
      v.answeredAt = new Date().toISOString();
      rt.record('answered', i.actor, { text: i.text, attachmentIds: i.attachmentIds ?? [] });
      await rt.startAutoClose();
    },
  );

  on(
    m.extendUpdate,
    'extend',
    (i) => {
      requireText(i.justification, 'justification', 10);
      const d = v.deadline;
      if (d && d.extensions >= d.policy.maxExtensions)
        rule('The deadline was already extended the maximum number of times allowed');
      refuseLateExtension(d, 'The deadline');
    },
    async (i) => {
      await rt.replanCase({ extend: true });
      rt.record('deadline_extended', i.actor, { justification: i.justification, dueAt: v.dueAt });
    },
  );

  on(
    m.priorityUpdate,
    'priority',
    (i) => {
      if (!['low', 'normal', 'high', 'urgent'].includes(i.priority)) invalid('priority', 'unknown priority');
      if (i.priority === v.priority) invalid('priority', 'the case already has this priority');
    },
    async (i) => {
      const from = v.priority;
      v.priority = i.priority;
      rt.record('priority_changed', i.actor, { from, to: i.priority, reason: i.reason ?? null }, 'internal');
      await rt.replanCase();
    },
  );

  on(
    m.reclassifyUpdate,
    'reclassify',
    (i) => {
      requireText(i.reason, 'reason', 5);
      if (!i.kind && !i.topic && !i.item) invalid('kind', 'change the kind, the topic or the item');
    },
    async (i) => {
      const from = { kind: v.kind, topic: v.topic, item: v.item };
      if (i.kind) v.kind = i.kind;
      if (i.topic) v.topic = i.topic;
      if (i.item) v.item = i.item;
      const fromGroup = v.group ?? null;
      if (i.group !== undefined) v.group = i.group;
      rt.record(
        'reclassified',
        i.actor,
        {
          fromKind: from.kind,
          toKind: v.kind,
          fromTopic: from.topic,
          toTopic: v.topic,
          fromItem: from.item,
          toItem: v.item,
          ...(i.group !== undefined ? { fromGroup, toGroup: v.group ?? null } : {}),
          reason: i.reason,
        },
        'internal',
      );
      await rt.replanCase();
    },
  );

  on(
    m.noteUpdate,
    'note',
    (i) => {
      requireText(i.text, 'text', 2);
      if (i.visibility !== 'internal' && i.visibility !== 'public')
        invalid('visibility', 'internal or public');
    },
    (i) => {
      rt.record('note_added', i.actor, { text: i.text, attachmentIds: i.attachmentIds ?? [] }, i.visibility);
    },
  );

  on(
    m.worklogUpdate,
    'worklog',
    (i) => {
      if (!Number.isInteger(i.minutes) || i.minutes <= 0 || i.minutes > 24 * 60)
        invalid('minutes', 'minutes between 1 and 1440');
      requireText(i.description, 'description', 3);
      if (i.estimateMinutes !== undefined && (!Number.isInteger(i.estimateMinutes) || i.estimateMinutes <= 0))
        invalid('estimateMinutes', 'a positive number of minutes');
    },
    (i) => {
      v.workMinutes += i.minutes;
      if (i.estimateMinutes !== undefined) v.estimateMinutes = i.estimateMinutes;
      rt.record(
        'work_logged',
        i.actor,
        { minutes: i.minutes, description: i.description, totalMinutes: v.workMinutes },
        'internal',
      );
    },
  );

  on(
    m.closeUpdate,
    'close',
    () => {},
    (i) => {
      v.status = nextStatus('close', v.status);
      v.autoCloseDeadline = null;
      rt.record('closed', i.actor, { reason: i.reason ?? null });
    },
  );

  on(
    m.archiveUpdate,
    'archive',
    (i) => {
      requireText(i.justification, 'justification', 10);
      if (v.kind === 'praise' && v.unitAssignments.length === 0)
        rule('A praise cannot be archived before it is forwarded to the praised unit');
    },
    (i) => {
      v.status = nextStatus('archive', v.status);
      v.pendingQuestion = null;
      v.complementationDeadline = null;
      rt.record('archived', i.actor, { justification: i.justification });
    },
  );

  on(
    m.reopenUpdate,
    'reopen',
    (i) => requireText(i.justification, 'justification', 10),
    async (i) => {
      v.status = nextStatus('reopen', v.status);
      v.reopenCount += 1;
      v.autoCloseDeadline = null;
      rt.record('reopened', i.actor, { justification: i.justification, reopenCount: v.reopenCount });
      await rt.replanCase({ restartFrom: new Date().toISOString() });
    },
  );

  registerCitizenHandlers(rt, on);
  registerImprovementHandler(rt, on);
  registerDetailsHandlers(rt, on);
}
