// Deadline alarms of a case: what fires when (warnings, breaches and escalations of the case and of
// each unit, the end of the citizen's complementation time, the automatic close after the answer).
// Deterministic: instants come from the deadlines the SLA activity planned.
//
// Timing (issue 13 item 16; `businessTimed`, patched in case.ts): a breach is recorded when it
// happens (the first instant after the due time) and its mail waits for the escalation moment (the
// first business moment after the due time); automatic archive and close happen at that business
// moment too (not at 23:59:59). case.ts skips warnings overtaken by the breach and holds the mail of
// an alarm that fires late until the next business moment.
import { CancellationScope, sleep } from '@temporalio/workflow';
import type { CaseRuntime } from './case-handlers.ts';
import { alertKey } from './case-state.ts';
import type { CaseView } from './messages.ts';
import type { Deadline } from './sla-types.ts';
import { isOpen } from './transitions.ts';

export type Alarm = {
  key: string;
  at: number;
  kind: 'warning' | 'breach' | 'escalation' | 'end';
  /** which deadline: 'case', 'unit:<code>', 'complementation', 'auto_close' */
  group: string;
  /** the deadline's due instant (ms), to tell a warning the breach has overtaken */
  dueAt: number;
  /** not before this instant (ms) may the mails this alarm records go out */
  mailAt?: number;
  /** a breach alarm is void when this escalation (which recorded the breach itself before) fired */
  supersededBy?: string;
  fire: () => Promise<void> | void;
};

type Record_ = CaseRuntime['record'];

function deadlineAlarms(
  d: Deadline,
  scope: string,
  unit: string | undefined,
  assignee: string | null,
  record: Record_,
  businessTimed: boolean,
): Alarm[] {
  if (!d.dueAt) return [];
  const dueAt = Date.parse(d.dueAt);
  const group = unit ? `${scope}:${unit}` : scope;
  const data: Record<string, string> = unit ? { unit } : {};
  const list: Alarm[] = d.warnings.map((w) => ({
    key: alertKey(scope, 'warning', w, unit),
    at: Date.parse(w),
    kind: 'warning',
    group,
    dueAt,
    fire: () => void record('sla_warning', 'system', { ...data, dueAt: d.dueAt }, 'internal'),
  }));
  if (!d.escalateAt) return list;
  const escalationKey = alertKey(scope, 'escalation', d.escalateAt, unit);
  const escalateAt = Date.parse(d.escalateAt);
  const escalation: Record<string, string | null> = unit
    ? { to: 'ombudsman', unit, dueAt: d.dueAt }
    : { to: 'ombudsman', dueAt: d.dueAt, assignee };
  if (businessTimed)
    list.push({
      key: alertKey(scope, 'breach', d.dueAt, unit),
      at: dueAt + 1,
      kind: 'breach',
      group,
      dueAt,
      mailAt: escalateAt,
      supersededBy: escalationKey,
      fire: () => void record('sla_breached', 'system', { ...data, dueAt: d.dueAt }, 'internal'),
    });
  list.push({
    key: escalationKey,
    at: escalateAt,
    kind: 'escalation',
    group,
    dueAt,
    fire: () => {
      if (!businessTimed) record('sla_breached', 'system', { ...data, dueAt: d.dueAt }, 'internal');
      record('escalated', 'system', escalation, 'internal');
    },
  });
  return list;
}

/** The earliest escalation instant (epoch ms) among `alarms`, or undefined: the NextEscalationAt attribute. */
export function nextEscalationOf(alarms: Alarm[]): number | undefined {
  const escalations = alarms.filter((a) => a.key.includes(':escalation:'));
  return escalations.length ? Math.min(...escalations.map((a) => a.at)) : undefined;
}

/** Every alarm the case's current deadlines define, fired or not (the workflow filters by key). */
export function caseAlarms(v: CaseView, record: Record_, businessTimed = false): Alarm[] {
  const list: Alarm[] = [];
  const d = v.deadline;
  if (isOpen(v.status) && v.status !== 'answered' && v.status !== 'awaiting_citizen' && d?.dueAt)
    list.push(...deadlineAlarms(d, 'case', undefined, v.assignee, record, businessTimed));
  if (v.status === 'forwarded') {
    for (const a of v.unitAssignments) {
      if (a.status !== 'pending' || !a.deadline?.dueAt) continue;
      list.push(...deadlineAlarms(a.deadline, 'unit', a.unit, null, record, businessTimed));
    }
  }
  // The end of a period: at the due instant (old runs) or at the first business moment after it.
  const endOf = (x: Deadline) => Date.parse((businessTimed && x.escalateAt) || (x.dueAt as string));
  const cd = v.complementationDeadline;
  if (v.status === 'awaiting_citizen' && cd?.dueAt) {
    list.push({
      key: alertKey('complementation', 'escalation', cd.dueAt),
      at: endOf(cd),
      kind: 'end',
      group: 'complementation',
      dueAt: Date.parse(cd.dueAt),
      fire: () => {
        v.status = 'archived';
        v.pendingQuestion = null;
        v.complementationDeadline = null;
        record('archived', 'system', {
          justification:
            'Arquivada sem resposta conclusiva: o manifestante não complementou no prazo (Decreto 9.492/2018, art. 18).',
          automatic: true,
        });
      },
    });
  }
  const ac = v.autoCloseDeadline;
  if (v.status === 'answered' && ac?.dueAt) {
    list.push({
      key: alertKey('auto_close', 'escalation', ac.dueAt),
      at: endOf(ac),
      kind: 'end',
      group: 'auto_close',
      dueAt: Date.parse(ac.dueAt),
      fire: () => {
        v.status = 'closed';
        v.autoCloseDeadline = null;
        record('closed', 'system', {
          reason: 'Encerrada automaticamente: sem manifestação do cidadão após a resposta.',
          automatic: true,
        });
      },
    });
  }
  return list;
}

/** The timer of a case's next alarm instant (epoch ms): `due` once it fired; cancelled when the instant moves. */
export type AlarmTimer = { at: number; due: boolean; scope: CancellationScope };

/** Starts a cancellable timer until `at` (epoch ms) that sets `due` when it fires. */
export function startAlarmTimer(at: number): AlarmTimer {
  const timer: AlarmTimer = { at, due: false, scope: new CancellationScope() };
  timer.scope
    .run(() => sleep(Math.max(at - Date.now(), 1)))
    .then(
      () => {
        timer.due = true;
      },
      () => {}, // cancelled: a later instant replaced it
    );
  return timer;
}
