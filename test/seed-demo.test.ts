// SEED_DEMO=1: the demo organisation is seeded once, through the real workflow, and is usable right
// away with the documented accounts (README lists demoAccounts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_PASSWORD,
  demoAccounts,
  demoCaseCount,
  demoOrganisation,
  demoStatePlan,
  seedDemo,
} from '../db/seed-demo.ts';
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

  it('files about 70 manifestations the first time and nothing the second time', async () => {
    expect(firstRun).toBe(demoCaseCount + demoPeopleCaseCount);
    expect(firstRun).toBeGreaterThanOrEqual(40);
    expect(firstRun).toBeLessThanOrEqual(80);
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
    const planned = new Map<string, number>();
    for (const plan of demoStatePlan) planned.set(plan.status, (planned.get(plan.status) ?? 0) + plan.count);
    for (const [status, count] of planned) {
      expect(
        all.filter((m) => m.status === status),
        status,
      ).toHaveLength(count + (demoPeopleStatusCounts[status] ?? 0));
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

  it('gives the reports ratings and measures, and the public transparency page units beside suppressed cells', async () => {
    const bearer = await token('ouvidora@demo.ouvidor.local');
    const from = new Date(Date.now() - 120 * 86_400_000).toISOString().slice(0, 10);
    const report = (await (
      await t.app.request(`/api/v1/reports/satisfaction?from=${from}`, {
        headers: { authorization: `Bearer ${bearer}` },
      })
    ).json()) as { rows: { answer: string; final: number }[] };
    const rated = report.rows.filter((r) => /^score\.[1-5]$/.test(r.answer)).reduce((n, r) => n + r.final, 0);
    expect(rated).toBeGreaterThanOrEqual(20);
    const management = (await (
      await t.app.request(`/api/v1/reports/management?from=${from}`, {
        headers: { authorization: `Bearer ${bearer}` },
      })
    ).json()) as { measures: unknown[]; satisfaction: { rated: number } };
    expect(management.measures.length).toBeGreaterThan(0);

    // signed out: the clusters' units are published with their counts, rarer combinations are not
    const html = await (await t.app.request('/transparencia')).text();
    const units = [...html.matchAll(/<table class="compact" id="by-unit">[\s\S]*?<\/table>/g)][0]?.[0] ?? '';
    const row = (name: string) =>
      new RegExp(`<th scope="row">${name}</th>\\s*<td class="num">(\\d+)</td>`).exec(units)?.[1];
    expect(Number(row('Secretaria de Obras'))).toBeGreaterThanOrEqual(5);
    expect(Number(row('Secretaria de Saúde'))).toBeGreaterThanOrEqual(5);
    expect(units).toContain('Suprimido');
    expect(html).toContain('&lt;5');
    expect(html).toMatch(/data-figure="rating">\d/);
    expect(html).toContain(demoOrganisation['org.name']);
  });

  it('shows the SEC-OBRAS unit user only the cases forwarded to SEC-OBRAS', async () => {
    const items = await list(await token('obras@demo.ouvidor.local'));
    for (const item of items) expect(item.units).toContain('SEC-OBRAS');
    expect(items.length).toBeGreaterThan(0);
  });
});
