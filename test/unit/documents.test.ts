// CPF and CNPJ at the doors (issue 11): check digits, masks, the alphanumeric CNPJ (Nota Técnica RFB 49/2024).
import { describe, expect, it } from 'vitest';
import {
  cnpjSchema,
  cpfSchema,
  formatCnpj,
  normalizeCnpj,
  normalizeCpf,
} from '../../api/people/documents.ts';

describe('CPF', () => {
  it('accepts a valid CPF masked or bare and stores its 11 digits', () => {
    expect(normalizeCpf('529.982.247-25')).toBe('52998224725');
    expect(normalizeCpf('52998224725')).toBe('52998224725');
  });
  it('refuses a wrong check digit, repeated digits and the wrong length, with a pt-BR message', () => {
    expect(normalizeCpf('529.982.247-24')).toBeNull();
    expect(normalizeCpf('111.111.111-11')).toBeNull();
    expect(normalizeCpf('5299822472')).toBeNull();
    const r = cpfSchema.safeParse('529.982.247-24');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/CPF inválido/);
  });
});

describe('CNPJ', () => {
  it('accepts a numeric CNPJ and the alphanumeric one (letters in the first 12, digits last)', () => {
    expect(normalizeCnpj('11.222.333/0001-81')).toBe('11222333000181');
    expect(normalizeCnpj('12.ABC.345/01DE-35')).toBe('12ABC34501DE35');
    expect(normalizeCnpj('12abc34501de35')).toBe('12ABC34501DE35');
    expect(formatCnpj('12ABC34501DE35')).toBe('12.ABC.345/01DE-35');
  });
  it('refuses a wrong check digit and letters in the check digits', () => {
    expect(normalizeCnpj('11.222.333/0001-82')).toBeNull();
    expect(normalizeCnpj('12.ABC.345/01DE-3A')).toBeNull();
    expect(normalizeCnpj('00.000.000/0000-00')).toBeNull();
    expect(cnpjSchema.safeParse('12ABC34501DE36').success).toBe(false);
  });
});
