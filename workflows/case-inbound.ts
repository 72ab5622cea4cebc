// Inbound e-mail on the case workflow. A message whose sender is authenticated as the case's citizen (the
// signed reply token, or a DMARC-aligned pass for the From: domain) acts as the citizen's reply: it is on the
// public timeline, resumes a case waiting for complementation and asks for a reopen of a finished one. A
// message matched only by headers or subject (`verification: 'unverified'`) is kept on the case as *não
// verificada*: an internal timeline entry with its text and files, which staff accept as the citizen's (it
// then acts as the reply) or discard. Nothing is lost either way.
import { condition, setHandler } from '@temporalio/workflow';
import { handlerKit, invalid, requireText } from './case-handler-kit.ts';
import type { CaseRuntime } from './case-handlers.ts';
import * as m from './messages.ts';
import { isFinal } from './transitions.ts';
import { pendingUnverifiedMail } from './unverified-mail.ts';

export function registerInboundHandlers(rt: CaseRuntime, processed: Set<string>) {
  const v = rt.view;
  const on = handlerKit(rt);

  /** The citizen's reply: public timeline entry, resumes a complementation (clock from `at`). */
  async function actAsCitizenReply(
    msg: { text: string; attachmentIds: string[] },
    at: string,
    extra: Record<string, string> = {},
  ) {
    const reopenRequested = isFinal(v.status);
    rt.record('citizen_replied', 'citizen', {
      text: msg.text,
      attachmentIds: msg.attachmentIds,
      via: 'email',
      reopenRequested,
      ...extra,
    });
    if (v.status === 'awaiting_citizen') {
      v.status = v.unitAssignments.some((a) => a.status === 'pending') ? 'forwarded' : 'in_progress';
      v.pendingQuestion = null;
      await rt.endComplementation(at);
    }
  }

  setHandler(m.inboundMessageSignal, async (msg) => {
    if (processed.has(msg.id)) return;
    processed.add(msg.id);
    await condition(() => rt.isRegistered());
    const reopenRequested = isFinal(v.status);
    if (msg.fromRole === 'citizen' && msg.verification === 'unverified' && rt.applied('unverified-mail')) {
      rt.record(
        'email_received',
        msg.from,
        {
          emailId: msg.emailId,
          subject: msg.subject,
          text: msg.text,
          attachmentIds: msg.attachmentIds,
          from: msg.from,
          receivedAt: msg.receivedAt,
          verification: 'unverified',
          reopenRequested,
        },
        'internal',
      );
      await rt.commit();
      return;
    }
    rt.record(
      'email_received',
      msg.fromRole === 'citizen' ? 'citizen' : msg.from,
      { emailId: msg.emailId, subject: msg.subject, reopenRequested },
      'internal',
    );
    if (msg.fromRole === 'citizen') await actAsCitizenReply(msg, msg.receivedAt);
    await rt.commit();
  });

  // Files of an e-mail that were not kept: said on the case (and, when public, mailed to the citizen).
  setHandler(m.attachmentsRefusedSignal, async (msg) => {
    if (processed.has(msg.id)) return;
    processed.add(msg.id);
    await condition(() => rt.isRegistered());
    rt.record(
      'attachment_refused',
      'system',
      { emailId: msg.emailId, files: msg.files, text: msg.files.join('\n') },
      msg.public ? 'public' : 'internal',
    );
    await rt.commit();
  });

  const pending = (emailId: string) => {
    requireText(emailId, 'emailId');
    const mail = pendingUnverifiedMail(v).find((p) => p.emailId === emailId);
    if (!mail) invalid('emailId', 'no unverified e-mail with this id is waiting for a decision on this case');
    return mail;
  };

  on(
    m.acceptEmailUpdate,
    'accept-email',
    (i) => {
      pending(i.emailId);
    },
    async (i) => {
      const mail = pending(i.emailId);
      rt.record('email_accepted', i.actor, { emailId: mail.emailId, from: mail.from }, 'internal');
      await actAsCitizenReply(mail, new Date().toISOString(), { acceptedBy: i.actor, emailId: mail.emailId });
    },
  );

  on(
    m.discardEmailUpdate,
    'discard-email',
    (i) => {
      pending(i.emailId);
    },
    (i) => {
      const mail = pending(i.emailId);
      rt.record(
        'email_discarded',
        i.actor,
        { emailId: mail.emailId, from: mail.from, reason: i.reason ?? null },
        'internal',
      );
    },
  );
}
