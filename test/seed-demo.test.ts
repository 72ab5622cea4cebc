// SEED_DEMO=1: the demo organisation is seeded once, through the real workflow, and is usable right
// away with the documented accounts (README lists demoAccounts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, demoAccounts, demoCaseCount, demoStatePlan, seedDemo } from '../db/seed-demo.ts';
import { demoPeopleCaseCount, demoPeopleStatusCounts } from '../db/seed-demo-people.ts';
import { startTestOuvidor } from './support/harness.ts';

type Listed = { protocol: string; status: string; identity: string; units: string[]; dueAt: string | null };
type ListPage = { items: Listed[]; nextCursor: string | null };

describe('demo seed', () => {
  let t: Awaited<ReturnType<typeof startTestOuvidor>>;
  let firstRun = 0;

  beforeAll(async () => {
    t = await startTestOuvidor();
    firstRun = await seedDemo(t.deps);
  }, 180_000);

  afterAll(async () => {
    await t?.stop();
  });

  async function token(email: string): Promise<string> {
    const res = await t.app.request('/api/v1/auth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: DEMO_PASSWORD }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { token: string }).token;
  }

  async function list(bearer: string, query = ''): Promise<Listed[]> {
    const items: Listed[] = [];
    let cursor: string | null = null;
    do {
      const qs = new URLSearchParams(query);
      qs.set('limit', '100');
      if (cursor) qs.set('cursor', cursor);
      const res = await t.app.request(`/api/v1/manifestations?${qs}`, {
        headers: { authorization: `Bearer ${bearer}` },
      });
      expect(res.status).toBe(200);
      const page = (await res.json()) as ListPage;
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }

  it('files about 50 manifestations the first time and nothing the second time', async () => {
    expect(firstRun).toBe(demoCaseCount + demoPeopleCaseCount);
    expect(firstRun).toBeGreaterThanOrEqual(40);
    expect(firstRun).toBeLessThanOrEqual(60);
    expect(await seedDemo(t.deps)).toBe(0);
    // issue 11: the demo citizen and the VIP customer are on record, with histories
    const bearer = await token('atendente@demo.ouvidor.local');
    const found = (await (
      await t.app.request('/api/v1/people?q=529.982.247-25', {
        headers: { authorization: `Bearer ${bearer}` },
      })
    ).json()) as { items: { id: string; name: string }[] };
    expect(found.items.map((p) => p.name)).toEqual(['Maria da Silva']);
    const maria = (await (
      await t.app.request(`/api/v1/people/${found.items[0]!.id}`, {
        headers: { authorization: `Bearer ${bearer}` },
      })
    ).json()) as { cases: unknown[]; company: { legalName: string } };
    expect(maria.cases.length).toBeGreaterThanOrEqual(4);
    expect(maria.company.legalName).toBe('Padaria Pão Quente Ltda');
    const all = await list(await token('admin@demo.ouvidor.local'));
    expect(all).toHaveLength(firstRun);
  });

  it('lets the demo admin list closed cases with the documented password', async () => {
    const closed = await list(await token('admin@demo.ouvidor.local'), 'status=closed');
    expect(closed.length).toBeGreaterThan(0);
    for (const item of closed) expect(item.status).toBe('closed');
  });

  it('has cases in every planned status, in the planned numbers, with some past their deadline', async () => {
    const all = await list(await token('ouvidora@demo.ouvidor.local'));
    for (const plan of demoStatePlan) {
      expect(
        all.filter((m) => m.status === plan.status),
        plan.status,
      ).toHaveLength(plan.count + (demoPeopleStatusCounts[plan.status] ?? 0));
    }
    for (const status of ['received', 'in_progress', 'answered', 'closed']) {
      expect(all.some((m) => m.status === status)).toBe(true);
    }
    expect(new Set(all.map((m) => m.identity))).toEqual(new Set(['identified', 'preserved', 'anonymous']));
    const now = Date.now();
    expect(all.some((m) => m.dueAt !== null && Date.parse(m.dueAt) < now)).toBe(true);
  });

  it('lets every staff account sign in', async () => {
    for (const account of demoAccounts.filter((a) => a.role !== 'citizen')) {
      expect(await token(account.email)).toBeTruthy();
    }
  });

  it('shows the SEC-OBRAS unit user only the cases forwarded to SEC-OBRAS', async () => {
    const items = await list(await token('obras@demo.ouvidor.local'));
    for (const item of items) expect(item.units).toContain('SEC-OBRAS');
    expect(items.length).toBeGreaterThan(0);
  });
});
