// The staff controls on the case page: one small form per action the transition table allows now,
// described as data so one partial (views/_case_actions.eta) renders them all. Labels pt-BR / en.
import type { Language } from '../../views/i18n.ts';
import type { CaseView } from '../../workflows/messages.ts';
import type { StaffAction } from '../../workflows/transitions.ts';
import { pendingUnverifiedMail } from '../../workflows/unverified-mail.ts';
import { kinds, priorities } from '../../workflows/vocabulary.ts';
import type { CatalogueChoices, ChoiceGroup } from './catalogue-choices.ts';

export type FieldSpec = {
  name: string;
  label: string;
  type: 'text' | 'textarea' | 'email' | 'number' | 'select' | 'checkboxes' | 'file';
  required?: boolean;
  hint?: string;
  options?: Array<{ value: string; label: string }>;
  /** options in <optgroup>s, after `options` (the catalogue's topics per kind, items per topic) */
  groups?: ChoiceGroup[];
  value?: string;
};

export type ActionSpec = {
  action: StaffAction;
  title: string;
  submit: string;
  fields: FieldSpec[];
  /** shown open (the next natural step); the others are collapsed */
  primary: boolean;
  danger?: boolean;
};

type Ctx = {
  view: CaseView;
  lang: Language;
  userEmail: string | null;
  staff: Array<{ email: string; name: string }>;
  units: Array<{ code: string; name: string }>;
  kindLabel: (kind: string) => string;
  priorityLabel: (p: string) => string;
  /** topic/item choices for reclassification (api/ui/catalogue-choices.ts); absent = none offered */
  catalogue?: CatalogueChoices;
  /** active opening reasons for the details form (issue 11); absent = none offered */
  reasons?: Array<{ value: string; label: string }>;
};

const L = (lang: Language, pt: string, en: string) => (lang === 'en' ? en : pt);

