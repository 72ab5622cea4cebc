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
import { type Database, postgresOptions } from '../../../db/client.ts';
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
/** Company 777 of the fixture (about 50 cases), as the company filter takes it. */
const company777 = '00000000-0000-4000-8000-000000000777';
/**
 * Every list the issue names (item 3 filters and sorts, item 4 searches, item 2 queues), over the fixture's
 * values. BENCH_WORKSPACE_ONLY=<regex> keeps the scenarios whose id matches (for iterating on one).
 */
const scenarios = (): [string, string, Record<string, string>][] => {
  const all: [string, string, Record<string, string>][] = [
    ['newest', 'newest 25 (sort: received)', {}],
    ['q.common', 'search: common word', { q: 'buraco' }],
    ['q.subject', 'search: two subject words', { q: 'semáforo escola' }],
    ['q.description', 'search: description words', { q: 'relato veiculo' }],
    ['q.rare', 'search: rare word', { q: 'xilogravura' }],
    ['q.prefix', 'search: prefix "semaf"', { q: 'semaf' }],
    ['q.code', 'search: "BR 116"', { q: 'BR 116' }],
    ['q.number', 'search: number in code "1234"', { q: '1234' }],
    ['q.protocol', 'search: protocol fragment', { q: '0123456' }],
    ['q.protocolWhole', 'search: whole protocol', { q: 'BEN-0123456' }],
    ['q.name', 'search: reporter name', { q: 'Cidadão 424242' }],
    ['q.email', 'search: reporter e-mail', { q: 'cidadao4242@example.org' }],
    ['q.document', 'search: reporter document (CPF)', { q: '500.000.042-42' }],
    ['q.company', 'search: company name', { q: 'Empresa Bench 777' }],
    ['q.assignee', 'search: assignee name', { q: 'Atendente 37' }],
    ['f.assigneeMe', 'filter: assignee = me', { assignee: 'me' }],
    ['f.assignee', 'filter: assignee = a colleague', { assignee: 'atendente9@bench.local' }],
    ['f.unassigned', 'filter: assignee = none', { assignee: 'none' }],
    ['f.unit', 'filter: unit', { unit: 'SEC-3' }],
    ['f.group', 'filter: group', { group: 'G3' }],
    ['f.status', 'filter: status', { status: 'forwarded' }],
    ['f.kind', 'filter: kind', { kind: 'suggestion' }],
    ['f.topic', 'filter: topic', { topic: 'T7' }],
    ['f.item', 'filter: item', { item: 'T7.3' }],
    ['f.priority', 'filter: priority', { priority: 'urgent' }],
    ['f.channel', 'filter: channel', { channel: 'letter' }],
    ['f.sla', 'filter: SLA state', { sla: 'breached' }],
    ['f.vip', 'filter: VIP', { vip: '1' }],
    ['f.company', 'filter: company', { company: company777 }],
    ['f.due', 'filter: due window 7 days', { dueFrom: day(0), dueTo: day(7) }],
    ['f.opened', 'filter: opened in a 3-day range', { openedFrom: day(-3), openedTo: day(0) }],
    [
      'f.openedOld',
      'filter: opened in a 3-day range a year ago',
      { openedFrom: day(-368), openedTo: day(-365) },
    ],
    ['s.due', 'sort: due', { sort: 'due' }],
    ['s.priority', 'sort: priority', { sort: 'priority' }],
    ['s.due+unit', 'sort: due + unit', { sort: 'due', unit: 'SEC-5' }],
    ['s.priority+me', 'sort: priority + assignee me', { sort: 'priority', assignee: 'me' }],
    ['s.due+status+q', 'sort: due + status + search', { sort: 'due', status: 'in_progress', q: 'buraco' }],
    ...queueNames.map((q): [string, string, Record<string, string>] => [
      `queue.${q}`,
      `queue: ${q}`,
      { queue: q },
    ]),
  ];
  const only = process.env.BENCH_WORKSPACE_ONLY;
  return only ? all.filter(([id]) => new RegExp(only).test(id)) : all;
};

const workspace: BenchCase = {
  id: 'B4',
  title: 'lists, filters, sorts, search and queues at scale (issue 9 item 9)',
  needs: 'readModel',
  async run({ readModelUrl, listRuns: runs, log }) {
    // the app's connection settings (plan_cache_mode among them), for ours and the direct SQL alike
    const client = postgres(readModelUrl!, { ...postgresOptions, max: 4 });
    type Statement = { query: string; params: unknown[] };
    let captured: Statement[] = [];
    const db = drizzle(client, {
      schema,
      logger: { logQuery: (query, params) => captured.push({ query, params }) },
    }) as unknown as Database;
    /**
     * The SQL that produced a list's rows, to run directly: its last statement, with the settings before it
     * when there are some (a search sent to the index plan runs it in a transaction after `set_config(…,
     * true)`; the EXPLAIN that chose the plan is our cost, not the reference's).
     */
    const directOf = (statements: Statement[]) => {
      const isSet = (x: Statement) => /^(set local|select set_config)/i.test(x.query);
      const last = statements.findLast((x) => /^select/i.test(x.query) && !isSet(x));
      const set = statements.findLast(isSet);
      if (!last) throw new Error('no SQL captured');
      const setIndex = set ? statements.lastIndexOf(set) : -1;
      // only the settings sent right before it, in its transaction
      if (!set || setIndex !== statements.lastIndexOf(last) - 1)
        return () => client.unsafe(last.query, last.params as never[]);
      return () =>
        client.begin(async (tx) => {
          await tx.unsafe(set.query);
          return tx.unsafe(last.query, last.params as never[]);
        });
    };
    const deps = { db, timezone: 'America/Sao_Paulo' } as AppDeps;
    const p95 = (xs: number[]) => percentile(xs, 95);
    async function time(fn: () => Promise<unknown>): Promise<number[]> {
      return (await timePair(fn, fn))[0];
    }
    /** Both measured alternately (warm-up first), so load on the machine hits them alike. */
    async function timePair(
      a: () => Promise<unknown>,
      b: () => Promise<unknown>,
    ): Promise<[number[], number[]]> {
      for (let i = 0; i < 3; i++) {
        await a();
        await b();
      }
      const out: [number[], number[]] = [[], []];
      for (let i = 0; i < runs; i++)
        for (const [k, fn] of [a, b].entries()) {
          const t0 = performance.now();
          await fn();
          out[k]?.push(performance.now() - t0);
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
        captured = [];
        await listOnce(raw);
        const direct0 = directOf(captured);
        const [oursRuns, directRuns] = await timePair(() => listOnce(raw), direct0);
        const [ours, direct] = [p95(oursRuns), p95(directRuns)];
        log(
          `${id.padEnd(28)} ${ours.toFixed(1).padStart(8)} ${direct.toFixed(1).padStart(8)} ${(ours / direct).toFixed(2)}`,
        );
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
        const [firstRuns, lastRuns] = await timePair(
          () => listOnce({ sort }),
          () => listOnce({ sort, ...(cursor ? { cursor } : {}) }),
        );
        const [first, thousandth] = [p95(firstRuns), p95(lastRuns)];
        log(`page 1000 (${sort}) ${thousandth.toFixed(1)} vs page 1 ${first.toFixed(1)}`);
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
