// Which case a message belongs to, in order: (1) a reply+<token> address with a valid signature,
// (2) In-Reply-To/References naming one of our outbound Message-IDs, (3) the protocol in the subject
// from a participant of that case. A forged token threads nothing and makes the sender untrusted.
import {
  tokenMatchesRecipient,
  tokenOfAddress,
  verifyReplyToken,
} from '../../activities/email/reply-token.ts';
import type { MailSettings } from '../../activities/email/settings.ts';
import type { Database } from '../../db/client.ts';
import {
  caseCitizenEmail,
  findOutboundByMessageIds,
  findStaffByEmail,
  outboundRolesFor,
} from '../../db/queries/email.ts';
import type { InboundMessage } from '../../workflows/messages.ts';

export type FromRole = InboundMessage['fromRole'];
export type Threading = {
  protocol: string | null;
  by: 'token' | 'in_reply_to' | 'subject' | null;
  fromRole: FromRole;
  forgedToken: boolean;
  notes: string[];
};

export type ThreadInput = {
  from: string | null;
  recipients: string[];
  messageIds: string[];
  subject: string;
};

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

  const inSubject = /\bOUV-\d{4}-\d{6}\b/i.exec(m.subject)?.[0]?.toUpperCase();
  if (inSubject && from) {
    const role = await roleOnCase(db, inSubject, from);
    const participant =
      role !== 'unknown' &&
      ((await caseCitizenEmail(db, inSubject))?.toLowerCase() === from ||
        (await outboundRolesFor(db, inSubject, from)).length > 0);
    if (participant) {
      return { protocol: inSubject, by: 'subject', fromRole: untrusted(role), forgedToken, notes };
    }
    notes.push(`protocolo ${inSubject} no assunto, mas o remetente não participa do caso`);
  }
  return { protocol: null, by: null, fromRole: 'unknown', forgedToken, notes };
}
