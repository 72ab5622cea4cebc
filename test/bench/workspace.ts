// `npm run bench:workspace`: the attendant's list at scale, against the read model filled by
// test/bench/workspace-fixture.ts (BENCH_DATABASE_URL). For every list, filter, sort, search and queue it
// prints p95 of our code path (query resolution + drizzle) and the ratio against the same SQL run directly
// with postgres.js; then page 1,000 by cursor against page 1, and all queue counts together.
// Targets (issue 9): p95 ≤ 150 ms and ≤ 1.5× direct SQL; page 1,000 ≤ 1.2× page 1; counts ≤ 50 ms.
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { StaffUser } from '../../api/auth/session.ts';
import { queueWindow, resolveListQuery, viewerOf } from '../../api/manifestations/list-filter.ts';
import { queueNames } from '../../api/manifestations/schemas.ts';
import type { AppDeps } from '../../api/types.ts';
import type { Database } from '../../db/client.ts';
import { countQueues, listManifestations } from '../../db/queries/manifestations.ts';
import * as schema from '../../db/schema.ts';

const url = process.env.BENCH_DATABASE_URL;
if (!url) {
  console.error('Set BENCH_DATABASE_URL (filled by `npm run bench:fixture`).');
  process.exit(2);
}
const runs = Number(process.env.BENCH_RUNS ?? 30);
const client = postgres(url, { max: 4, onnotice: () => {} });
let captured: { query: string; params: unknown[] } | undefined;
const db = drizzle(client, {
  schema,
  logger: { logQuery: (query, params) => (captured = { query, params }) },
}) as unknown as Database;
const deps = { db, timezone: 'America/Sao_Paulo' } as AppDeps;
const user: StaffUser = {
  id: 'bench-7',
  email: 'atendente7@bench.local',
  name: 'Atendente 7',
  role: 'attendant',
  unitCode: null,
};

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1] ?? Number.NaN;
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

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const scenarios: [string, Record<string, string>][] = [
  ['newest 25', {}],
  ['search: common word', { q: 'buraco' }],
  ['search: rare word', { q: 'xilogravura' }],
  ['search: prefix "semaf"', { q: 'semaf' }],
  ['search: "BR 116"', { q: 'BR 116' }],
  ['search: number in code "1234"', { q: '1234' }],
  ['search: protocol fragment', { q: '0123456' }],
  ['search: reporter e-mail', { q: 'cidadao4242@example.org' }],
  ['filter: assignee', { assignee: 'atendente9@bench.local' }],
  ['filter: assignee = none', { assignee: 'none' }],
  ['filter: unit', { unit: 'SEC-3' }],
  ['filter: status', { status: 'forwarded' }],
  ['filter: priority', { priority: 'urgent' }],
  ['filter: due window 7 days', { dueFrom: day(0), dueTo: day(7) }],
  ['filter: opened last 3 days', { openedFrom: day(-3) }],
  ['sort: due', { sort: 'due' }],
  ['sort: priority', { sort: 'priority' }],
  ['sort: due + unit', { sort: 'due', unit: 'SEC-5' }],
  ...queueNames.map((q): [string, Record<string, string>] => [`queue: ${q}`, { queue: q }]),
];

const [{ n } = { n: 0 }] = await client<{ n: number }[]>`select count(*)::int as n from manifestations`;
console.log(`read model: ${n.toLocaleString('pt-BR')} cases; ${runs} runs each; p95 in ms\n`);
console.log(
  `${'scenario'.padEnd(34)} ${'ours'.padStart(8)} ${'direct'.padStart(8)} ${'ratio'.padStart(6)}  target`,
);
let failures = 0;
for (const [name, raw] of scenarios) {
  const ours = p95(await time(() => listOnce(raw)));
  const sqlText = captured;
  if (!sqlText) throw new Error('no SQL captured');
  const direct = p95(await time(() => client.unsafe(sqlText.query, sqlText.params as never[])));
  const ratio = ours / direct;
  const ok = ours <= 150 && ratio <= 1.5;
  if (!ok) failures++;
  console.log(
    `${name.padEnd(34)} ${ours.toFixed(1).padStart(8)} ${direct.toFixed(1).padStart(8)} ${ratio.toFixed(2).padStart(6)}  ${ok ? 'ok' : 'MISS'}`,
  );
}

// Page 1,000 by cursor (25 rows a page) against page 1, newest first and by due date.
for (const sort of ['received', 'due']) {
  let cursor: string | null = null;
  for (let page = 1; page < 1000; page++) {
    const r: Awaited<ReturnType<typeof listOnce>> = await listOnce({ sort, ...(cursor ? { cursor } : {}) });
    cursor = r.nextCursor;
    if (!cursor) break;
  }
  const first = p95(await time(() => listOnce({ sort })));
  const thousandth = p95(await time(() => listOnce({ sort, ...(cursor ? { cursor } : {}) })));
  const ratio = thousandth / first;
  if (ratio > 1.2) failures++;
  console.log(
    `${`page 1,000 vs page 1 (${sort})`.padEnd(34)} ${thousandth.toFixed(1).padStart(8)} ${first.toFixed(1).padStart(8)} ${ratio.toFixed(2).padStart(6)}  ${ratio <= 1.2 ? 'ok' : 'MISS'}`,
  );
}

const window = await queueWindow(deps);
const counts = p95(await time(() => countQueues(db, viewerOf(user), window)));
if (counts > 50) failures++;
console.log(
  `${'all queue counts'.padEnd(34)} ${counts.toFixed(1).padStart(8)} ${''.padStart(8)} ${''.padStart(6)}  ${counts <= 50 ? 'ok' : 'MISS'} (≤ 50 ms)`,
);
console.log(failures ? `\n${failures} target(s) missed` : '\nevery target met');
await client.end();
