// How the case workflow calls its quick activities. Deadline planning, the business-moment lookup and the
// projection run as **local activities** (issue 14): each is a short read or an idempotent,
// revision-guarded write to our own database, so a regular activity's Temporal round trip (schedule →
// poll → complete → a new workflow task) only added latency — two of them stood between a filing and its
// `registered` answer. As local activities they run inside the workflow task, and their results are
// recorded (markers) when that task completes: a filing answers as soon as the case is durable.
// Retry semantics are unchanged: planning keeps retrying until its data is fixed (local retries, then
// timer-backed retries past `localRetryThreshold`); the projection's permanent failures still arrive as
// non-retryable errors that workflows/case-failures.ts records. A worker dying mid-task re-runs them on
// replay of the task: both are safe to repeat.
// Histories recorded before this patch scheduled them as regular activities and replay that way.
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import type { Applied } from './versions.ts';

export const LOCAL_ACTIVITIES_PATCH = 'local-plan-and-projection';

const options = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
} as const;
const remote = proxyActivities<Activities>(options);
const local = proxyLocalActivities<Activities>({ ...options, localRetryThreshold: '10 seconds' });

/**
 * The planning, projection, business-moment and commit calls of a run, as its version check
 * (versions.ts) says. In runs with LOCAL_EVENT_NOTIFY_PATCH every one of these local activities waits for
 * the one before it (one in flight at a time, in the order they were asked for): see that patch.
 */
export function quickActivities(applied: Applied) {
  let tail: Promise<unknown> = Promise.resolve();
  /** Runs `step` after every local activity asked for before it (a FIFO chain). */
  const serial = <T>(step: () => Promise<T>): Promise<T> => {
    const run = tail.then(step);
    tail = run.catch(() => undefined);
    return run;
  };
  const call = <T>(step: (a: typeof local) => Promise<T>): Promise<T> => {
    if (!applied(LOCAL_ACTIVITIES_PATCH)) return step(remote);
    if (!applied(LOCAL_EVENT_NOTIFY_PATCH)) return step(local);
    return serial(() => step(local));
  };
  return {
    planDeadline: ((req) => call((a) => a.planDeadline(req))) as Activities['planDeadline'],
    projectCase: ((view) => call((a) => a.projectCase(view))) as Activities['projectCase'],
    businessMomentFrom: ((input) =>
      call((a) => a.businessMomentFrom(input))) as Activities['businessMomentFrom'],
    /** The projection and the events' messages stored, in one step (activities/commit.ts). */
    commitCase: ((input) => serial(() => local.commitCase(input))) as Activities['commitCase'],
  };
}
/**
 * The acknowledgement of a new case (issue 14): its messages are rendered and stored by a local activity in
 * the registration's workflow task, and the built-in mail log delivers them there (it only stores them: no
 * outside effect, safe to repeat, like the projection). Only when a message must leave the machine (Resend,
 * SMTP) does the regular activity run, with its own longer retries; it finds the stored messages by their
 * keys and sends each once. So a filing whose mail goes to nobody, or only to the log, costs no activity
 * round trip and no second workflow task.
 * Histories recorded before this patch scheduled the regular activity for the acknowledgement too.
 */
export const LOCAL_NOTIFY_PATCH = 'acknowledgement-in-registration-task';

/**
 * Every later event's notification takes the same path (issue 14, B3): stored and logged by a local
 * activity in the workflow task that recorded the event, the regular activity only for messages that
 * leave the machine. A citizen's e-mail reply then costs one workflow task, not three (the reply's, the
 * activity's and the one its completion wakes), and the case page's Query, which Temporal holds until no
 * workflow task is pending, is answered after the first.
 * The commit that records the events projects the case and stores their messages in one local activity
 * (commitCase, activities/commit.ts); the messages that must leave the machine are sent by the regular
 * activity from the main loop, once the commit is done.
 * With this patch the run's local activities also go one at a time (quickActivities). Several in flight at
 * once (two handlers' commits, a handler's and the main loop's) may finish in separate activations the
 * first time and be resolved in one activation on replay, where the coroutines waiting on them resume and
 * emit their commands (an Update's completion, a search-attribute upsert, the next timer) in another
 * order: a non-determinism. Replaying histories recorded with local activities that finish at random
 * (v11, test/workflows/replay.test.ts, with Updates and a citizen's e-mail arriving together) showed it
 * for concurrent local activities, and shows none one at a time. Runs started before this patch keep
 * their way (`patched`: a marker where a run first asks).
 */
export const LOCAL_EVENT_NOTIFY_PATCH = 'notifications-in-event-task';

const remoteNotify = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', maximumInterval: '10 minutes' },
});

type NotifyInput = Parameters<Activities['notifyCaseEvent']>[0];

/**
 * Mails one event through the regular activity (`locally`: stores and logs it first, see above). Not an
 * async function on purpose: the regular path hands back the activity's own promise, so the workflow's
 * promise chains keep the length they had when older histories were recorded (one more `await` here
 * reorders the commands of a task where an Update handler runs beside the main loop, and they no
 * longer replay).
 */
export function notifyCaseEvent(input: NotifyInput, locally = false): Promise<unknown> {
  if (!locally) return remoteNotify.notifyCaseEvent(input);
  return local
    .notifyCaseEvent({ ...input, local: true })
    .then((done) => (done?.pending === 0 ? undefined : remoteNotify.notifyCaseEvent(input)));
}
