// createActivities(deps): every side effect the workflows may ask for. Workflows import the type only.
import { loadEnv } from '../config/env.ts';
import type { Database } from '../db/client.ts';
import { createCommitActivity } from './commit.ts';
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
  /**
   * Keep each case's just-committed view for this process's pages (db/queries/recent-views.ts): an embedded
   * server is its own worker; a separate worker (`npm run worker`) has no pages to answer.
   */
  keepRecentViews?: boolean;
};

function createAll(deps: ActivityDeps) {
  const { claimOutboundResend, deliverOutboundResend, notifyCaseEvent } = createNotifyActivities({
    db: deps.db,
    timezone: deps.timezone,
    mail: deps.mail ?? (() => mailSettingsFromEnv(loadEnv())),
    ...(deps.mailTransport ? { transport: deps.mailTransport } : {}),
  });
  // The side effects the case workflow records and repairs when they fail for good (workflows/case-failures.ts)
  // fail once, non-retryable, on a database error retrying cannot fix (failures.ts). Deadline planning
  // classifies its own errors the same way, plus bad policy data (deadline.ts); the case keeps its last
  // deadline and shows the failure until repaired.
  const views = deps.keepRecentViews ? deps.db : undefined;
  const sideEffects = withPermanentFailures({
    ...createProjectionActivities(deps.db, views),
    notifyCaseEvent,
  });
  return {
    case: {
      ...sideEffects,
      ...createCommitActivity(sideEffects, views),
      ...createDeadlineActivities({ db: deps.db, timezone: deps.timezone }),
    },
    mailResend: { claimOutboundResend, deliverOutboundResend },
  };
}

/** Every activity the worker registers (the case workflow's and the mail resend workflow's). */
export function createActivities(deps: ActivityDeps) {
  const all = createAll(deps);
  return { ...all.case, ...all.mailResend };
}

/** What the case workflow may call. */
export type Activities = ReturnType<typeof createAll>['case'];
/** What the mail resend workflow (workflows/resend-email.ts) may call. */
export type MailResendActivities = ReturnType<typeof createAll>['mailResend'];
