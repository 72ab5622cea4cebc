// createActivities(deps): every side effect the workflows may ask for. Workflows import the type only.
import type { Database } from '../db/client.ts';
import { createDeadlineActivities } from './deadline.ts';
import { createProjectionActivities } from './projection.ts';

export type ActivityDeps = { db: Database; timezone: string };

export function createActivities(deps: ActivityDeps) {
  return {
    ...createProjectionActivities(deps.db),
    ...createDeadlineActivities({ timezone: deps.timezone }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
