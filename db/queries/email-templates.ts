// Edited e-mail templates (db/schema/email-templates.ts): read by the notify activity at send time and by
// the admin pages; written only through api/admin/email-templates.ts (validated, audited).
import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { emailTemplateTexts } from '../schema.ts';
import { referenceDataChanged } from './reference-cache.ts';

export type EmailTemplateText = typeof emailTemplateTexts.$inferSelect;

export async function listEmailTemplateTexts(db: Database): Promise<EmailTemplateText[]> {
  return db
    .select()
    .from(emailTemplateTexts)
    .orderBy(asc(emailTemplateTexts.template), asc(emailTemplateTexts.lang));
}

/** The edited subject and body of a template in a language, or null (= the built-in template). */
export async function getEmailTemplateText(
  db: Database,
  template: string,
  lang: string,
): Promise<EmailTemplateText | null> {
  const [row] = await db
    .select()
    .from(emailTemplateTexts)
    .where(and(eq(emailTemplateTexts.template, template), eq(emailTemplateTexts.lang, lang)));
  return row ?? null;
}

export async function saveEmailTemplateText(
  db: Database,
  row: { template: string; lang: string; subject: string; body: string; updatedBy: string },
): Promise<EmailTemplateText> {
  const [saved] = await db
    .insert(emailTemplateTexts)
    .values({ ...row, updatedAt: new Date() })
    .onConflictDoUpdate({
      target: [emailTemplateTexts.template, emailTemplateTexts.lang],
      set: { subject: row.subject, body: row.body, updatedBy: row.updatedBy, updatedAt: new Date() },
    })
    .returning();
  referenceDataChanged();
  return saved as EmailTemplateText;
}

/** Back to the built-in template; returns the edited version that was removed (null: none). */
export async function deleteEmailTemplateText(
  db: Database,
  template: string,
  lang: string,
): Promise<EmailTemplateText | null> {
  const [row] = await db
    .delete(emailTemplateTexts)
    .where(and(eq(emailTemplateTexts.template, template), eq(emailTemplateTexts.lang, lang)))
    .returning();
  referenceDataChanged();
  return row ?? null;
}
