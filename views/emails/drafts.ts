// The built-in text of each e-mail template as an editable draft (subject + body with placeholders): what
// Administração → E-mails shows before a template is edited and restores on "reset". Built from the same
// copy as the React Email templates (strings.ts).
import type { Language } from '../i18n.ts';
import type { CustomText } from './custom.tsx';
import type { EmailTemplate } from './model.ts';
import { emailText } from './strings.ts';

export function builtInDraft(template: EmailTemplate, lang: Language): CustomText {
  const t = emailText(lang);
  const facts = [
    `${t('protocol')}: {{protocolo}}`,
    `${t('subjectLabel')}: {{assunto}}`,
    `${t('kindLabel')}: {{tipo}}`,
    `${t('statusLabel')}: {{situacao}}`,
    `${t('dueLabel')}: {{prazo}}`,
  ].join('\n');
  const citizen = (subject: string, ...parts: string[]): CustomText => ({
    subject,
    body: [...parts, facts, '{{link}}', t('followHint')].join('\n\n'),
  });
  const staff = (subject: string, ...parts: string[]): CustomText => ({
    subject,
    body: [...parts, facts, '{{link}}'].join('\n\n'),
  });
  switch (template) {
    case 'receipt':
      return citizen(
        t('receipt.subject'),
        t('receipt.intro'),
        t('receipt.accessCode', { code: '{{codigo}}' }),
        t('receipt.code'),
      );
    case 'status':
      return citizen(t('status.subject', { status: '{{situacao}}' }), t('status.intro'), '{{texto}}');
    case 'info_request':
      return citizen(
        t('info.subject'),
        t('info.intro'),
        '{{texto}}',
        t('info.deadline', { date: '{{data}}' }),
        t('info.how'),
      );
    case 'answer':
      return citizen(t('answer.subject'), t('answer.intro'), '{{texto}}', t('answer.ask'));
    case 'deadline_extended':
      return citizen(
        t('extended.subject'),
        t('extended.intro'),
        `${t('extended.reason')}: {{texto}}`,
        `${t('extended.newDue')}: {{data}}`,
      );
    case 'closed':
      return citizen(
        t('closed.subject'),
        t('closed.intro'),
        `${t('closed.reason')}: {{texto}}`,
        t('closed.survey'),
      );
    case 'attachment_refused':
      return citizen(t('refused.subject'), t('refused.intro'), '{{texto}}', t('refused.how'));
    case 'staff_new_case':
      return staff(t('staff.newCase.subject', { subject: '{{assunto}}' }), t('staff.newCase.intro'));
    case 'staff_forwarded':
      return staff(
        t('staff.forwarded.subject'),
        t('staff.forwarded.intro'),
        `${t('staff.forwarded.instructions')}: {{texto}}`,
        `${t('staff.forwarded.unitDue')}: {{data}}`,
      );
    case 'staff_sla_warning':
      return staff(t('staff.warning.subject'), t('staff.warning.intro'));
    case 'staff_escalated':
      return staff(t('staff.escalated.subject'), t('staff.escalated.intro'));
    case 'staff_update':
      return staff('{{situacao}}', t('staff.update.intro'), '{{texto}}');
  }
}
