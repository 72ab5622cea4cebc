// Request schemas (zod, pt-BR messages) for manifestations; also the source of openapi.json.
import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import { channels, identities, kinds, priorities, slaStates, statuses } from '../../workflows/vocabulary.ts';
import { cpfSchema } from '../people/documents.ts';
import { codeString, textString } from '../text.ts';

/** How far in the future a `receivedAt` may be (clocks of the sender and the server differ a little). */
export const clockSkewMs = 5 * 60_000;

const required = (label: string) => `${label}: preenchimento obrigatório`;

export const citizenSchema = z.object({
  name: textString({ error: required('Nome') })
    .trim()
    .min(2, 'Informe o nome')
    .max(200),
  email: z.email('E-mail inválido').max(320).optional(),
  phone: textString().trim().max(40).optional(),
  /** kept in the person record, not in the case (issue 11) */
  cpf: cpfSchema.optional(),
});

export const newManifestationSchema = z
  .object({
    kind: z.enum(kinds, { error: 'Escolha o tipo de manifestação' }),
    subject: textString({ error: required('Assunto') })
      .trim()
      .min(3, 'Assunto muito curto')
      .max(200),
    description: textString({ error: required('Descrição') })
      .trim()
      .min(10, 'Descreva a manifestação com pelo menos 10 caracteres')
      .max(20000),
    identity: z.enum(identities, { error: 'Escolha como deseja se identificar' }),
    citizen: citizenSchema.optional(),
    /** staff only: the person record this manifestation is filed for (issue 11) */
    personId: z.uuid('Identificador inválido').optional(),
    channel: z.enum(channels).optional(),
    /** catalogue topic (assunto) of the kind, and item/service of the topic (GET /api/v1/catalogue) */
    topic: codeString().trim().min(1).max(100).optional(),
    item: codeString().trim().min(1).max(100).optional(),
    receivedAt: z.iso
      .datetime({ offset: true, error: 'Data inválida (ISO 8601)' })
      .refine(
        (s) => Date.parse(s) <= Date.now() + clockSkewMs,
        'A data de recebimento não pode estar no futuro',
      )
      .refine((s) => new Date(s).getUTCFullYear() >= 1900, 'Data de recebimento anterior a 1900')
      .optional(),
  })
  .superRefine(
    (v, ctx) => {
      // Runs even when other fields failed, so the citizen sees every missing field on the first submit.
      const value = v as { identity?: unknown; citizen?: { email?: unknown; phone?: unknown } };
      if (value.identity === 'anonymous') return;
      if (!value.citizen) {
        ctx.addIssue({
          code: 'custom',
          path: ['citizen', 'name'],
          message: 'Informe seu nome ou escolha "anônima"',
        });
      } else if (!value.citizen.email && !value.citizen.phone) {
        ctx.addIssue({
          code: 'custom',
          path: ['citizen', 'email'],
          message: 'Informe um e-mail ou telefone para contato',
        });
      }
    },
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  );
export type NewManifestation = z.infer<typeof newManifestationSchema>;

const text = (label: string, min: number, max = 20000) =>
  textString({ error: required(label) })
    .trim()
    .min(min, `${label}: mínimo de ${min} caracteres`)
    .max(max);
const justification = text('Justificativa', 10, 5000);
const attachmentIds = z.array(codeString().max(100)).max(20).optional();
const unitCode = codeString({ error: required('Unidade') })
  .trim()
  .min(1, 'Informe a unidade')
  .max(50);

/** Staff actions (POST /api/v1/manifestations/{protocol}/actions/{action}); keys are the API names. */
/** An empty form field means "clear" (null). */
const blankToNull = (v: unknown) => (v === '' ? null : v);

