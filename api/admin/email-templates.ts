// REST: /api/v1/admin/email-templates — the subject and body of each e-mail template per language, edited
// in Administração → E-mails (admin writes; admin and ombudsman read). Placeholders are filled at send
// time (views/emails/custom.tsx); every value is escaped by the React Email frame.
//   GET    /email-templates                          → {placeholders, items: [{template, lang, edited, subject, body}]}
//   GET    /email-templates/{template}/{lang}         → one (the built-in draft when not edited)
//   PUT    /email-templates/{template}/{lang} {subject, body} → the saved one   (422 unknown placeholder…)
//   DELETE /email-templates/{template}/{lang}         → back to the built-in (reset)
//   POST   /email-templates/{template}/{lang}/preview {subject, body} → {subject, html, text} for a sample case
import { Hono } from 'hono';
import { z } from 'zod';
import {
  deleteEmailTemplateText,
  type EmailTemplateText,
  getEmailTemplateText,
  listEmailTemplateTexts,
  saveEmailTemplateText,
} from '../../db/queries/email-templates.ts';
import { audit } from '../../db/queries/users.ts';
import { placeholderNames, unknownPlaceholders } from '../../views/emails/custom.tsx';
import { builtInDraft } from '../../views/emails/drafts.ts';
import {
  type EmailModel,
  type EmailTemplate,
  emailTemplates,
  renderEmail,
} from '../../views/emails/index.ts';
import { type Language, languages } from '../../views/i18n.ts';
import { requireRole } from '../auth/session.ts';
import { notFound } from '../errors.ts';
import { readJson } from '../json.ts';
import { clientIp } from '../rate-limit.ts';
import type { AppDeps, AppEnv } from '../types.ts';

export const emailTemplateRoutes = new Hono<AppEnv>();

const knownPlaceholdersOnly = (v: string, ctx: z.RefinementCtx) => {
  const unknown = unknownPlaceholders(v);
  if (unknown.length)
    ctx.addIssue({
      code: 'custom',
      message: `Marcador desconhecido: ${unknown.map((u) => `{{${u}}}`).join(', ')}. Use: ${placeholderNames.map((p) => `{{${p}}}`).join(', ')}.`,
      path: [],
    });
};

export const emailTemplateBodySchema = z.strictObject(
  {
    subject: z
      .string({ error: 'Informe o assunto.' })
      .trim()
      .min(1, 'Informe o assunto.')
      .max(150, 'Assunto: no máximo 150 caracteres.')
      .refine((s) => !/[\r\n]/.test(s), 'O assunto tem uma linha só.')
      .superRefine(knownPlaceholdersOnly),
    body: z
      .string({ error: 'Informe o texto.' })
      .trim()
      .min(1, 'Informe o texto.')
      .max(5000, 'Texto: no máximo 5000 caracteres.')
      .superRefine(knownPlaceholdersOnly),
  },
  {
    error: (iss) =>
      iss.code === 'unrecognized_keys' ? `Campo(s) desconhecido(s): ${iss.keys.join(', ')}` : undefined,
  },
);
export type EmailTemplateBody = z.infer<typeof emailTemplateBodySchema>;

/** The template and language of a path, or 404. */
export function templateKey(template: string, lang: string): { template: EmailTemplate; lang: Language } {
  if (!(emailTemplates as readonly string[]).includes(template))
    throw notFound('Modelo de e-mail não encontrado');
  if (!(languages as readonly string[]).includes(lang)) throw notFound('Idioma não encontrado (pt-BR ou en)');
  return { template: template as EmailTemplate, lang: lang as Language };
}

/** What an admin edits: the edited version, or the built-in draft. */
export function presentTemplate(template: EmailTemplate, lang: Language, row: EmailTemplateText | null) {
  const draft = builtInDraft(template, lang);
  return {
    template,
    lang,
    edited: Boolean(row),
    subject: row?.subject ?? draft.subject,
    body: row?.body ?? draft.body,
    updatedAt: row?.updatedAt.toISOString() ?? null,
    updatedBy: row?.updatedBy ?? null,
  };
}

