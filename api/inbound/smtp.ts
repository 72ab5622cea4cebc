// The SMTP door: an smtp-server listener on SMTP_PORT (started by startOuvidor). Accepts mail only for
// MAIL_DOMAIN (no relaying), answers 552 at SMTP time above INBOUND_MAX_BYTES (and records the refusal),
// hands the raw message to the pipeline, which checks SPF/DKIM/DMARC with mailauth while parsing. 250 is answered only
// once the raw message is stored; a storage failure answers 451 so the sender retries.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import { insertInbound } from '../../db/queries/email.ts';
import type { EmailContext } from './context.ts';
import { type Envelope, rawHeader, receiveEmail } from './pipeline.ts';
import { defaultSmtpLimits, type SmtpLimits, smtpGuard } from './smtp-limits.ts';

export type SmtpListener = { port: number; close: () => Promise<void> };

const smtpError = (message: string, responseCode: number) =>
  Object.assign(new Error(message), { responseCode });

async function readLimited(stream: SMTPServerDataStream, max: number) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= max + 64 * 1024) chunks.push(chunk); // of an oversized message only the head is kept
  }
  return { raw: Buffer.concat(chunks), size, exceeded: stream.sizeExceeded || size > max };
}

export async function startSmtpListener(
  ctx: EmailContext,
  opts: { port: number; host?: string; limits?: Partial<SmtpLimits> },
): Promise<SmtpListener> {
  const domain = ctx.mail.domain;
  const maxBytes = ctx.mail.inbound.maxBytes;
  const guard = smtpGuard({ ...defaultSmtpLimits, ...opts.limits });
  const server = new SMTPServer({
    ...guard.hooks,
    name: domain,
    banner: 'Ouvidor',
    size: maxBytes,
    rejectOversized: true,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const rcpt = address.address.toLowerCase();
      if (!rcpt.endsWith(`@${domain}`)) return callback(smtpError('5.7.1 Relaying denied', 550));
      callback();
    },
    onData(stream, session, callback) {
      const envelope: Envelope = {
        mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
        rcptTo: session.envelope.rcptTo.map((r) => r.address),
        remoteAddress: session.remoteAddress,
        helo: session.hostNameAppearsAs,
      };
      readLimited(stream, maxBytes)
        .then(async ({ raw, size, exceeded }) => {
          if (exceeded) {
            await recordOversize(ctx, raw, size, envelope, maxBytes);
            return callback(smtpError(`5.3.4 Message exceeds fixed maximum message size ${maxBytes}`, 552));
          }
          // SPF/DKIM/DMARC (mailauth hashes the whole body) run with the parsing, in the worker pool
          const authenticate = {
            ip: session.remoteAddress,
            helo: session.hostNameAppearsAs,
            sender: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            mta: domain,
          };
          const result = await receiveEmail(ctx, { raw, door: 'smtp', envelope, authenticate });
          if (result.deferred) {
            // our parse ran out of time (load): a temporary failure, the sender's server tries again later
            return callback(
              smtpError(`4.3.2 Message not processed in time; try again later (kept as ${result.id})`, 451),
            );
          }
          if (result.refused) {
            // kept for staff (dead letters, replayable), but the sender learns it was not processed
            const why = (result.error ?? 'mensagem não processada').replace(/[\r\n]+/g, ' ').slice(0, 300);
            return callback(smtpError(`5.6.0 Message not processed (${why}); kept as ${result.id}`, 554));
          }
          callback(null, `Message queued as ${result.id}${result.duplicate ? ' (duplicate)' : ''}`);
        })
        .catch((err) => {
          console.error('SMTP inbound: could not store a message', err);
          callback(smtpError('4.3.0 Temporary failure, try again later', 451));
        });
    },
  });
  server.on('error', (err) => console.error('SMTP listener error', err));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        guard.close();
        server.close(() => resolve());
      }),
  };
}

/** Keeps a trace of a refused oversized message (headers only) so the refusal shows in the mail log. */
async function recordOversize(
  ctx: EmailContext,
  head: Buffer,
  size: number,
  envelope: Envelope,
  max: number,
) {
  const messageId = rawHeader(head, 'message-id');
  await insertInbound(ctx.deps.db, {
    id: randomUUID(),
    messageId: `oversize:${randomUUID()}${messageId ? `:${messageId}` : ''}`,
    door: 'smtp',
    raw: null,
    size,
    envelope,
    status: 'rejected',
    error: `552: mensagem de ${size} bytes, acima do limite de ${max} bytes`,
    classification: 'oversize',
    fromAddress: rawHeader(head, 'from')?.slice(0, 320) ?? null,
    subject: rawHeader(head, 'subject')?.slice(0, 500) ?? null,
  });
}
