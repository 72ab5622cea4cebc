// The administered catalogue entities (issue 10 items 2–5) described once: table, key, the request
// schemas (zod, pt-BR messages; also the OpenAPI bodies) and the fields the admin pages show. The REST
// routes (catalogue-routes.ts) and the pages (api/ui/admin/catalogue*.ts) both write through
// catalogue-service.ts, so validation, audit and signalling are the same at both doors.
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import {
  attendantGroups,
  costCentres,
  items,
  openingReasons,
  priorityLabels,
  ratingScales,
  statusLabels,
  topics,
  units,
} from '../../db/schema.ts';
import { kinds } from '../../workflows/vocabulary.ts';
import { codeString, textString } from '../text.ts';

export const codePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$/;
export const codeSchema = codeString({ error: 'Código: preenchimento obrigatório' })
  .trim()
  .regex(codePattern, 'Código: de 1 a 50 letras sem acento, números, ponto, hífen ou sublinhado');
const text = (label: string, min = 2, max = 200) =>
  textString({ error: `${label}: preenchimento obrigatório` })
    .trim()
    .min(min, `${label}: mínimo de ${min} caracteres`)
    .max(max, `${label}: máximo de ${max} caracteres`);
const email = z.email('E-mail inválido').max(320).nullable();
const position = z
  .number({ error: 'Ordem: informe um número' })
  .int('Ordem: número inteiro')
  .min(0, 'Ordem: de 0 a 10000')
  .max(10000, 'Ordem: de 0 a 10000');
const active = z.boolean({ error: 'Ativo: verdadeiro ou falso' });
const scaleLabels = (lang: string) =>
  z
    .array(text(`Rótulo (${lang})`, 1, 60), { error: `Rótulos (${lang}): lista de 5 textos` })
    .length(5, `Rótulos (${lang}): exatamente 5, da nota 1 à 5`);

/** A field as the admin page shows it (label keys in views/labels/admin-catalogue-*.ts). */
export type FieldDef = {
  name: string;
  label: string;
  type: 'text' | 'email' | 'number' | 'checkbox' | 'select' | 'color' | 'labels';
  /** options of a select, by name of a choice list the page provides (kinds, costCentres, topics) */
  choices?: 'kinds' | 'costCentres' | 'topics';
  /** only when creating (the code and what it belongs to stay) */
  createOnly?: boolean;
  required?: boolean;
};

export type EntityDef = {
  /** audit `data.entity` and action `admin.<entity>.<create|update>` */
  entity: string;
  /** REST segment under /api/v1/admin */
  path: string;
  table: PgTable;
  key: PgColumn;
  keyName: string;
  /** null: the codes are fixed (priorities, statuses, rating stages): edit only */
  create: z.ZodType<Record<string, unknown>> | null;
  patch: z.ZodType<Record<string, unknown>>;
  fields: FieldDef[];
};

const labelFields: FieldDef[] = [
  { name: 'labelPt', label: 'catalogue.field.labelPt', type: 'text', required: true },
  { name: 'labelEn', label: 'catalogue.field.labelEn', type: 'text', required: true },
];
const orderActive: FieldDef[] = [
  { name: 'position', label: 'catalogue.field.position', type: 'number' },
  { name: 'active', label: 'catalogue.field.active', type: 'checkbox' },
];
const codeField: FieldDef = {
  name: 'code',
  label: 'catalogue.field.code',
  type: 'text',
  createOnly: true,
  required: true,
};
const labelled = { labelPt: text('Rótulo em português'), labelEn: text('Rótulo em inglês') };
const nonEmpty = <T extends z.ZodObject>(s: T) =>
  s.refine((v) => Object.values(v).some((x) => x !== undefined), {
    message: 'Informe ao menos um campo a alterar',
  });

export const costCentreDef: EntityDef = {
  entity: 'cost_centre',
  path: 'cost-centres',
  table: costCentres,
  key: costCentres.code,
  keyName: 'code',
  create: z.strictObject({ code: codeSchema, name: text('Nome'), active: active.optional() }),
  patch: nonEmpty(z.strictObject({ name: text('Nome').optional(), active: active.optional() })),
  fields: [
    codeField,
    { name: 'name', label: 'catalogue.field.name', type: 'text', required: true },
    { name: 'active', label: 'catalogue.field.active', type: 'checkbox' },
  ],
};

export const unitDef: EntityDef = {
  entity: 'unit',
  path: 'units',
  table: units,
  key: units.code,
  keyName: 'code',
  create: z.strictObject({
    code: codeSchema,
    name: text('Nome'),
    email: email.optional(),
    costCentreCode: codeSchema.nullable().optional(),
    active: active.optional(),
  }),
  patch: nonEmpty(
    z.strictObject({
      name: text('Nome').optional(),
      email: email.optional(),
      costCentreCode: codeSchema.nullable().optional(),
      active: active.optional(),
    }),
  ),
  fields: [
    codeField,
    { name: 'name', label: 'catalogue.field.name', type: 'text', required: true },
    { name: 'email', label: 'catalogue.field.email', type: 'email' },
    { name: 'costCentreCode', label: 'catalogue.field.costCentre', type: 'select', choices: 'costCentres' },
    { name: 'active', label: 'catalogue.field.active', type: 'checkbox' },
  ],
};

export const groupDef: EntityDef = {
  entity: 'group',
  path: 'groups',
  table: attendantGroups,
  key: attendantGroups.code,
  keyName: 'code',
  create: z.strictObject({
    code: codeSchema,
    name: text('Nome'),
    email: email.optional(),
    active: active.optional(),
  }),
  patch: nonEmpty(
    z.strictObject({ name: text('Nome').optional(), email: email.optional(), active: active.optional() }),
  ),
  fields: [
    codeField,
    { name: 'name', label: 'catalogue.field.name', type: 'text', required: true },
    { name: 'email', label: 'catalogue.field.groupEmail', type: 'email' },
    { name: 'active', label: 'catalogue.field.active', type: 'checkbox' },
  ],
};

