// Labels of the parameters pages of Administração (pt-BR): Regras gerais, Prazos e calendários, E-mails.
export const adminParamsPtBR = {
  'params.save': 'Salvar',
  'params.saved': 'Alterações salvas. Elas valem a partir de agora e ficam registradas na auditoria.',
  'params.general.title': 'Regras gerais',
  'params.general.intro':
    'Dados da organização, textos do site público e as funcionalidades oferecidas ao cidadão. Cada alteração vale imediatamente e fica na auditoria (antes → depois).',
  'params.general.org': 'Organização',
  'params.general.texts': 'Textos do site público',
  'params.general.textsHint': 'Deixe em branco para usar o texto padrão do Ouvidor.',
  'params.general.builtIn': 'Texto padrão',
  'params.general.features': 'Funcionalidades',
  'params.general.cases': 'Encerramento e reabertura',
  'params.setting.org.name': 'Nome da organização',
  'params.setting.org.logoUrl': 'Endereço do logotipo',
  'params.setting.org.contact': 'Contato',
  'params.setting.org.intakeAddress': 'E-mail de entrada da ouvidoria',
  'params.setting.site.texts': 'Textos do site',
  'params.setting.features.anonymousFiling': 'Aceitar manifestações anônimas',
  'params.setting.features.citizenAccounts': 'Contas de cidadão (Minhas manifestações)',
  'params.setting.features.publicAttachments': 'Anexos no formulário público',
  'params.setting.features.partialRatings': 'Avaliação parcial durante o atendimento',
  'params.setting.features.transparencyPage': 'Página pública de transparência',
  'params.setting.cases.autoCloseDays': 'Encerramento automático após a resposta (dias corridos)',
  'params.setting.cases.reopenWindowDays': 'Prazo para reabertura após o encerramento (dias)',
  'params.hint.org.name': 'Aparece no topo do site público e nos e-mails. Em branco: “Ouvidoria”.',
  'params.hint.org.logoUrl': 'Um endereço https://… ou um caminho começando por /. Em branco: sem logotipo.',
  'params.hint.org.contact':
    'Endereço, telefone e horário de atendimento, mostrados no rodapé do site público.',
  'params.hint.org.intakeAddress':
    'Mensagens sem protocolo enviadas a este endereço abrem uma manifestação. Em branco: o endereço da configuração do servidor.',
  'params.hint.features.anonymousFiling':
    'Desligado: o formulário público e a API recusam manifestações anônimas (a equipe ainda registra as recebidas por telefone ou carta).',
  'params.hint.features.citizenAccounts':
    'Desligado: o cidadão acompanha apenas com protocolo e código de acesso.',
  'params.hint.features.publicAttachments':
    'Desligado: o formulário público e a resposta do cidadão não têm campo de arquivo, e envios são recusados.',
  'params.hint.features.partialRatings':
    'Desligado: o cidadão só avalia depois de receber a resposta conclusiva.',
  'params.hint.features.transparencyPage': 'Desligado: a página /transparencia não é publicada.',
  'params.hint.cases.autoCloseDays':
    'Sem reação do cidadão, a manifestação respondida é encerrada depois destes dias. Vale também para as respondidas em aberto, que recalculam o prazo.',
  'params.hint.cases.reopenWindowDays':
    'Depois de encerrada, a manifestação aceita reabertura e respostas tardias no mesmo atendimento por estes dias.',
  'params.siteText.home.title': 'Título da página inicial',
  'params.siteText.home.intro': 'Apresentação da página inicial',
  'params.siteText.app.tagline': 'Subtítulo ao lado do nome',
} as const;
