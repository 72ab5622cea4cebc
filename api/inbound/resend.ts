// The Resend door: `email.received` webhooks, signature checked with the SDK (resend.webhooks.verify, the
// svix-style webhook-id/timestamp/signature headers). The event is stored first (keyed on its Message-ID),
// then the message is fetched through the Resend API — the raw RFC 822 when Resend offers it, otherwise
// rebuilt from the parts and attachments — and run through the same pipeline as the other doors.
import { randomUUID } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import { Resend } from 'resend';
import { getInbound, insertInbound, updateInbound } from '../../db/queries/email.ts';
import { normalizeDeep } from '../text.ts';
import type { EmailContext } from './context.ts';
import { normalizeMessageId, processInbound, type ReceiveResult, sha256 } from './pipeline.ts';

export type WebhookHeaders = { id: string; timestamp: string; signature: string };
export type WebhookOutcome =
  | { status: 401 | 503; error: string }
  | { status: 200; ignored?: string; result?: ReceiveResult };

const client = (ctx: EmailContext) =>
  new Resend(ctx.mail.resend?.apiKey ?? 're_not_configured', {
    ...(ctx.mail.resend?.baseUrl ? { baseUrl: ctx.mail.resend.baseUrl } : {}),
  });

type ReceivedEvent = {
  type: string;
  data: { email_id: string; message_id?: string; from?: string; to?: string[]; subject?: string };
};

export async function handleResendWebhook(
  ctx: EmailContext,
  payload: string,
  headers: WebhookHeaders,
): Promise<WebhookOutcome> {
  const secret = ctx.mail.inbound.resendWebhookSecret;
  if (!secret) return { status: 503, error: 'RESEND_WEBHOOK_SECRET não configurado' };
  let event: ReceivedEvent;
  try {
    event = client(ctx).webhooks.verify({
      payload,
      headers,
      webhookSecret: secret,
    }) as unknown as ReceivedEvent;
  } catch {
    return { status: 401, error: 'assinatura do webhook inválida' };
  }
  if (event.type !== 'email.received') return { status: 200, ignored: event.type };
  event = normalizeDeep(event); // stored as jsonb, which refuses NUL
  const messageId = normalizeMessageId(event.data.message_id) ?? `resend:${event.data.email_id}`;
  const { row, duplicate } = await insertInbound(ctx.deps.db, {
    id: randomUUID(),
    messageId,
    door: 'resend',
    raw: null,
    sourcePayload: event as unknown as Record<string, unknown>,
    status: 'received',
  });
  if (duplicate) {
    return {
      status: 200,
      result: { id: row.id, status: row.status, duplicate: true, protocol: row.protocol },
    };
  }
  return { status: 200, result: await fetchAndProcess(ctx, row.id) };
}

/** Fetches the message of a stored webhook event (again, on replay) and runs the pipeline. */
export async function fetchAndProcess(ctx: EmailContext, id: string): Promise<ReceiveResult> {
  const row = await getInbound(ctx.deps.db, id);
  if (!row) throw new Error(`inbound ${id} not found`);
  if (!row.raw) {
    const emailId = (row.sourcePayload as ReceivedEvent | null)?.data?.email_id;
    try {
      if (!emailId) throw new Error('evento sem email_id');
      const raw = await fetchRaw(ctx, emailId);
      await updateInbound(ctx.deps.db, id, { raw, sha256: sha256(raw), size: raw.byteLength });
    } catch (err) {
      const error = `não foi possível obter a mensagem na Resend: ${err instanceof Error ? err.message : err}`;
      await updateInbound(ctx.deps.db, id, {
        status: 'dead_letter',
        error,
        attempts: row.attempts + 1,
        processedAt: new Date(),
      });
      return { id, status: 'dead_letter', duplicate: false, protocol: null };
    }
  }
  return processInbound(ctx, id);
}

const structuralHeaders = new Set([
  'content-type',
  'content-transfer-encoding',
  'mime-version',
  'from',
  'to',
  'cc',
  'bcc',
  'subject',
  'message-id',
  'date',
]);

async function download(url: string): Promise<Buffer> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`download ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

async function fetchRaw(ctx: EmailContext, emailId: string): Promise<Buffer> {
  if (!ctx.mail.resend) throw new Error('RESEND_API_KEY não configurada');
  const resend = client(ctx);
  const { data, error } = await resend.emails.receiving.get(emailId);
  if (error || !data) throw new Error(error?.message ?? 'resposta vazia');
  if (data.raw?.download_url) return download(data.raw.download_url);
  // No raw copy offered: rebuild the message from its parts (headers kept) and its attachments.
  const list = await resend.emails.receiving.attachments.list({ emailId });
  if (list.error) throw new Error(list.error.message);
  const attachments = [];
  for (const a of list.data?.data ?? []) {
    attachments.push({
      filename: a.filename ?? 'anexo',
      contentType: a.content_type,
      content: await download(a.download_url),
    });
  }
  const composer = new MailComposer({
    from: data.from,
    to: data.to,
    ...(data.cc ? { cc: data.cc } : {}),
    subject: data.subject,
    messageId: data.message_id,
    date: new Date(data.created_at),
    ...(data.text ? { text: data.text } : {}),
    ...(data.html ? { html: data.html } : {}),
    headers: Object.fromEntries(
      Object.entries(data.headers ?? {}).filter(([k]) => !structuralHeaders.has(k.toLowerCase())),
    ),
    attachments,
  });
  return composer.compile().build();
}
