// renderEmail(template, model) → subject (with the protocol), HTML and the plain-text part.
import { render, toPlainText } from '@react-email/render';
import { createElement, type FunctionComponent } from 'react';
import { translator } from '../i18n.ts';
import {
  Answer,
  AttachmentRefused,
  Closed,
  DeadlineExtended,
  InfoRequest,
  Receipt,
  StatusChange,
} from './citizen.tsx';
import { CustomEmail, type CustomText, fillPlaceholders } from './custom.tsx';
import type { EmailModel, EmailTemplate } from './model.ts';
import { StaffEscalated, StaffForwarded, StaffNewCase, StaffSlaWarning, StaffUpdate } from './staff.tsx';
import { emailText } from './strings.ts';

export type { EmailModel, EmailTemplate } from './model.ts';
export { emailTemplates } from './model.ts';

const components: Record<EmailTemplate, FunctionComponent<{ model: EmailModel }>> = {
  receipt: Receipt,
  status: StatusChange,
  info_request: InfoRequest,
  answer: Answer,
  deadline_extended: DeadlineExtended,
  closed: Closed,
  attachment_refused: AttachmentRefused,
  staff_new_case: StaffNewCase,
  staff_forwarded: StaffForwarded,
  staff_sla_warning: StaffSlaWarning,
  staff_escalated: StaffEscalated,
  staff_update: StaffUpdate,
};

export function emailSubject(template: EmailTemplate, model: EmailModel, custom?: CustomText | null): string {
  const t = emailText(model.lang);
  const label = translator(model.lang);
  const title: Record<EmailTemplate, () => string> = {
    receipt: () => t('receipt.subject'),
    status: () =>
      t('status.subject', { status: model.statusName ?? label(`status.${model.status}`, model.status) }),
    info_request: () => t('info.subject'),
    answer: () => t('answer.subject'),
    deadline_extended: () => t('extended.subject'),
    closed: () => t('closed.subject'),
    attachment_refused: () => t('refused.subject'),
    staff_new_case: () => t('staff.newCase.subject', { subject: model.caseSubject }),
    staff_forwarded: () =>
      `${t('staff.forwarded.subject')}${model.units.length ? `: ${model.units.join(', ')}` : ''}`,
    staff_sla_warning: () => t('staff.warning.subject'),
    staff_escalated: () => t('staff.escalated.subject'),
    staff_update: () => label(`event.${model.eventType}`, model.eventType),
  };
  // One line, no control characters (header injection), bounded length.
  const text = custom ? fillPlaceholders(custom.subject, model) : title[template]();
  const subject = `[${model.protocol}] ${text}`.replace(/[\r\n\t]+/g, ' ');
  return subject.length > 180 ? `${subject.slice(0, 177)}...` : subject;
}

/**
 * Renders a message. `custom`: the template's edited subject and body (Administração → E-mails), shown in
 * the same frame; null/undefined = the built-in template.
 */
export async function renderEmail(
  template: EmailTemplate,
  model: EmailModel,
  custom?: CustomText | null,
): Promise<{ subject: string; html: string; text: string }> {
  const element = custom
    ? createElement(CustomEmail, { model, custom, staff: template.startsWith('staff_') })
    : createElement(components[template], { model });
  const html = await render(element);
  const text = toPlainText(html);
  return { subject: emailSubject(template, model, custom), html, text };
}
