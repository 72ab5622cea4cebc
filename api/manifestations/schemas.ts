// Request schemas (zod, pt-BR messages) for manifestations; also the source of openapi.json.
import { z } from 'zod';
import { channels, identities, kinds, statuses } from '../../workflows/vocabulary.ts';

const required = (label: string) => `${label} é obrigatório`;

export const citizenSchema = z.object({
  name: z
    .string({ error: required('Nome') })
    .trim()
    .min(2, 'Informe o nome')
    .max(200),
  email: z.email('E-mail inválido').max(320).optional(),
  phone: z.string().trim().max(40).optional(),
});

export const newManifestationSchema = z
  .object({
    kind: z.enum(kinds, { error: 'Escolha o tipo de manifestação' }),
    subject: z
      .string({ error: required('Assunto') })
      .trim()
      .min(3, 'Assunto muito curto')
      .max(200),
    description: z
      .string({ error: required('Descrição') })
      .trim()
      .min(10, 'Descreva a manifestação com pelo menos 10 caracteres')
      .max(20000),
    identity: z.enum(identities, { error: 'Escolha como deseja se identificar' }),
    citizen: citizenSchema.optional(),
    channel: z.enum(channels).optional(),
    receivedAt: z.iso.datetime({ offset: true, error: 'Data inválida (ISO 8601)' }).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.identity !== 'anonymous' && !v.citizen) {
      ctx.addIssue({
        code: 'custom',
        path: ['citizen', 'name'],
        message: 'Informe seu nome ou escolha "anônima"',
      });
    }
    if (v.identity !== 'anonymous' && v.citizen && !v.citizen.email && !v.citizen.phone) {
      ctx.addIssue({
        code: 'custom',
        path: ['citizen', 'email'],
        message: 'Informe um e-mail ou telefone para contato',
      });
    }
  });
export type NewManifestation = z.infer<typeof newManifestationSchema>;

export const actionSchemas = {
  assign: z.object({ assignee: z.email('Informe o e-mail de quem assume') }),
  answer: z.object({
    text: z
      .string({ error: required('Resposta') })
      .trim()
      .min(10, 'Resposta muito curta')
      .max(50000),
  }),
  close: z.object({ reason: z.string().trim().max(2000).optional() }),
};
export type ActionBodies = { [K in keyof typeof actionSchemas]: z.infer<(typeof actionSchemas)[K]> };

const optionalDate = z.iso
  .datetime({ offset: true })
  .transform((s) => new Date(s))
  .optional();

export const listQuerySchema = z.object({
  status: z.enum(statuses).optional(),
  kind: z.enum(kinds).optional(),
  q: z.string().trim().max(200).optional(),
  assignee: z.string().trim().max(320).optional(),
  unit: z.string().trim().max(50).optional(),
  openedFrom: optionalDate,
  openedTo: optionalDate,
  dueFrom: optionalDate,
  dueTo: optionalDate,
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

export const tokenRequestSchema = z.object({
  email: z.email('E-mail inválido'),
  password: z.string().min(1, 'Informe a senha'),
});
