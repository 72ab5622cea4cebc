// Labels of the admin area shell (pt-BR). Each admin section keeps its own labels file beside this one.
export const adminPtBR = {
  'nav.admin': 'Administração',
  'nav.people': 'Pessoas',
  'nav.reports': 'Relatórios',
  'nav.myCases': 'Minhas manifestações',
  'admin.title': 'Administração',
  'admin.intro':
    'Parâmetros do sistema: usuários, grupos, unidades, catálogo, prazos, e-mails e regras gerais. Toda alteração fica registrada na auditoria.',
  'admin.overview': 'Visão geral',
  'admin.nav.users': 'Usuários e convites',
  'admin.nav.security': 'Regras de segurança',
  'admin.nav.groups': 'Grupos de atendentes',
  'admin.nav.units': 'Unidades e centros de custo',
  'admin.nav.catalogue': 'Assuntos e serviços',
  'admin.nav.lists': 'Motivos, prioridades, situações e avaliação',
  'admin.nav.deadlines': 'Prazos e calendários',
  'admin.nav.emails': 'E-mails e notificações',
  'admin.nav.general': 'Regras gerais',
  'admin.nav.audit': 'Auditoria',
} as const;
