// Edited e-mail templates (Administração → E-mails): subject and body per built-in template and language.
// No row = the built-in React Email template. Placeholders ({{protocolo}}…) are filled at send time
// (views/emails/custom.tsx); citizen secrets are never stored here nor, in clear, in the mail log.
import { pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { tstz } from './columns.ts';

export const emailTemplateTexts = pgTable(
  'email_template_texts',
  {
    /** views/emails/model.ts emailTemplates: 'receipt', 'answer', … */
    template: text('template').notNull(),
    /** 'pt-BR' | 'en' */
    lang: text('lang').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
    updatedBy: text('updated_by'),
  },
  (t) => [primaryKey({ columns: [t.template, t.lang] })],
);
