// Deadline alarms of a case: what fires when (warnings and escalations of the case and of each unit,
// the end of the citizen's complementation time, the automatic close after the answer). Deterministic:
// instants come from the deadlines the SLA activity planned.
import type { CaseRuntime } from './case-handlers.ts';
import { alertKey } from './case-state.ts';
import type { CaseView } from './messages.ts';
import { isOpen } from './transitions.ts';

export type Alarm = { key: string; at: number; fire: () => Promise<void> | void };

/** Every alarm the case's current deadlines define, fired or not (the workflow filters by key). */
export function caseAlarms(v: CaseView, record: CaseRuntime['record']): Alarm[] {
  const list: Alarm[] = [];
  const d = v.deadline;
  if (isOpen(v.status) && v.status !== 'answered' && v.status !== 'awaiting_citizen' && d?.dueAt) {
    for (const w of d.warnings) {
      list.push({
        key: alertKey('case', 'warning', w),
        at: Date.parse(w),
        fire: () => void record('sla_warning', 'system', { dueAt: d.dueAt }, 'internal'),
      });
    }
    if (d.escalateAt) {
      list.push({
        key: alertKey('case', 'escalation', d.escalateAt),
        at: Date.parse(d.escalateAt),
        fire: () => {
          record('sla_breached', 'system', { dueAt: d.dueAt }, 'internal');
          record(
            'escalated',
            'system',
            { to: 'ombudsman', dueAt: d.dueAt, assignee: v.assignee },
            'internal',
          );
        },
      });
    }
  }
  if (v.status === 'forwarded') {
    for (const a of v.unitAssignments) {
      const ud = a.deadline;
      if (a.status !== 'pending' || !ud?.dueAt) continue;
      for (const w of ud.warnings) {
        list.push({
          key: alertKey('unit', 'warning', w, a.unit),
          at: Date.parse(w),
          fire: () => void record('sla_warning', 'system', { unit: a.unit, dueAt: ud.dueAt }, 'internal'),
        });
      }
      if (ud.escalateAt) {
        list.push({
          key: alertKey('unit', 'escalation', ud.escalateAt, a.unit),
          at: Date.parse(ud.escalateAt),
          fire: () => {
            record('sla_breached', 'system', { unit: a.unit, dueAt: ud.dueAt }, 'internal');
            record('escalated', 'system', { to: 'ombudsman', unit: a.unit, dueAt: ud.dueAt }, 'internal');
          },
        });
      }
    }
  }
  const cd = v.complementationDeadline;
  if (v.status === 'awaiting_citizen' && cd?.dueAt) {
    list.push({
      key: alertKey('complementation', 'escalation', cd.dueAt),
      at: Date.parse(cd.dueAt),
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
      at: Date.parse(ac.dueAt),
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
