// The filing plans a case's deadline from cached policies and calendars (db/queries/sla.ts), and since
// issue 14 that plan is the case's own (CaseInput.registration). An admin's edit made in another server
// process must reach this process's cache at once, not after its 5 s: the edit announces it (NOTIFY) before
// the open cases are told to re-plan, and every server process listens.
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedActivePolicies, deadlineDataChannel, listenForDeadlineData } from '../../db/queries/sla.ts';
import { slaPolicies } from '../../db/schema.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { json, startTestOuvidor, type TestOuvidor } from '../support/harness.ts';

let t: TestOuvidor;
let db: TestDatabase;
beforeAll(async () => {
  t = await startTestOuvidor();
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
  await t?.stop();
});

const amounts = async () => (await cachedActivePolicies(db.db, 'case')).map((p) => [p.id, p.amount]);

describe('cached deadline data across processes', () => {
  it('another process changing a policy and announcing it drops this process cache at once', async () => {
    if (!db.url) return; // PGlite is one process: nothing else can write it
    const stop = await listenForDeadlineData(db);
    const other = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      const before = await amounts();
      expect(before.length).toBeGreaterThan(0);
      const [id] = before[0] as [string, number];
      // the other process's write: this process's cache still serves the old rows (for up to 5 s)…
      await other`update sla_policies set amount = amount + 7 where id = ${id}`;
      expect(await amounts()).toEqual(before);
      // …until it announces the change, as api/admin/notify.ts does before it signals the open cases
      await other`select pg_notify(${deadlineDataChannel}, '')`;
      await expect.poll(amounts).not.toEqual(before);
      const [row] = await db.db.select().from(slaPolicies).where(eq(slaPolicies.id, id));
      expect((await amounts()).find(([x]) => x === id)).toEqual([id, row?.amount]);
    } finally {
      await other.end();
      await stop();
    }
  });

  it('an edit through the admin API announces it to every process', async () => {
    if (!t.databaseUrl) return;
    const heard: string[] = [];
    const listener = postgres(t.databaseUrl, { max: 1, onnotice: () => {} });
    const { unlisten } = await listener.listen(deadlineDataChannel, (p) => heard.push(p));
    try {
      const admin = await t.createStaff('admin');
      const res = await json(
        t.app.request('/api/v1/admin/sla-policies', {
          method: 'POST',
          headers: { ...admin.headers, 'content-type': 'application/json' },
          body: JSON.stringify({
            id: 'elogios-5',
            name: 'Elogios: 5 dias',
            scope: 'case',
            kind: 'praise',
            unit: 'calendar_days',
            amount: 5,
          }),
        }),
      );
      expect(res.status).toBe(201);
      await expect.poll(() => heard.length).toBeGreaterThan(0);
    } finally {
      await unlisten();
      await listener.end();
    }
  });
});
