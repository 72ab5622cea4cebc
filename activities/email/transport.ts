// Transports for automatic messages: Resend (RESEND_API_KEY; Idempotency-Key = our key), SMTP via
// nodemailer (SMTP_URL), or the mail log only (the outbound table; nothing leaves the machine).
import { createTransport } from 'nodemailer';
import { Resend } from 'resend';
import type { MailSettings } from './settings.ts';

export type OutgoingMessage = {
  idempotencyKey: string;
  from: string;
  to: string;
  replyTo: string;
  subject: string;
  html: string;
  text: string;
  messageId: string;
  /** extra headers (Auto-Submitted, X-Ouvidor-Protocol...) */
  headers: Record<string, string>;
};

export type SendResult =
  | { ok: true; providerId: string | null; result: Record<string, unknown> }
  /** permanent: retrying the same message cannot succeed (e.g. the provider rejected the address) */
  | { ok: false; permanent: boolean; error: string; result: Record<string, unknown> };

export type Transport = { name: 'resend' | 'smtp' | 'log'; send(msg: OutgoingMessage): Promise<SendResult> };

export function createTransportFor(settings: Pick<MailSettings, 'resend' | 'smtpUrl'>): Transport {
  if (settings.resend) return resendTransport(settings.resend.apiKey, settings.resend.baseUrl);
  if (settings.smtpUrl) return smtpTransport(settings.smtpUrl);
  return { name: 'log', send: async () => ({ ok: true, providerId: null, result: { logged: true } }) };
}

export function resendTransport(apiKey: string, baseUrl?: string): Transport {
  // The SDK would read RESEND_BASE_URL from process.env by itself; config/env.ts is the only reader, so the
  // base URL is passed explicitly (constructor option `baseUrl`).
  const resend = new Resend(apiKey, baseUrl ? { baseUrl } : undefined);
  return {
    name: 'resend',
    async send(msg) {
      const { data, error, headers } = await resend.emails.send(
        {
          from: msg.from,
          to: msg.to,
          replyTo: msg.replyTo,
          subject: msg.subject,
          html: msg.html,
          text: msg.text,
          headers: { ...msg.headers, 'Message-ID': msg.messageId },
        },
        { idempotencyKey: msg.idempotencyKey },
      );
      if (data) return { ok: true, providerId: data.id, result: { id: data.id } };
      const status = (error as { statusCode?: number | null } | null)?.statusCode ?? null;
      // 4xx other than 409 (idempotent request still in flight) and 429 (rate limit) will not get better.
      const permanent = status !== null && status >= 400 && status < 500 && status !== 409 && status !== 429;
      return {
        ok: false,
        permanent,
        error: `${error?.name ?? 'error'}: ${error?.message ?? 'unknown'}`,
        result: { statusCode: status, error, requestId: headers?.['x-request-id'] ?? null },
      };
    },
  };
}

export function smtpTransport(url: string): Transport {
  const transporter = createTransport(url);
  return {
    name: 'smtp',
    async send(msg) {
      try {
        const info = await transporter.sendMail({
          from: msg.from,
          to: msg.to,
          replyTo: msg.replyTo,
          subject: msg.subject,
          html: msg.html,
          text: msg.text,
          messageId: msg.messageId,
          headers: msg.headers,
        });
        return {
          ok: true,
          providerId: info.messageId ?? null,
          result: { response: info.response, accepted: info.accepted, rejected: info.rejected },
        };
      } catch (err) {
        const code = (err as { responseCode?: number }).responseCode;
        return {
          ok: false,
          permanent: code !== undefined && code >= 500,
          error: err instanceof Error ? err.message : String(err),
          result: { responseCode: code ?? null },
        };
      }
    },
  };
}
