// Issue 9 item 3 / issue 11 item 3: the workspace filters by VIP and by company, and marks VIP rows — only
// over cases whose reporter the viewer sees in full: a preserved case of a VIP never shows up under the
// filter or with the badge, and a unit's VIP/company filter matches nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { units } from '../../db/schema.ts';
import { json, newManifestation, startTestOuvidor, type TestOuvidor } from '../support/harness.ts';

let t: TestOuvidor;
let attendant: Awaited<ReturnType<TestOuvidor['createStaff']>>;
let unit: Awaited<ReturnType<TestOuvidor['createStaff']>>;

beforeAll(async () => {
  t = await startTestOuvidor();
  await t.db.insert(units).values({ code: 'SEC-OBRAS', name: 'Secretaria de Obras' }).onConflictDoNothing();
  attendant = await t.createStaff('attendant');
  unit = await t.createStaff('unit', { unitCode: 'SEC-OBRAS' });
});
afterAll(async () => t?.stop());

type Row = { protocol: string; vip: boolean };
const send = <T>(path: string, method = 'GET', body?: unknown, headers = attendant.headers) =>
  json<T>(t.app.request(path, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) }));

describe('VIP and company filters', () => {
  it('narrow the list to VIP customers and to a company, never through a preserved case or for a unit', async () => {
    const company = await send<{ id: string }>('/api/v1/companies', 'POST', {
      legalName: 'Rápido Sul S.A.',
      cnpj: '11.222.333/0001-81',
    });
    const vip = await send<{ id: string }>('/api/v1/people', 'POST', {
      name: 'Vera VIP',
      email: `vera-${Date.now()}@example.org`,
      vip: true,
      vipReason: 'Conselheira',
    });
    const worker = await send<{ id: string }>('/api/v1/people', 'POST', {
      name: 'Caio Frota',
      email: `caio-${Date.now()}@example.org`,
      cpf: '529.982.247-25',
      companyId: company.body.id,
    });
    const file = async (over: Record<string, unknown>) =>
      (await send<{ protocol: string }>('/api/v1/manifestations', 'POST', newManifestation(over))).body
        .protocol;
    const vipOpen = await file({ personId: vip.body.id, citizen: undefined, channel: 'phone' });
    const vipPreserved = await file({
      personId: vip.body.id,
      identity: 'preserved',
      citizen: { name: 'Vera VIP', phone: '1199990000' },
    });
    const fleet = await file({ personId: worker.body.id, citizen: undefined, channel: 'letter' });
    const plain = await file({ citizen: { name: 'Outra Pessoa', email: 'outra@example.org' } });
    for (const p of [vipOpen, vipPreserved, fleet])
      await send(`/api/v1/manifestations/${p}/actions/assign`, 'POST', { assignee: attendant.email });
    for (const p of [vipOpen, vipPreserved])
      await send(`/api/v1/manifestations/${p}/actions/forward`, 'POST', {
        units: ['SEC-OBRAS'],
        instructions: 'Verificar o caso',
      });

    const vips = await send<{ items: Row[] }>('/api/v1/manifestations?vip=1');
    expect(vips.body.items.map((r) => r.protocol)).toEqual([vipOpen]);
    const all = await send<{ items: Row[] }>('/api/v1/manifestations?limit=100');
    const badge = Object.fromEntries(all.body.items.map((r) => [r.protocol, r.vip]));
    expect(badge).toMatchObject({ [vipOpen]: true, [vipPreserved]: false, [fleet]: false, [plain]: false });
    const ofCompany = await send<{ items: Row[] }>(`/api/v1/manifestations?company=${company.body.id}`);
    expect(ofCompany.body.items.map((r) => r.protocol)).toEqual([fleet]);
    const bad = await send<{ error: { fields: Record<string, string[]> } }>(
      '/api/v1/manifestations?company=acme',
    );
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields.company).toBeTruthy();

    // search by the reporter's document and by their company's name or CNPJ (issue 9 item 4), masked or not
    const search = async (q: string, headers = attendant.headers) =>
      (
        await send<{ items: Row[] }>(
          `/api/v1/manifestations?q=${encodeURIComponent(q)}`,
          'GET',
          undefined,
          headers,
        )
      ).body.items.map((r) => r.protocol);
    expect(await search('529.982.247-25')).toEqual([fleet]);
    expect(await search('52998224725')).toEqual([fleet]);
    expect(await search('rapido sul')).toEqual([fleet]);
    expect(await search('11.222.333/0001-81')).toEqual([fleet]);
    expect(await search('Rápido', unit.headers)).toEqual([]);

    // the unit sees both forwarded cases, but neither VIP badge nor filter says who is behind them
    const unitAll = await send<{ items: Row[] }>('/api/v1/manifestations', 'GET', undefined, unit.headers);
    expect(unitAll.body.items.map((r) => r.protocol).sort()).toEqual([vipOpen, vipPreserved].sort());
    expect(unitAll.body.items.every((r) => r.vip === false)).toBe(true);
    const unitVip = await send<{ items: Row[] }>(
      '/api/v1/manifestations?vip=1',
      'GET',
      undefined,
      unit.headers,
    );
    expect(unitVip.body.items).toEqual([]);

    // the workspace page: the VIP badge on the row
    const page = await t.app.request('/painel?vip=1', {
      headers: { authorization: `Bearer ${attendant.token}` },
    });
    const html = await page.text();
    expect(html).toContain(vipOpen);
    expect(html).toContain('badge vip');
  });
});
