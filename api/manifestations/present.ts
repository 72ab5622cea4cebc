// The case for the viewer in front of us, through the disclosure policy (api/disclosure.ts): staff get the
// case with the reporter per the matrix and free texts redacted (knowing which e-mail actors are staff),
// the citizen the portal's view. Routes and pages call these; none shapes a case on its own.
import { cachedReference } from '../../db/queries/reference-cache.ts';
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

/**
 * The e-mails of every staff account (lower case): which actors of a case are staff, for the disclosure
 * policy. A route may start reading them before the case's Query and hand the promise to presentForStaff,
 * so the two waits overlap (issue 14, B3); a rejection is seen there, not as an unhandled one.
 */
export function readStaffEmails(deps: AppDeps): Promise<Set<string>> {
  const read = cachedReference(deps.db, 'staff.emails', () =>
    listStaff(deps.db, ['admin', 'ombudsman', 'attendant', 'unit']).then(
      (staff) => new Set(staff.map((s) => s.email.toLowerCase())),
    ),
  );
  read.catch(() => {}); // awaited by presentForStaff, or dropped when the case is not found
  return read;
}

/**
 * The case for a staff user; 404 when they may not see it. `revealed`: right after a logged reveal.
 * `staffEmails`: readStaffEmails(deps), when the caller started it earlier.
 */
export async function presentForStaff(
  deps: AppDeps,
  view: CaseView,
  user: StaffUser,
  revealed = false,
  staffEmails?: Promise<Set<string>>,
): Promise<PresentedCase> {
  const viewer = staffViewer(user);
  if (!viewer || !canSeeCase(viewer, view)) throw notFound();
  const emails = await (staffEmails ?? readStaffEmails(deps));
  return presentCaseForStaff(view, viewer, { secret: deps.secret, staffEmails: emails, revealed });
}

export function presentForCitizen(view: CaseView): CitizenCaseView {
  return presentCaseForCitizen(view);
}
