// createActivities(deps): every side effect the workflows may ask for. Workflows import the type only.
import { loadEnv } from '../config/env.ts';
import type { Database } from '../db/client.ts';
import { createDeadlineActivities } from './deadline.ts';
import { type MailSettings, mailSettingsFromEnv } from './email/settings.ts';
import type { Transport } from './email/transport.ts';
import { withPermanentFailures } from './failures.ts';
import { createNotifyActivities } from './notify.ts';
import { createProjectionActivities } from './projection.ts';

export type ActivityDeps = {
  db: Database;
  timezone: string;
  /** E-mail settings; unset = derived from the environment on first use (config/env.ts). */
  mail?: MailSettings;
  /** Replaces the transport chosen from the mail settings (tests). */
  mailTransport?: Transport;
};

/** Every activity fails once, non-retryable, on a database error retrying cannot fix (failures.ts). */
export function createActivities(deps: ActivityDeps) {
  return withPermanentFailures({
    ...createProjectionActivities(deps.db),
    ...createDeadlineActivities({ db: deps.db, timezone: deps.timezone }),
    ...createNotifyActivities({
      db: deps.db,
      timezone: deps.timezone,
      mail: deps.mail ?? (() => mailSettingsFromEnv(loadEnv())),
      ...(deps.mailTransport ? { transport: deps.mailTransport } : {}),
    }),
  });
}

export type Activities = ReturnType<typeof createActivities>;
