// Issue 14.3: the millionth filing of a year gets OUV-YYYY-1000000, and that case works like any other:
// the citizen opens it with the access code, staff find it by protocol, the page link resolves.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { protocolSequences } from '../../db/schema.ts';
import { json, newManifestation, startTestOuvidor, type TestOuvidor } from '../support/harness.ts';

let t: TestOuvidor;
let staff: Awaited<ReturnType<TestOuvidor['createStaff']>>;

beforeAll(async () => {
  t = await startTestOuvidor();
  staff = await t.createStaff('attendant');
});
afterAll(async () => t?.stop());

const file = (subject: string) =>
  json<{ protocol: string; accessCode: string }>(
    t.app.request('/api/v1/manifestations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(newManifestation({ subject })),
    }),
  );

describe('protocol numbers past 999,999 in a year', () => {
  it('go on with seven digits, and the new case opens, lists and searches like the others', async () => {
    const year = Number(
      new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: 'America/Sao_Paulo' }).format(new Date()),
    );
    await t.db
      .update(protocolSequences)
      .set({ last: 999_998 })
      .where(sql`${protocolSequences.year} = ${year}`);
    const last6 = await file('Poste apagado na praça');
    const first7 = await file('Semáforo quebrado na avenida');
    expect(last6.status).toBe(201);
    expect(first7.status).toBe(201);
    expect(last6.body.protocol).toBe(`OUV-${year}-999999`);
    expect(first7.body.protocol).toBe(`OUV-${year}-1000000`);

    // the citizen opens it with the code from the receipt; a wrong code opens nothing
    const mine = await json<{ protocol: string; subject: string }>(
      t.app.request(`/api/v1/manifestations/${first7.body.protocol}`, {
        headers: { 'X-Access-Code': first7.body.accessCode.toLowerCase() },
      }),
    );
    expect(mine.status).toBe(200);
    expect(mine.body.subject).toBe('Semáforo quebrado na avenida');
    const wrong = await t.app.request(`/api/v1/manifestations/${first7.body.protocol}`, {
      headers: { 'X-Access-Code': last6.body.accessCode },
    });
    expect(wrong.status).toBe(404);

    // staff find it by its protocol and by a fragment of it
    for (const q of [first7.body.protocol, '1000000']) {
      const found = await json<{ items: Array<{ protocol: string }> }>(
        t.app.request(`/api/v1/manifestations?q=${encodeURIComponent(q)}`, { headers: staff.headers }),
      );
      expect(found.status).toBe(200);
      expect(found.body.items.map((i) => i.protocol)).toContain(first7.body.protocol);
    }
    // and its page answers
    const page = await t.app.request(`/api/v1/manifestations/${first7.body.protocol}`, {
      headers: staff.headers,
    });
    expect(page.status).toBe(200);
  });
});
