// The bench's reference workflow: what a bare Temporal round trip costs on the same server. It completes
// at once (raw start), or waits for a `note` Signal and answers a `notes` Query (raw Signal + Query).
import {
  allHandlersFinished,
  condition,
  defineQuery,
  defineSignal,
  defineUpdate,
  setHandler,
} from '@temporalio/workflow';

export const noteSignal = defineSignal<[string]>('note');
export const notesQuery = defineQuery<string[]>('notes');
export const doneSignal = defineSignal('done');

export async function rawStart(): Promise<number> {
  return 1;
}

export const registeredRaw = defineUpdate<number>('registered');

/**
 * The least a filing's shape costs in Temporal: started by Update-with-Start, it answers the Update in its
 * first workflow task (no activity, no timer) and completes, as rawStart does. The bench's B2.ceiling.
 */
export async function rawRegistered(): Promise<number> {
  let registered = false;
  setHandler(registeredRaw, async () => {
    await condition(() => registered);
    return 1;
  });
  registered = true;
  await condition(allHandlersFinished);
  return 1;
}

export async function rawInbox(): Promise<number> {
  const notes: string[] = [];
  let done = false;
  setHandler(noteSignal, (n) => void notes.push(n));
  setHandler(notesQuery, () => notes);
  setHandler(doneSignal, () => {
    done = true;
  });
  await condition(() => done);
  return notes.length;
}

/** Sleeps until `dueAt` (epoch ms) the way the case workflow waits for alarms, then says how late it woke. */
export async function timerAt(dueAt: number): Promise<number> {
  await condition(() => false, Math.max(dueAt - Date.now(), 1));
  return Date.now() - dueAt;
}
