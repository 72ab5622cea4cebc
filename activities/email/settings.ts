// E-mail settings shared by the notify activity (outbound) and the inbound doors (api/inbound), derived
// from config/env.ts once; tests build them directly.
import path from 'node:path';
import type { Env } from '../../config/env.ts';
import { resolveSecret } from '../../config/secret.ts';
import type { S3Config } from '../storage/s3.ts';

export type MailSettings = {
  /** Domain of Reply-To tokens and Message-IDs (MAIL_DOMAIN). */
  domain: string;
  from: string;
  intakeAddress: string;
  /** One address for the ombudsman/attendants group; null = every ombudsman and attendant user. */
  staffGroup: string | null;
  publicUrl: string;
  /** App secret (AUTH_SECRET resolved as in config/secret.ts); reply tokens use a key derived from it. */
  secret: string;
  timezone: string;
  resend: { apiKey: string; baseUrl: string | undefined } | null;
  smtpUrl: string | null;
  /** Automatic re-sends of an `uncertain` message (MAIL_UNCERTAIN_RETRIES; unset = 0, at most once). */
  uncertainRetries?: number;
  /** Per recipient per case: at most `max` automatic messages in `windowMs`. */
  rateLimit: { max: number; windowMs: number };
  inbound: { secret: string | null; resendWebhookSecret: string | null; maxBytes: number };
  attachments: { dir: string; maxBytes: number; maxCount: number };
  /** Limits across cases (loops); unset = `defaultLoopLimits`. */
  loops?: LoopLimits;
  /** S3-compatible attachment storage (S3_BUCKET…); unset or null = the disk under `attachments.dir`. */
  s3?: S3Config | null;
};

/**
 * Limits across cases, per sender address and domain, within a sliding `windowMs` (issue 13 item 15):
 * new cases opened by e-mail, messages with the same sender and subject pattern (a loop), and automatic mail
 * we send to one address or domain whatever the case. What exceeds is held (inbound) or suppressed (outbound).
 */
export type LoopLimits = {
  windowMs: number;
  newCasesPerSender: number;
  newCasesPerDomain: number;
  /** the same sender and normalised subject this many times in the window is a loop */
  repeats: number;
  mailPerRecipient: number;
  mailPerDomain: number;
};

export const defaultLoopLimits: LoopLimits = {
  windowMs: 60 * 60_000,
  newCasesPerSender: 5,
  newCasesPerDomain: 100,
  repeats: 3,
  mailPerRecipient: 20,
  mailPerDomain: 300,
};

export function mailSettingsFromEnv(
  env: Env,
  opts: { secret?: string; publicUrl?: string } = {},
): MailSettings {
  const domain = env.MAIL_DOMAIN.toLowerCase();
  const intakeAddress = (env.MAIL_INTAKE_ADDRESS ?? `ouvidoria@${domain}`).toLowerCase();
  return {
    domain,
    from: env.MAIL_FROM ?? `Ouvidoria <${intakeAddress}>`,
    intakeAddress,
    staffGroup: env.MAIL_STAFF_GROUP?.toLowerCase() ?? null,
    publicUrl: (opts.publicUrl ?? env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
    secret: opts.secret ?? resolveSecret(env.AUTH_SECRET, env.DATA_DIR),
    timezone: env.ORG_TIMEZONE,
    resend: env.RESEND_API_KEY ? { apiKey: env.RESEND_API_KEY, baseUrl: env.RESEND_BASE_URL } : null,
    smtpUrl: env.SMTP_URL ?? null,
    uncertainRetries: env.MAIL_UNCERTAIN_RETRIES,
    rateLimit: { max: 10, windowMs: 10 * 60_000 },
    loops: {
      windowMs: env.MAIL_LOOP_WINDOW_MINUTES * 60_000,
      newCasesPerSender: env.MAIL_LOOP_MAX_NEW_CASES_PER_SENDER,
      newCasesPerDomain: env.MAIL_LOOP_MAX_NEW_CASES_PER_DOMAIN,
      repeats: env.MAIL_LOOP_MAX_REPEATS,
      mailPerRecipient: env.MAIL_LOOP_MAX_MAIL_PER_RECIPIENT,
      mailPerDomain: env.MAIL_LOOP_MAX_MAIL_PER_DOMAIN,
    },
    inbound: {
      secret: env.INBOUND_SECRET ?? null,
      resendWebhookSecret: env.RESEND_WEBHOOK_SECRET ?? null,
      maxBytes: env.INBOUND_MAX_BYTES,
    },
    attachments: {
      dir: path.resolve(env.DATA_DIR, 'attachments'),
      maxBytes: env.ATTACHMENT_MAX_BYTES,
      maxCount: env.ATTACHMENT_MAX_COUNT,
    },
    s3: env.S3_BUCKET
      ? {
          bucket: env.S3_BUCKET,
          region: env.S3_REGION,
          endpoint: env.S3_ENDPOINT ?? null,
          credentials:
            env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY
              ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY }
              : null,
        }
      : null,
  };
}
