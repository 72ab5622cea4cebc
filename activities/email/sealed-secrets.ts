// Citizen secrets in the mail log: the log (outbound_emails) keeps every message with the case's access
// code, the follow-link token and the reply token replaced by markers, so no staff member ever reads them
// there; the transport gets the message with the markers opened again. Everything opened is derived from
// the app secret, the protocol, the recipient and the row's creation time, so a retry or an idempotent
// re-send (same Idempotency-Key) sends exactly the same bytes.
import { deriveAccessCode } from '../../config/access-code.ts';
import { followLinkTtlMs, signFollowToken } from './follow-link.ts';
import { signReplyToken } from './reply-token.ts';

/** The markers the log shows in place of each secret (also what api/disclosure.ts masks them with). */
export const secretMarkers = {
  accessCode: '[código de acesso oculto]',
  followToken: '[link-pessoal-oculto]',
  replyToken: '[token-oculto]',
} as const;

type Secrets = { accessCode: string | null; followToken: string | null; replyToken: string };

/**
 * The secrets a message to `recipient` may carry. `issuedAt`: when the message was prepared (the follow
 * link expires 90 days later). The access code and follow link belong to citizen messages only.
 */
export function messageSecrets(
  secret: string,
  protocol: string,
  recipient: { email: string; role: string },
  issuedAt: Date,
): Secrets {
  const citizen = recipient.role === 'citizen';
  return {
    accessCode: citizen ? deriveAccessCode(secret, protocol) : null,
    followToken: citizen
      ? signFollowToken(secret, protocol, recipient.email, new Date(issuedAt.getTime() + followLinkTtlMs))
      : null,
    replyToken: signReplyToken(secret, protocol, recipient.email),
  };
}

function pairs(s: Secrets): Array<[string, string]> {
  const out: Array<[string, string]> = [[s.replyToken, secretMarkers.replyToken]];
  if (s.accessCode) out.push([s.accessCode, secretMarkers.accessCode]);
  if (s.followToken) out.push([s.followToken, secretMarkers.followToken]);
  return out;
}

/** The text with each secret replaced by its marker (what the log stores). */
export function seal(text: string, s: Secrets): string {
  let out = text;
  for (const [value, marker] of pairs(s)) out = out.split(value).join(marker);
  return out;
}

/** The text with each marker replaced by its secret (what the transport sends). */
export function unseal(text: string, s: Secrets): string {
  let out = text;
  for (const [value, marker] of pairs(s)) out = out.split(marker).join(value);
  return out;
}

/** A logged message as the transport sends it: its secrets opened (deliver() and tests use this). */
export function openStoredMessage<
  R extends { protocol: string; recipient: string; recipientRole: string; createdAt: Date },
>(
  row: R & { replyTo: string; subject: string; html: string; text: string },
  secret: string,
): { replyTo: string; subject: string; html: string; text: string } {
  const s = messageSecrets(
    secret,
    row.protocol,
    { email: row.recipient, role: row.recipientRole },
    row.createdAt,
  );
  return {
    replyTo: unseal(row.replyTo, s),
    subject: unseal(row.subject, s),
    html: unseal(row.html, s),
    text: unseal(row.text, s),
  };
}
