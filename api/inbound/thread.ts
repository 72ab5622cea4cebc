// Which case a message belongs to, in order: (1) a reply+<token> address with a valid signature,
// (2) In-Reply-To/References naming any Message-ID that belongs to a case — one we sent, or one we received
// and filed on a case (a citizen answering their own first e-mail), (3) Outlook's conversation (the
// Thread-Index of an earlier message of a case), (4) the protocol in the subject, then in Outlook's
// Thread-Topic (kept when the subject was edited), from a participant of that case. A forged token threads
// nothing and makes the sender untrusted. Only (1) authenticates the sender as the case's citizen; the
// others are headers anyone can write (see verify.ts).
import {
  tokenMatchesRecipient,
  tokenOfAddress,
  verifyReplyToken,
} from '../../activities/email/reply-token.ts';
import type { MailSettings } from '../../activities/email/settings.ts';
import type { Database } from '../../db/client.ts';
import { caseCitizenEmail } from '../../db/queries/case-reporters.ts';
import {
  findInboundCaseByConversation,
  findInboundCaseByMessageIds,
  findOutboundByMessageIds,
  findStaffByEmail,
  outboundRolesFor,
} from '../../db/queries/email.ts';
import { findProtocol } from '../../db/queries/protocols.ts';
import type { InboundMessage } from '../../workflows/messages.ts';

export type FromRole = InboundMessage['fromRole'];
export type Threading = {
  protocol: string | null;
  by: 'token' | 'in_reply_to' | 'thread_index' | 'subject' | 'thread_topic' | null;
  fromRole: FromRole;
  forgedToken: boolean;
  notes: string[];
};

export type ThreadInput = {
  from: string | null;
  recipients: string[];
  messageIds: string[];
  subject: string;
  /** Outlook's Thread-Topic header (decoded), when present */
  threadTopic?: string | undefined;
  /** conversationKey(Thread-Index), when present */
  conversationKey?: string | null | undefined;
};

/**
 * Outlook's conversation key: the first 22 bytes of a Thread-Index (a 6-byte time and a 16-byte GUID shared
 * by every message of the conversation), base64. Null when the header is absent or malformed.
 */
export function conversationKey(threadIndex: string | null | undefined): string | null {
  if (!threadIndex) return null;
  const bytes = Buffer.from(threadIndex.replace(/\s+/g, ''), 'base64');
  return bytes.length >= 22 ? bytes.subarray(0, 22).toString('base64') : null;
}

function roleOf(roles: string[]): FromRole | null {
  if (roles.includes('citizen')) return 'citizen';
  if (roles.includes('unit')) return 'unit';
  if (roles.length > 0) return 'staff';
  return null;
}

/** What we know of `from` on this case: mailed as citizen/unit/staff, the case's citizen, or a staff user. */
async function roleOnCase(db: Database, protocol: string, from: string | null): Promise<FromRole> {
  if (!from) return 'unknown';
  const mailed = roleOf(await outboundRolesFor(db, protocol, from));
  if (mailed) return mailed;
  if ((await caseCitizenEmail(db, protocol))?.toLowerCase() === from) return 'citizen';
  const staff = await findStaffByEmail(db, from);
  if (staff) return staff.role === 'unit' ? 'unit' : staff.role === 'citizen' ? 'unknown' : 'staff';
  return 'unknown';
}

export async function threadMessage(db: Database, mail: MailSettings, m: ThreadInput): Promise<Threading> {
  const notes: string[] = [];
  const from = m.from?.toLowerCase() ?? null;
  let forgedToken = false;

  for (const address of m.recipients) {
    const token = tokenOfAddress(address, mail.domain);
    if (!token) continue;
    const valid = verifyReplyToken(mail.secret, token);
    if (!valid) {
      forgedToken = true;
      notes.push(`token de resposta inválido em ${address}: ignorado`);
      continue;
    }
    const sameRecipient = from !== null && tokenMatchesRecipient(valid, from);
    if (!sameRecipient) notes.push('remetente diferente do destinatário do token: identidade não confirmada');
    return {
      protocol: valid.protocol,
      by: 'token',
      fromRole: sameRecipient ? await roleOnCase(db, valid.protocol, from) : 'unknown',
      forgedToken,
      notes,
    };
  }

  const untrusted = (role: FromRole): FromRole => (forgedToken ? 'unknown' : role);

  if (m.messageIds.length > 0) {
    const matches = await findOutboundByMessageIds(db, m.messageIds);
    const match = matches[0];
    if (match) {
      const sameRecipient = from !== null && match.recipient === from;
      return {
        protocol: match.protocol,
        by: 'in_reply_to',
        fromRole: untrusted(sameRecipient ? await roleOnCase(db, match.protocol, from) : 'unknown'),
        forgedToken,
        notes,
      };
    }
  }

  if (m.messageIds.length > 0) {
    const inbound = await findInboundCaseByMessageIds(db, m.messageIds);
    if (inbound) {
      return {
        protocol: inbound.protocol,
        by: 'in_reply_to',
        fromRole: untrusted(await roleOnCase(db, inbound.protocol, from)),
        forgedToken,
        notes,
      };
    }
  }

  if (m.conversationKey) {
    const inbound = await findInboundCaseByConversation(db, m.conversationKey);
    if (inbound) {
      return {
        protocol: inbound.protocol,
        by: 'thread_index',
        fromRole: untrusted(await roleOnCase(db, inbound.protocol, from)),
        forgedToken,
        notes,
      };
    }
  }

  const places = [
    ['subject', m.subject],
    ['thread_topic', m.threadTopic ?? ''],
  ] as const;
  for (const [by, text] of places) {
    const protocol = findProtocol(text);
    if (!protocol || !from) continue;
    const role = await roleOnCase(db, protocol, from);
    const participant =
      role !== 'unknown' &&
      ((await caseCitizenEmail(db, protocol))?.toLowerCase() === from ||
        (await outboundRolesFor(db, protocol, from)).length > 0);
    if (participant) return { protocol, by, fromRole: untrusted(role), forgedToken, notes };
    notes.push(
      `protocolo ${protocol} ${by === 'subject' ? 'no assunto' : 'no Thread-Topic'}, mas o remetente não participa do caso`,
    );
  }
  return { protocol: null, by: null, fromRole: 'unknown', forgedToken, notes };
}
