// Waiting for the work a bench part leaves behind, so the next part measures a quiet system.
import proto from '@temporalio/proto';
import { count, eq } from 'drizzle-orm';
import { manifestations } from '../../../db/schema.ts';
import type { BenchInstance } from './instance.ts';

const { TaskQueueType } = proto.temporal.api.enums.v1;

/** Cases filed and not yet seen registered (their run's first workflow task), per instance. */
const unregistered = new WeakMap<BenchInstance, Set<string>>();

/** Records a case the bench filed: settled() waits for its registration. */
export function filed(b: BenchInstance, protocol: string): void {
  let set = unregistered.get(b);
  if (!set) {
    set = new Set();
    unregistered.set(b, set);
  }
  set.add(protocol);
}

/**
 * Whether every case recorded by filed() has run its first workflow task (history longer than Started,
 * TaskScheduled, TaskStarted). The task queue's backlog alone cannot tell: the server reports it from a
 * cache, and right after a burst it read 0 while hundreds of registrations still waited.
 */
async function registered(b: BenchInstance): Promise<boolean> {
  const set = unregistered.get(b);
  if (!set?.size) return true;
  const { namespace } = b.running.deps.temporal;
  const service = b.raw.client.workflowService;
  const oldest = [...set].slice(0, 32); // registrations run roughly in filing order
  await Promise.all(
    oldest.map(async (workflowId) => {
      const res = await service.describeWorkflowExecution({ namespace, execution: { workflowId } });
      if (Number(res.workflowExecutionInfo?.historyLength ?? 0) > 3) set.delete(workflowId);
    }),
  );
  return set.size === 0;
}

/**
 * Resolves once the work left behind is done (at most 2 minutes): every case the bench filed is registered
 * (filed()), no workflow or activity task waits in the case worker's task queue or the raw worker's, no
 * case waits with an early row at revision 0 (a filing whose planning failed), and no raw reference
 * workflow still runs — three times in a row, 200 ms apart (a task being worked on is no longer in the
 * backlog).
 */
export async function settled(b: BenchInstance): Promise<void> {
  const until = Date.now() + 120_000;
  const { namespace, taskQueue } = b.running.deps.temporal;
  const service = b.raw.client.workflowService;
  const backlog = async (name: string, type: number) => {
    const res = await service.describeTaskQueue({
      namespace,
      taskQueue: { name },
      taskQueueType: type,
      reportStats: true,
    });
    return Number(res.stats?.approximateBacklogCount ?? 0);
  };
  const rawRunning = `WorkflowType IN ('rawStart', 'rawRegistered') AND ExecutionStatus = 'Running'`;
  let quiet = 0;
  while (Date.now() < until && quiet < 3) {
    const [early] = await b.running.deps.db
      .select({ n: count() })
      .from(manifestations)
      .where(eq(manifestations.revision, 0));
    const waiting = await Promise.all([
      backlog(taskQueue, TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW),
      backlog(taskQueue, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY),
      backlog(b.raw.taskQueue, TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW),
      b.raw.client.workflow.count(rawRunning).then((c) => c.count),
    ]).catch(() => [0]);
    const done = await registered(b).catch(() => false);
    quiet = done && !early?.n && waiting.every((n) => n === 0) ? quiet + 1 : 0;
    await new Promise((r) => setTimeout(r, 200));
  }
}
