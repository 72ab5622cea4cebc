// The commit step of a case (activities/commit.ts): the projection and the events' messages in one local
// activity, each part's permanent failure answered (the workflow records it as its own step), anything
// retrying may fix thrown (the whole step is tried again).
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { createCommitActivity } from '../../activities/commit.ts';
import type { NotifyInput } from '../../activities/notify.ts';
import type { CaseView, TimelineEvent } from '../../workflows/messages.ts';

const view = { protocol: 'OUV-2026-000042', revision: 3 } as CaseView;
const event = (seq: number, type: string) => ({ seq, type, actor: 'ana@org', data: {} }) as TimelineEvent;
const refused = () =>
  ApplicationFailure.nonRetryable('database refused the data (SQLSTATE 23514)', 'PermanentDataError');

function parts(
  over: { project?: () => Promise<void>; notify?: (i: NotifyInput) => Promise<{ pending: number }> } = {},
) {
  const calls: string[] = [];
  return {
    calls,
    step: createCommitActivity({
      projectCase: async (v) => {
        calls.push(`project:${v.revision}`);
        await over.project?.();
      },
      notifyCaseEvent: async (i) => {
        calls.push(`mail:${i.event.seq}:${i.local ? 'local' : 'remote'}`);
        return (await over.notify?.(i)) ?? { pending: i.event.type === 'answered' ? 1 : 0 };
      },
    }),
  };
}

describe('the commit step', () => {
  it('projects, then stores each event locally, and says which messages are left to send', async () => {
    const { calls, step } = parts();
    const out = await step.commitCase({ view, events: [event(7, 'note_added'), event(8, 'answered')] });
    expect(calls).toEqual(['project:3', 'mail:7:local', 'mail:8:local']);
    expect(out).toEqual({ projection: { ok: null }, mail: [{ ok: { pending: 0 } }, { ok: { pending: 1 } }] });
  });

  it('stores the mail even when the projection is refused for good, and answers that failure', async () => {
    const { calls, step } = parts({ project: async () => Promise.reject(refused()) });
    const out = await step.commitCase({ view, events: [event(7, 'note_added')] });
    expect(calls).toEqual(['project:3', 'mail:7:local']);
    expect(out.projection).toEqual({
      failed: { type: 'PermanentDataError', message: 'database refused the data (SQLSTATE 23514)' },
    });
    expect(out.mail).toEqual([{ ok: { pending: 0 } }]);
  });

  it("answers one event's refused message and still stores the others", async () => {
    const { step } = parts({
      notify: async (i) => {
        if (i.event.seq === 7) throw refused();
        return { pending: 0 };
      },
    });
    const out = await step.commitCase({ view, events: [event(7, 'note_added'), event(8, 'assigned')] });
    expect(out.projection).toEqual({ ok: null });
    expect(out.mail[0]).toMatchObject({ failed: { type: 'PermanentDataError' } });
    expect(out.mail[1]).toEqual({ ok: { pending: 0 } });
  });

  it('throws what retrying may fix (a lost connection), so the whole step is tried again', async () => {
    const lost = Object.assign(new Error('connection terminated'), { code: 'ECONNRESET' });
    const { step } = parts({ notify: async () => Promise.reject(lost) });
    await expect(step.commitCase({ view, events: [event(7, 'note_added')] })).rejects.toBe(lost);
    const retried = parts({ project: async () => Promise.reject(lost) });
    await expect(retried.step.commitCase({ view, events: [] })).rejects.toBe(lost);
  });
});
