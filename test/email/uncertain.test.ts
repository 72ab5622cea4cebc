// Outbound mail at most once where SMTP cannot promise more (issue 15.4): a real SMTP server that takes the
// whole message (DATA) and then drops the connection without its final reply. The message is marked
// incerto, sent exactly once (MAIL_UNCERTAIN_RETRIES = 0), the case's later mail still goes out, staff see
// the state and a "Reenviar" button in the mail log, and a resend with an Idempotency-Key sends it once more
// — once, however often the request is retried.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpTransport, type Transport } from '../../activities/email/transport.ts';
import { createNotifyActivities } from '../../activities/notify.ts';
import { listOutboundForCase } from '../../db/queries/email.ts';
import { initialView } from '../../workflows/case-state.ts';
import { json, newManifestation } from '../support/harness.ts';
import { origin } from '../ui/support.ts';
import { type EmailOuvidor, startEmailOuvidor, waitFor } from './support.ts';

type Received = { to: string[]; messageId: string };

/** An SMTP server that records every message it took; for addresses in `dropFor` it closes the connection
 * after the end of DATA instead of answering 250. */
async function startFlakySmtp() {
  const received: Received[] = [];
  const dropFor = new Set<string>();
  const server: SMTPServer = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        received.push({ to, messageId: /^Message-ID:\s*(\S+)/im.exec(raw)?.[1] ?? '' });
        if (to.some((a) => dropFor.has(a))) {
          // The whole message arrived; the final reply never leaves: close the connection instead.
          const conns = (server as unknown as { connections: Set<{ id: string; close(): void }> })
            .connections;
          for (const conn of conns) if (conn.id === session.id) conn.close();
          return;
        }
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    dropFor,
    copiesOf: (messageId: string) => received.filter((r) => r.messageId === messageId).length,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let smtp: Awaited<ReturnType<typeof startFlakySmtp>>;
let t: EmailOuvidor;

beforeAll(async () => {
  smtp = await startFlakySmtp();
  t = await startEmailOuvidor({ transport: smtpTransport(smtp.url) });
});
afterAll(async () => {
  await t?.stop();
  await smtp?.close();
});

describe('an SMTP message whose final reply never came', () => {
  it('is incerto, sent once, holds back nothing, and staff resend it once per Idempotency-Key', async () => {
    const citizen = `maria-${Date.now()}@example.org`;
    smtp.dropFor.add(citizen);
    const attendant = await t.createStaff('attendant');
    const filed = await json<{ protocol: string }>(
      t.app.request('/api/v1/manifestations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(newManifestation({ citizen: { name: 'Maria Souza', email: citizen } })),
      }),
    );
    expect(filed.status).toBe(201);
    const protocol = filed.body.protocol;
    const receipt = await waitFor(async () => {
      const rows = await listOutboundForCase(t.db, protocol);
      return rows.find(
        (r) => r.recipient === citizen && r.eventType === 'received' && r.status !== 'sending',
      );
    }, 30_000);
    expect(receipt.status).toBe('uncertain');
    expect(receipt.error).toMatch(/resposta final não recebida/);
    expect(smtp.copiesOf(receipt.messageId)).toBe(1);

    // The server is healthy again; the case's next message to the citizen (the answer) goes out regardless.
    smtp.dropFor.delete(citizen);
    const assigned = await t.app.request(`/api/v1/manifestations/${protocol}/actions/assign`, {
      method: 'POST',
      headers: attendant.headers,
      body: JSON.stringify({ assignee: attendant.email }),
    });
    expect(assigned.status).toBe(200);
    const answered = await t.app.request(`/api/v1/manifestations/${protocol}/actions/answer`, {
      method: 'POST',
      headers: attendant.headers,
      body: JSON.stringify({ text: 'Os postes foram religados.' }),
    });
    expect(answered.status).toBe(200);
    const next = await waitFor(async () => {
      const rows = await listOutboundForCase(t.db, protocol);
      return rows.find(
        (r) => r.recipient === citizen && r.eventType === 'answered' && r.status !== 'sending',
      );
    }, 30_000);
    expect(next.status).toBe('sent');
    // Not re-sent behind the staff's back.
    expect(smtp.copiesOf(receipt.messageId)).toBe(1);
    const [again] = (await listOutboundForCase(t.db, protocol)).filter((r) => r.id === receipt.id);
    expect(again?.status).toBe('uncertain');

    // Staff see it in the mail log, with its state and a resend button.
    const signIn = await t.app.request('/entrar', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
      body: new URLSearchParams({ email: attendant.email, password: attendant.password }).toString(),
    });
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const page = await (
      await t.app.request(`/painel/casos/${protocol}/emails`, { headers: { cookie } })
    ).text();
    expect(page).toContain('Incerto');
    expect(page).toContain(`/painel/casos/${protocol}/emails/${receipt.id}/reenviar`);
    expect(page).toContain('Reenviar');

    // A resend retried with the same key sends once and answers the same.
    const key = crypto.randomUUID();
    const resend = () =>
      json(
        t.app.request(`/api/v1/manifestations/${protocol}/emails/${receipt.id}/resend`, {
          method: 'POST',
          headers: { ...attendant.headers, 'Idempotency-Key': key },
        }),
      );
    const first = await resend();
    const retried = await resend();
    expect(first).toMatchObject({ status: 200, body: { id: receipt.id, status: 'sent', resent: true } });
    expect(retried.body).toEqual(first.body);
    expect(smtp.copiesOf(receipt.messageId)).toBe(2); // the uncertain copy and the one resend
    // Another request (new key) finds nothing to resend: the message is sent.
    const other = await json<{ error: { code: string } }>(
      t.app.request(`/api/v1/manifestations/${protocol}/emails/${receipt.id}/resend`, {
        method: 'POST',
        headers: { ...attendant.headers, 'Idempotency-Key': crypto.randomUUID() },
      }),
    );
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('not_resendable');
    const [final] = (await listOutboundForCase(t.db, protocol)).filter((r) => r.id === receipt.id);
    expect(final).toMatchObject({ status: 'sent', resends: 1, resentBy: attendant.email });
  });
});

