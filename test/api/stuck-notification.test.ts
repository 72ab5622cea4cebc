// Issue 8.2 for mail: an e-mail the database refuses for good (a trigger raising check_violation) does not
// hold the case: the answer is given, the failure is listed with the mail still owed, and the REST repair
// sends it once the cause is gone.
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboundEmails } from '../../db/schema.ts';
import { json, newManifestation, startTestOuvidor, type TestOuvidor } from '../support/harness.ts';

let t: TestOuvidor;
let attendant: Awaited<ReturnType<TestOuvidor['createStaff']>>;
const MARKER = 'MARCADOR-DE-CORREIO';

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

type Failures = {
  items: Array<{ protocol: string; steps: string[]; failures?: Array<{ owedNotifications: number }> }>;
};

describe('a notification that fails for good', () => {
  it('is listed with the mail owed, and the repair sends it', async () => {
    const filed = await post('/api/v1/manifestations', newManifestation(), {});
    const protocol = filed.body.protocol as string;
    await post(`/api/v1/manifestations/${protocol}/actions/assign`, { assignee: attendant.email });
    await t.db.execute(
      sql.raw(`CREATE FUNCTION refuse_mail() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.text LIKE '%${MARKER}%' THEN
            RAISE EXCEPTION 'mensagem recusada pelo teste' USING ERRCODE = 'check_violation';
          END IF;
          RETURN NEW;
        END $$`),
    );
    await t.db.execute(
      sql.raw(
        'CREATE TRIGGER refuse_mail BEFORE INSERT ON outbound_emails FOR EACH ROW EXECUTE FUNCTION refuse_mail()',
      ),
    );
    const answer = `Os postes foram religados. ${MARKER}`;
    const answered = await post(`/api/v1/manifestations/${protocol}/actions/answer`, { text: answer });
    expect(answered.status).toBe(200);
    expect(answered.body.status).toBe('answered');

    const listed = async () => {
      const res = await json<Failures>(t.app.request('/api/v1/failures', { headers: attendant.headers }));
      return res.body.items.find((i) => i.protocol === protocol);
    };
    await expect
      .poll(async () => (await listed())?.steps, { timeout: 30_000, interval: 300 })
      .toEqual(['notification']);
    expect((await listed())?.failures?.[0]?.owedNotifications).toBeGreaterThanOrEqual(1);
    // the case still moves
    const note = await post(`/api/v1/manifestations/${protocol}/actions/note`, {
      text: 'Nota depois da falha de e-mail.',
      visibility: 'internal',
    });
    expect(note.status).toBe(200);

    const early = await post(`/api/v1/manifestations/${protocol}/repair`, {});
    expect(early.status).toBe(409);
    expect(early.body.error?.code).toBe('repair_failed');

    await t.db.execute(sql.raw('DROP TRIGGER refuse_mail ON outbound_emails'));
    const repaired = await post(
      `/api/v1/manifestations/${protocol}/repair`,
      {},
      {
        ...attendant.headers,
        'Idempotency-Key': randomUUID(),
      },
    );
    expect(repaired.status).toBe(200);
    const sent = await t.db.select().from(outboundEmails).where(eq(outboundEmails.protocol, protocol));
    expect(
      sent.filter((m) => m.eventType === 'answered' && m.text.includes(MARKER)).length,
    ).toBeGreaterThanOrEqual(1);
    await expect
      .poll(async () => (await listed()) === undefined, { timeout: 30_000, interval: 300 })
      .toBe(true);
  });
});
