// The case's mail log on the staff case page: every message in and out (direction, date, from/to,
// subject, status, text). Loaded lazily by htmx when the <details> opens; without JavaScript the same
// URL is a page of its own. Same authorization as GET /api/v1/manifestations/{protocol}/emails.
import { Hono } from 'hono';
import { listInboundForCase, listOutboundForCase } from '../../db/queries/email.ts';
import { requireRole } from '../auth/session.ts';
import { notFound } from '../errors.ts';
import { newFormKey } from '../idempotency.ts';
import { canStaffSee } from '../manifestations/present.ts';
import { getCaseView } from '../manifestations/service.ts';
import type { AppEnv } from '../types.ts';
import { isPartial, render } from './render.ts';

export const caseMailPages = new Hono<AppEnv>();

export type MailRow = {
  direction: 'in' | 'out';
  at: string;
  from: string;
  to: string;
  subject: string;
  status: string;
  text: string;
  error: string | null;
  /** outbound: what the transport answered (SMTP reply, Resend id), next to the one delivery state */
  answer?: string | null;
  /** Outbound `uncertain`/`failed` messages office staff may resend: the message id and a fresh form key. */
  resend?: { id: string; key: string } | null;
};

/** The transport's own words for a sent message: the SMTP reply line, or the provider's message id. */
function transportAnswer(m: {
  status: string;
  transportResult: Record<string, unknown> | null;
  providerId: string | null;
}) {
  if (m.status !== 'sent') return null;
  const response = m.transportResult?.response;
  if (typeof response === 'string' && response) return response;
  return m.providerId ? `id ${m.providerId}` : null;
}

caseMailPages.get('/painel/casos/:protocol/emails', async (c) => {
  if (!c.var.user) return c.redirect('/entrar', 303);
  const user = requireRole(c);
  const view = await getCaseView(c.var.deps, c.req.param('protocol'));
  if (!canStaffSee(user, view)) throw notFound();
  // Units never see a preserved (or anonymous) reporter's address.
  const hideCitizen = user.role === 'unit' && view.identity !== 'identified';
  const hidden = 'identidade preservada';
  const db = c.var.deps.db;
  const [inbound, outbound] = await Promise.all([
    listInboundForCase(db, view.protocol),
    listOutboundForCase(db, view.protocol),
  ]);
  const rows: MailRow[] = [
    ...inbound.map((m) => ({
      direction: 'in' as const,
      at: m.receivedAt.toISOString(),
      from: hideCitizen && m.fromRole !== 'staff' ? hidden : (m.fromAddress ?? '—'),
      to: '',
      subject: m.subject ?? '',
      status: m.status,
      text: m.replyText ?? '',
      error: m.error,
    })),
    ...outbound.map((m) => ({
      direction: 'out' as const,
      at: (m.sentAt ?? m.createdAt).toISOString(),
      from: m.fromAddress,
      to: hideCitizen && m.recipientRole === 'citizen' ? hidden : m.recipient,
      subject: m.subject,
      status: m.status,
      text: m.text,
      error: m.error,
      answer: transportAnswer(m),
      resend:
        user.role !== 'unit' && (m.status === 'uncertain' || m.status === 'failed')
          ? { id: m.id, key: newFormKey() }
          : null,
    })),
  ].sort((a, b) => b.at.localeCompare(a.at)); // newest first, like the timeline
  const data = { title: view.protocol, protocol: view.protocol, rows };
  return render(c, isPartial(c) ? '_mail_log' : 'mail-log', data);
});