export function caseActionSpecs(allowed: StaffAction[], c: Ctx): ActionSpec[] {
  const { view: v, lang } = c;
  const t = (pt: string, en: string) => L(lang, pt, en);
  const staffOptions = c.staff.map((s) => ({ value: s.email, label: `${s.name} (${s.email})` }));
  const pendingUnits = v.unitAssignments.filter((a) => a.status === 'pending');
  const unitName = (code: string) => c.units.find((u) => u.code === code)?.name ?? code;
  const justification = (label = t('Justificativa', 'Justification')): FieldSpec => ({
    name: 'justification',
    label,
    type: 'textarea',
    required: true,
  });
  // E-mails kept as "não verificada" (workflows/case-inbound.ts): staff accept one as the citizen's or discard it.
  const unverified = pendingUnverifiedMail(v);
  const unverifiedChoice: FieldSpec = {
    name: 'emailId',
    label: t('E-mail não verificado', 'Unverified e-mail'),
    type: 'select',
    required: true,
    hint: t(
      'O remetente não foi autenticado (sem o endereço de resposta assinado nem DMARC). O texto está no histórico interno.',
      'The sender was not authenticated (no signed reply address, no DMARC pass). The text is in the internal history.',
    ),
    options: unverified.map((u) => ({
      value: u.emailId,
      label: `${u.from} — ${u.subject || '(sem assunto)'}`,
    })),
  };
  // issue 11: staff attach files to notes and answers (checked like every upload: api/ui/uploads.ts)
  const staffFiles: FieldSpec = {
    name: 'attachments',
    label: t('Anexos (opcional)', 'Attachments (optional)'),
    type: 'file',
  };
  const canExtendCase = !v.deadline || v.deadline.extensions < v.deadline.policy.maxExtensions;
  const specs: Record<StaffAction, () => ActionSpec | null> = {
    assign: () => ({
      action: 'assign',
      title: v.assignee ? t('Transferir', 'Transfer') : t('Assumir', 'Assume'),
      submit: v.assignee ? t('Transferir', 'Transfer') : t('Assumir', 'Assume'),
      primary: v.status === 'received',
      fields: [
        {
          name: 'assignee',
          label: t('Responsável', 'Assignee'),
          type: 'select',
          options: staffOptions,
          value: v.assignee ?? c.userEmail ?? '',
        },
      ],
    }),
    auxiliary: () => {
      const options = staffOptions.filter((o) => o.value !== v.assignee && !v.auxiliaries.includes(o.value));
      // nobody left to add: no form with an empty list
      return options.length
        ? {
            action: 'auxiliary',
            title: t('Adicionar atendente auxiliar', 'Add an auxiliary attendant'),
            submit: t('Adicionar', 'Add'),
            primary: false,
            fields: [{ name: 'attendant', label: t('Atendente', 'Attendant'), type: 'select', options }],
          }
        : null;
    },
    forward: () => {
      const free = c.units.filter((u) => !pendingUnits.some((p) => p.unit === u.code));
      if (!free.length) return null; // no unit (left) to forward to
      return {
        action: 'forward',
        title: t('Encaminhar a unidades', 'Forward to units'),
        submit: t('Encaminhar', 'Forward'),
        primary: false,
        fields: [
          {
            name: 'units',
            label: t('Unidades', 'Units'),
            type: 'checkboxes',
            required: true,
            options: free.map((u) => ({ value: u.code, label: u.name })),
          },
          {
            name: 'instructions',
            label: t('Instruções para a unidade', 'Instructions for the unit'),
            type: 'textarea',
            required: true,
          },
        ],
      };
    },
    'unit-response': () =>
      pendingUnits.length
        ? {
            action: 'unit-response',
            title: t('Registrar resposta da unidade', 'Record the unit’s answer'),
            submit: t('Registrar resposta', 'Record answer'),
            primary: true,
            fields: [
              {
                name: 'unit',
                label: t('Unidade', 'Unit'),
                type: 'select',
                options: pendingUnits.map((a) => ({ value: a.unit, label: unitName(a.unit) })),
              },
              { name: 'text', label: t('Resposta', 'Answer'), type: 'textarea', required: true },
            ],
          }
        : null,
    'unit-extend': () => {
      const extendable = pendingUnits.filter(
        (a) => !a.deadline || a.extensions < a.deadline.policy.maxExtensions,
      );
      return extendable.length
        ? {
            action: 'unit-extend',
            title: t('Prorrogar prazo da unidade', 'Extend the unit’s deadline'),
            submit: t('Prorrogar', 'Extend'),
            primary: false,
            fields: [
              {
                name: 'unit',
                label: t('Unidade', 'Unit'),
                type: 'select',
                options: extendable.map((a) => ({ value: a.unit, label: unitName(a.unit) })),
              },
              justification(),
            ],
          }
        : null;
    },
    'request-info': () => ({
      action: 'request-info',
      title: t('Pedir complementação ao manifestante', 'Ask the citizen for more information'),
      submit: t('Enviar pedido', 'Send request'),
      primary: false,
      fields: [
        {
          name: 'question',
          label: t('O que falta?', 'What is missing?'),
          type: 'textarea',
          required: true,
          hint: t(
            'O manifestante tem 20 dias para responder; sem resposta, a manifestação é arquivada.',
            'The citizen has 20 days to reply; without a reply the case is archived.',
          ),
        },
      ],
    }),
    answer: () => ({
      action: 'answer',
      title: t('Responder', 'Answer'),
      submit: t('Enviar resposta', 'Send answer'),
      primary: v.status === 'in_progress',
      fields: [
        {
          name: 'text',
          label: t('Resposta conclusiva ao manifestante', 'Conclusive answer to the citizen'),
          type: 'textarea',
          required: true,
        },
        staffFiles,
      ],
    }),
    extend: () =>
      canExtendCase
        ? {
            action: 'extend',
            title: t('Prorrogar prazo', 'Extend the deadline'),
            submit: t('Prorrogar', 'Extend'),
            primary: false,
            fields: [
              justification(
                t('Justificativa (o manifestante será informado)', 'Justification (the citizen is told)'),
              ),
            ],
          }
        : null,
    priority: () => ({
      action: 'priority',
      title: t('Alterar prioridade', 'Change priority'),
      submit: t('Alterar', 'Change'),
      primary: false,
      fields: [
        {
          name: 'priority',
          label: t('Prioridade', 'Priority'),
          type: 'select',
          options: priorities
            .filter((p) => p !== v.priority)
            .map((p) => ({ value: p, label: c.priorityLabel(p) })),
        },
        { name: 'reason', label: t('Motivo (opcional)', 'Reason (optional)'), type: 'text' },
      ],
    }),
    reclassify: () => ({
      action: 'reclassify',
      title: t('Reclassificar', 'Reclassify'),
      submit: t('Reclassificar', 'Reclassify'),
      primary: false,
      fields: [
        {
          name: 'kind',
          label: t('Tipo', 'Kind'),
          type: 'select',
          options: [
            { value: '', label: t('(manter)', '(keep)') },
            ...kinds.filter((k) => k !== v.kind).map((k) => ({ value: k, label: c.kindLabel(k) })),
          ],
        },
        {
          name: 'topic',
          label: t('Assunto', 'Topic'),
          type: 'select',
          options: [{ value: '', label: t('(manter)', '(keep)') }],
          groups: c.catalogue?.topics ?? [],
        },
        {
          name: 'item',
          label: t('Item / serviço', 'Item / service'),
          type: 'select',
          options: [{ value: '', label: t('(manter)', '(keep)') }],
          groups: c.catalogue?.items ?? [],
        },
        {
          name: 'reason',
          label: t('Por que reclassificar?', 'Why reclassify?'),
          type: 'text',
          required: true,
        },
      ],
    }),
    note: () => ({
      action: 'note',
      title: t('Adicionar nota', 'Add a note'),
      submit: t('Salvar nota', 'Save note'),
      primary: false,
      fields: [
        { name: 'text', label: t('Nota', 'Note'), type: 'textarea', required: true },
        {
          name: 'visibility',
          label: t('Visibilidade', 'Visibility'),
          type: 'select',
          options: [
            { value: 'internal', label: t('Interna (só a equipe)', 'Internal (staff only)') },
            { value: 'public', label: t('Pública (o manifestante vê)', 'Public (the citizen sees it)') },
          ],
        },
        staffFiles,
      ],
    }),
    details: () => ({
      action: 'details',
      title: t('Detalhes do atendimento', 'Case details'),
      submit: t('Salvar detalhes', 'Save details'),
      primary: false,
      fields: [
        {
          name: 'serviceOrder',
          label: t('Número da OS', 'Service order number'),
          type: 'text',
          value: v.serviceOrder ?? '',
        },
        {
          name: 'reasonCode',
          label: t('Motivo de abertura', 'Opening reason'),
          type: 'select',
          options: [{ value: '', label: t('(nenhum)', '(none)') }, ...(c.reasons ?? [])],
          value: v.reasonCode ?? '',
        },
        {
          name: 'estimateMinutes',
          label: t('Estimativa para concluir, em minutos', 'Estimate to conclude, in minutes'),
          hint: t('Ex.: 90 para 1h30.', 'E.g. 90 for 1h30.'),
          type: 'number',
          value: v.estimateMinutes ? String(v.estimateMinutes) : '',
        },
      ],
    }),
    worklog: () => ({
      action: 'worklog',
      title: t('Registrar tempo de trabalho', 'Log work'),
      submit: t('Registrar', 'Log'),
      primary: false,
      fields: [
        { name: 'minutes', label: t('Minutos', 'Minutes'), type: 'number', required: true },
        { name: 'description', label: t('O que foi feito', 'What was done'), type: 'text', required: true },
        {
          name: 'estimateMinutes',
          label: t('Estimativa total em minutos (opcional)', 'Total estimate in minutes (optional)'),
          type: 'number',
          value: v.estimateMinutes ? String(v.estimateMinutes) : '',
        },
      ],
    }),
    improvement: () => ({
      action: 'improvement',
      title: t('Registrar melhoria (medida adotada)', 'Record an improvement (measure adopted)'),
      submit: t('Registrar melhoria', 'Record improvement'),
      primary: false,
      fields: [
        {
          name: 'measure',
          label: t('Medida adotada a partir desta manifestação', 'Measure adopted because of this case'),
          type: 'textarea',
          required: true,
          hint: t(
            'Aparece nos relatórios gerencial e anual como medida adotada (Lei 13.460/2017, art. 15).',
            'Listed in the management and annual reports as a measure adopted (Lei 13.460/2017, art. 15).',
          ),
        },
      ],
    }),
    close: () => ({
      action: 'close',
      title: t('Encerrar', 'Close'),
      submit: t('Encerrar', 'Close'),
      primary: v.status === 'answered',
      fields: [
        {
          name: 'reason',
          label: t('Motivo do encerramento (opcional)', 'Reason for closing (optional)'),
          type: 'text',
        },
      ],
    }),
    archive: () =>
      v.kind === 'praise' && v.unitAssignments.length === 0
        ? null
        : {
            action: 'archive',
            title: t('Arquivar sem resposta conclusiva', 'Archive without a conclusive answer'),
            submit: t('Arquivar', 'Archive'),
            primary: false,
            danger: true,
            fields: [justification()],
          },
    reopen: () => ({
      action: 'reopen',
      title: t('Reabrir', 'Reopen'),
      submit: t('Reabrir', 'Reopen'),
      primary: true,
      fields: [justification()],
    }),
    'accept-email': () =>
      unverified.length === 0
        ? null
        : {
            action: 'accept-email',
            title: t(
              'Aceitar e-mail não verificado como do manifestante',
              "Accept an unverified e-mail as the citizen's",
            ),
            submit: t('Aceitar como resposta do manifestante', "Accept as the citizen's reply"),
            primary: true,
            fields: [unverifiedChoice],
          },
    'discard-email': () =>
      unverified.length === 0
        ? null
        : {
            action: 'discard-email',
            title: t('Descartar e-mail não verificado', 'Discard an unverified e-mail'),
            submit: t('Descartar', 'Discard'),
            primary: false,
            danger: true,
            fields: [
              unverifiedChoice,
              { name: 'reason', label: t('Motivo (opcional)', 'Reason (optional)'), type: 'text' },
            ],
          },
  };
  return allowed.map((a) => specs[a]()).filter((s): s is ActionSpec => s !== null);
}
