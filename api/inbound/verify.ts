// Who may act as the citizen by e-mail (issue 8 item 3). A message changes a case or speaks for the citizen
// (ends a complementation, asks for a reopen, appears as `citizen_replied` on the public timeline) only when
// its sender is authenticated:
//   - it came to the signed reply address (`reply+<token>@MAIL_DOMAIN`) issued to that very sender, or
//   - DMARC passed for the From: domain (mailauth on the SMTP door; the Authentication-Results of the MTA in
//     front of us on the other doors). DMARC pass means SPF or DKIM passed *aligned* with the From: domain.
// Anything else that threads to a case as its citizen (In-Reply-To, Thread-Index, Thread-Topic, the protocol
// in the subject) is headers anyone can write: it is kept on the case as *não verificada* for staff.
import type { InboundAuthResults, InboundVerification } from '../../db/schema.ts';
import type { Threading } from './thread.ts';

export function verificationOf(
  threading: Pick<Threading, 'by' | 'fromRole'>,
  auth: InboundAuthResults | null | undefined,
): InboundVerification {
  if (threading.by === 'token' && threading.fromRole !== 'unknown') return 'verified';
  if (auth?.dmarc?.toLowerCase() === 'pass') return 'verified';
  return 'unverified';
}