export const actionSchemas = {
  assign: z.object({ assignee: z.email('Informe o e-mail de quem assume') }),
  auxiliary: z.object({ attendant: z.email('Informe o e-mail do atendente auxiliar') }),
  forward: z.object({
    units: z.array(unitCode).min(1, 'Escolha ao menos uma unidade').max(20),
    instructions: text('Instruções', 5, 5000),
  }),
  'unit-response': z.object({ unit: unitCode, text: text('Resposta da unidade', 5), attachmentIds }),
  'unit-extend': z.object({ unit: unitCode, justification }),
  'request-info': z.object({ question: text('Pedido de complementação', 10, 5000) }),
  answer: z.object({ text: text('Resposta', 10, 50000), attachmentIds }),
  extend: z.object({ justification }),
  priority: z.object({
    priority: z.enum(priorities, { error: 'Prioridade inválida' }),
    reason: textString().trim().max(2000).optional(),
  }),
  reclassify: z
    .object({
      kind: z.enum(kinds, { error: 'Tipo inválido' }).optional(),
      topic: codeString().trim().min(1).max(100).optional(),
      item: codeString().trim().min(1).max(100).optional(),
      reason: text('Motivo', 5, 2000),
    })
    .refine((v) => v.kind || v.topic || v.item, {
      message: 'Altere o tipo, o assunto ou o item',
      path: ['kind'],
    }),
  note: z.object({
    text: text('Nota', 2),
    visibility: z.enum(['internal', 'public']).default('internal'),
    attachmentIds,
  }),
  worklog: z.object({
    minutes: z.coerce
      .number({ error: 'Informe os minutos' })
      .int('Minutos inteiros')
      .min(1, 'Ao menos 1 minuto')
      .max(1440, 'No máximo 1440 minutos'),
    description: text('Descrição', 3, 2000),
    estimateMinutes: z.coerce.number().int().min(1).max(100000).optional(),
  }),
  close: z.object({ reason: textString().trim().max(2000).optional() }),
  archive: z.object({ justification }),
  reopen: z.object({ justification }),
  /** an unverified e-mail kept on the case (mail log id) becomes the citizen's reply */
  'accept-email': z.object({
    emailId: codeString({ error: required('E-mail') })
      .trim()
      .min(1)
      .max(100),
  }),
  /** an unverified e-mail kept on the case is set aside (it stays in the mail log) */
  'discard-email': z.object({
    emailId: codeString({ error: required('E-mail') })
      .trim()
      .min(1)
      .max(100),
    reason: textString().trim().max(2000).optional(),
  }),
  /** the improvement (measure adopted) this answered case produced, for the reports; `clear` withdraws it */
  improvement: z
    .object({
      measure: text('Medida adotada', 10, 2000).optional(),
      clear: z.boolean({ error: 'clear: verdadeiro ou falso' }).optional(),
    })
    .refine((v) => v.clear === true || v.measure, {
      message: 'Descreva a medida adotada (ao menos 10 caracteres)',
      path: ['measure'],
    }),
  /** case details (issue 11): each key present is set, an empty value clears it; at least one key */
  details: z
    .object({
      serviceOrder: z
        .preprocess(
          blankToNull,
          textString().trim().max(60, 'Número da OS: no máximo 60 caracteres').nullable(),
        )
        .optional(),
      reasonCode: z.preprocess(blankToNull, codeString().max(50, 'Motivo inválido').nullable()).optional(),
      estimateMinutes: z
        .preprocess(
          blankToNull,
          z.coerce
            .number({ error: 'Estimativa: informe um número de minutos' })
            .int('Estimativa: minutos inteiros')
            .min(1, 'Estimativa: ao menos 1 minuto')
            .max(100000, 'Estimativa: no máximo 100000 minutos')
            .nullable(),
        )
        .optional(),
    })
    .refine(
      (d) => d.serviceOrder !== undefined || d.reasonCode !== undefined || d.estimateMinutes !== undefined,
      {
        message: 'Informe ao menos um dos detalhes',
        path: ['serviceOrder'],
      },
    ),
};

/** Citizen actions (POST /api/v1/manifestations/{protocol}/citizen/{action}). */
export const citizenActionSchemas = {
  reply: z.object({ text: text('Mensagem', 2), attachmentIds }),
  accept: z.object({}),
  reject: z.object({ reason: text('Motivo', 5, 5000) }),
  rate: z.object({
    score: z.coerce
      .number({ error: 'Dê uma nota de 1 a 5' })
      .int()
      .min(1, 'Nota de 1 a 5')
      .max(5, 'Nota de 1 a 5'),
    resolved: z.enum(['yes', 'partially', 'no'], { error: 'Resolvida? sim, parcialmente ou não' }).optional(),
    comment: textString().trim().max(2000).optional(),
  }),
};

