// In-process Ouvidor for the e-mail tests: a fresh database, a worker whose activities use test mail
// settings (and optionally a transport), the app with the same settings, and the SMTP listener on a
// random port. Plus a local fake of the Resend API and helpers for swaks and webhook signatures.
import { spawn, spawnSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import type { LoopLimits, MailSettings } from '../../activities/email/settings.ts';
import type { Transport } from '../../activities/email/transport.ts';
import { createActivities } from '../../activities/index.ts';
import { createApp } from '../../api/app.ts';
import { createAuth } from '../../api/auth/auth.ts';
import { configureEmail } from '../../api/inbound/context.ts';
import { startSmtpListener } from '../../api/inbound/smtp.ts';
import type { AppDeps } from '../../api/types.ts';
import { protocolSequences, type Role } from '../../db/schema.ts';
import { createTestDatabase } from '../support/database.ts';
import { testCodec, testDataConverter } from '../support/payload-codec.ts';
import { createStaffAccount } from '../support/staff.ts';

try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // already installed in this test worker
}

export const MAIL_DOMAIN = 'ouvidor.test';
export const INTAKE = `ouvidoria@${MAIL_DOMAIN}`;
export const INBOUND_SECRET = 'inbound-secret-for-tests-0123456789';
export const WEBHOOK_SECRET = `whsec_${randomBytes(24).toString('base64')}`;

export type EmailTestOptions = {
  resendBaseUrl?: string;
  transport?: Transport;
  maxInboundBytes?: number;
  rateLimit?: { max: number; windowMs: number };
  loops?: LoopLimits;
};

export function testMailSettings(secret: string, opts: EmailTestOptions = {}): MailSettings {
  return {
    domain: MAIL_DOMAIN,
    from: `Ouvidoria <${INTAKE}>`,
    intakeAddress: INTAKE,
    staffGroup: null,
    publicUrl: 'http://localhost',
    secret,
    timezone: 'America/Sao_Paulo',
    resend: opts.resendBaseUrl ? { apiKey: 're_test_key', baseUrl: opts.resendBaseUrl } : null,
    smtpUrl: null,
    rateLimit: opts.rateLimit ?? { max: 10, windowMs: 10 * 60_000 },
    ...(opts.loops ? { loops: opts.loops } : {}),
    inbound: {
      secret: INBOUND_SECRET,
      resendWebhookSecret: WEBHOOK_SECRET,
      maxBytes: opts.maxInboundBytes ?? 256 * 1024,
    },
    attachments: {
      dir: mkdtempSync(path.join(os.tmpdir(), 'ouvidor-attachments-')),
      maxBytes: 1024 * 1024,
      maxCount: 5,
    },
  };
}

export type EmailOuvidor = Awaited<ReturnType<typeof startEmailOuvidor>>;

export async function startEmailOuvidor(opts: EmailTestOptions = {}) {
  const database = await createTestDatabase();
  // Every test file has its own database but shares the Temporal namespace: start the protocol sequence
  // at a random point so two files never file the same protocol (workflow id).
  const year = new Date().getFullYear();
  const start = 100_000 + Math.floor(Math.random() * 800_000);
  await database.db
    .insert(protocolSequences)
    .values([year - 1, year, year + 1].map((y) => ({ year: y, last: start })))
    .onConflictDoNothing();
  const address = inject('temporalAddress');
  const namespace = inject('temporalNamespace');
  const taskQueue = `email-${randomBytes(4).toString('hex')}`;
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace, dataConverter: testDataConverter });
  const secret = randomBytes(32).toString('hex');
  const mail = testMailSettings(secret, opts);
  const activities = createActivities({
    db: database.db,
    timezone: 'America/Sao_Paulo',
    mail,
    ...(opts.transport ? { mailTransport: opts.transport } : {}),
  });
  const workerConnection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection: workerConnection,
    namespace,
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities,
    dataConverter: testDataConverter,
  });
  const running = worker.run();
  const publicUrl = 'http://localhost';
  const auth = createAuth({ db: database.db, secret, baseURL: publicUrl, secureCookies: false });
  const deps: AppDeps = {
    db: database.db,
    temporal: { client, connection, taskQueue, namespace, codec: testCodec, uiOrigins: [] },
    auth,
    secret,
    publicUrl,
    timezone: 'America/Sao_Paulo',
    production: false,
    rateLimit: { windowMs: 60_000, limit: 1000 },
  };
  const ctx = configureEmail(deps, mail);
  const app = createApp(deps);
  const smtp = await startSmtpListener(ctx, { port: 0, host: '127.0.0.1' });

  const createStaff = (role: Role, extra: { unitCode?: string; email?: string } = {}) =>
    createStaffAccount({ app, auth, db: database.db, domain: 'staff.example' }, role, extra);

  async function stop() {
    await smtp.close();
    worker.shutdown();
    await running;
    await workerConnection.close();
    await connection.close();
    await database.drop();
  }

  return { app, deps, ctx, mail, client, db: database.db, activities, smtp, createStaff, stop };
}

// --- swaks ---
export const swaksPath = spawnSync('sh', ['-c', 'command -v swaks'], { encoding: 'utf8' }).stdout.trim();

