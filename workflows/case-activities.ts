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
import { patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';

export const LOCAL_ACTIVITIES_PATCH = 'local-plan-and-projection';

const options = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
} as const;
const remote = proxyActivities<Activities>(options);
const local = proxyLocalActivities<Activities>({ ...options, localRetryThreshold: '10 seconds' });

const via = () => (patched(LOCAL_ACTIVITIES_PATCH) ? local : remote);

export const planDeadline: Activities['planDeadline'] = (req) => via().planDeadline(req);
export const projectCase: Activities['projectCase'] = (view) => via().projectCase(view);
export const businessMomentFrom: Activities['businessMomentFrom'] = (input) =>
  via().businessMomentFrom(input);
