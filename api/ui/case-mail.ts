// The case's mail log on the staff case page: every message in and out (direction, date, from/to,
// subject, status, text). Loaded lazily by htmx when the <details> opens; without JavaScript the same
// URL is a page of its own. Same rows, authorization and disclosure as
// GET /api/v1/manifestations/{protocol}/emails (api/manifestations/mail-log.ts).
import { Hono } from 'hono';
import { requireRole } from '../auth/session.ts';
import { canSeeCase, staffViewer } from '../disclosure.ts';
import { notFound } from '../errors.ts';
import { newFormKey } from '../idempotency.ts';
import { caseMailLog } from '../manifestations/mail-log.ts';
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
  const viewer = staffViewer(user);
  const view = await getCaseView(c.var.deps, c.req.param('protocol'));
  if (!viewer || !canSeeCase(viewer, view)) throw notFound();
  const log = await caseMailLog(c.var.deps, view, viewer);
  const rows: MailRow[] = [
    ...log.inbound.map((m) => ({
      direction: 'in' as const,
      at: m.receivedAt,
      from: m.fromAddress ?? '—',
      to: '',
      subject: m.subject ?? '',
      status: m.status,
      text: m.replyText ?? '',
      error: m.error,
    })),
    ...log.outbound.map((m) => ({
      direction: 'out' as const,
      at: m.sentAt ?? m.createdAt,
      from: m.from,
      to: m.recipient,
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
