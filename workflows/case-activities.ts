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

/** The planning, projection and business-moment calls of a run, as its version check (versions.ts) says. */
export function quickActivities(applied: Applied) {
  const via = () => (applied(LOCAL_ACTIVITIES_PATCH) ? local : remote);
  return {
    planDeadline: ((req) => via().planDeadline(req)) as Activities['planDeadline'],
    projectCase: ((view) => via().projectCase(view)) as Activities['projectCase'],
    businessMomentFrom: ((input) => via().businessMomentFrom(input)) as Activities['businessMomentFrom'],
  };
}
/**
 * The acknowledgement of a new case (issue 14): its messages are rendered and stored by a local activity in
 * the registration's workflow task, and the built-in mail log delivers them there (it only stores them: no
 * outside effect, safe to repeat, like the projection). Only when a message must leave the machine (Resend,
 * SMTP) does the regular activity run, with its own longer retries; it finds the stored messages by their
 * keys and sends each once. So a filing whose mail goes to nobody, or only to the log, costs no activity
 * round trip and no second workflow task. Later events keep the regular activity: their notifications
 * run beside Update handlers, and two local activities in flight at once would not replay in order.
 * Histories recorded before this patch scheduled the regular activity for the acknowledgement too.
 */
export const LOCAL_NOTIFY_PATCH = 'acknowledgement-in-registration-task';

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
