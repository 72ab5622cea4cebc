// Issue 11 items 1, 2 and 7: records of people and companies (validated, audited, merged with a trace),
// cases linked to people at intake, and the disclosure policy applied to records (a unit never reaches a
// person record; a preserved or anonymous case is never listed as a person's case).
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { casePeople } from '../../db/schema/people.ts';
import { auditLog } from '../../db/schema.ts';
import { json, newManifestation, startTestOuvidor, type TestOuvidor } from '../support/harness.ts';

let t: TestOuvidor;
let attendant: Awaited<ReturnType<TestOuvidor['createStaff']>>;
let unit: Awaited<ReturnType<TestOuvidor['createStaff']>>;

beforeAll(async () => {
  t = await startTestOuvidor();
  attendant = await t.createStaff('attendant');
  unit = await t.createStaff('unit', { unitCode: 'SEC-OBRAS' });
});
afterAll(async () => t?.stop());

type Person = {
  id: string;
  name: string;
  cpf: string | null;
  vip: boolean;
  active: boolean;
  mergedInto: string | null;
};
type PersonDetail = Person & { cases: { protocol: string; linkedBy: string }[] };

const send = <T>(path: string, method: string, headers: Record<string, string>, body?: unknown) =>
  json<T & { error?: { code: string; fields?: Record<string, string[]> } }>(
    t.app.request(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }),
  );
const staff = () => attendant.headers;
const file = async (
  body: Record<string, unknown>,
  headers: Record<string, string> = { 'content-type': 'application/json' },
) => {
  const res = await send<{ protocol: string }>(
    '/api/v1/manifestations',
    'POST',
    headers,
    newManifestation(body),
  );
  expect(res.status).toBe(201);
  return res.body.protocol;
};