/** A sample case for previews (no real person, no real secret). */
export function sampleModel(
  deps: Pick<AppDeps, 'publicUrl' | 'timezone'>,
  template: EmailTemplate,
  lang: Language,
): EmailModel {
  const staff = template.startsWith('staff_');
  const due = new Date(Date.now() + 30 * 86_400_000).toISOString();
  return {
    lang,
    timeZone: deps.timezone,
    protocol: 'OUV-2026-000123',
    caseSubject: 'Iluminação pública apagada na Rua das Flores',
    kind: 'complaint',
    status: template === 'answer' ? 'answered' : template === 'closed' ? 'closed' : 'in_progress',
    channel: 'web',
    identity: 'identified',
    eventType: 'received',
    dueAt: due,
    recipientName: staff ? 'Ana Atendente' : 'Maria Souza',
    reporter: { name: 'Maria Souza', email: 'maria@example.org' },
    description: 'Os postes da Rua das Flores estão apagados há uma semana.',
    text: 'Os postes foram religados em 02/12.',
    date: due,
    units: ['Secretaria de Obras'],
    links: {
      follow: staff ? '' : `${deps.publicUrl}/acompanhar/OUV-2026-000123`,
      staffCase: `${deps.publicUrl}/painel/casos/OUV-2026-000123`,
      accept: `${deps.publicUrl}/acompanhar/OUV-2026-000123`,
      reject: `${deps.publicUrl}/acompanhar/OUV-2026-000123`,
      rate: `${deps.publicUrl}/acompanhar/OUV-2026-000123`,
    },
    accessCode: template === 'receipt' ? 'EXEM-PLO0-0000' : null,
  };
}

export const previewTemplate = (
  deps: Pick<AppDeps, 'publicUrl' | 'timezone'>,
  template: EmailTemplate,
  lang: Language,
  text: EmailTemplateBody,
) => renderEmail(template, sampleModel(deps, template, lang), text);

/** Saves an edited template; audited `{entity:'email_template', id, before, after}`. */
export async function saveTemplate(
  deps: Pick<AppDeps, 'db'>,
  actor: { email: string; ip: string | null },
  template: EmailTemplate,
  lang: Language,
  body: EmailTemplateBody,
) {
  const before = await getEmailTemplateText(deps.db, template, lang);
  const row = await saveEmailTemplateText(deps.db, { template, lang, ...body, updatedBy: actor.email });
  await audit(deps.db, {
    actor: actor.email,
    action: 'email_template.saved',
    ip: actor.ip,
    data: {
      entity: 'email_template',
      id: `${template}/${lang}`,
      before: before ? { subject: before.subject, body: before.body } : null,
      after: { subject: row.subject, body: row.body },
    },
  });
  return row;
}

/** Back to the built-in template (audited); false when it was not edited. */
export async function resetTemplate(
  deps: Pick<AppDeps, 'db'>,
  actor: { email: string; ip: string | null },
  template: EmailTemplate,
  lang: Language,
) {
  const removed = await deleteEmailTemplateText(deps.db, template, lang);
  if (!removed) return false;
  await audit(deps.db, {
    actor: actor.email,
    action: 'email_template.reset',
    ip: actor.ip,
    data: {
      entity: 'email_template',
      id: `${template}/${lang}`,
      before: { subject: removed.subject, body: removed.body },
      after: null,
    },
  });
  return true;
}

emailTemplateRoutes.get('/email-templates', async (c) => {
  requireRole(c, ['admin', 'ombudsman']);
  const rows = await listEmailTemplateTexts(c.var.deps.db);
  const items = emailTemplates.flatMap((template) =>
    languages.map((lang) =>
      presentTemplate(template, lang, rows.find((r) => r.template === template && r.lang === lang) ?? null),
    ),
  );
  return c.json({ placeholders: placeholderNames, items });
});

emailTemplateRoutes.get('/email-templates/:template/:lang', async (c) => {
  requireRole(c, ['admin', 'ombudsman']);
  const { template, lang } = templateKey(c.req.param('template'), c.req.param('lang'));
  return c.json(presentTemplate(template, lang, await getEmailTemplateText(c.var.deps.db, template, lang)));
});

emailTemplateRoutes.put('/email-templates/:template/:lang', async (c) => {
  const user = requireRole(c, ['admin']);
  const { template, lang } = templateKey(c.req.param('template'), c.req.param('lang'));
  const body = emailTemplateBodySchema.parse(await readJson(c.req.raw));
  const row = await saveTemplate(c.var.deps, { email: user.email, ip: clientIp(c) }, template, lang, body);
  return c.json(presentTemplate(template, lang, row));
});

emailTemplateRoutes.delete('/email-templates/:template/:lang', async (c) => {
  const user = requireRole(c, ['admin']);
  const { template, lang } = templateKey(c.req.param('template'), c.req.param('lang'));
  await resetTemplate(c.var.deps, { email: user.email, ip: clientIp(c) }, template, lang);
  return c.json(presentTemplate(template, lang, null));
});

emailTemplateRoutes.post('/email-templates/:template/:lang/preview', async (c) => {
  requireRole(c, ['admin', 'ombudsman']);
  const { template, lang } = templateKey(c.req.param('template'), c.req.param('lang'));
  const body = emailTemplateBodySchema.parse(await readJson(c.req.raw));
  return c.json(await previewTemplate(c.var.deps, template, lang, body));
});
