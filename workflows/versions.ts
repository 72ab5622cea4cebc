// Which code path a case run takes where the workflow changed after cases were already running
// (Temporal patches). `applied(id)` answers `patched(id)` — true for a run that reaches the call for the
// first time, and, on replay, whether the recorded history took the new path — except in runs that the
// filing registered (CaseInput.registration, issue 14) or that were started by code of a known generation
// (CaseInput.born): those were started by code that already had every patch listed here, so they take the
// new path without recording a marker. Each marker also upserts the TemporalChangeVersion search
// attribute, and four of them (one event and one visibility write each) stood in a new case's first
// workflow task. A patch added later is checked with `patched` for older runs and goes in
// BORN_IN_GENERATION with CODE_GENERATION (workflows/messages.ts) raised, for the runs started after it.
import { patched } from '@temporalio/workflow';

/** Every patch a run started with `registration` was born with (ids as recorded in older histories). */
const BORN_WITH = new Set([
  'local-plan-and-projection',
  'acknowledgement-in-registration-task',
  'no-mail-step-for-silent-events',
  'unverified-mail',
  'unit-clocks-follow-complementation',
  'replan-commits-only-changes',
  'alarms-at-business-moments',
  'reopen-window-setting',
  'side-effect-failures',
]);

/**
 * Patches added after BORN_WITH, each with the code generation (CaseInput.born) that was born with it. A
 * patch asked only where the run first needs it can be asked in another workflow task on replay than it was
 * when recorded: a local activity that outlasts its workflow task (the worker completes the task and goes
 * on in a new one, under load) is resolved on replay within the task that recorded its marker, and the
 * code after it runs a task earlier — where no patch marker was recorded, so `patched` answers false, and
 * the marker of the next task is then "not asked for": the case is stuck (seen in the bench's soak, with
 * `notifications-in-event-task`). Runs born with the generation never ask.
 */
const BORN_IN_GENERATION = new Map<string, number>([['notifications-in-event-task', 2]]);

export type Applied = (patchId: string) => boolean;

/**
 * The version check of a run: `bornWith` is true for a run started with the filing's registration or by
 * code of generation 2 or later (every BORN_WITH patch); `generation` is the run's CaseInput.born (0 when
 * absent).
 */
export function versionCheck(bornWith: boolean, generation = 0): Applied {
  return (patchId) =>
    (bornWith && BORN_WITH.has(patchId)) ||
    generation >= (BORN_IN_GENERATION.get(patchId) ?? Number.POSITIVE_INFINITY) ||
    patched(patchId);
}
