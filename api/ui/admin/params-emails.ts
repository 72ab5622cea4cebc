// Administração → E-mails e notificações (/painel/admin/emails): which event mails whom (notification
// rules), and the editable templates per event and language with a preview for a sample case and a
// reset to the built-in text. Writes go through the same functions as the REST routes (audited).
import { type Context, Hono } from 'hono';
import { listNotificationRules, setNotificationRule } from '../../../db/queries/email.ts';
import { getEmailTemplateText, listEmailTemplateTexts } from '../../../db/queries/email-templates.ts';
import { audit } from '../../../db/queries/users.ts';
import { notificationRecipients } from '../../../db/schema.ts';
import { placeholderNames } from '../../../views/emails/custom.tsx';
import { emailTemplates } from '../../../views/emails/model.ts';
import { languages } from '../../../views/i18n.ts';
import { staffOnlyEvents, timelineEventTypes } from '../../../workflows/vocabulary.ts';
import {
  emailTemplateBodySchema,
  presentTemplate,
  previewTemplate,
  resetTemplate,
  saveTemplate,
  templateKey,
} from '../../admin/email-templates.ts';
import { requireRole } from '../../auth/session.ts';
import { zodFieldErrors } from '../../errors.ts';
import { clientIp } from '../../rate-limit.ts';
import type { AppEnv } from '../../types.ts';
import { isPartial, render } from '../render.ts';
import { adminSections } from './sections.ts';

export const emailPages = new Hono<AppEnv>();
const BASE = '/painel/admin/emails';
type C = Context<AppEnv>;

function common(c: C) {
  const user = requireRole(c, ['admin', 'ombudsman']);
  return {
    adminSections: adminSections.filter((s) => user.role === 'admin' || s.ombudsmanReads),
    canEdit: user.role === 'admin',
    fragment: isPartial(c),
  };
}

/** event → recipient → enabled, for every event type and recipient. */
async function ruleMatrix(c: C) {
  const m = new Map(
    timelineEventTypes.map((t) => [t, Object.fromEntries(notificationRecipients.map((r) => [r, false]))]),
  );
  for (const row of await listNotificationRules(c.var.deps.db)) {
    const set = m.get(row.eventType as (typeof timelineEventTypes)[number]);
    if (set && row.recipient in set) set[row.recipient] = row.enabled;
  }
  return m;
}

emailPages.get(BASE, async (c) => {
  const rows = await listEmailTemplateTexts(c.var.deps.db);
  const matrix = await ruleMatrix(c);
  return render(c, 'admin/params-emails', {
    title: 'params.emails.title',
    ...common(c),
    events: timelineEventTypes.map((t) => ({
      type: t,
      citizenAllowed: !staffOnlyEvents.includes(t),
      rules: matrix.get(t),
    })),
    recipients: notificationRecipients,
    templates: emailTemplates.map((template) => ({
      template,
      langs: languages.map((lang) => ({
        lang,
        edited: rows.some((r) => r.template === template && r.lang === lang),
      })),
    })),
    done: c.req.query('feito') ?? '',
  });
});

emailPages.post(`${BASE}/regras`, async (c) => {
  const user = requireRole(c, ['admin']);
  const form = await c.req.parseBody();
  const before = await ruleMatrix(c);
  const changed: Record<string, { before: Record<string, boolean>; after: Record<string, boolean> }> = {};
  for (const eventType of timelineEventTypes) {
    const was = before.get(eventType) ?? {};
    const now: Record<string, boolean> = {};
    for (const recipient of notificationRecipients) {
      const on =
        form[`${eventType}.${recipient}`] === 'on' &&
        (recipient !== 'citizen' || !staffOnlyEvents.includes(eventType));
      now[recipient] = on;
      if (on !== was[recipient])
        await setNotificationRule(c.var.deps.db, { eventType, recipient, enabled: on });
    }
    if (JSON.stringify(now) !== JSON.stringify(was)) changed[eventType] = { before: was, after: now };
  }
  if (Object.keys(changed).length)
    await audit(c.var.deps.db, {
      actor: user.email,
      action: 'notification_rule.updated',
      ip: clientIp(c),
      data: {
        entity: 'notification_rules',
        id: Object.keys(changed).join(','),
        before: Object.fromEntries(Object.entries(changed).map(([k, v]) => [k, v.before])),
        after: Object.fromEntries(Object.entries(changed).map(([k, v]) => [k, v.after])),
      },
    });
  return c.redirect(`${BASE}?feito=regras`, 303);
});

