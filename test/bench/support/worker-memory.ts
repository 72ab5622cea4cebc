// Memory readings for B7: the process's resident memory, split into what the embedded database holds
// (PGlite's WebAssembly memory, `external` to the heaps: the main thread's and its own thread's), the main thread's heap (activities, client, server) and
// the heap of the Temporal worker's workflow thread, where the cached case workflows live.
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Worker } from '@temporalio/worker';
import { embeddedDatabaseMemory } from '../../../db/pglite-socket.ts';

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MB = 1024 * 1024;

/**
 * One reading, in MB: resident, external (PGlite's WebAssembly memory and Buffers), the main thread's
 * used heap, and the workflow threads' heap used and committed (null when the SDK's workflow threads
 * could not be reached); with the worker's count of cached workflows.
 */
export type MemoryReading = {
  rss: number;
  external: number;
  mainHeap: number;
  workflowHeap: number | null;
  workflowHeapCommitted: number | null;
  cachedWorkflows: number | null;
};

type HeapInfo = { used_heap_size: number; total_heap_size: number };
type WorkflowThreads = {
  workflowCreator?: {
    workerThreadClients?: Array<{ workerThread?: { getHeapStatistics?: () => Promise<HeapInfo> } }>;
  };
};

/**
 * The heap (bytes) of the worker's workflow threads, used and committed, summed; null if unreachable. The SDK keeps them
 * private (ThreadedVMWorkflowCreator.workerThreadClients, Node's Worker.getHeapStatistics since 22.16):
 * read for the bench only, never relied on by the product.
 */
async function workflowThreadsHeap(
  worker: Worker | undefined,
): Promise<{ used: number; committed: number } | null> {
  const clients = (worker as unknown as WorkflowThreads | undefined)?.workflowCreator?.workerThreadClients;
  if (!clients?.length) return null;
  try {
    const stats = await Promise.all(clients.map((c) => c.workerThread!.getHeapStatistics!()));
    return {
      used: stats.reduce((s, h) => s + h.used_heap_size, 0),
      committed: stats.reduce((s, h) => s + h.total_heap_size, 0),
    };
  } catch {
    return null;
  }
}

/**
 * Reads memory after letting it settle: three full GCs of the main thread 200 ms apart (the workflow
 * thread cannot be asked to collect; its used heap includes garbage not yet collected).
 */
export async function readMemory(worker?: Worker): Promise<MemoryReading> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 200));
  }
  const m = process.memoryUsage();
  const wf = await workflowThreadsHeap(worker);
  const db = await embeddedDatabaseMemory(); // PGlite's memory, on its own thread (db/pglite-thread.ts)
  return {
    rss: Math.round(m.rss / MB),
    external: Math.round((m.external + db) / MB),
    mainHeap: Math.round(m.heapUsed / MB),
    workflowHeap: wf === null ? null : Math.round(wf.used / MB),
    workflowHeapCommitted: wf === null ? null : Math.round(wf.committed / MB),
    cachedWorkflows: worker ? worker.getStatus().numCachedWorkflows : null,
  };
}

/**
 * Waits until the worker has nothing in flight (no workflow activation, no activity) for `quietMs`:
 * the last cases' notification activities and the workflow tasks after them have run. Gives up after
 * `maxMs` and says so (false).
 */
export async function workerQuiet(worker: Worker, quietMs = 2000, maxMs = 300_000): Promise<boolean> {
  const until = Date.now() + maxMs;
  let since = Date.now();
  while (Date.now() < until) {
    const s = worker.getStatus();
    if (s.numInFlightWorkflowActivations > 0 || s.numInFlightActivities > 0) since = Date.now();
    else if (Date.now() - since >= quietMs) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}
