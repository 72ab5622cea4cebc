// Issue 9 item 9: the office's queue counts come from counters kept by a trigger (db/queries/queue-counts.ts).
// Whatever happens to cases — filed, taken, forwarded, answered, closed — the counters equal a recount.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markSeen } from '../../db/queries/manifestations.ts';
import { json, newManifestation, startTestOuvidor, type TestOuvidor } from '../support/harness.ts';

let t: TestOuvidor;
let staff: Awaited<ReturnType<TestOuvidor['createStaff']>>;
beforeAll(async () => {
  t = await startTestOuvidor();
  staff = await t.createStaff('attendant');
});
afterAll(async () => t?.stop());

const rows = async (q: ReturnType<typeof sql>) => {
  const r = (await t.db.execute(q)) as unknown as { rows?: Record<string, unknown>[] } & Record<
    string,
    unknown
  >[];
  return (r.rows ?? r) as Array<{ status: string; unassigned: boolean; n: number }>;
};
const counters = async () =>
  (
    await rows(sql`select status, unassigned, n::int as n from queue_counters where n <> 0 order by 1, 2`)
  ).map((r) => `${r.status}:${r.unassigned}:${r.n}`);
const recount = async () =>
  (
    await rows(sql`select status, assignee is null as unassigned, count(*)::int as n from manifestations
      where status in ('received', 'in_progress', 'forwarded', 'awaiting_citizen') group by 1, 2 order by 1, 2`)
  ).map((r) => `${r.status}:${r.unassigned}:${r.n}`);

/** case_news as kept by the triggers, and recomputed from its definition (follower, unseen, by someone else). */
const news = async () =>
  (await rows(sql`select user_id as status, protocol as n from case_news order by 1, 2`)).map(
    (r) => `${r.status}:${r.n}`,
  );
const newsRecount = async () =>
  (
    await rows(sql`select u.id as status, m.protocol as n from manifestations m cross join users u
      left join case_reads s on s.user_id = u.id and s.protocol = m.protocol
      where (m.assignee = u.email or s.user_id is not null)
        and m.last_activity_seq > coalesce(s.seen_seq, 0) and m.last_activity_by is distinct from u.email
      order by 1, 2`)
  ).map((r) => `${r.status}:${r.n}`);

describe('queue counters', () => {
  it('equal a recount of the open cases after filings, assignments, forwarding and closing', async () => {
    const act = (p: string, action: string, body: unknown) =>
      t.app.request(`/api/v1/manifestations/${p}/actions/${action}`, {
        method: 'POST',
        headers: staff.headers,
        body: JSON.stringify(body),
      });
    const filed: string[] = [];
    for (const subject of ['Buraco na calçada', 'Poste apagado', 'Lixo acumulado']) {
      const r = await json<{ protocol: string }>(
        t.app.request('/api/v1/manifestations', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(newManifestation({ subject })),
        }),
      );
      filed.push(r.body.protocol);
    }
    expect(await counters()).toEqual(await recount());
    const [a, b, c] = filed as [string, string, string];
    expect((await act(a, 'assign', { assignee: staff.email })).status).toBe(200);
    expect((await act(b, 'assign', { assignee: staff.email })).status).toBe(200);
    expect((await act(b, 'close', { justification: 'Resolvido por telefone com o cidadão.' })).status).toBe(
      200,
    );
    expect(await counters()).toEqual(await recount());
    const queues = await json<{ queues: Array<{ name: string; count: number }> }>(
      t.app.request('/api/v1/queues', { headers: staff.headers }),
    );
    const count = Object.fromEntries(queues.body.queues.map((q) => [q.name, q.count]));
    expect(count).toMatchObject({ mine: 1, unassigned: 1 });
    expect((await act(c, 'assign', { assignee: staff.email })).status).toBe(200);
    expect(await counters()).toEqual(await recount());
  });

  it('"com novidade" rows equal their definition through assignment, news, opening and reassignment', async () => {
    const other = await t.createStaff('attendant');
    const act = (p: string, action: string, body: unknown, who = staff) =>
      t.app.request(`/api/v1/manifestations/${p}/actions/${action}`, {
        method: 'POST',
        headers: who.headers,
        body: JSON.stringify(body),
      });
    const r = await json<{ protocol: string }>(
      t.app.request('/api/v1/manifestations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(newManifestation({ subject: 'Calçada quebrada' })),
      }),
    );
    const p = r.body.protocol;
    const idOf = async (email: string) =>
      String((await rows(sql`select id as status from users where email = ${email}`))[0]?.status);
    const [staffId, otherId] = [await idOf(staff.email), await idOf(other.email)];
    expect((await act(p, 'assign', { assignee: staff.email })).status).toBe(200);
    expect(await news()).toEqual(await newsRecount());
    // someone else writes on the case: news for its assignee
    expect((await act(p, 'note', { text: 'Vistoria marcada.' }, other)).status).toBe(200);
    expect(await news()).toContain(`${staffId}:${p}`);
    expect(await news()).toEqual(await newsRecount());
    // opening it clears the marker; the colleague who opened it follows it, but wrote the news themself
    await markSeen(t.db, staffId, p, 99);
    await markSeen(t.db, otherId, p, 1);
    expect(await news()).not.toContain(`${staffId}:${p}`);
    expect(await news()).not.toContain(`${otherId}:${p}`);
    expect(await news()).toEqual(await newsRecount());
    // handed over: the new assignee has news (the old one caused it), the old one none
    expect((await act(p, 'assign', { assignee: other.email })).status).toBe(200);
    expect(await news()).toEqual(await newsRecount());
    expect(await news()).not.toContain(`${staffId}:${p}`);
    expect(await news()).toContain(`${otherId}:${p}`);
  });
});
