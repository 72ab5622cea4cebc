// B7 worker memory: `count` open cases registered on a worker of their own (same code, same database),
// then the process's resident memory with every case cached, and after the cache is dropped (that worker
// stops; a new one with the product's cache size, WORKFLOW_CACHE_SIZE in worker.ts, takes over). Then a
// Query on an evicted case (the worker replays its history first), p95, against a Query on a cached one.
// The cases are registered as the product registers them (the case workflow's Update-with-Start, straight
// through the Temporal client, not one HTTP filing at a time), `concurrency` at once: the worker is the
// limit, not the client (64 at once on a loaded 2-core machine only made workflow tasks time out).
// A registration refused because the case's first workflow task timed out ("Workflow Task in failed
// state": the workflow is started and registers itself when the task is retried) is asked again, up to
// 20 times a second apart, and counted (fillRetries): it stays visible, and the figure's errors are the
// cases that never registered.
import { randomBytes } from 'node:crypto';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { encryptedDataConverter } from '../../config/payload-codec.ts';
import { formatProtocol } from '../../db/queries/protocols.ts';
import { createCaseWorker, WORKFLOW_CACHE_SIZE } from '../../worker.ts';
import { caseViewQuery, registeredUpdate } from '../../workflows/messages.ts';
import type { Figure } from './support/figures.ts';
import type { BenchInstance } from './support/instance.ts';
import { drive, percentile } from './support/stats.ts';

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MB = 1024 * 1024;

async function settledRss(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 200));
  }
  return process.memoryUsage().rss;
}

export async function benchMemory(
  b: BenchInstance,
  opts: { count: number; concurrency: number },
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
    });
  const year = 2099;
  const base = 100_000 + Math.floor(Math.random() * 800_000);
  const protocols = Array.from({ length: opts.count }, (_, i) => formatProtocol(year, base + i));
  const before = await settledRss();
  const all = await worker(opts.count + 100);
  const running = all.run();
  const fillStarted = performance.now();
  let fillRetries = 0;
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
    }
  };
  const filled = await drive(opts.count, opts.concurrency, register);
  const fillSeconds = (performance.now() - fillStarted) / 1000;
  await new Promise((r) => setTimeout(r, 2000)); // receipts and staff notices of the last ones
  const cachedRss = await settledRss();
  const sample = (n: number, offset: number) =>
    Array.from(
      { length: Math.min(n, protocols.length) },
      (_, i) => protocols[(offset + i * 7919) % protocols.length]!,
    );
  const query = (p: string) => deps.temporal.client.workflow.getHandle(p).query(caseViewQuery);
  const hot = sample(50, 0);
  for (const p of hot) await query(p);
  const cachedQ = await drive(hot.length, 1, (i) => query(hot[i]!));
  all.shutdown();
  await running;
  const fresh = await worker(WORKFLOW_CACHE_SIZE);
  const running2 = fresh.run();
  const evictedRss = await settledRss();
  const cold = sample(50, 3);
  const evictedQ = await drive(cold.length, 1, (i) => query(cold[i]!));
  fresh.shutdown();
  await running2;
  await connection.close();
  const perCaseKb = ((cachedRss - before) / opts.count / 1024).toFixed(1);
  return [
    {
      id: 'B7.rss.cached',
      name: `resident memory with ${opts.count} open cases cached (MB) vs before them (${perCaseKb} KB per case)`,
      ours: Math.round(cachedRss / MB),
      reference: Math.round(before / MB),
      unit: 'MB',
      ratio: cachedRss / before,
      errors: filled.errors.length,
      detail: {
        perCaseKb: Number(perCaseKb),
        errors: filled.errors.slice(0, 5),
        registeredPerSecond: Math.round(filled.perSecond * 10) / 10,
        fillSeconds: Math.round(fillSeconds),
        fillRetries,
      },
    },
    {
      id: 'B7.rss.evicted',
      name: `resident memory after eviction (MB; new worker, cache ${WORKFLOW_CACHE_SIZE}) vs before the cases`,
      ours: Math.round(evictedRss / MB),
      reference: Math.round(before / MB),
      unit: 'MB',
      ratio: evictedRss / before,
      errors: 0,
    },
    {
      id: 'B7.replay',
      name: 'Query on an evicted case (history replayed), p95 ms, vs on a cached case',
      ours: Math.round(percentile(evictedQ.latencies, 95) * 10) / 10,
      reference: Math.round(percentile(cachedQ.latencies, 95) * 10) / 10,
      unit: 'ms',
      ratio: percentile(evictedQ.latencies, 95) / percentile(cachedQ.latencies, 95),
      errors: evictedQ.errors.length + cachedQ.errors.length,
    },
  ];
}
