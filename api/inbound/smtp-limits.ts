// Limits of the SMTP door (README "O que o Ouvidor recusa e por quê"): concurrent connections overall
// (smtp-server's maxClients → 421) and per client address (→ 421), messages per client address per minute
// (→ 452 at MAIL FROM, counted in hono-rate-limiter's MemoryStore), message size (→ 552, smtp.ts). Each
// refusal carries an enhanced status code and a sentence for the sender; the sender's MTA retries later.
// Defaults below; the server takes them from the environment (smtpLimitsFromEnv).
import { MemoryStore } from 'hono-rate-limiter';
import type { SMTPServerOptions, SMTPServerSession } from 'smtp-server';
import type { Env } from '../../config/env.ts';

export type SmtpLimits = {
  /** Open connections at once, all clients together. */
  maxConnections: number;
  /** Open connections at once from one client address. */
  maxConnectionsPerAddress: number;
  /** Messages (MAIL FROM) accepted from one client address per minute. */
  messagesPerMinute: number;
};

export const defaultSmtpLimits: SmtpLimits = {
  maxConnections: 100,
  maxConnectionsPerAddress: 10,
  messagesPerMinute: 60,
};

/** The limits from SMTP_MAX_CONNECTIONS, SMTP_MAX_CONNECTIONS_PER_ADDRESS and SMTP_MESSAGES_PER_MINUTE. */
export function smtpLimitsFromEnv(
  env: Pick<Env, 'SMTP_MAX_CONNECTIONS' | 'SMTP_MAX_CONNECTIONS_PER_ADDRESS' | 'SMTP_MESSAGES_PER_MINUTE'>,
): SmtpLimits {
  return {
    maxConnections: env.SMTP_MAX_CONNECTIONS,
    maxConnectionsPerAddress: env.SMTP_MAX_CONNECTIONS_PER_ADDRESS,
    messagesPerMinute: env.SMTP_MESSAGES_PER_MINUTE,
  };
}

const smtpError = (message: string, responseCode: number) =>
  Object.assign(new Error(message), { responseCode });

/** smtp-server hooks that enforce `limits`; `close()` stops the store's timer. */
export function smtpGuard(limits: SmtpLimits) {
  const open = new Map<string, number>(); // client address → open connections (a gauge, not a rate)
  const counted = new WeakSet<SMTPServerSession>();
  const perMinute = new MemoryStore();
  perMinute.init({ windowMs: 60_000 } as Parameters<MemoryStore['init']>[0]);
  const address = (session: SMTPServerSession) => session.remoteAddress || 'unknown';

  const hooks: Pick<SMTPServerOptions, 'maxClients' | 'onConnect' | 'onClose' | 'onMailFrom'> = {
    maxClients: limits.maxConnections,
    onConnect(session, callback) {
      const key = address(session);
      const now = open.get(key) ?? 0;
      if (now >= limits.maxConnectionsPerAddress) {
        return callback(
          smtpError(
            `4.7.0 Too many connections from ${key} (at most ${limits.maxConnectionsPerAddress} at once); try again later`,
            421,
          ),
        );
      }
      open.set(key, now + 1);
      counted.add(session);
      callback();
    },
    onClose(session) {
      if (!counted.has(session)) return;
      counted.delete(session);
      const key = address(session);
      const left = (open.get(key) ?? 1) - 1;
      if (left > 0) open.set(key, left);
      else open.delete(key);
    },
    onMailFrom(_from, session, callback) {
      const hits = perMinute.increment(address(session)).totalHits;
      if (hits > limits.messagesPerMinute) {
        return callback(
          smtpError(
            `4.7.0 Too many messages from ${address(session)} (at most ${limits.messagesPerMinute} per minute); try again later`,
            452,
          ),
        );
      }
      callback();
    },
  };
  return { hooks, close: () => perMinute.shutdown?.() };
}
