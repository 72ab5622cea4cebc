// Staff "reenviar" for an outbound message left `uncertain` (or `failed`): one short workflow per resend
// request. Its id comes from the request's Idempotency-Key, so a retried request finds the same run and its
// result instead of sending again; the claim in the database lets only one request resend a message.
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { MailResendActivities } from '../activities/index.ts';

const { claimOutboundResend } = proxyActivities<MailResendActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 10 },
});
// Transport errors end the attempt as `failed` (visible; staff may resend again); Temporal retries only
// crashes and timeouts, and the activity then finds the message in flight and marks it `uncertain`.
const { deliverOutboundResend } = proxyActivities<MailResendActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '10 seconds', maximumAttempts: 3 },
});

export type ResendEmailInput = { emailId: string; actor: string };
/** `resent`: this request sent it; otherwise `status` is why nothing was sent (e.g. already `sent`). */
export type ResendEmailResult = { resent: boolean; status: string };

export async function resendEmailWorkflow(input: ResendEmailInput): Promise<ResendEmailResult> {
  const claim = await claimOutboundResend({
    emailId: input.emailId,
    requestId: workflowInfo().workflowId,
    actor: input.actor,
  });
  if (!claim.claimed) return { resent: false, status: claim.status };
  const status = await deliverOutboundResend({ emailId: input.emailId });
  return { resent: true, status };
}