/** Sends `raw` (a whole RFC 822 message) with swaks; resolves with its exit code and transcript. */
export function swaks(
  port: number,
  m: { from: string; to: string | string[]; raw?: string; args?: string[] },
): Promise<{ code: number; output: string }> {
  const args = [
    '--server',
    '127.0.0.1',
    '--port',
    String(port),
    '--from',
    m.from,
    '--to',
    [m.to].flat().join(','),
  ];
  if (m.raw !== undefined) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'swaks-'));
    const file = path.join(dir, 'message.eml');
    writeFileSync(file, m.raw.replace(/\r?\n/g, '\r\n'));
    args.push('--data', `@${file}`);
  }
  args.push(...(m.args ?? []));
  return new Promise((resolve, reject) => {
    const child = spawn(swaksPath || 'swaks', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

/** A plain RFC 822 message. */
export function message(h: {
  from: string;
  to: string;
  subject: string;
  body: string;
  messageId?: string | null;
  headers?: Record<string, string>;
}): string {
  const lines = [
    `From: ${h.from}`,
    `To: ${h.to}`,
    `Subject: ${h.subject}`,
    `Date: ${new Date().toUTCString()}`,
    ...(h.messageId === null
      ? []
      : [`Message-ID: ${h.messageId ?? `<${randomBytes(8).toString('hex')}@mail.example>`}`]),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    ...Object.entries(h.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    '',
    h.body,
    '',
  ];
  return lines.join('\r\n');
}

/** A multipart/mixed RFC 822 message: a text part and base64 attachments. */
export function messageWithAttachments(h: {
  from: string;
  to: string;
  subject: string;
  body: string;
  messageId?: string;
  files: Array<{ filename: string; contentType: string; bytes: Buffer }>;
}): string {
  const boundary = `b-${randomBytes(8).toString('hex')}`;
  const lines = [
    `From: ${h.from}`,
    `To: ${h.to}`,
    `Subject: ${h.subject}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: ${h.messageId ?? `<${randomBytes(8).toString('hex')}@mail.example>`}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    h.body,
    ...h.files.flatMap((f) => [
      `--${boundary}`,
      `Content-Type: ${f.contentType}; name="${f.filename}"`,
      `Content-Disposition: attachment; filename="${f.filename}"`,
      'Content-Transfer-Encoding: base64',
      '',
      ...(f.bytes.toString('base64').match(/.{1,76}/g) ?? []),
    ]),
    `--${boundary}--`,
    '',
  ];
  return lines.join('\r\n');
}

/** A 1×1 PNG. */
export const tinyPng = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

// --- a local fake of the Resend API ---
export type FakeResend = Awaited<ReturnType<typeof startFakeResend>>;

export async function startFakeResend() {
  const sends: Array<{ idempotencyKey: string | null; body: Record<string, unknown>; responseId?: string }> =
    [];
  const accepted = new Map<string, string>(); // idempotency key → email id
  const received = new Map<string, { json: Record<string, unknown>; raw: string | null }>();
  let rawFailures = 0;
  let n = 0;
  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let s = '';
      req.on('data', (d) => {
        s += d;
      });
      req.on('end', () => resolve(s));
    });
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const send = (status: number, body: unknown, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (req.headers.authorization !== 'Bearer re_test_key' && !url.pathname.startsWith('/raw/')) {
      return send(401, { name: 'missing_api_key', message: 'bad key', statusCode: 401 });
    }
    if (req.method === 'POST' && url.pathname === '/emails') {
      const body = JSON.parse(await readBody(req)) as Record<string, unknown>;
      const key = (req.headers['idempotency-key'] as string | undefined) ?? null;
      // Resend semantics: the same Idempotency-Key within 24 h returns the first result, sends nothing new.
      const known = key ? accepted.get(key) : undefined;
      const id = known ?? `email_${++n}`;
      if (key && !known) accepted.set(key, id);
      sends.push({ idempotencyKey: key, body, responseId: id });
      return send(200, { id });
    }
    const rec = /^\/emails\/receiving\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && rec) {
      const item = received.get(rec[1]!);
      if (!item) return send(404, { name: 'not_found', message: 'not found', statusCode: 404 });
      return send(200, {
        ...item.json,
        raw: item.raw ? { download_url: `${base}/raw/${rec[1]}`, expires_at: '' } : null,
      });
    }
    const rawMatch = /^\/raw\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && rawMatch) {
      if (rawFailures > 0) {
        rawFailures--;
        return send(500, 'unavailable', 'text/plain');
      }
      const item = received.get(rawMatch[1]!);
      return item?.raw ? send(200, item.raw, 'message/rfc822') : send(404, 'no');
    }
    send(404, { name: 'not_found', message: `${req.method} ${url.pathname}`, statusCode: 404 });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl: base,
    sends,
    /** distinct messages accepted (one per idempotency key) */
    acceptedCount: () => accepted.size,
    addReceived(id: string, raw: string, json: Record<string, unknown> = {}) {
      received.set(id, { raw, json: { object: 'email', id, ...json } });
    },
    failRawDownloads(times: number) {
      rawFailures = times;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Signs a webhook body like Resend (Standard Webhooks / svix): v1,base64(HMAC-SHA256(id.timestamp.body)). */
export function signWebhook(payload: string, secret = WEBHOOK_SECRET) {
  const id = `msg_${randomBytes(8).toString('hex')}`;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${payload}`).digest('base64');
  return { 'svix-id': id, 'svix-timestamp': timestamp, 'svix-signature': `v1,${signature}` };
}

export async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** POST /inbound/mime with the shared secret; `{status, body}`. */
export async function postMime(
  app: { request: (path: string, init: RequestInit) => Response | Promise<Response> },
  raw: string,
) {
  const res = await app.request('/inbound/mime', {
    method: 'POST',
    headers: { 'content-type': 'message/rfc822', 'x-inbound-secret': INBOUND_SECRET },
    body: raw,
  });
  return {
    status: res.status,
    body: (await res.json()) as {
      id: string;
      status: string;
      duplicate: boolean;
      protocol: string | null;
      error?: string | null;
    },
  };
}
