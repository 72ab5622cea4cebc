// The sections of the admin area, in the order the navigation shows them (views/admin/_nav.eta).
// Admins see all; the ombudsman reads the sections flagged `ombudsmanReads`.

/** A section of the admin area: its URL and its label key (views/labels/admin-*.ts). */
export type AdminSection = { href: string; label: string; ombudsmanReads?: boolean };

export const adminSections: AdminSection[] = [
  { href: '/painel/admin/usuarios', label: 'admin.nav.users' },
  { href: '/painel/admin/seguranca', label: 'admin.nav.security' },
  { href: '/painel/admin/grupos', label: 'admin.nav.groups', ombudsmanReads: true },
  { href: '/painel/admin/unidades', label: 'admin.nav.units', ombudsmanReads: true },
  { href: '/painel/admin/catalogo', label: 'admin.nav.catalogue', ombudsmanReads: true },
  { href: '/painel/admin/listas', label: 'admin.nav.lists', ombudsmanReads: true },
  { href: '/painel/admin/prazos', label: 'admin.nav.deadlines', ombudsmanReads: true },
  { href: '/painel/admin/emails', label: 'admin.nav.emails', ombudsmanReads: true },
  { href: '/painel/admin/geral', label: 'admin.nav.general' },
  { href: '/painel/admin/auditoria', label: 'admin.nav.audit', ombudsmanReads: true },
];
