// Revealing a preserved identity: an explicit act with a purpose, by the ouvidoria only, appended to an
// access log that PostgreSQL itself refuses to change (UPDATE, DELETE, TRUNCATE) — through the app's own
// database connection, the same user the app writes with.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityAccessLog } from '../../db/schema.ts';
import { json, newManifestation, startTestOuvidor, type TestOuvidor } from '../support/harness.ts';

let t: TestOuvidor;
type Staff = Awaited<ReturnType<TestOuvidor['createStaff']>>;
let ombudsman: Staff;
let attendant: Staff;
let unit: Staff;
let otherUnit: Staff;

beforeAll(async () => {
  t = await startTestOuvidor();
  ombudsman = await t.createStaff('ombudsman');
  attendant = await t.createStaff('attendant');
  unit = await t.createStaff('unit', { unitCode: 'SEC-OBRAS' });
  otherUnit = await t.createStaff('unit', { unitCode: 'SEC-SAUDE' });
});
afterAll(async () => t?.stop());

async function file(identity: string) {
  const res = await json<{ protocol: string }>(
    t.app.request('/api/v1/manifestations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        newManifestation({
          identity,
          citizen: { name: 'Rosa Prudente', email: 'rosa@example.org', phone: '11 5555-0101' },
        }),
      ),
    }),
  );
  expect(res.status).toBe(201);
  const protocol = res.body.protocol;
  for (const [action, body] of [
    ['assign', { assignee: attendant.email }],
    ['forward', { units: ['SEC-OBRAS'], instructions: 'Verificar.' }],
  ] as const) {
    const r = await t.app.request(`/api/v1/manifestations/${protocol}/actions/${action}`, {
      method: 'POST',
      headers: attendant.headers,
      body: JSON.stringify(body),
    });
    expect(r.status).toBe(200);
  }
  return protocol;
}

const reveal = (protocol: string, who: Staff, body: unknown) =>
  json<Record<string, unknown>>(
    t.app.request(`/api/v1/manifestations/${protocol}/identity-access`, {
      method: 'POST',
      headers: who.headers,
      body: JSON.stringify(body),
    }),
  );

const logOf = async (protocol: string) =>
  (
    await json<{ items: Array<{ actor: string; purpose: string; protocol: string; at: string }> }>(
      t.app.request(`/api/v1/identity-access-log?protocol=${protocol}`, { headers: ombudsman.headers }),
    )
  ).body.items;

describe('identity access', () => {
  it('reveals a preserved identity to the ombudsman with a purpose, and logs who, when and why', async () => {
    const protocol = await file('preserved');
    const before = await json<{ citizen: unknown }>(
      t.app.request(`/api/v1/manifestations/${protocol}`, { headers: ombudsman.headers }),
    );
    expect(before.body.citizen).toBeNull();
    const res = await reveal(protocol, ombudsman, { purpose: 'Apurar possível retaliação ao denunciante' });
    expect(res.status).toBe(200);
    expect(res.body.citizen).toEqual({
      name: 'Rosa Prudente',
      email: 'rosa@example.org',
      phone: '11 5555-0101',
    });
    expect(res.headers.get('cache-control')).toBe('no-store');
    const log = await logOf(protocol);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      actor: ombudsman.email,
      purpose: 'Apurar possível retaliação ao denunciante',
      protocol,
    });
    // the reveal is one response, not a new state of the case
    const after = await json<{ citizen: unknown }>(
      t.app.request(`/api/v1/manifestations/${protocol}`, { headers: ombudsman.headers }),
    );
    expect(after.body.citizen).toBeNull();
  });

  it('keeps a purpose holding NUL and other control characters as clean text (the log never refuses it with a 500)', async () => {
    const protocol = await file('preserved');
    const res = await reveal(protocol, ombudsman, {
      purpose: 'Apurar\u0000 retaliação\u001c ao denunciante',
    });
    expect(res.status).toBe(200);
    expect((await logOf(protocol))[0]?.purpose).toBe('Apurar retaliação ao denunciante');
  });

  it('refuses units (403), other units (404), an empty purpose (422) and anonymous cases (409), logging nothing', async () => {
    const protocol = await file('preserved');
    expect((await reveal(protocol, unit, { purpose: 'Preciso falar com a pessoa' })).status).toBe(403);
    expect((await reveal(protocol, otherUnit, { purpose: 'Preciso falar com a pessoa' })).status).toBe(404);
    const empty = await reveal(protocol, attendant, { purpose: '  ' });
    expect(empty.status).toBe(422);
    expect(empty.body).toMatchObject({
      error: { code: 'invalid_body', fields: { purpose: expect.any(Array) } },
    });
    const anonymous = await file('anonymous');
    const anon = await reveal(anonymous, ombudsman, { purpose: 'Tentativa numa manifestação anônima' });
    expect(anon.status).toBe(409);
    expect(await logOf(protocol)).toEqual([]);
    expect(await logOf(anonymous)).toEqual([]);
  });

  it('lists the log for the ombudsman and admins only', async () => {
    const admin = await t.createStaff('admin');
    expect((await t.app.request('/api/v1/identity-access-log', { headers: admin.headers })).status).toBe(200);
    expect((await t.app.request('/api/v1/identity-access-log', { headers: attendant.headers })).status).toBe(
      403,
    );
    expect((await t.app.request('/api/v1/identity-access-log', { headers: unit.headers })).status).toBe(403);
    expect((await t.app.request('/api/v1/identity-access-log')).status).toBe(401);
  });

  it('cannot be changed: PostgreSQL refuses UPDATE, DELETE and TRUNCATE from the app’s own user', async () => {
    const protocol = await file('preserved');
    expect((await reveal(protocol, attendant, { purpose: 'Contato para complementação' })).status).toBe(200);
    const [row] = await t.db.select().from(identityAccessLog).where(eq(identityAccessLog.protocol, protocol));
    expect(row).toBeDefined();
    await expect(
      t.db.update(identityAccessLog).set({ purpose: 'nada' }).where(eq(identityAccessLog.id, row!.id)),
    ).rejects.toThrow();
    await expect(t.db.delete(identityAccessLog).where(eq(identityAccessLog.id, row!.id))).rejects.toThrow();
    await expect(t.db.execute(sql`TRUNCATE identity_access_log`)).rejects.toThrow();
    await expect(t.db.execute(sql`DELETE FROM identity_access_log`)).rejects.toThrow();
    const [still] = await t.db.select().from(identityAccessLog).where(eq(identityAccessLog.id, row!.id));
    expect(still).toEqual(row);
  });
});