export type ActionBodies = { [K in keyof typeof actionSchemas]: z.infer<(typeof actionSchemas)[K]> } & {
  [K in keyof typeof citizenActionSchemas]: z.infer<(typeof citizenActionSchemas)[K]>;
};

/** Years the database can compare (an absurd date is a mistake, 422). */
const inRange = (s: string) => {
  const year = new Date(s.length === 10 ? `${s}T12:00:00Z` : s).getUTCFullYear();
  return year >= 1900 && year <= 2200;
};

/** Empty or blank query/form values mean "no filter" (a form always sends every field). */
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

function isCalendarDay(s: string): boolean {
  try {
    Temporal.PlainDate.from(s, { overflow: 'reject' });
    return true;
  } catch {
    return false;
  }
}

/** A calendar day (YYYY-MM-DD, in the organisation's timezone) or an ISO 8601 instant with offset. */
const dayOrInstant = (label: string) =>
  optional(
    z
      .string()
      .trim()
      .refine(
        (s) => /^\d{4}-\d{2}-\d{2}$/.test(s) || z.iso.datetime({ offset: true }).safeParse(s).success,
        `${label}: data inválida (use AAAA-MM-DD)`,
      )
      .refine((s) => s.length !== 10 || isCalendarDay(s), { message: `${label}: data inexistente` })
      .refine(inRange, { message: `${label}: data fora do intervalo 1900–2200` }),
  );

export const listSorts = ['received', 'due', 'priority'] as const;
export type ListSort = (typeof listSorts)[number];
export const queueNames = [
  'mine',
  'unassigned',
  'due_soon',
  'due_today',
  'overdue',
  'overdue_unassigned',
  'awaiting_unit',
  'awaiting_citizen',
  'new_activity',
] as const;
export type QueueName = (typeof queueNames)[number];

/**
 * GET /api/v1/manifestations, /painel and the exports: every filter is optional and a blank value is
 * no filter. `assignee` is `me`, `none` or a staff e-mail; `sla` is a stored SLA state.
 */
export const listQuerySchema = z.object({
  q: optional(codeString().trim().max(200, 'Busca: no máximo 200 caracteres')),
  queue: optional(z.enum(queueNames, { error: 'Fila inválida' })),
  status: optional(z.enum(statuses, { error: 'Situação inválida' })),
  kind: optional(z.enum(kinds, { error: 'Tipo inválido' })),
  topic: optional(codeString().trim().max(200)),
  item: optional(codeString().trim().max(200)),
  assignee: optional(
    codeString()
      .trim()
      .max(320)
      .refine((s) => s === 'me' || s === 'none' || z.email().safeParse(s).success, {
        message: 'Responsável: "eu", "sem responsável" ou o e-mail de um atendente',
      }),
  ),
  unit: optional(codeString().trim().max(50)),
  /** attendant group whose queue holds the case (issue 10) */
  group: optional(codeString().trim().max(50)),
  priority: optional(z.enum(priorities, { error: 'Prioridade inválida' })),
  /** issue 11: only VIP customers' cases (`1`), only one company's (id) — cases whose reporter you see */
  vip: optional(z.enum(['1'], { error: 'VIP: use 1' })),
  company: optional(z.uuid('Empresa inválida')),
  channel: optional(z.enum(channels, { error: 'Origem inválida' })),
  sla: optional(z.enum(slaStates, { error: 'Situação do prazo inválida' })),
  openedFrom: dayOrInstant('Aberta de'),
  openedTo: dayOrInstant('Aberta até'),
  dueFrom: dayOrInstant('Vence de'),
  dueTo: dayOrInstant('Vence até'),
  sort: optional(z.enum(listSorts, { error: 'Ordenação inválida' })),
  cursor: optional(codeString().max(400)),
  limit: optional(z.coerce.number().int().min(1).max(100)),
});
export type ListQuery = z.infer<typeof listQuerySchema>;

export const tokenRequestSchema = z.object({
  email: z.email('E-mail inválido'),
  password: z.string().min(1, 'Informe a senha').max(1024),
});
