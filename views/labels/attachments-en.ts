// Labels of attachments on the case page (English).
export const attachmentsEn = {
  'file.preview': 'Preview',
  'file.previewAlt': 'Preview of the photo (converted from HEIC to JPEG; the original is the download):',
  'file.previewOpen': 'Open preview',
} as const;
