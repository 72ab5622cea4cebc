// Issue 8.2 for deadlines: planning that fails for good (calendar data no deadline can be computed from)
// does not freeze the case. The filing answers, the case is listed under Falhas with the `deadline` step and
// says so in its deadline explanation, staff actions go on, and the repair plans the deadline once the
// data is fixed.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, newManifestation, startTestOuvidor, type TestOuvidor } from '../support/harness.ts';

let t: TestOuvidor;
let attendant: Awaited<ReturnType<TestOuvidor['createStaff']>>;

beforeAll(async () => {
  t = await startTestOuvidor();
  attendant = await t.createStaff('attendant');
});
afterAll(async () => t?.stop());

const post = (path: string, body: unknown, headers: Record<string, string> = attendant.headers) =>
  json<Record<string, unknown> & { error?: { code: string; message: string } }>(
    t.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    }),
  );

type Failures = { items: Array<{ protocol: string; steps: string[] }> };
type View = {
  dueAt: string | null;
  status: string;
  deadline?: { explanation: string[] };
  timeline: Array<{ type: string; data: Record<string, unknown> }>;
};

describe('a deadline that cannot be planned', () => {
  it('leaves the case answering, listed under Falhas, and the repair plans it once the data is fixed', async () => {
    await t.db.execute(sql`UPDATE calendars SET timezone = 'Marte/Olimpo' WHERE id = 'default'`);
    const filed = await post('/api/v1/manifestations', newManifestation(), {});
    expect(filed.status).toBe(201);
    const protocol = filed.body.protocol as string;
    expect(filed.body.dueAt).toBeNull();

    const listed = async () => {
      const res = await json<Failures>(t.app.request('/api/v1/failures', { headers: attendant.headers }));
      return res.body.items.find((i) => i.protocol === protocol);
    };
    await expect
      .poll(async () => (await listed())?.steps, { timeout: 30_000, interval: 300 })
      .toEqual(['deadline']);
    const read = async () =>
      (await json<View>(t.app.request(`/api/v1/manifestations/${protocol}`, { headers: attendant.headers })))
        .body;
    const stuck = await read();
    expect(stuck.timeline.find((e) => e.type === 'step_failed')?.data).toMatchObject({ step: 'deadline' });
    expect(stuck.timeline.find((e) => e.type === 'step_failed')?.data.error).toMatch(/InvalidDeadlineData/);
    expect(stuck.deadline?.explanation[0]).toMatch(/^Prazo não recalculado: .*Marte\/Olimpo/);

    // the case still moves
    const assigned = await post(`/api/v1/manifestations/${protocol}/actions/assign`, {
      assignee: attendant.email,
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body.status).toBe('in_progress');

    const early = await post(`/api/v1/manifestations/${protocol}/repair`, {});
    expect(early.status).toBe(409);
    expect(early.body.error?.code).toBe('repair_failed');

    await t.db.execute(sql`UPDATE calendars SET timezone = 'America/Sao_Paulo' WHERE id = 'default'`);
    const repaired = await post(
      `/api/v1/manifestations/${protocol}/repair`,
      {},
      { ...attendant.headers, 'Idempotency-Key': randomUUID() },
    );
    expect(repaired.status).toBe(200);
    const fixed = await read();
    expect(fixed.dueAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(Date.parse(fixed.dueAt!)).toBeGreaterThan(Date.now() + 25 * 86_400_000);
    expect(fixed.deadline?.explanation[0]).toContain('Lei 13.460/2017');
    expect(fixed.timeline.some((e) => e.type === 'step_repaired' && e.data.step === 'deadline')).toBe(true);
    await expect
      .poll(async () => (await listed()) === undefined, { timeout: 30_000, interval: 300 })
      .toBe(true);
  });
});
