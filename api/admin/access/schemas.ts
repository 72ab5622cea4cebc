// Request shapes of the users-and-access admin (REST and forms share them; messages in pt-BR).
import { z } from 'zod';
import { staffRoleCodes } from '../../../db/queries/access.ts';
import { codeString, textString } from '../../text.ts';

const roleSchema = z.enum(staffRoleCodes, {
  error: 'Escolha um perfil: administração, ouvidoria, atendimento ou unidade.',
});
const nameSchema = textString({ error: 'Informe o nome.' })
  .trim()
  .min(2, { error: 'Informe o nome (pelo menos 2 caracteres).' })
  .max(120, { error: 'No máximo 120 caracteres.' });
const unitSchema = codeString()
  .trim()
  .max(64, { error: 'Unidade inválida.' })
  .transform((v) => v || null)
  .nullable()
  .optional();

export const inviteSchema = z
  .strictObject({
    name: nameSchema,
    email: z
      .string({ error: 'Informe o e-mail.' })
      .trim()
      .toLowerCase()
      .max(254, { error: 'No máximo 254 caracteres.' })
      .pipe(z.email({ error: 'E-mail inválido.' })),
    role: roleSchema,
    unitCode: unitSchema,
    groups: z
      .array(codeString().trim().min(1).max(64), { error: 'Lista de grupos inválida.' })
      .max(100, { error: 'No máximo 100 grupos.' })
      .optional(),
  })
  .refine((v) => v.role !== 'unit' || !!v.unitCode, {
    error: 'Um usuário de unidade precisa de uma unidade.',
    path: ['unitCode'],
  });
export type InviteInput = z.infer<typeof inviteSchema>;

export const userPatchSchema = z.strictObject({
  name: nameSchema.optional(),
  role: roleSchema.optional(),
  unitCode: unitSchema,
  active: z.boolean({ error: 'Valor inválido.' }).optional(),
  groups: z
    .array(codeString().trim().min(1).max(64), { error: 'Lista de grupos inválida.' })
    .max(100, { error: 'No máximo 100 grupos.' })
    .optional(),
});
export type UserPatchInput = z.infer<typeof userPatchSchema>;

export const userListQuerySchema = z.object({
  q: codeString().trim().max(120).optional(),
  role: z.enum(staffRoleCodes).optional(),
  active: z.enum(['true', 'false']).optional(),
});

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'Data no formato AAAA-MM-DD.' });
export const auditQuerySchema = z.object({
  actor: codeString().trim().max(254).optional(),
  action: codeString().trim().max(100).optional(),
  entity: codeString().trim().max(100).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  cursor: codeString().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;
