// B7 worker memory: `count` open cases registered on a worker of their own (same code, same database,
// the product's worker options) whose cache holds all of them; then the process's resident memory with
// every case cached, and after the cache is dropped (that worker stops; a new one with the product's
// cache size, WORKFLOW_CACHE_SIZE in worker.ts, takes over). Then, on that worker, a Query on an evicted
// case (the worker replays its history first), p95, against a Query on a cached one, alternately.
// The cases are real case workflows registered as the product registers them: the case workflow's
// Update-with-Start through the Temporal client (same workflow, input shape and payload codec as a
// filing; the HTTP door, its intake row and protocol sequence are B2's figure, not this one's), so each
// runs its deadline planning, projection into the read model, notification activity and alarm timer.
// A profile of the fill (800 cases, 2 cores) found the machine's CPU the limit, not the client or the
// HTTP door: ≈ 90 ms of CPU a case between the worker's main thread (read model 30 % of it), its workflow
// thread and the Temporal server. So the fill keeps as many registrations in flight as hold one near
// FILL_LATENCY_MS (support/stats.ts driveAtLatency; at most `concurrency`, BENCH_MEMORY_CONCURRENCY):
// that saturates the worker whatever the machine's load, where a fixed number either left it idle
// (16 on an unloaded machine: 12.9/s against 17.3/s with 40, same load) or queued workflow tasks behind
// the CPU until they timed out (64 did on a loaded machine).
// A registration refused because the case's first workflow task timed out ("Workflow Task in failed
// state": the workflow is started and registers itself when the task is retried) is asked again, up to
// 20 times a second apart, and counted (fillRetries): it stays visible, and the figure's errors are the
// cases that never registered, plus any case missing from the cache when it is measured.
import { randomBytes } from 'node:crypto';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { encryptedDataConverter } from '../../config/payload-codec.ts';
import { WORKFLOW_SLOTS } from '../../config/worker-slots.ts';
import { formatProtocol } from '../../db/queries/protocols.ts';
import { createCaseWorker, WORKFLOW_CACHE_SIZE } from '../../worker.ts';
import { caseViewQuery, registeredUpdate } from '../../workflows/messages.ts';
import type { Figure } from './support/figures.ts';
import type { BenchInstance } from './support/instance.ts';
import { driveAtLatency, percentile, summarize } from './support/stats.ts';
import { readMemory, workerQuiet } from './support/worker-memory.ts';

/** A registration's latency the fill aims at: a fifth of the 10 s workflow task timeout. */
const FILL_LATENCY_MS = 2000;