describe('people and companies', () => {
  it('creates a company with an alphanumeric CNPJ and refuses a wrong one or a duplicate', async () => {
    const bad = await send('/api/v1/companies', 'POST', staff(), {
      legalName: 'Acme Ltda',
      cnpj: '12.ABC.345/01DE-36',
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error?.fields?.cnpj?.[0]).toMatch(/CNPJ inválido/);
    const ok = await send<{ id: string; cnpj: string }>('/api/v1/companies', 'POST', staff(), {
      legalName: 'Acme Comércio Ltda',
      tradeName: 'Acme',
      cnpj: '12abc34501de35',
    });
    expect(ok.status).toBe(201);
    expect(ok.body.cnpj).toBe('12.ABC.345/01DE-35');
    const again = await send('/api/v1/companies', 'POST', staff(), {
      legalName: 'Outra',
      cnpj: '12ABC34501DE35',
    });
    expect(again.status).toBe(409);
    const found = await send<{ items: { id: string }[] }>('/api/v1/companies?q=12ABC345', 'GET', staff());
    expect(found.body.items.map((c) => c.id)).toContain(ok.body.id);
  });

  it('creates a person (CPF with check digits; VIP needs a reason), edits and deactivates, each audited', async () => {
    const wrong = await send('/api/v1/people', 'POST', staff(), { name: 'João Lima', cpf: '529.982.247-24' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error?.fields?.cpf?.[0]).toMatch(/CPF inválido/);
    const noReason = await send('/api/v1/people', 'POST', staff(), { name: 'João Lima', vip: true });
    expect(noReason.status).toBe(422);
    expect(noReason.body.error?.fields?.vipReason).toBeTruthy();
    const created = await send<Person>('/api/v1/people', 'POST', staff(), {
      name: 'João Lima',
      email: 'Joao.Lima@Example.org',
      cpf: '52998224725',
      vip: true,
      vipReason: 'Conselheiro municipal',
    });
    expect(created.status).toBe(201);
    expect(created.body.cpf).toBe('529.982.247-25');
    const dup = await send('/api/v1/people', 'POST', staff(), { name: 'J. Lima', cpf: '529.982.247-25' });
    expect(dup.status).toBe(409);
    const edited = await send<Person>(`/api/v1/people/${created.body.id}`, 'PATCH', staff(), {
      phone: '(11) 3333-4444',
      active: false,
    });
    expect(edited.status).toBe(200);
    expect(edited.body.active).toBe(false);
    const entries = await t.db.select().from(auditLog).where(eq(auditLog.actor, attendant.email));
    const mine = entries.filter((e) => (e.data as { id?: string }).id === created.body.id);
    expect(mine.map((e) => e.action).sort()).toEqual(['person.created', 'person.updated']);
    const update = mine.find((e) => e.action === 'person.updated')!.data as {
      entity: string;
      before: { active: boolean };
      after: { active: boolean; phone: string };
    };
    expect(update.entity).toBe('person');
    expect(update.before.active).toBe(true);
    expect(update.after).toMatchObject({ active: false, phone: '(11) 3333-4444' });
    // searching finds by CPF typed with its mask
    await send(`/api/v1/people/${created.body.id}`, 'PATCH', staff(), { active: true });
    const search = await send<{ items: Person[] }>('/api/v1/people?q=529.982.247', 'GET', staff());
    expect(search.body.items.map((p) => p.id)).toContain(created.body.id);
  });
});

describe('cases link to people at intake', () => {
  it('a web filing creates a person; the next one with the same e-mail links to it; CPF links too', async () => {
    const email = `ana-${Date.now()}@example.org`;
    const first = await file({ citizen: { name: 'Ana Prado', email } });
    const second = await file({ citizen: { name: 'Ana P.', email: email.toUpperCase() } });
    const [l1] = await t.db.select().from(casePeople).where(eq(casePeople.protocol, first));
    const [l2] = await t.db.select().from(casePeople).where(eq(casePeople.protocol, second));
    expect(l1?.how).toBe('created');
    expect(l2?.personId).toBe(l1?.personId);
    expect(l2?.verified).toBe(false); // a public form's address is nobody's proof
    const viaCpf = await file({
      citizen: { name: 'Ana Prado', phone: '11 99999-0000', cpf: '168.995.350-09' },
    });
    const [l3] = await t.db.select().from(casePeople).where(eq(casePeople.protocol, viaCpf));
    const again = await file({
      citizen: { name: 'Ana Prado Souza', email: 'outro@example.org', cpf: '16899535009' },
    });
    const [l4] = await t.db.select().from(casePeople).where(eq(casePeople.protocol, again));
    expect(l4?.personId).toBe(l3?.personId);
    expect(l4?.how).toBe('cpf');
  });

  it('a filing with an invalid CPF is refused with the field, and nothing is filed', async () => {
    const res = await send(
      '/api/v1/manifestations',
      'POST',
      { 'content-type': 'application/json' },
      newManifestation({
        citizen: { name: 'Ana Prado', email: 'ana@example.org', cpf: '123.456.789-00' },
      }),
    );
    expect(res.status).toBe(422);
    expect(res.body.error?.fields?.['citizen.cpf']?.[0]).toMatch(/CPF inválido/);
  });

  it('an anonymous filing is never linked; personId is for staff only and files on the record’s behalf', async () => {
    const anon = await file({ identity: 'anonymous', citizen: undefined });
    expect(await t.db.select().from(casePeople).where(eq(casePeople.protocol, anon))).toHaveLength(0);
    const p = await send<Person>('/api/v1/people', 'POST', staff(), {
      name: 'Carla Dias',
      phone: '11 2222-3333',
    });
    const refused = await send(
      '/api/v1/manifestations',
      'POST',
      { 'content-type': 'application/json' },
      newManifestation({ personId: p.body.id }),
    );
    expect(refused.status).toBe(422);
    const byStaff = await file({ personId: p.body.id, citizen: undefined, channel: 'phone' }, staff());
    const detail = await send<PersonDetail>(`/api/v1/people/${p.body.id}`, 'GET', staff());
    expect(detail.body.cases.map((c) => [c.protocol, c.linkedBy])).toEqual([[byStaff, 'staff']]);
  });
});

describe('disclosure of records', () => {
  it('a preserved case is never listed as a person’s case, and units never reach a person record', async () => {
    const email = `reporter-${Date.now()}@example.org`;
    const open = await file({ citizen: { name: 'Paulo Reis', email } });
    const preserved = await file({ identity: 'preserved', citizen: { name: 'Paulo Reis', email } });
    const [link] = await t.db.select().from(casePeople).where(eq(casePeople.protocol, preserved));
    expect(link).toBeTruthy(); // the ouvidoria's records know; nobody sees it through them
    const detail = await send<PersonDetail>(`/api/v1/people/${link!.personId}`, 'GET', staff());
    expect(detail.body.cases.map((c) => c.protocol)).toEqual([open]);
    for (const path of [`/api/v1/people/${link!.personId}`, '/api/v1/people?q=paulo', '/api/v1/companies'])
      expect((await send(path, 'GET', unit.headers)).status).toBe(403);
    expect((await send('/api/v1/people', 'GET', { 'content-type': 'application/json' })).status).toBe(401);
  });
});

describe('merging duplicates', () => {
  it('moves the cases to the kept record and leaves the duplicate inactive, pointing to it (audited)', async () => {
    const keep = await send<Person>('/api/v1/people', 'POST', staff(), {
      name: 'Rita Alves',
      email: `rita-${Date.now()}@example.org`,
    });
    const dupEmail = `rita.alves-${Date.now()}@example.org`;
    const c1 = await file({ citizen: { name: 'Rita A.', email: dupEmail } });
    const c2 = await file({ citizen: { name: 'Rita A.', email: dupEmail } });
    const [link] = await t.db.select().from(casePeople).where(eq(casePeople.protocol, c1));
    const res = await send<{ movedCases: number }>(`/api/v1/people/${keep.body.id}/merge`, 'POST', staff(), {
      from: link!.personId,
    });
    expect(res.status).toBe(200);
    expect(res.body.movedCases).toBe(2);
    const kept = await send<PersonDetail>(`/api/v1/people/${keep.body.id}`, 'GET', staff());
    expect(kept.body.cases.map((c) => c.protocol).sort()).toEqual([c1, c2].sort());
    const gone = await send<Person>(`/api/v1/people/${link!.personId}`, 'GET', staff());
    expect(gone.body).toMatchObject({ active: false, mergedInto: keep.body.id });
    const again = await send(`/api/v1/people/${keep.body.id}/merge`, 'POST', staff(), {
      from: link!.personId,
    });
    expect(again.status).toBe(409);
    const [entry] = await t.db.select().from(auditLog).where(eq(auditLog.action, 'person.merged'));
    expect(entry?.data).toMatchObject({ entity: 'person', id: keep.body.id, mergedFrom: link!.personId });
    // a new filing with the duplicate's address now lands on the kept record
    const c3 = await file({ citizen: { name: 'Rita', email: dupEmail } });
    const [l3] = await t.db.select().from(casePeople).where(eq(casePeople.protocol, c3));
    expect(l3?.personId).toBe(keep.body.id);
  });
});
