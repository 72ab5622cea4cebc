// A case's mail log as one staff viewer may read it (GET /api/v1/manifestations/{p}/emails and the
// "E-mails do caso" page share it): every inbound and outbound message, shaped by the disclosure policy —
// citizen secrets (access code, follow-link and reply tokens) always redacted, the reporter's address,
// name, phone, envelope and authentication results hidden from who may not see them, attachment names
// pseudonymised.
import { listAttachmentsForCase } from '../../db/queries/attachments.ts';
import { listInboundForCase, listOutboundForCase } from '../../db/queries/email.ts';
import type { CaseView } from '../../workflows/messages.ts';
import {
  attachmentName,
  maskAddresses,
  masks,
  redactorFor,
  reporterAccess,
  type Viewer,
} from '../disclosure.ts';
import type { AppDeps } from '../types.ts';
import { readStaffEmails } from './present.ts';

export type MailLog = Awaited<ReturnType<typeof caseMailLog>>;

export async function caseMailLog(deps: AppDeps, view: CaseView, viewer: Extract<Viewer, { kind: 'staff' }>) {
  const db = deps.db;
  const [inbound, outbound, files, staffEmails] = await Promise.all([
    listInboundForCase(db, view.protocol),
    listOutboundForCase(db, view.protocol),
    listAttachmentsForCase(db, view.protocol),
    readStaffEmails(deps),
  ]);
  const redact = redactorFor(viewer, view, { secret: deps.secret });
  const knowsSender = reporterAccess(viewer, view.identity) === 'full';
  const reporterLabel = knowsSender ? null : `Manifestante (${masks.reporter.toLowerCase()})`;
  const external = (address: string | null) =>
    address !== null && !staffEmails.has(address.toLowerCase()) && !knowsSender;
  const text = (s: string | null) => (s === null ? null : redact(s));
  const headers = (h: Record<string, string>) =>
    Object.fromEntries(Object.entries(h).map(([k, v]) => [k, redact(v)]));
  return {
    protocol: view.protocol,
    inbound: inbound.map((m) => ({
      ...m,
      direction: 'inbound' as const,
      fromAddress:
        m.fromRole === 'staff' || m.fromRole === 'unit' || !external(m.fromAddress)
          ? text(m.fromAddress)
          : masks.sender,
      subject: text(m.subject),
      replyText: text(m.replyText),
      envelope: knowsSender ? m.envelope : null,
      authResults: m.authResults
        ? Object.fromEntries(
            Object.entries(m.authResults).map(([k, v]) => [
              k,
              knowsSender ? redact(String(v)) : maskAddresses(redact(String(v))),
            ]),
          )
        : null,
      receivedAt: m.receivedAt.toISOString(),
    })),
    outbound: outbound.map((m) => ({
      direction: 'outbound' as const,
      id: m.id,
      eventSeq: m.eventSeq,
      eventType: m.eventType,
      template: m.template,
      recipient: m.recipientRole === 'citizen' && reporterLabel ? reporterLabel : m.recipient,
      recipientRole: m.recipientRole,
      from: m.fromAddress,
      replyTo: redact(m.replyTo),
      messageId: m.messageId,
      inReplyTo: m.headers['In-Reply-To'] ?? null,
      subject: redact(m.subject),
      text: redact(m.text),
      headers: headers(m.headers),
      status: m.status,
      transport: m.transport,
      providerId: m.providerId,
      // the transport's answer (SMTP reply line, Resend id): may name the recipient
      transportResult: m.transportResult
        ? Object.fromEntries(
            Object.entries(m.transportResult).map(([k, v]) => [
              k,
              typeof v === 'string'
                ? m.recipientRole === 'citizen' && reporterLabel
                  ? maskAddresses(redact(v))
                  : redact(v)
                : v,
            ]),
          )
        : null,
      error: text(m.error),
      attempts: m.attempts,
      createdAt: m.createdAt.toISOString(),
      sentAt: m.sentAt?.toISOString() ?? null,
    })),
    attachments: files.map((f, i) => ({
      id: f.id,
      filename: attachmentName(viewer, view, f, i),
      contentType: f.contentType,
      size: f.size,
      source: f.source,
      createdAt: f.createdAt.toISOString(),
      url: `/api/v1/attachments/${f.id}`,
    })),
  };
}
