// Labels of the catalogue areas (English).
import type { adminCataloguePtBR } from './admin-catalogue-pt-BR.ts';

export const adminCatalogueEn: Record<keyof typeof adminCataloguePtBR, string> = {
  'file.topic': 'Topic (optional)',
  'file.topic.hint': 'Choose the topic of the selected kind, if you know it. It helps route your case.',
  'file.topic.none': "Don't know / other",
  'file.item': 'Item or service (optional)',
  'file.item.none': "Don't know / other",
};
