// The list's share of the disclosure policy: whose reporter a staff member may find by name or e-mail.
// Mirrors presentCase (api/manifestations/present.ts): nobody sees an anonymous reporter, unit staff
// never see a preserved one. Kept in this one function so api/disclosure.ts can fold it in.
import type { StaffUser } from '../auth/session.ts';

/** Identities (DESIGN §2) whose reporter `user` may search by name/e-mail; [] = none. */
export function reporterSearchableIdentities(user: StaffUser): readonly string[] {
  if (user.role === 'unit') return ['identified'];
  return ['identified', 'preserved'];
}