// ---------- one template ----------
async function templatePage(
  c: C,
  key: { template: string; lang: string },
  data: {
    values?: { subject: string; body: string };
    errors?: Record<string, string[]>;
    notice?: string;
  } = {},
  status: 200 | 422 = 200,
) {
  const { template, lang } = templateKey(key.template, key.lang);
  const current = presentTemplate(template, lang, await getEmailTemplateText(c.var.deps.db, template, lang));
  return render(
    c,
    'admin/params-email-template',
    {
      title: 'params.template.title',
      ...common(c),
      current,
      values: data.values ?? { subject: current.subject, body: current.body },
      errors: data.errors ?? {},
      notice: data.notice ?? c.req.query('feito') ?? '',
      placeholders: placeholderNames,
      base: `${BASE}/modelos/${template}/${lang}`,
    },
    status,
  );
}

const formText = (f: Record<string, unknown>) => ({
  subject: typeof f.subject === 'string' ? f.subject : '',
  body: typeof f.body === 'string' ? f.body : '',
});

emailPages.get(`${BASE}/modelos/:template/:lang`, (c) => templatePage(c, c.req.param()));

emailPages.post(`${BASE}/modelos/:template/:lang`, async (c) => {
  const user = requireRole(c, ['admin']);
  const { template, lang } = templateKey(c.req.param('template'), c.req.param('lang'));
  const values = formText(await c.req.parseBody());
  const parsed = emailTemplateBodySchema.safeParse(values);
  if (!parsed.success)
    return templatePage(c, { template, lang }, { values, errors: zodFieldErrors(parsed.error) }, 422);
  await saveTemplate(c.var.deps, { email: user.email, ip: clientIp(c) }, template, lang, parsed.data);
  return c.redirect(`${BASE}/modelos/${template}/${lang}?feito=salvo`, 303);
});

emailPages.post(`${BASE}/modelos/:template/:lang/restaurar`, async (c) => {
  const user = requireRole(c, ['admin']);
  const { template, lang } = templateKey(c.req.param('template'), c.req.param('lang'));
  await resetTemplate(c.var.deps, { email: user.email, ip: clientIp(c) }, template, lang);
  return c.redirect(`${BASE}/modelos/${template}/${lang}?feito=restaurado`, 303);
});

/**
 * The preview frame: the message for a sample case, as a mail client shows it. GET: the saved version;
 * POST (the form's "Pré-visualizar", targeted at the frame): the text being edited, not saved. Served with
 * its own CSP (inline styles of e-mail HTML, nothing else; sandboxed).
 */
async function previewFrame(c: C, text: { subject: string; body: string }) {
  requireRole(c, ['admin', 'ombudsman']);
  const { template, lang } = templateKey(c.req.param('template') ?? '', c.req.param('lang') ?? '');
  c.header(
    'Content-Security-Policy',
    "default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; frame-ancestors 'self'; sandbox",
  );
  const parsed = emailTemplateBodySchema.safeParse(text);
  if (!parsed.success) {
    const msgs = Object.values(zodFieldErrors(parsed.error)).flat();
    return c.html(`<!doctype html><meta charset="utf-8"><p>${msgs.map(escapeHtml).join('<br>')}</p>`, 422);
  }
  const mail = await previewTemplate(c.var.deps, template, lang, parsed.data);
  return c.html(mail.html.replace('<body', `<body data-subject="${escapeHtml(mail.subject)}"`));
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] as string,
  );

emailPages.get(`${BASE}/modelos/:template/:lang/previa`, async (c) => {
  const { template, lang } = templateKey(c.req.param('template'), c.req.param('lang'));
  const current = presentTemplate(template, lang, await getEmailTemplateText(c.var.deps.db, template, lang));
  return previewFrame(c, { subject: current.subject, body: current.body });
});

emailPages.post(`${BASE}/modelos/:template/:lang/previa`, async (c) =>
  previewFrame(c, formText(await c.req.parseBody())),
);
