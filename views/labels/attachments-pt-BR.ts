// Labels of attachments on the case page (pt-BR): previews of photos browsers cannot show (HEIC).
export const attachmentsPtBR = {
  'file.preview': 'Prévia',
  'file.previewAlt': 'Prévia da foto (convertida de HEIC para JPEG; o original é o arquivo baixado):',
  'file.previewOpen': 'Abrir prévia',
} as const;
