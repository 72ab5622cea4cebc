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
  /**
   * permanent: retrying the same message cannot succeed (e.g. the provider rejected the address);
   * uncertain: the message may have been delivered (SMTP: the server took DATA but its final reply never
   * came) — sending it again may duplicate it.
   */
  | { ok: false; permanent: boolean; uncertain?: boolean; error: string; result: Record<string, unknown> };

export type Transport = {
  name: 'resend' | 'smtp' | 'log';
  /** True when sending the same message again with the same key cannot duplicate it (Resend, the log). */
  idempotent: boolean;
  send(msg: OutgoingMessage): Promise<SendResult>;
};

export function createTransportFor(settings: Pick<MailSettings, 'resend' | 'smtpUrl'>): Transport {
  if (settings.resend) return resendTransport(settings.resend.apiKey, settings.resend.baseUrl);
  if (settings.smtpUrl) return smtpTransport(settings.smtpUrl);
  return {
    name: 'log',
    idempotent: true,
    send: async () => ({ ok: true, providerId: null, result: { logged: true } }),
  };
}

export function resendTransport(apiKey: string, baseUrl?: string): Transport {
  // The SDK would read RESEND_BASE_URL from process.env by itself; config/env.ts is the only reader, so the
  // base URL is passed explicitly (constructor option `baseUrl`).
  const resend = new Resend(apiKey, baseUrl ? { baseUrl } : undefined);
  return {
    name: 'resend',
    idempotent: true, // Resend keeps the Idempotency-Key for 24 h
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

/** SMTP client budgets (ms), well inside the notify activity's 1-minute start-to-close timeout. */
export const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };

/**
 * SMTP through nodemailer: one connection per message, so the transaction log below belongs to it. SMTP has
 * no idempotency: once the server answered DATA with 354 and the message went out, a dropped connection or
 * a timeout before the final reply leaves it `uncertain` (RFC 5321 §6.1 — the server may have delivered it).
 */
export function smtpTransport(url: string): Transport {
  return {
    name: 'smtp',
    idempotent: false,
    async send(msg) {
      let dataAccepted = false;
      // transactionLog makes nodemailer log each command and reply (never the message body): a 354 reply
      // means the server is taking the message.
      const logger = {
        debug: (entry: { tnx?: string }, line: unknown) => {
          if (entry?.tnx === 'server' && typeof line === 'string' && /^354[ -]/.test(line))
            dataAccepted = true;
        },
        info: () => {},
        warn: () => {},
        error: () => {},
        trace: () => {},
        fatal: () => {},
      };
      const transporter = createTransport({ url, ...SMTP_TIMEOUTS, logger, transactionLog: true } as never);
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
        // A final reply (4xx/5xx) is certain; no reply after the server took DATA is not.
        const uncertain = dataAccepted && code === undefined;
        return {
          ok: false,
          permanent: code !== undefined && code >= 500,
          uncertain,
          error: err instanceof Error ? err.message : String(err),
          result: { responseCode: code ?? null, dataAccepted },
        };
      } finally {
        transporter.close();
      }
    },
  };
}
