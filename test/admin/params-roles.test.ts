// Role checks on every page and REST route of Prazos e calendários, E-mails and Regras gerais: the admin
// reads and writes; the ombudsman reads Prazos and E-mails (without edit controls) but not Regras gerais,
// and writes nothing; attendant and unit staff get 403; signed out → /entrar (pages) or 401 (REST).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestOuvidor, type TestOuvidor } from '../support/harness.ts';

type Staff = Awaited<ReturnType<TestOuvidor['createStaff']>>;
let t: TestOuvidor;
let admin: Staff;
let ombudsman: Staff;
let attendant: Staff;
let unit: Staff;

beforeAll(async () => {
  t = await startTestOuvidor();
  [admin, ombudsman, attendant, unit] = await Promise.all([
    t.createStaff('admin'),
    t.createStaff('ombudsman'),
    t.createStaff('attendant'),
    t.createStaff('unit', { unitCode: 'SEC-OBRAS' }),
  ]);
});
afterAll(async () => t?.stop());

const pages = [
  { path: '/painel/admin/prazos', ombudsman: true },
  { path: '/painel/admin/prazos/politicas/nova', ombudsman: true },
  { path: '/painel/admin/prazos/politicas/law-case', ombudsman: true },
  { path: '/painel/admin/prazos/calendarios/default', ombudsman: true },
  { path: '/painel/admin/emails', ombudsman: true },
  { path: '/painel/admin/emails/modelos/receipt/pt-BR', ombudsman: true },
  { path: '/painel/admin/emails/modelos/receipt/pt-BR/previa', ombudsman: true },
  { path: '/painel/admin/geral', ombudsman: false },
];
const writes = [
  '/painel/admin/prazos/politicas/nova',
  '/painel/admin/prazos/politicas/law-case',
  '/painel/admin/prazos/calendarios/default',
  '/painel/admin/prazos/calendarios/default/excecoes',
  '/painel/admin/prazos/calendarios/default/excecoes/2026-01-25/remover',
  '/painel/admin/prazos/calendarios/default/pontos-facultativos',
  '/painel/admin/emails/regras',
  '/painel/admin/emails/modelos/receipt/pt-BR',
  '/painel/admin/emails/modelos/receipt/pt-BR/restaurar',
  '/painel/admin/geral',
];
const get = (path: string, who?: Staff) =>
  t.app.request(path, { headers: who ? { authorization: who.headers.authorization } : {} });
const post = (path: string, who: Staff) =>
  t.app.request(path, {
    method: 'POST',
    headers: { authorization: who.headers.authorization, origin: 'http://localhost' },
    body: new URLSearchParams({}),
  });

describe('parameters pages: who may do what', () => {
  it('pages: admin 200; ombudsman 200 where it reads, else 403; attendant and unit 403; signed out → /entrar', async () => {
    for (const p of pages) {
      expect((await get(p.path, admin)).status, p.path).toBe(200);
      expect((await get(p.path, ombudsman)).status, p.path).toBe(p.ombudsman ? 200 : 403);
      expect((await get(p.path, attendant)).status, p.path).toBe(403);
      expect((await get(p.path, unit)).status, p.path).toBe(403);
      const anon = await get(p.path);
      expect(anon.status, p.path).toBe(303);
      expect(anon.headers.get('location')).toBe('/entrar');
    }
  });

  it('the ombudsman sees no edit controls', async () => {
    const deadlines = await (await get('/painel/admin/prazos', ombudsman)).text();
    expect(deadlines).not.toContain('Nova política');
    const calendar = await (await get('/painel/admin/prazos/calendarios/default', ombudsman)).text();
    expect(calendar).not.toContain('Adicionar exceção');
    const template = await (await get('/painel/admin/emails/modelos/receipt/pt-BR', ombudsman)).text();
    expect(template).not.toContain('>Salvar<');
  });

  it('writes: ombudsman, attendant and unit get 403', async () => {
    for (const path of writes)
      for (const who of [ombudsman, attendant, unit])
        expect((await post(path, who)).status, `${path} ${who.email}`).toBe(403);
  });

  it('REST: settings and e-mail templates refuse attendant and unit (403) and anonymous callers (401)', async () => {
    for (const path of [
      '/api/v1/admin/settings',
      '/api/v1/admin/email-templates',
      '/api/v1/admin/email-templates/answer/en',
    ]) {
      for (const who of [attendant, unit])
        expect((await t.app.request(path, { headers: who.headers })).status, path).toBe(403);
      expect((await t.app.request(path)).status, path).toBe(401);
      expect((await t.app.request(path, { headers: ombudsman.headers })).status, path).toBe(200);
    }
  });
});
