// The commit step of a case (issue 14, B3): the projection of the new revision, then the messages of the
// events recorded since the last commit, rendered and stored (notifyCaseEvent's local step), in one local
// activity of the workflow task that recorded them — one activity and one activation instead of one per
// part. A part that fails for good (a non-retryable ApplicationFailure: failures.ts) is answered, not
// thrown, so the other part still runs and the workflow records each failure as its own step
// (workflows/case-failures.ts: `projection`, `notification`). Anything retrying may fix is thrown: the whole
// step is tried again, which both parts allow (the projection is guarded by revision, each message is
// stored once per key).
import { ApplicationFailure } from '@temporalio/common';
import type { Database } from '../db/client.ts';
import { forgetCommittedView, rememberCommittedView } from '../db/queries/recent-views.ts';
import type { CaseView, TimelineEvent } from '../workflows/messages.ts';
import type { NotifyInput, NotifyResult } from './notify.ts';

/** A part's outcome: its result, or the failure that retrying cannot fix (type and message). */
export type StepOutcome<T> = { ok: T } | { failed: { type: string; message: string } };

export type CommitInput = { view: CaseView; events: TimelineEvent[] };
/** The projection's outcome, and one per event in `events` order (`pending`: left for the regular activity). */
export type CommitResult = { projection: StepOutcome<null>; mail: StepOutcome<NotifyResult>[] };

type Parts = {
  projectCase: (view: CaseView) => Promise<void>;
  notifyCaseEvent: (input: NotifyInput) => Promise<NotifyResult>;
};

async function outcome<T>(part: () => Promise<T>): Promise<StepOutcome<T>> {
  try {
    return { ok: await part() };
  } catch (err) {
    if (!(err instanceof ApplicationFailure && err.nonRetryable)) throw err;
    return { failed: { type: err.type ?? 'Error', message: err.message } };
  }
}

/**
 * `commitCase` over the (permanent-failure-classifying) projection and notification activities. With `views`
 * (this process keeps recent views: db/queries/recent-views.ts), a step that went through whole leaves its
 * view to the process's case pages; one that failed in some part drops the case's kept view (the workflow
 * records the failure next, and a page reads it from the workflow).
 */
export function createCommitActivity(parts: Parts, views?: Database) {
  return {
    async commitCase({ view, events }: CommitInput): Promise<CommitResult> {
      let whole = false;
      try {
        const projection = await outcome(async () => {
          await parts.projectCase(view);
          return null;
        });
        const mail: StepOutcome<NotifyResult>[] = [];
        for (const event of events)
          mail.push(await outcome(() => parts.notifyCaseEvent({ view, event, local: true })));
        whole = 'ok' in projection && mail.every((m) => 'ok' in m);
        return { projection, mail };
      } finally {
        if (views && whole) rememberCommittedView(views, view);
        else if (views) forgetCommittedView(views, view.protocol);
      }
    },
  };
}
