// Issue 11 items 1–3 on the staff pages (forms as a browser without JavaScript sends them): records created
// and edited on /painel/pessoas (bad CPF → 422 with the form re-rendered), intake finds an existing customer
// by CPF and files a phone call on their behalf, the case page shows the Manifestante panel (VIP badge,
// other cases) — and never for a preserved case without a logged reveal, never to a unit, whose staff get
// 403 on every person page.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { casePeople, people } from '../../db/schema/people.ts';
import { units } from '../../db/schema.ts';
import { json, newManifestation, startTestOuvidor, type TestOuvidor } from '../support/harness.ts';
import { pageClient } from '../ui/support.ts';

let t: TestOuvidor;
let pages: ReturnType<typeof pageClient>;
let attendant: Awaited<ReturnType<TestOuvidor['createStaff']>>;
let unit: Awaited<ReturnType<TestOuvidor['createStaff']>>;
let staffCookie: string;
let unitCookie: string;

beforeAll(async () => {
  t = await startTestOuvidor();
  pages = pageClient(t);
  await t.db.insert(units).values({ code: 'SEC-OBRAS', name: 'Secretaria de Obras' }).onConflictDoNothing();
  attendant = await t.createStaff('attendant');
  unit = await t.createStaff('unit', { unitCode: 'SEC-OBRAS' });
  staffCookie = await pages.signIn(attendant.email, attendant.password);
  unitCookie = await pages.signIn(unit.email, unit.password);
});
afterAll(async () => t?.stop());

const fileApi = async (body: Record<string, unknown>) => {
  const r = await json<{ protocol: string }>(
    t.app.request('/api/v1/manifestations', {
      method: 'POST',
      headers: attendant.headers,
      body: JSON.stringify(newManifestation(body)),
    }),
  );
  expect(r.status).toBe(201);
  return r.body.protocol;
};
const act = (protocol: string, action: string, body: unknown) =>
  t.app.request(`/api/v1/manifestations/${protocol}/actions/${action}`, {
    method: 'POST',
    headers: attendant.headers,
    body: JSON.stringify(body),
  });

