// The only reader of process.env: one zod schema, parsed once. Invalid values print which
// variable is wrong and exit non-zero (see loadEnv).
import { z } from 'zod';
import { isPayloadKey, parsePayloadKeyList } from './payload-codec.ts';

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port(3000),
  /** Public base URL used in e-mails and links; defaults to http://localhost:PORT. */
  PUBLIC_URL: optionalString.pipe(z.url().optional()),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: optionalString.pipe(z.url().optional()),
  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('ouvidor-cases'),
  TEMPORAL_DEV_PORT: port(7233),
  TEMPORAL_UI_PORT: port(8233),
  TEMPORAL_CLI_PATH: optionalString,
  SMTP_PORT: port(2525),
  MAIL_DOMAIN: z.string().min(1).default('localhost'),
  RESEND_API_KEY: optionalString,
  RESEND_BASE_URL: optionalString.pipe(z.url().optional()),
  SMTP_URL: optionalString.pipe(z.url().optional()),
  // --- e-mail (issue 4) ---
  /** From of every automatic message; default `Ouvidoria <ouvidoria@MAIL_DOMAIN>`. */
  MAIL_FROM: optionalString,
  /** Intake address: unthreaded mail to it opens a new case; default `ouvidoria@MAIL_DOMAIN`. */
  MAIL_INTAKE_ADDRESS: optionalString.pipe(z.email().optional()),
  /** One address for the ombudsman/attendants group; unset = every ombudsman and attendant user. */
  MAIL_STAFF_GROUP: optionalString.pipe(z.email().optional()),
  /** Shared secret for `POST /inbound/mime` (header X-Inbound-Secret); unset = that door is closed. */
  INBOUND_SECRET: optionalString.pipe(z.string().min(16).optional()),
  /** Signing secret of the Resend `email.received` webhook (whsec_…); unset = that door is closed. */
  RESEND_WEBHOOK_SECRET: optionalString,
  /** Largest inbound message (SMTP answers 552 above it) and largest raw body at /inbound/mime. */
  INBOUND_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(25 * 1024 * 1024),
  /** SMTP listener bind address (port is SMTP_PORT). */
  SMTP_HOST: z.string().min(1).default('0.0.0.0'),
  // Limits of the inbound doors (issue 8 item 4; README "O que o Ouvidor recusa e por quê").
  /** SMTP connections open at once, all clients together (more: 421). */
  SMTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(10_000).default(100),
  /** SMTP connections open at once from one client address (more: 421). */
  SMTP_MAX_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).max(10_000).default(10),
  /** Messages (MAIL FROM) accepted per minute from one client address (more: 452). */
  SMTP_MESSAGES_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
  /** Wall time one message may take to parse, unpack and authenticate (and a HEIC preview to render), ms. */
  INBOUND_PARSE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /** Heap of a parser thread, MB: a message needing more goes to the dead letters. */
  INBOUND_PARSE_MEMORY_MB: z.coerce.number().int().min(64).max(8192).default(512),
  /** Text of an inbound message kept for the case, in characters (the raw message is kept whole). */
  INBOUND_TEXT_MAX_CHARS: z.coerce.number().int().min(1000).max(10_000_000).default(200_000),
  /** HTML of an inbound message kept for parsing, in characters. */
  INBOUND_HTML_MAX_CHARS: z.coerce.number().int().min(1000).max(50_000_000).default(1_000_000),
  ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
  ATTACHMENT_MAX_COUNT: z.coerce.number().int().min(1).max(100).default(10),
  /** S3-compatible attachment storage: set the bucket to use it instead of DATA_DIR/attachments. */
  S3_BUCKET: optionalString,
  /** S3-compatible endpoint (MinIO, Ceph, R2…; path-style URLs); unset = AWS S3. */
  S3_ENDPOINT: optionalString.pipe(z.url().optional()),
  S3_REGION: z.string().min(1).default('us-east-1'),
  /** Static credentials; unset = the AWS SDK's default chain (instance or task role). */
  S3_ACCESS_KEY_ID: optionalString,
  S3_SECRET_ACCESS_KEY: optionalString,
  // Loops across cases (issue 13 item 15): what exceeds is held for staff (GET /api/v1/inbound/held).
  MAIL_LOOP_WINDOW_MINUTES: z.coerce.number().int().min(1).max(10_080).default(60),
  MAIL_LOOP_MAX_NEW_CASES_PER_SENDER: z.coerce.number().int().min(1).max(10_000).default(5),
  MAIL_LOOP_MAX_NEW_CASES_PER_DOMAIN: z.coerce.number().int().min(1).max(100_000).default(100),
  MAIL_LOOP_MAX_REPEATS: z.coerce.number().int().min(2).max(1000).default(3),
  MAIL_LOOP_MAX_MAIL_PER_RECIPIENT: z.coerce.number().int().min(1).max(10_000).default(20),
  MAIL_LOOP_MAX_MAIL_PER_DOMAIN: z.coerce.number().int().min(1).max(1_000_000).default(300),
  /**
   * Automatic re-sends of an outbound message whose outcome is uncertain (SMTP: DATA sent, no final reply):
   * 0 (default) = at most once — it is marked incerto and staff decide whether to resend it.
   */
  MAIL_UNCERTAIN_RETRIES: z.coerce.number().int().min(0).max(3).default(0),
  // --- end e-mail ---
  ADMIN_EMAIL: optionalString.pipe(z.email().optional()),
  ADMIN_PASSWORD: optionalString.pipe(z.string().min(8).optional()),
  /** Secret for sessions and signed cookies; generated and kept under DATA_DIR when unset. */
  AUTH_SECRET: optionalString.pipe(z.string().min(32).optional()),
  // --- Temporal payload encryption (issue 7) ---
  /** AES-256 key for Temporal payloads (32 bytes, base64 or hex); generated into DATA_DIR/payload-key when unset. */
  PAYLOAD_KEY: optionalString.pipe(
    z
      .string()
      .refine(isPayloadKey, 'must be 32 random bytes in base64 or hex (openssl rand -base64 32)')
      .optional(),
  ),
  /** Older payload keys, comma-separated, still accepted for decoding after a rotation. */
  PAYLOAD_KEYS_OLD: optionalString.pipe(
    z
      .string()
      .refine((v) => {
        try {
          parsePayloadKeyList(v);
          return true;
        } catch {
          return false;
        }
      }, 'each key must be 32 random bytes in base64 or hex, separated by commas')
      .optional(),
  ),
  /** Origins of the Temporal Web UI allowed to call /codec (CORS), comma-separated; default http://localhost:TEMPORAL_UI_PORT and http://127.0.0.1:TEMPORAL_UI_PORT. */
  TEMPORAL_UI_ORIGINS: optionalString,
  // --- end payload encryption ---
  SEED_DEMO: z
    .enum(['', '0', '1', 'true', 'false'])
    .optional()
    .transform((v) => v === '1' || v === 'true'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ORG_TIMEZONE: z.string().min(1).default('America/Sao_Paulo'),
  /** Staff queue "A vencer": cases due within this many business days. */
  DUE_SOON_BUSINESS_DAYS: z.coerce.number().int().min(1).max(60).default(3),
  /** Longest an HTTP request waits on a workflow before answering 503 `pending` + Retry-After (ms). */
  /** A workflow bundle built ahead (bundleWorkflowCode with failureConverterPath); unset = the worker bundles
   * workflows/ at start. Images and tests that start several workers build it once. */
  WORKFLOW_BUNDLE_PATH: optionalString,
  UPDATE_WAIT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
});

