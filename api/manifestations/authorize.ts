// Which staff may run which action on which case: ombudsman, attendants and admins run every action;
// unit staff only answer, extend their own deadline, note (internally) and log work, on cases
// forwarded to their unit.
import type { CaseView } from '../../workflows/messages.ts';
import type { StaffAction } from '../../workflows/transitions.ts';
import type { StaffUser } from '../auth/session.ts';
import { canStaffSee } from '../disclosure.ts';
import { forbidden, notFound } from '../errors.ts';

export const unitStaffActions: readonly StaffAction[] = ['unit-response', 'unit-extend', 'note', 'worklog'];

export function actionsFor(user: StaffUser, allowed: StaffAction[]): StaffAction[] {
  return user.role === 'unit' ? allowed.filter((a) => unitStaffActions.includes(a)) : allowed;
}

/** Throws 404 when the user may not see the case, 403 when the action is not theirs to run. */
export function authorizeAction(
  user: StaffUser,
  action: StaffAction,
  body: { unit?: string | undefined; visibility?: string | undefined },
  view: Pick<CaseView, 'units'>,
): void {
  if (!canStaffSee(user, view)) throw notFound();
  if (user.role !== 'unit') return;
  if (!unitStaffActions.includes(action)) throw forbidden();
  if (body.unit !== undefined && body.unit !== user.unitCode) throw forbidden();
  if (body.visibility === 'public') throw forbidden();
}
