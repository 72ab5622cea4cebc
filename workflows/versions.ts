// Which code path a case run takes where the workflow changed after cases were already running
// (Temporal patches). `applied(id)` answers `patched(id)` — true for a run that reaches the call for the
// first time, and, on replay, whether the recorded history took the new path — except in runs that the
// filing registered (CaseInput.registration, issue 14): those were started by code that already had every
// patch listed here, so they take the new path without recording a marker. Each marker also upserts the
// TemporalChangeVersion search attribute, and four of them (one event and one visibility write each) stood
// in a new case's first workflow task. A patch added after this list must be checked with `patched` (or
// added to a new list for runs started after it).
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

export type Applied = (patchId: string) => boolean;

/** The version check of a run: `bornWith` is true for a run started with the filing's registration. */
export function versionCheck(bornWith: boolean): Applied {
  return (patchId) => (bornWith && BORN_WITH.has(patchId)) || patched(patchId);
}
