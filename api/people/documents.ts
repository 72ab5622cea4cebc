// Brazilian documents at the doors: CPF (11 digits, two check digits, Receita Federal) and CNPJ (14
// characters; from July 2026 the first 12 may be letters A–Z — Nota Técnica RFB 49/2024; the last two are
// always check digits). Validation is cpf-cnpj-validator's; this module only normalises and phrases errors.
import { cnpj, cpf } from 'cpf-cnpj-validator';
import { z } from 'zod';

/** "123.456.789-09" → "12345678909"; anything that is not a valid CPF → null. */
export function normalizeCpf(value: string): string | null {
  const digits = value.replace(/[.\-\s]/g, '');
  if (!/^\d{11}$/.test(digits)) return null;
  return cpf.isValid(digits) ? digits : null;
}

/** "12.ABC.345/01DE-35" (or lowercase, or unmasked) → "12ABC34501DE35"; not a valid CNPJ → null. */
export function normalizeCnpj(value: string): string | null {
  const raw = value.replace(/[.\-/\s]/g, '').toUpperCase();
  if (!/^[0-9A-Z]{12}\d{2}$/.test(raw)) return null;
  return cnpj.isValid(raw) ? raw : null;
}

/** "12345678909" → "123.456.789-09". */
export const formatCpf = (digits: string) => cpf.format(digits);
/** "12ABC34501DE35" → "12.ABC.345/01DE-35". */
export const formatCnpj = (value: string) => cnpj.format(value);

/** A CPF field: accepts masked or bare input, stores the 11 digits; pt-BR error on a wrong check digit. */
export const cpfSchema = z
  .string({ error: 'CPF inválido' })
  .max(20, 'CPF inválido')
  .transform((v, ctx) => {
    const n = normalizeCpf(v.trim());
    if (!n) {
      ctx.addIssue({ code: 'custom', message: 'CPF inválido: confira os 11 dígitos' });
      return z.NEVER;
    }
    return n;
  });

/** A CNPJ field (numeric or alphanumeric): stores the 14 unmasked characters. */
export const cnpjSchema = z
  .string({ error: 'CNPJ inválido' })
  .max(24, 'CNPJ inválido')
  .transform((v, ctx) => {
    const n = normalizeCnpj(v.trim());
    if (!n) {
      ctx.addIssue({ code: 'custom', message: 'CNPJ inválido: confira os 14 caracteres' });
      return z.NEVER;
    }
    return n;
  });