export async function benchMemory(
  b: BenchInstance,
  opts: { count: number; concurrency: number },
  log: (line: string) => void = () => {},
): Promise<Figure[]> {
  const { deps } = b.running;
  const connection = await NativeConnection.connect({ address: b.temporalAddress });
  const taskQueue = `bench-b7-${randomBytes(3).toString('hex')}`;
  const worker = (maxCachedWorkflows: number) =>
    createCaseWorker({
      connection,
      namespace: deps.temporal.namespace,
      taskQueue,
      db: deps.db,
      timezone: deps.timezone,
      mail: b.mail,
      dataConverter: encryptedDataConverter(deps.temporal.codec),
      maxCachedWorkflows,
      // Every case here is new (normal queue): the product's cap of 2 at a time (config/worker-slots.ts),
      // there so a burst of filings is answered first, would only slow the fill (18/s) — nothing here
      // competes with it, and the memory measured is the cache's.
      workflowSlots: { total: WORKFLOW_SLOTS.total, fresh: WORKFLOW_SLOTS.total },
    });
  const year = 2099;
  const base = 100_000 + Math.floor(Math.random() * 800_000);
  const protocols = Array.from({ length: opts.count }, (_, i) => formatProtocol(year, base + i));
  const before = await readMemory();
  const all = await worker(opts.count + 100);
  const running = all.run();
  const idle = await readMemory(all);
  const fillStarted = performance.now();
  let fillRetries = 0;
  let done = 0;
  /** resident MB (no GC first) and cached cases every `step` registrations: the growth's slope */
  const trace: Array<{ done: number; seconds: number; rss: number; cached: number }> = [];
  const step = Math.max(1000, Math.ceil(opts.count / 10));
  const register = async (i: number) => {
    try {
      await deps.temporal.client.workflow.executeUpdateWithStart(registeredUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation('caseWorkflow', {
          workflowId: protocols[i]!,
          taskQueue,
          workflowIdConflictPolicy: 'FAIL',
          args: [
            {
              protocol: protocols[i]!,
              kind: 'complaint',
              subject: `Calçada quebrada ${i}`,
              description: 'Calçada com buracos na frente do número 120, difícil para cadeirantes.',
              identity: 'anonymous',
              channel: 'web',
              citizen: null,
              receivedAt: new Date().toISOString(),
              registeredBy: 'citizen',
            },
          ],
        }),
      });
    } catch (first) {
      let err = first;
      for (let attempt = 1; ; attempt++) {
        if (!/Workflow Task in failed state|could not be executed/.test(String(err)) || attempt > 20)
          throw err;
        fillRetries++;
        await new Promise((r) => setTimeout(r, 1000));
        try {
          return await deps.temporal.client.workflow.getHandle(protocols[i]!).executeUpdate(registeredUpdate);
        } catch (again) {
          err = again;
        }
      }
    } finally {
      if (++done % step === 0) {
        const s = (performance.now() - fillStarted) / 1000;
        const rss = Math.round(process.memoryUsage().rss / 2 ** 20);
        const cachedNow = all.getStatus().numCachedWorkflows;
        trace.push({ done, seconds: Math.round(s), rss, cached: cachedNow });
        log(
          `  B7 fill: ${done}/${opts.count} in ${Math.round(s)} s (${(done / s).toFixed(1)}/s), ${cachedNow} cached, ${rss} MB resident`,
        );
      }
    }
  };
  const filled = await driveAtLatency(
    opts.count,
    { targetMs: FILL_LATENCY_MS, min: Math.min(4, opts.concurrency), max: opts.concurrency },
    register,
  );
  const fillSeconds = (performance.now() - fillStarted) / 1000;
  // the last cases' notification activities and the workflow tasks after them
  const settled = await workerQuiet(all);
  const cached = await readMemory(all);
  all.shutdown();
  await running;
  const fresh = await worker(WORKFLOW_CACHE_SIZE);
  const running2 = fresh.run();
  const evicted = await readMemory(fresh);
  // Replay against cache, alternately on the product-sized worker: `hot` cases are queried once first
  // (replayed into its cache), then an evicted (never queried) case and a cached one in turn, so both
  // see the same moment of the machine; 50 ms apart: back to back, the cached Query measured the replay's
  // aftermath (p95 80–88 ms, against 14 ms 50 ms apart; p50 10 ms both). 7919 is prime: distinct picks.
  const query = (p: string) => deps.temporal.client.workflow.getHandle(p).query(caseViewQuery);
  const picks = Array.from(
    { length: Math.min(200, protocols.length) },
    (_, i) => protocols[(i * 7919) % protocols.length]!,
  );
  const hot = picks.filter((_, i) => i % 2 === 0);
  const cold = picks.filter((_, i) => i % 2 === 1);
  for (const p of hot) await query(p);
  const cachedQ = { latencies: [] as number[], errors: [] as string[] };
  const evictedQ = { latencies: [] as number[], errors: [] as string[] };
  const timeQuery = async (p: string, into: typeof cachedQ) => {
    const t0 = performance.now();
    try {
      await query(p);
      into.latencies.push(performance.now() - t0);
    } catch (err) {
      into.errors.push(String(err));
    }
  };
  const settle = () => new Promise((r) => setTimeout(r, 50));
  for (let i = 0; i < Math.min(hot.length, cold.length); i++) {
    await timeQuery(cold[i]!, evictedQ);
    await settle();
    await timeQuery(hot[i]!, cachedQ);
    await settle();
  }
  fresh.shutdown();
  await running2;
  await connection.close();
  // What a cached case costs: resident growth from the idle worker to all cases cached, less what the
  // embedded database kept (PGlite's memory is `external` and never shrinks, so it is the external memory
  // still there after eviction; on PostgreSQL the read model lives in another process).
  const perCaseKb = (mb: number) => Math.round(((mb * 1024) / opts.count) * 10) / 10;
  const dbGrowth = Math.max(0, evicted.external - idle.external);
  const missing = Math.max(0, opts.count - (cached.cachedWorkflows ?? opts.count));
  const detail = {
    perCaseKb: perCaseKb(cached.rss - idle.rss - dbGrowth),
    workflowHeapPerCaseKb:
      cached.workflowHeap === null || idle.workflowHeap === null
        ? null
        : perCaseKb(cached.workflowHeap - idle.workflowHeap),
    memoryMb: { before, idle, cached, evicted },
    cachedWorkflows: cached.cachedWorkflows,
    settled,
    errors: filled.errors.slice(0, 5),
    registeredPerSecond: Math.round(filled.perSecond * 10) / 10,
    inFlight: {
      max: Math.max(...filled.limits),
      median: percentile(filled.limits, 50),
      last: filled.limits.at(-1),
    },
    fillLatencyMs: {
      p50: Math.round(percentile(filled.latencies, 50)),
      p95: Math.round(percentile(filled.latencies, 95)),
    },
    fillSeconds: Math.round(fillSeconds),
    fillRetries,
    trace,
  };
  return [
    {
      id: 'B7.rss.cached',
      name: `resident memory with ${opts.count} open cases cached (MB) vs the idle worker before them (${detail.perCaseKb} KB per case besides the read model)`,
      ours: cached.rss,
      reference: idle.rss,
      unit: 'MB',
      ratio: cached.rss / idle.rss,
      errors: filled.errors.length + missing,
      detail,
    },
    {
      id: 'B7.rss.evicted',
      name: `resident memory after eviction (MB; new worker, cache ${WORKFLOW_CACHE_SIZE}) vs the idle worker before the cases`,
      ours: evicted.rss,
      reference: idle.rss,
      unit: 'MB',
      ratio: evicted.rss / idle.rss,
      errors: 0,
      detail: { workflowHeapMb: evicted.workflowHeap, beforeWorkerMb: before.rss },
    },
    {
      id: 'B7.replay',
      name: `Query on an evicted case (history replayed), p95 ms, vs on a cached case (alternately, ${cachedQ.latencies.length} each; worker cache ${WORKFLOW_CACHE_SIZE})`,
      ours: Math.round(percentile(evictedQ.latencies, 95) * 10) / 10,
      reference: Math.round(percentile(cachedQ.latencies, 95) * 10) / 10,
      unit: 'ms',
      ratio: percentile(evictedQ.latencies, 95) / percentile(cachedQ.latencies, 95),
      errors: evictedQ.errors.length + cachedQ.errors.length,
      detail: { evicted: summarize(evictedQ.latencies), cached: summarize(cachedQ.latencies) },
    },
  ];
}
