// Notifications: the workflow calls notifyCaseEvent for every committed timeline event; which events
// mail whom is decided here (configuration), and sending is idempotent per (protocol, event seq).
// Until outbound e-mail lands this only accepts the call.
import type { CaseView, TimelineEvent } from '../workflows/messages.ts';

export type NotifyInput = { view: CaseView; event: TimelineEvent };

export function createNotifyActivities() {
  return {
    async notifyCaseEvent(_input: NotifyInput): Promise<void> {},
  };
}
