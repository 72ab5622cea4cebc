// Side effects that failed for good (issue 8.2). An activity error that retrying cannot fix arrives as a
// non-retryable ApplicationFailure (activities/failures.ts). The case does not freeze: the failure is kept
// here, shown to staff as an internal timeline entry (`step_failed`), and exposed to operators by the `Stuck`
// search attribute (the failed steps, e.g. "projection"); Updates and Queries go on. The projection is tried
// again on every later commit; `repair` re-runs every failed step once the cause is fixed. A deadline that
// cannot be planned (bad policy or calendar data) keeps the last planned one — or none — in force, with a
// line in its explanation, until `repair` plans every deadline again. Deterministic.
import {
  ActivityFailure,
  ApplicationFailure,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { CommitResult } from '../activities/commit.ts';
import { requireText } from './case-handler-kit.ts';
import { appendEvent } from './case-state.ts';
import { type CaseFailure, type FailedStep, failuresQuery, repairUpdate } from './failure-messages.ts';
import type { CaseView, TimelineEvent } from './messages.ts';
import * as sa from './search-attributes.ts';
import type { AppliedPolicy, Deadline, DeadlineRequest } from './sla-types.ts';
import type { Applied } from './versions.ts';

const MAX_OWED = 50;

/**
 * True for an activity failure that retrying cannot fix. A regular activity's arrives wrapped in an
 * ActivityFailure; a local activity's (workflows/case-activities.ts) as the ApplicationFailure itself.
 */
export function isPermanent(err: unknown): err is ActivityFailure | ApplicationFailure {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure && cause.nonRetryable === true;
}

/** A part's failure the commit step answered (activities/commit.ts), as the failure it was. */
const permanent = (f: { type: string; message: string }) =>
  ApplicationFailure.nonRetryable(f.message, f.type);

function describe(err: ActivityFailure | ApplicationFailure): string {
  const cause = (err instanceof ActivityFailure ? err.cause : err) as ApplicationFailure;
  return `${cause.type ?? 'Error'}: ${cause.message}`.slice(0, 500);
}

export type FailureRuntime = {
  view: CaseView;
  /** projects the current state (the projection activity) */
  project: () => Promise<void>;
  /** mails one timeline event (the notification activity) */
  notify: (event: TimelineEvent) => Promise<unknown>;
  /** projects the current state and stores the messages of `events` in one step (activities/commit.ts) */
  commitStep?: (events: TimelineEvent[]) => Promise<CommitResult>;
  /** sends what `store` left (the regular activity) */
  send?: (event: TimelineEvent) => Promise<unknown>;
  /** plans every running deadline again (a failure lands in `unplanned`) */
  replan?: () => Promise<void>;
  /** commits the view (revision, search attributes, projection) */
  commit?: () => Promise<unknown>;
  /** the run's version check (versions.ts) */
  applied: Applied;
};

/** The policy of a deadline that could never be planned: no due date, no extension, until repaired. */
const unplannedPolicy: AppliedPolicy = {
  id: 'unplanned',
  name: 'Prazo não calculado (falha nos dados de prazo)',
  version: 0,
  unit: 'calendar_days',
  amount: 0,
  extensionAmount: 0,
  maxExtensions: 0,
  complementation: 'interrupt_once',
};

export function caseFailures(rt: FailureRuntime, carried: CaseFailure[] = []) {
  const failures = new Map<FailedStep, CaseFailure>(carried.map((f) => [f.step, f]));
  const v = rt.view;

  function publish() {
    const steps = [...failures.keys()].sort();
    upsertSearchAttributes([{ key: sa.Stuck, value: steps.length ? steps.join('+') : null }]);
  }

  /** Records a permanent failure of `step` (rethrows anything else: that one is still being retried). */
  function failed(step: FailedStep, err: unknown, owed?: TimelineEvent) {
    if (!isPermanent(err) || !rt.applied('side-effect-failures')) throw err;
    const now = new Date().toISOString();
    const known = failures.get(step);
    const f: CaseFailure = known ?? { step, error: '', since: now, lastAt: now, attempts: 0, owed: [] };
    f.error = describe(err);
    f.lastAt = now;
    f.attempts += 1;
    if (owed && !f.owed.some((e) => e.seq === owed.seq)) f.owed = [...f.owed, owed].slice(-MAX_OWED);
    if (!known) {
      failures.set(step, f);
      appendEvent(v, 'step_failed', 'system', { step, error: f.error }, 'internal');
      publish();
    }
  }

  function resolved(step: FailedStep, actor: string) {
    if (!failures.delete(step)) return;
    appendEvent(v, 'step_repaired', actor, { step }, 'internal');
    publish();
  }

  /** Projects; a permanent failure is recorded, and a success after one clears it (and projects that). */
  async function project(): Promise<void> {
    try {
      await rt.project();
    } catch (err) {
      failed('projection', err);
      return;
    }
    if (failures.has('projection')) {
      resolved('projection', 'system');
      await project();
    }
  }

  async function notify(event: TimelineEvent, via = rt.notify): Promise<void> {
    try {
      await via(event);
    } catch (err) {
      failed('notification', err, event);
    }
  }

  /**
   * Projects and stores the messages of `events` in one step (rt.commitStep). Each part's permanent failure
   * is recorded as its own step (`projection`; `notification`, the event owed), and a projection that
   * succeeds after a failure clears it, as `project` does. Resolves to one flag per event: true when some of
   * its messages are left for the regular activity (`notify`).
   */
  async function commitStep(events: TimelineEvent[]): Promise<boolean[]> {
    let result: CommitResult;
    try {
      result = await rt.commitStep!(events);
    } catch (err) {
      failed('projection', err); // rethrown unless permanent
      for (const event of events) failed('notification', err, event);
      return events.map(() => false);
    }
    const { projection, mail } = result;
    if ('failed' in projection) failed('projection', permanent(projection.failed));
    else if (failures.has('projection')) {
      resolved('projection', 'system');
      await project();
    }
    return mail.map((m, i) => {
      if ('ok' in m) return m.ok.pending > 0;
      failed('notification', permanent(m.failed), events[i]);
      return false;
    });
  }

  /**
   * A deadline the planning activity refused for good (isPermanent): recorded as the `deadline` step, and
   * the previous deadline of that scope kept in force (or none: no due date, no alarms) with the request's
   * start, pauses and extensions, so a repair plans exactly what was asked. Anything else is rethrown.
   */
  function unplanned(req: DeadlineRequest, err: unknown, previous?: Deadline | null): Deadline {
    failed('deadline', err);
    const why = `Prazo não recalculado: ${describe(err as ActivityFailure)}. Vale o prazo anterior${
      previous?.dueAt ? '' : ' (nenhum)'
    } até a correção dos dados e o reparo (Falhas → Reparar).`;
    const base = previous ?? {
      dueAt: null,
      warnings: [],
      escalateAt: null,
      policy: unplannedPolicy,
      calendarVersion: 0,
      explanation: [],
    };
    return {
      ...base,
      scope: req.scope,
      start: req.start,
      pauses: req.pauses,
      extensions: req.extensions,
      interruption: req.interruption,
      explanation: [why, ...base.explanation.filter((l) => !l.startsWith('Prazo não recalculado:'))],
    };
  }

  async function repair(actor: string): Promise<void> {
    const deadline = failures.get('deadline');
    if (deadline && rt.replan) {
      const attempts = deadline.attempts;
      await rt.replan();
      if (failures.get('deadline')?.attempts === attempts) resolved('deadline', actor);
      await rt.commit?.();
    }
    const owed = failures.get('notification');
    if (owed) {
      const still: TimelineEvent[] = [];
      for (const event of owed.owed) {
        try {
          await rt.notify(event);
        } catch (err) {
          failed('notification', err);
          still.push(event);
        }
      }
      owed.owed = still;
      if (!still.length) resolved('notification', actor);
    }
    if (failures.has('projection')) {
      try {
        await rt.project();
        resolved('projection', actor);
        await project(); // writes the `step_repaired` entry too
      } catch (err) {
        failed('projection', err);
      }
    } else if (owed && !failures.has('notification')) {
      await project();
    }
    const left = [...failures.values()];
    if (left.length)
      throw ApplicationFailure.nonRetryable(
        `Still failing: ${left.map((f) => `${f.step} (${f.error})`).join('; ')}`,
        'RepairFailed',
      );
  }

  setHandler(failuresQuery, () =>
    [...failures.values()].map(({ owed, ...f }) => ({ ...f, owedNotifications: owed.length })),
  );
  setHandler(
    repairUpdate,
    async ({ actor }) => {
      await repair(actor);
      return v;
    },
    {
      validator: (input) => {
        requireText(input?.actor, 'actor');
        if (!failures.size)
          throw ApplicationFailure.nonRetryable(
            'Nothing to repair: no step of this case is failing',
            'NothingToRepair',
          );
      },
    },
  );

  return {
    project,
    notify: (event: TimelineEvent) => notify(event),
    commitStep,
    send: (event: TimelineEvent) => notify(event, rt.send ?? rt.notify),
    unplanned,
    /** what continue-as-new carries */
    carried: () => [...failures.values()],
  };
}
