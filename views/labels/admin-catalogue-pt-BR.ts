// Labels of the catalogue areas (issue 10 items 2–5): topic/item choices in the forms, attendant groups,
// units and cost centres, catalogue and lists admin pages (pt-BR).
export const adminCataloguePtBR = {
  'file.topic': 'Assunto (opcional)',
  'file.topic.hint': 'Escolha o assunto do tipo selecionado, se souber. Ajuda a encaminhar sua manifestação.',
  'file.topic.none': 'Não sei / outro',
  'file.item': 'Item ou serviço (opcional)',
  'file.item.none': 'Não sei / outro',
} as const;
