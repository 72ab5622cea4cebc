// The list's share of the disclosure policy: whose reporter a staff member may find by name or e-mail.
// The decision is api/disclosure.ts's (searchableCitizenFor); the search matches name and e-mail in one
// document, so an identity is searchable only where the viewer may see both (units: none — they never see
// a reporter's e-mail; the ouvidoria: identified only — a preserved identity is read only by a logged reveal).
import type { StaffUser } from '../auth/session.ts';
import { searchableCitizenFor, staffViewer } from '../disclosure.ts';

/** Identities (DESIGN §2) whose reporter `user` may search by name/e-mail; [] = none. */
export function reporterSearchableIdentities(user: StaffUser): readonly string[] {
  const viewer = staffViewer(user);
  if (!viewer) return [];
  const { name, email } = searchableCitizenFor(viewer);
  return name.filter((i) => email.includes(i));
}
