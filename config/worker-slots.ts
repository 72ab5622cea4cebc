// How many workflow tasks the case worker runs at once, and which (issue 14). A workflow task polled from the
// sticky queue belongs to a case this worker has in memory: a staff action, a citizen's reply, an alarm —
// someone is usually waiting for it. A task polled from the normal queue is mostly a **new case's
// registration** (its acknowledgement: the receipt mails rendered and stored): the filing has already
// answered (api/manifestations/filing.ts: the case is durable in Temporal and listed in the read model), so
// nobody waits for it. Everything shares one event loop in embedded mode, so a burst of filings once made
// the worker take up to 40 registrations at once and slowed the front door that was receiving them to the
// pace of the worker. Here, at most `fresh` normal-queue tasks run at a time; sticky tasks take any of the
// `total` slots. The registrations then queue in Temporal (durable, in order) and catch up once the burst
// is over; work on open cases is not held back by them.
// The normal queue also carries the tasks of cases evicted from the worker's cache (their first event after
// a restart, or after WORKFLOW_CACHE_SIZE newer cases) and of sticky tasks not picked up within 10 s: these
// wait their turn among the registrations.
import type { CustomSlotSupplier, SlotPermit, WorkflowSlotInfo } from '@temporalio/worker';

/** Slots of the case worker: 40 in all (the SDK's default), of which 1 for normal-queue tasks (measured: 1 gave a burst of filings more than 2 did, and a registration holds its slot only while its task runs). */
export const WORKFLOW_SLOTS = { total: 40, fresh: 1 } as const;

type Permit = SlotPermit & { sticky: boolean };

/**
 * A workflow-task slot supplier (Temporal's custom slot supplier) granting at most `total` slots, of which
 * at most `fresh` to polls of the normal (non-sticky) queue. Waiters are served in arrival order among
 * those that fit. Throws RangeError on limits that are not positive integers or `fresh` > `total`.
 */
export function caseWorkflowSlots(limits: {
  total: number;
  fresh: number;
}): CustomSlotSupplier<WorkflowSlotInfo> {
  const { total, fresh } = limits;
  if (!Number.isInteger(total) || !Number.isInteger(fresh) || fresh < 1 || total < fresh)
    throw new RangeError(`workflow slots: need integers 1 ≤ fresh ≤ total, got ${fresh} of ${total}`);
  let used = 0;
  let freshUsed = 0;
  const waiting: Array<{ sticky: boolean; grant: () => void }> = [];
  const fits = (sticky: boolean) => used < total && (sticky || freshUsed < fresh);
  const take = (sticky: boolean): Permit => {
    used += 1;
    if (!sticky) freshUsed += 1;
    return { sticky };
  };
  const serve = () => {
    for (let i = 0; i < waiting.length && used < total; ) {
      const w = waiting[i]!;
      if (fits(w.sticky)) {
        waiting.splice(i, 1);
        w.grant();
      } else i += 1;
    }
  };
  return {
    type: 'custom',
    reserveSlot(ctx, abortSignal) {
      if (fits(ctx.isSticky) && waiting.length === 0) return Promise.resolve(take(ctx.isSticky));
      return new Promise<SlotPermit>((resolve, reject) => {
        const onAbort = () => {
          const i = waiting.indexOf(waiter);
          if (i >= 0) waiting.splice(i, 1);
          reject(abortSignal.reason);
        };
        const waiter = {
          sticky: ctx.isSticky,
          grant: () => {
            abortSignal.removeEventListener('abort', onAbort);
            resolve(take(ctx.isSticky));
          },
        };
        if (abortSignal.aborted) return reject(abortSignal.reason);
        abortSignal.addEventListener('abort', onAbort, { once: true });
        waiting.push(waiter);
        serve();
      });
    },
    tryReserveSlot(ctx) {
      return fits(ctx.isSticky) ? take(ctx.isSticky) : null;
    },
    markSlotUsed() {},
    releaseSlot(ctx) {
      used -= 1;
      if (!(ctx.permit as Permit).sticky) freshUsed -= 1;
      serve();
    },
  };
}