describe('people pages and the Manifestante panel', () => {
  it('creates a VIP customer, finds them by CPF at intake, files a phone call for them, shows their history', async () => {
    const bad = await pages.post(
      '/painel/pessoas',
      { name: 'Joana Prado', cpf: '390.533.447-04', email: 'joana@example.org' },
      { cookie: staffCookie },
    );
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(badHtml).toContain('CPF inválido');
    expect(badHtml).toContain('value="Joana Prado"');
    const created = await pages.post(
      '/painel/pessoas',
      {
        name: 'Joana Prado',
        cpf: '390.533.447-05',
        email: 'joana@example.org',
        vip: 'on',
        vipReason: 'Grande cliente',
      },
      { cookie: staffCookie },
    );
    expect(created.status).toBe(303);
    const [joana] = await t.db.select().from(people).where(eq(people.cpf, '39053344705'));
    expect(joana?.vip).toBe(true);
    const earlier = await fileApi({ citizen: { name: 'Joana Prado', email: 'joana@example.org' } });

    // intake: find by CPF, choose, file
    const found = await (
      await pages.get('/painel/registrar?pessoa=390.533.447-05', { cookie: staffCookie })
    ).text();
    expect(found).toContain('Joana Prado');
    expect(found).toContain(`/painel/registrar?personId=${joana!.id}`);
    const form = await (
      await pages.get(`/painel/registrar?personId=${joana!.id}`, { cookie: staffCookie })
    ).text();
    expect(form).toContain('Registrando para Joana Prado');
    expect(form).toContain('value="joana@example.org"');
    const receivedAt = new Date(Date.now() - 3600_000)
      .toLocaleString('sv', { timeZone: 'America/Sao_Paulo' })
      .slice(0, 16)
      .replace(' ', 'T');
    const filed = await pages.postMultipart(
      '/painel/registrar',
      {
        personId: joana!.id,
        channel: 'phone',
        receivedAt,
        kind: 'complaint',
        subject: 'Fatura cobrada em dobro',
        description: 'A cliente ligou: a fatura de novembro veio cobrada duas vezes.',
        identity: 'identified',
        name: 'Joana Prado',
        email: 'joana@example.org',
      },
      [],
      { cookie: staffCookie },
    );
    const receipt = await filed.text();
    const protocol = receipt.match(/OUV-\d{4}-\d{6}/)?.[0];
    expect(protocol, receipt.slice(0, 500)).toBeTruthy();
    const [link] = await t.db.select().from(casePeople).where(eq(casePeople.protocol, protocol!));
    expect(link).toMatchObject({ personId: joana!.id, how: 'staff' });

    // the case page: Manifestante panel with VIP badge and the other case
    const page = await (await pages.get(`/painel/casos/${protocol}`, { cookie: staffCookie })).text();
    const panel = page.slice(page.indexOf('id="manifestante"'));
    expect(panel).toContain('Joana Prado');
    expect(panel).toContain('badge vip');
    expect(panel).toContain(earlier);

    // the person page lists both cases; the unit gets 403 there
    const personPage = await (
      await pages.get(`/painel/pessoas/${joana!.id}`, { cookie: staffCookie })
    ).text();
    expect(personPage).toContain(protocol!);
    expect(personPage).toContain(earlier);
    for (const path of ['/painel/pessoas', `/painel/pessoas/${joana!.id}`, '/painel/pessoas/empresas'])
      expect((await pages.get(path, { cookie: unitCookie })).status).toBe(403);
  });

  it('a preserved case: no panel for the unit ever, none for the attendant until a logged reveal', async () => {
    const email = `denuncia-${Date.now()}@example.org`;
    const open = await fileApi({ citizen: { name: 'Marcos Teles', email } });
    const preserved = await fileApi({ identity: 'preserved', citizen: { name: 'Marcos Teles', email } });
    await act(preserved, 'assign', { assignee: attendant.email });
    expect(
      (await act(preserved, 'forward', { units: ['SEC-OBRAS'], instructions: 'Apurar os fatos relatados' }))
        .status,
    ).toBe(200);
    const unitPage = await (await pages.get(`/painel/casos/${preserved}`, { cookie: unitCookie })).text();
    expect(unitPage).not.toContain('id="manifestante"');
    expect(unitPage).not.toContain('Marcos');
    const staffPage = await (await pages.get(`/painel/casos/${preserved}`, { cookie: staffCookie })).text();
    expect(staffPage).not.toContain('id="manifestante"');
    // the identified case's panel does not list the preserved one
    const openPage = await (await pages.get(`/painel/casos/${open}`, { cookie: staffCookie })).text();
    expect(openPage).toContain('id="manifestante"');
    expect(openPage).not.toContain(preserved);
    const revealed = await pages.post(
      `/painel/casos/${preserved}/identidade`,
      { purpose: 'Contato necessário para a apuração dos fatos.' },
      { cookie: staffCookie },
    );
    expect(await revealed.text()).toContain('id="manifestante"');
  });

  it('merges a duplicate from the person page: the cases move and the duplicate is marked', async () => {
    const a = await fileApi({ citizen: { name: 'Luís Mota', email: `luis-${Date.now()}@example.org` } });
    const b = await fileApi({ citizen: { name: 'Luis Mota', email: `luis.mota-${Date.now()}@example.org` } });
    const [la] = await t.db.select().from(casePeople).where(eq(casePeople.protocol, a));
    const [lb] = await t.db.select().from(casePeople).where(eq(casePeople.protocol, b));
    const search = await (
      await pages.get(`/painel/pessoas/${la!.personId}?duplicado=mota`, { cookie: staffCookie })
    ).text();
    expect(search).toContain(`value="${lb!.personId}"`);
    const merged = await pages.post(
      `/painel/pessoas/${la!.personId}/mesclar`,
      { from: lb!.personId },
      { cookie: staffCookie },
    );
    expect(merged.status).toBe(303);
    const after = await (await pages.get(merged.headers.get('location')!, { cookie: staffCookie })).text();
    expect(after).toContain('1 manifestação(ões) movida(s)');
    expect(after).toContain(b);
  });
});
