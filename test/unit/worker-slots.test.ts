// The case worker's workflow-task slots (config/worker-slots.ts): new cases' registrations (normal-queue
// polls) take at most `fresh` slots, so a burst of filings cannot fill the worker while work on open cases
// (sticky polls) still gets a slot at once.
import type { SlotPermit, SlotReserveContext, WorkflowSlotInfo } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { caseWorkflowSlots, WORKFLOW_SLOTS } from '../../config/worker-slots.ts';

const ctx = (isSticky: boolean): SlotReserveContext => ({
  slotType: 'workflow',
  taskQueue: 'ouvidor-cases',
  workerIdentity: 'test',
  workerBuildId: '',
  isSticky,
});

/** Whether `p` settled within a few turns of the event loop. */
async function settledSoon<T>(p: Promise<T>): Promise<boolean> {
  let done = false;
  p.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  return done;
}

describe('case worker workflow slots', () => {
  it('holds a third registration until one of two ends, while open cases still get slots', async () => {
    const slots = caseWorkflowSlots({ total: 4, fresh: 2 });
    const never = new AbortController().signal;
    const first = await slots.reserveSlot(ctx(false), never);
    await slots.reserveSlot(ctx(false), never);
    const third = slots.reserveSlot(ctx(false), never);
    expect(await settledSoon(third)).toBe(false);
    // a reply to an open case (sticky) is not queued behind the registrations
    const sticky = slots.reserveSlot(ctx(true), never);
    expect(await settledSoon(sticky)).toBe(true);
    slots.releaseSlot({ permit: first });
    expect(await settledSoon(third)).toBe(true);
  });

  it('never grants more than the total, sticky or not', async () => {
    const slots = caseWorkflowSlots({ total: 2, fresh: 1 });
    const never = new AbortController().signal;
    const a = await slots.reserveSlot(ctx(true), never);
    await slots.reserveSlot(ctx(true), never);
    expect(slots.tryReserveSlot(ctx(true))).toBeNull();
    const waiting = slots.reserveSlot(ctx(true), never);
    expect(await settledSoon(waiting)).toBe(false);
    slots.releaseSlot({ permit: a });
    expect(await settledSoon(waiting)).toBe(true);
  });

  it('forgets a reservation the SDK aborts, and it takes no slot', async () => {
    const slots = caseWorkflowSlots({ total: 2, fresh: 1 });
    const never = new AbortController().signal;
    const held = await slots.reserveSlot(ctx(false), never);
    const abort = new AbortController();
    const gaveUp = slots.reserveSlot(ctx(false), abort.signal);
    abort.abort();
    await expect(gaveUp).rejects.toMatchObject({ name: 'AbortError' });
    slots.releaseSlot({ permit: held });
    // the aborted waiter did not take the freed slot: a new registration gets it at once
    const next = slots.reserveSlot(ctx(false), never);
    expect(await settledSoon(next)).toBe(true);
    expect(slots.tryReserveSlot(ctx(false))).toBeNull();
  });

  it('releases a slot reserved for a poll that found no task (no slot info)', async () => {
    const slots = caseWorkflowSlots({ total: 1, fresh: 1 });
    const permit: SlotPermit = slots.tryReserveSlot(ctx(false))!;
    expect(permit).not.toBeNull();
    slots.markSlotUsed({
      slotInfo: { type: 'workflow', workflowType: 'caseWorkflow', isSticky: false } as WorkflowSlotInfo,
      permit,
    });
    slots.releaseSlot({ permit });
    expect(slots.tryReserveSlot(ctx(true))).not.toBeNull();
  });

  it('refuses limits that would stop registrations or exceed the total', () => {
    expect(() => caseWorkflowSlots({ total: 4, fresh: 0 })).toThrow(RangeError);
    expect(() => caseWorkflowSlots({ total: 2, fresh: 3 })).toThrow(RangeError);
    expect(() => caseWorkflowSlots({ total: 2.5, fresh: 1 })).toThrow(RangeError);
    expect(WORKFLOW_SLOTS.fresh).toBeLessThan(WORKFLOW_SLOTS.total);
  });
});
