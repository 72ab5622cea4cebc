// Request schemas (zod, pt-BR messages) of the people and companies records; also the OpenAPI source.
import { z } from 'zod';
import { codeString, textString } from '../text.ts';
import { cnpjSchema, cpfSchema } from './documents.ts';

const optionalText = (max: number) => textString().trim().max(max, `No máximo ${max} caracteres`);
const nullable = <T extends z.ZodType>(s: T) => s.nullable().optional();
export const recordId = z.uuid('Identificador inválido');

const contactSchema = z.object({
  name: textString({ error: 'Informe o nome do contato' })
    .trim()
    .min(2, 'Informe o nome do contato')
    .max(200),
  email: z.email('E-mail inválido').max(320).optional(),
  phone: optionalText(40).optional(),
  role: optionalText(100).optional(),
});

const personFields = {
  name: textString({ error: 'Nome: preenchimento obrigatório' }).trim().min(2, 'Informe o nome').max(200),
  email: nullable(z.email('E-mail inválido').max(320)),
  phone: nullable(optionalText(40)),
  cpf: nullable(cpfSchema),
  address: nullable(optionalText(500)),
  language: z.enum(['pt-BR', 'en'], { error: 'Idioma: pt-BR ou en' }).optional(),
  companyId: nullable(recordId),
  vip: z.boolean().optional(),
  vipReason: nullable(optionalText(500)),
  active: z.boolean().optional(),
};

const vipNeedsReason = (
  v: { vip?: boolean | undefined; vipReason?: string | null | undefined },
  ctx: z.RefinementCtx,
) => {
  if (v.vip && !v.vipReason?.trim())
    ctx.addIssue({ code: 'custom', path: ['vipReason'], message: 'Informe o motivo do atendimento VIP' });
};

/** POST /api/v1/people */
export const personCreateSchema = z.strictObject(personFields).superRefine(vipNeedsReason);
/** PATCH /api/v1/people/{id}: any subset; a VIP needs a reason (checked against the record too). */
export const personPatchSchema = z.strictObject({ ...personFields, name: personFields.name.optional() });
/** PATCH /api/v1/me: what a citizen may change of their own record (not VIP, not active, not the e-mail). */
export const mePatchSchema = z.strictObject({
  name: personFields.name.optional(),
  phone: personFields.phone,
  cpf: personFields.cpf,
  address: personFields.address,
  language: personFields.language,
  company: z
    .strictObject({
      legalName: textString().trim().min(2, 'Informe a razão social').max(200),
      tradeName: nullable(optionalText(200)),
      cnpj: nullable(cnpjSchema),
      email: nullable(z.email('E-mail inválido').max(320)),
      phone: nullable(optionalText(40)),
    })
    .nullable()
    .optional(),
});

const companyFields = {
  legalName: textString({ error: 'Razão social: preenchimento obrigatório' })
    .trim()
    .min(2, 'Informe a razão social')
    .max(200),
  tradeName: nullable(optionalText(200)),
  cnpj: nullable(cnpjSchema),
  email: nullable(z.email('E-mail inválido').max(320)),
  phone: nullable(optionalText(40)),
  contacts: z.array(contactSchema).max(20, 'No máximo 20 contatos').optional(),
  vip: z.boolean().optional(),
  vipReason: nullable(optionalText(500)),
  active: z.boolean().optional(),
};

/** POST /api/v1/companies */
export const companyCreateSchema = z.strictObject(companyFields).superRefine(vipNeedsReason);
/** PATCH /api/v1/companies/{id} */
export const companyPatchSchema = z.strictObject({
  ...companyFields,
  legalName: companyFields.legalName.optional(),
});

/** POST /api/v1/people/{id}/merge: the duplicate record `from` is merged into `{id}` (the one kept). */
export const mergeSchema = z.strictObject({ from: recordId });

/** GET /api/v1/people and /companies */
export const listQuerySchema = z.object({
  q: codeString().max(200, 'Busca longa demais').optional(),
  companyId: recordId.optional(),
});

/** POST /api/v1/me/correction (LGPD art. 18 III) */
export const correctionSchema = z.strictObject({
  details: textString({ error: 'Descreva o que deve ser corrigido' })
    .trim()
    .min(10, 'Descreva o que deve ser corrigido (mínimo de 10 caracteres)')
    .max(5000),
});

export type PersonCreate = z.infer<typeof personCreateSchema>;
export type PersonPatch = z.infer<typeof personPatchSchema>;
export type CompanyCreate = z.infer<typeof companyCreateSchema>;
export type CompanyPatch = z.infer<typeof companyPatchSchema>;
export type MePatch = z.infer<typeof mePatchSchema>;
