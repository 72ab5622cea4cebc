// Labels of the admin area shell (English).
import type { adminPtBR } from './admin-pt-BR.ts';

export const adminEn: Record<keyof typeof adminPtBR, string> = {
  'nav.admin': 'Administration',
  'nav.people': 'People',
  'nav.reports': 'Reports',
  'nav.myCases': 'My cases',
  'admin.title': 'Administration',
  'admin.intro':
    'System parameters: users, groups, units, catalogue, deadlines, e-mails and general rules. Every change is recorded in the audit log.',
  'admin.overview': 'Overview',
  'admin.nav.users': 'Users and invitations',
  'admin.nav.security': 'Security rules',
  'admin.nav.groups': 'Attendant groups',
  'admin.nav.units': 'Units and cost centres',
  'admin.nav.catalogue': 'Topics and services',
  'admin.nav.lists': 'Reasons, priorities, statuses and rating',
  'admin.nav.deadlines': 'Deadlines and calendars',
  'admin.nav.emails': 'E-mails and notifications',
  'admin.nav.general': 'General rules',
  'admin.nav.audit': 'Audit log',
};
