// Citizen Update handlers (actor 'citizen'): reply to a request for complementation, accept or reject
// the answer, rate the service.

import { invalid, type On, requireText } from './case-handler-kit.ts';
import type { CaseRuntime } from './case-handlers.ts';
import * as m from './messages.ts';
import { nextStatus } from './transitions.ts';

export function registerCitizenHandlers(rt: CaseRuntime, on: On) {
  const v = rt.view;

  on(
    m.replyUpdate,
    'reply',
    (i) => requireText(i.text, 'text', 2),
    async (i) => {
      const wasWaiting = v.status === 'awaiting_citizen';
      rt.record('citizen_replied', 'citizen', { text: i.text, attachmentIds: i.attachmentIds ?? [] });
      if (wasWaiting) {
        v.status = v.unitAssignments.some((a) => a.status === 'pending') ? 'forwarded' : 'in_progress';
        v.pendingQuestion = null;
        await rt.endComplementation(new Date().toISOString());
      }
    },
  );

  on(
    m.acceptUpdate,
    'accept',
    () => {},
    (i) => {
      v.status = nextStatus('accept', v.status);
      v.autoCloseDeadline = null;
      rt.record('accepted', i.actor);
    },
  );

  on(
    m.rejectUpdate,
    'reject',
    (i) => requireText(i.reason, 'reason', 5),
    async (i) => {
      v.status = nextStatus('reject', v.status);
      v.reopenCount += 1;
      v.autoCloseDeadline = null;
      rt.record('rejected', i.actor, { reason: i.reason, reopenCount: v.reopenCount });
      await rt.replanCase({ restartFrom: new Date().toISOString() });
    },
  );

  on(
    m.rateUpdate,
    'rate',
    (i) => {
      if (!Number.isInteger(i.score) || i.score < 1 || i.score > 5) invalid('score', 'a score from 1 to 5');
      if (i.resolved !== undefined && !['yes', 'partially', 'no'].includes(i.resolved))
        invalid('resolved', 'yes, partially or no');
    },
    (i) => {
      const final = ['answered', 'closed', 'approved'].includes(v.status);
      v.ratings.push({
        at: new Date().toISOString(),
        final,
        resolved: i.resolved ?? null,
        score: i.score,
        comment: i.comment ?? null,
      });
      rt.record(
        'rated',
        i.actor,
        { score: i.score, resolved: i.resolved ?? null, final, comment: i.comment ?? null },
        'internal',
      );
    },
  );
}