describe('a worker that died while handing a message to SMTP', () => {
  it('leaves the message incerto on the retry instead of sending it again', async () => {
    const citizen = `joana-${Date.now()}@example.org`;
    const view = {
      ...initialView({
        protocol: `OUV-2026-${String(900_000 + Math.floor(Math.random() * 99_999))}`,
        kind: 'complaint',
        subject: 'Calçada quebrada',
        description: 'A calçada da praça está quebrada há meses.',
        identity: 'identified',
        channel: 'web',
        citizen: { name: 'Joana', email: citizen },
        receivedAt: new Date().toISOString(),
        registeredBy: 'citizen',
      }),
      revision: 1,
    };
    const event = {
      seq: 1,
      at: new Date().toISOString(),
      type: 'received' as const,
      actor: 'citizen',
      visibility: 'public' as const,
      data: {},
    };
    const real = smtpTransport(smtp.url);
    // The first attempt hands the message to the server, then the worker dies before learning the outcome.
    const dying: Transport = {
      ...real,
      send: async (msg) => {
        await real.send(msg);
        throw new Error('worker killed mid-send');
      },
    };
    const notify = (transport: Transport) =>
      createNotifyActivities({ db: t.db, mail: t.mail, timezone: 'America/Sao_Paulo', transport });
    await expect(notify(dying).notifyCaseEvent({ view, event })).rejects.toThrow('worker killed');
    // Temporal retries the activity on another worker: the message was in flight, so it is not sent again.
    await notify(real).notifyCaseEvent({ view, event });
    const [row] = (await listOutboundForCase(t.db, view.protocol)).filter((r) => r.recipient === citizen);
    expect(row?.status).toBe('uncertain');
    expect(row?.error).toMatch(/interrompido/);
    expect(smtp.copiesOf(row!.messageId)).toBe(1);
  });
});
