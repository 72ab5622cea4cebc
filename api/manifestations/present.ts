// The case for the viewer in front of us, through the disclosure policy (api/disclosure.ts): staff get the
// case with the reporter per the matrix and free texts redacted (knowing which e-mail actors are staff),
// the citizen the portal's view. Routes and pages call these; none shapes a case on its own.
import { listStaff } from '../../db/queries/users.ts';
import type { CaseView } from '../../workflows/messages.ts';
import type { StaffUser } from '../auth/session.ts';
import {
  type CitizenCaseView,
  canSeeCase,
  type PresentedCase,
  presentCaseForCitizen,
  presentCaseForStaff,
  staffViewer,
} from '../disclosure.ts';
import { notFound } from '../errors.ts';
import type { AppDeps } from '../types.ts';

/** The case for a staff user; 404 when they may not see it. `revealed`: right after a logged reveal. */
export async function presentForStaff(
  deps: AppDeps,
  view: CaseView,
  user: StaffUser,
  revealed = false,
): Promise<PresentedCase> {
  const viewer = staffViewer(user);
  if (!viewer || !canSeeCase(viewer, view)) throw notFound();
  const staff = await listStaff(deps.db, ['admin', 'ombudsman', 'attendant', 'unit']);
  const staffEmails = new Set(staff.map((s) => s.email.toLowerCase()));
  return presentCaseForStaff(view, viewer, { secret: deps.secret, staffEmails, revealed });
}

export function presentForCitizen(view: CaseView): CitizenCaseView {
  return presentCaseForCitizen(view);
}