export const topicDef: EntityDef = {
  entity: 'topic',
  path: 'topics',
  table: topics,
  key: topics.code,
  keyName: 'code',
  create: z.strictObject({
    code: codeSchema,
    kind: z.enum(kinds, { error: 'Escolha o tipo de manifestação' }),
    ...labelled,
    position: position.optional(),
    active: active.optional(),
  }),
  patch: nonEmpty(
    z.strictObject({
      labelPt: labelled.labelPt.optional(),
      labelEn: labelled.labelEn.optional(),
      position: position.optional(),
      active: active.optional(),
    }),
  ),
  fields: [
    codeField,
    {
      name: 'kind',
      label: 'catalogue.field.kind',
      type: 'select',
      choices: 'kinds',
      createOnly: true,
      required: true,
    },
    ...labelFields,
    ...orderActive,
  ],
};

export const itemDef: EntityDef = {
  entity: 'item',
  path: 'items',
  table: items,
  key: items.code,
  keyName: 'code',
  create: z.strictObject({
    code: codeSchema,
    topicCode: codeSchema,
    ...labelled,
    position: position.optional(),
    active: active.optional(),
  }),
  patch: topicDef.patch,
  fields: [
    codeField,
    {
      name: 'topicCode',
      label: 'catalogue.field.topic',
      type: 'select',
      choices: 'topics',
      createOnly: true,
      required: true,
    },
    ...labelFields,
    ...orderActive,
  ],
};

export const openingReasonDef: EntityDef = {
  entity: 'opening_reason',
  path: 'opening-reasons',
  table: openingReasons,
  key: openingReasons.code,
  keyName: 'code',
  create: z.strictObject({
    code: codeSchema,
    ...labelled,
    position: position.optional(),
    active: active.optional(),
  }),
  patch: topicDef.patch,
  fields: [codeField, ...labelFields, ...orderActive],
};

export const priorityDef: EntityDef = {
  entity: 'priority_label',
  path: 'priorities',
  table: priorityLabels,
  key: priorityLabels.code,
  keyName: 'code',
  create: null,
  patch: nonEmpty(
    z.strictObject({
      labelPt: labelled.labelPt.optional(),
      labelEn: labelled.labelEn.optional(),
      position: position.optional(),
      colour: z
        .string({ error: 'Cor: formato #rrggbb' })
        .regex(/^#[0-9a-fA-F]{6}$/, 'Cor: formato #rrggbb')
        .optional(),
    }),
  ),
  fields: [
    ...labelFields,
    { name: 'position', label: 'catalogue.field.position', type: 'number' },
    { name: 'colour', label: 'catalogue.field.colour', type: 'color' },
  ],
};

export const statusDef: EntityDef = {
  entity: 'status_label',
  path: 'statuses',
  table: statusLabels,
  key: statusLabels.code,
  keyName: 'code',
  create: null,
  patch: nonEmpty(
    z.strictObject({ labelPt: labelled.labelPt.optional(), labelEn: labelled.labelEn.optional() }),
  ),
  fields: labelFields,
};

export const ratingScaleDef: EntityDef = {
  entity: 'rating_scale',
  path: 'rating-scales',
  table: ratingScales,
  key: ratingScales.stage,
  keyName: 'stage',
  create: null,
  patch: nonEmpty(
    z.strictObject({
      questionPt: text('Pergunta em português', 5).optional(),
      questionEn: text('Pergunta em inglês', 5).optional(),
      labelsPt: scaleLabels('português').optional(),
      labelsEn: scaleLabels('inglês').optional(),
    }),
  ),
  fields: [
    { name: 'questionPt', label: 'catalogue.field.questionPt', type: 'text', required: true },
    { name: 'questionEn', label: 'catalogue.field.questionEn', type: 'text', required: true },
    { name: 'labelsPt', label: 'catalogue.field.labelsPt', type: 'labels' },
    { name: 'labelsEn', label: 'catalogue.field.labelsEn', type: 'labels' },
  ],
};

export const entityDefs = [
  costCentreDef,
  unitDef,
  groupDef,
  topicDef,
  itemDef,
  openingReasonDef,
  priorityDef,
  statusDef,
  ratingScaleDef,
];

/** Routing rule of a group: every field optional (null = any); at least one set. */
export const routingRuleSchema = z
  .strictObject({
    kind: z.enum(kinds, { error: 'Tipo inválido' }).nullable().optional(),
    topicCode: codeSchema.nullable().optional(),
    itemCode: codeSchema.nullable().optional(),
    channel: z
      .enum(['web', 'email', 'phone', 'in_person', 'letter', 'api'], { error: 'Canal inválido' })
      .nullable()
      .optional(),
    position: position.optional(),
  })
  .refine((r) => r.kind || r.topicCode || r.itemCode || r.channel, {
    message: 'Escolha ao menos um tipo, assunto, item ou canal',
    path: ['kind'],
  });
export type RoutingRuleBody = z.infer<typeof routingRuleSchema>;

/** A member added to a group, by user id or e-mail (staff users only). */
export const memberSchema = z
  .strictObject({
    userId: codeString().trim().min(1).max(100).optional(),
    email: z.email('E-mail inválido').max(320).optional(),
  })
  .refine((m) => m.userId || m.email, { message: 'Informe o usuário (id ou e-mail)', path: ['email'] });
