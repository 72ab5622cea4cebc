// A manifestação opened from an e-mail (a new message to the intake address, or a late reply to a case
// whose workflow has completed), for the inbound pipeline (pipeline.ts).
import { setAttachmentsProtocol } from '../../db/queries/attachments.ts';
import { caseReporters } from '../../db/queries/case-reporters.ts';
import { type InboundRow, updateInbound } from '../../db/queries/email.ts';
import type { CaseView } from '../../workflows/messages.ts';
import type { Kind } from '../../workflows/vocabulary.ts';
import { fileManifestation } from '../manifestations/filing.ts';
import type { EmailContext } from './context.ts';

/** The last view of a case whose workflow has completed (kind, identity, name to carry on); null if unknown. */
export async function concludedCase(
  ctx: EmailContext,
  protocol: string,
): Promise<Pick<CaseView, 'identity' | 'kind' | 'citizen'> | null> {
  // The read model, not the workflow: a case concluded long ago is past Temporal's retention, and its
  // Query would fail (the new case must still keep a preserved identity).
  const [old] = await caseReporters(ctx.deps.db, [protocol]);
  if (!old) return null;
  return {
    identity: old.identity as CaseView['identity'],
    kind: old.kind as CaseView['kind'],
    citizen: old.citizen ? { ...old.citizen } : null,
  };
}

/**
 * Files a manifestação from the message, with its attachments and (for a late reply) the protocol it
 * follows up. Idempotent per inbound message: the new protocol is recorded on the row as soon as the case
 * exists, so a replay after a later failure finds it instead of opening a second case.
 */
export async function openCase(
  ctx: EmailContext,
  row: InboundRow,
  m: {
    from: string;
    name: string;
    subject: string;
    text: string;
    attachmentIds: string[];
    linkedTo?: string;
    kind?: Kind | undefined;
    identity?: 'identified' | 'preserved';
    /** DMARC-aligned or token-verified sender: the address links the case to its person record */
    verified?: boolean;
  },
): Promise<string> {
  const { db } = ctx.deps;
  let protocol = row.threadedBy === 'new_case' && row.protocol ? row.protocol : null;
  if (!protocol) {
    const subject = m.subject.length >= 3 ? m.subject.slice(0, 200) : 'Manifestação recebida por e-mail';
    let description = m.text.trim() || '(mensagem sem texto)';
    if (description.length < 10) description = `${description} — recebida por e-mail`;
    const trimmed = m.name.trim();
    const name = trimmed.length >= 2 ? trimmed.slice(0, 200) : (m.from.split('@')[0] ?? m.from);
    ({ protocol } = await fileManifestation(
      ctx.deps,
      {
        kind: m.kind ?? guessKind(subject),
        subject,
        description: description.slice(0, 20_000),
        identity: m.identity ?? 'identified',
        citizen: { name: name.length >= 2 ? name : m.from, email: m.from },
        channel: 'email',
      },
      'citizen',
      {
        attachmentIds: m.attachmentIds,
        linkedTo: m.linkedTo ?? null,
        party: { emailVerified: !!m.verified },
      },
    ));
    await updateInbound(db, row.id, { protocol, threadedBy: 'new_case' });
  }
  await setAttachmentsProtocol(db, m.attachmentIds, protocol);
  return protocol;
}

/** The kind a new e-mail's subject suggests (accent-insensitive); a complaint when it says nothing. */
function guessKind(subject: string): Kind {
  const s = subject.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  if (/\belogio/.test(s)) return 'praise';
  if (/\bsugest/.test(s)) return 'suggestion';
  if (/\bdenunci/.test(s)) return 'report';
  if (/pedido de informac|\blai\b|acesso a informac/.test(s)) return 'information';
  return 'complaint';
}
