// A test worker's activities with the case's commit step (activities/commit.ts) built over its own
// projectCase and notifyCaseEvent, as the worker builds it over the real ones.
import { createCommitActivity } from '../../activities/commit.ts';
import type { Activities } from '../../activities/index.ts';

export function withCommitStep(parts: Omit<Activities, 'commitCase'>): Activities {
  return { ...parts, ...createCommitActivity(parts) };
}