export type Env = z.infer<typeof envSchema>;

/** Origins the codec endpoint answers with CORS: TEMPORAL_UI_ORIGINS, or the embedded UI's. */
export function temporalUiOrigins(env: Pick<Env, 'TEMPORAL_UI_ORIGINS' | 'TEMPORAL_UI_PORT'>): string[] {
  if (env.TEMPORAL_UI_ORIGINS) {
    return env.TEMPORAL_UI_ORIGINS.split(',')
      .map((o) => o.trim().replace(/\/+$/, ''))
      .filter(Boolean);
  }
  return [`http://localhost:${env.TEMPORAL_UI_PORT}`, `http://127.0.0.1:${env.TEMPORAL_UI_PORT}`];
}

/** Parses a environment record; throws a readable error naming each wrong variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new EnvError(`Invalid environment:\n${lines.join('\n')}`);
  }
  if (!!result.data.S3_ACCESS_KEY_ID !== !!result.data.S3_SECRET_ACCESS_KEY) {
    throw new EnvError(
      'Invalid environment:\n  S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY: set both, or neither (AWS default credentials)',
    );
  }
  if (result.data.ADMIN_EMAIL && !result.data.ADMIN_PASSWORD) {
    throw new EnvError('Invalid environment:\n  ADMIN_PASSWORD: required when ADMIN_EMAIL is set');
  }
  return result.data;
}

export class EnvError extends Error {}

let cached: Env | undefined;

/** The process environment, parsed once; prints the errors and exits when it is invalid. */
export function loadEnv(): Env {
  if (cached) return cached;
  try {
    cached = parseEnv(process.env);
  } catch (err) {
    if (err instanceof EnvError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  return cached;
}
