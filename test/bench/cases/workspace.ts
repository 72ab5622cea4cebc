// B4/B5: the attendant's list at 1,000,000 cases (issue 9 item 9), against the read model filled by
// test/bench/workspace-fixture.ts (BENCH_DATABASE_URL). For every list, filter, sort, search and queue: p95
// of our code path (query resolution + drizzle) and the ratio against the same SQL run directly with
// postgres.js; then page 1,000 by cursor against page 1, and all queue counts together.
// Targets: p95 ≤ 150 ms and ≤ 1.5× direct SQL; page 1,000 ≤ 1.2× page 1; counts ≤ 50 ms.
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { StaffUser } from '../../../api/auth/session.ts';
import { queueWindow, resolveListQuery, viewerOf } from '../../../api/manifestations/list-filter.ts';
import { queueNames } from '../../../api/manifestations/schemas.ts';
import type { AppDeps } from '../../../api/types.ts';
import type { Database } from '../../../db/client.ts';
import { countQueues, listManifestations } from '../../../db/queries/manifestations.ts';
import * as schema from '../../../db/schema.ts';
import type { BenchCase } from '../support/cases.ts';
import type { Figure } from '../support/figures.ts';
import { percentile } from '../support/stats.ts';

const user: StaffUser = {
  id: 'bench-7',
  email: 'atendente7@bench.local',
  name: 'Atendente 7',
  role: 'attendant',
  unitCode: null,
};

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const scenarios = (): [string, string, Record<string, string>][] => [
  ['newest', 'newest 25', {}],
  ['q.common', 'search: common word', { q: 'buraco' }],
  ['q.rare', 'search: rare word', { q: 'xilogravura' }],
  ['q.prefix', 'search: prefix "semaf"', { q: 'semaf' }],
  ['q.code', 'search: "BR 116"', { q: 'BR 116' }],
  ['q.number', 'search: number in code "1234"', { q: '1234' }],
  ['q.protocol', 'search: protocol fragment', { q: '0123456' }],
  ['q.email', 'search: reporter e-mail', { q: 'cidadao4242@example.org' }],
  ['f.assignee', 'filter: assignee', { assignee: 'atendente9@bench.local' }],
  ['f.unassigned', 'filter: assignee = none', { assignee: 'none' }],
  ['f.unit', 'filter: unit', { unit: 'SEC-3' }],
  ['f.status', 'filter: status', { status: 'forwarded' }],
  ['f.priority', 'filter: priority', { priority: 'urgent' }],
  ['f.due', 'filter: due window 7 days', { dueFrom: day(0), dueTo: day(7) }],
  ['f.opened', 'filter: opened last 3 days', { openedFrom: day(-3) }],
  ['s.due', 'sort: due', { sort: 'due' }],
  ['s.priority', 'sort: priority', { sort: 'priority' }],
  ['s.due+unit', 'sort: due + unit', { sort: 'due', unit: 'SEC-5' }],
  ...queueNames.map((q): [string, string, Record<string, string>] => [
    `queue.${q}`,
    `queue: ${q}`,
    { queue: q },
  ]),
];

const workspace: BenchCase = {
  id: 'B4',
  title: 'lists, filters, sorts, search and queues at scale (issue 9 item 9)',
  needs: 'readModel',
  async run({ readModelUrl, runs, log }) {
    const client = postgres(readModelUrl!, { max: 4, onnotice: () => {} });
    let captured: { query: string; params: unknown[] } | undefined;
    const db = drizzle(client, {
      schema,
      logger: { logQuery: (query, params) => (captured = { query, params }) },
    }) as unknown as Database;
    const deps = { db, timezone: 'America/Sao_Paulo' } as AppDeps;
    const p95 = (xs: number[]) => percentile(xs, 95);
    async function time(fn: () => Promise<unknown>): Promise<number[]> {
      for (let i = 0; i < 3; i++) await fn();
      const out: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        await fn();
        out.push(performance.now() - t0);
      }
      return out;
    }
    async function listOnce(raw: Record<string, string>) {
      const r = await resolveListQuery(raw, user, deps);
      if (!r.ok) throw new Error(JSON.stringify(r.fields));
      return listManifestations(db, r.list.filter, r.list.viewer, r.list.window);
    }
    const figures: Figure[] = [];
    try {
      const [{ n } = { n: 0 }] = await client<{ n: number }[]>`select count(*)::int as n from manifestations`;
      log(`read model: ${n.toLocaleString('pt-BR')} cases; ${runs} runs each`);
      for (const [id, name, raw] of scenarios()) {
        const ours = p95(await time(() => listOnce(raw)));
        const sqlText = captured;
        if (!sqlText) throw new Error('no SQL captured');
        const direct = p95(await time(() => client.unsafe(sqlText.query, sqlText.params as never[])));
        figures.push({
          id: `B4.${id}`,
          name: `${name}: p95 ms (target ≤ 150) vs the same SQL direct (target ratio ≤ 1.5)`,
          ours: round(ours),
          reference: round(direct),
          unit: 'ms',
          ratio: ours / direct,
          target: { of: 'ratio', op: '<=', value: 1.5 },
          errors: 0,
          detail: { cases: n, absoluteTargetMet: ours <= 150 },
        });
        if (ours > 150)
          figures.push({
            id: `B4.${id}.abs`,
            name: `${name}: p95 ms over the 150 ms target`,
            ours: round(ours),
            reference: 150,
            unit: 'ms',
            ratio: ours / 150,
            target: { of: 'ours', op: '<=', value: 150 },
            errors: 0,
          });
      }
      // Page 1,000 by cursor (25 rows a page) against page 1, newest first and by due date.
      for (const sort of ['received', 'due']) {
        let cursor: string | null = null;
        for (let page = 1; page < 1000; page++) {
          const r: Awaited<ReturnType<typeof listOnce>> = await listOnce({
            sort,
            ...(cursor ? { cursor } : {}),
          });
          cursor = r.nextCursor;
          if (!cursor) break;
        }
        const first = p95(await time(() => listOnce({ sort })));
        const thousandth = p95(await time(() => listOnce({ sort, ...(cursor ? { cursor } : {}) })));
        figures.push({
          id: `B5.page1000.${sort}`,
          name: `page 1,000 by cursor vs page 1 (${sort}), p95 ms`,
          ours: round(thousandth),
          reference: round(first),
          unit: 'ms',
          ratio: thousandth / first,
          target: { of: 'ratio', op: '<=', value: 1.2 },
          errors: 0,
        });
      }
      const window = await queueWindow(deps);
      const counts = p95(await time(() => countQueues(db, viewerOf(user), window)));
      figures.push({
        id: 'B5.queueCounts',
        name: 'all queue counts together, p95 ms (target ≤ 50)',
        ours: round(counts),
        reference: null,
        unit: 'ms',
        ratio: null,
        target: { of: 'ours', op: '<=', value: 50 },
        errors: 0,
      });
    } finally {
      await client.end();
    }
    return figures;
  },
};

const round = (x: number) => Math.round(x * 10) / 10;
export default workspace;
