// The HTTP doors (POST /inbound/mime with its shared secret, the Resend `email.received` webhook with a
// valid and an invalid signature, its body fetched from a local fake of the Resend API), the dead-letter
// list with replay, and the staff view of a case's e-mails.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundEmails } from '../../db/schema.ts';
import { caseViewQuery } from '../../workflows/messages.ts';
import { json } from '../support/harness.ts';
import {
  type EmailOuvidor,
  type FakeResend,
  INBOUND_SECRET,
  INTAKE,
  message,
  signWebhook,
  startEmailOuvidor,
  startFakeResend,
} from './support.ts';

let t: EmailOuvidor;
let fake: FakeResend;
let staff: Awaited<ReturnType<EmailOuvidor['createStaff']>>;

beforeAll(async () => {
  fake = await startFakeResend();
  t = await startEmailOuvidor({ resendBaseUrl: fake.baseUrl });
  staff = await t.createStaff('attendant');
});
afterAll(async () => {
  await t?.stop();
  await fake?.close();
});

const uid = () => randomBytes(4).toString('hex');

const postMime = (raw: string, headers: Record<string, string> = { 'x-inbound-secret': INBOUND_SECRET }) =>
  json<{ id: string; status: string; duplicate: boolean; protocol: string | null }>(
    t.app.request('/inbound/mime', {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', ...headers },
      body: raw,
    }),
  );

function webhook(payload: string, headers: Record<string, string>) {
  return json<{ result?: { id: string; status: string; duplicate: boolean; protocol: string | null } }>(
    t.app.request('/inbound/resend', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: payload,
    }),
  );
}

function receivedEvent(emailId: string, messageId: string, from: string) {
  return JSON.stringify({
    type: 'email.received',
    created_at: new Date().toISOString(),
    data: {
      email_id: emailId,
      created_at: new Date().toISOString(),
      from,
      to: [INTAKE],
      bcc: [],
      cc: [],
      received_for: [INTAKE],
      message_id: messageId,
      subject: 'Calçada quebrada',
      attachments: [],
    },
  });
}

describe('POST /inbound/mime', () => {
  it('needs the shared secret, opens a case, and ignores a second delivery of the same message', async () => {
    const from = `joao.${uid()}@example.org`;
    const raw = message({
      from: `João Pereira <${from}>`,
      to: INTAKE,
      subject: 'Elogio ao atendimento do posto de saúde',
      body: 'Fui muito bem atendido pela equipe do posto central.',
      headers: {
        'Authentication-Results':
          'mx.ouvidor.test; spf=pass smtp.mailfrom=example.org; dkim=pass; dmarc=pass',
      },
    });
    expect((await postMime(raw, {})).status).toBe(401);
    expect((await postMime(raw, { 'x-inbound-secret': 'wrong-secret-wrong-secret' })).status).toBe(401);
    const first = await postMime(raw);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ status: 'created', duplicate: false });
    const view = await t.client.workflow.getHandle(first.body.protocol!).query(caseViewQuery);
    expect(view).toMatchObject({
      channel: 'email',
      kind: 'praise',
      citizen: { name: 'João Pereira', email: from },
    });
    const again = await postMime(raw);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, duplicate: true, protocol: first.body.protocol });
    const [row] = await t.db.select().from(inboundEmails).where(eq(inboundEmails.id, first.body.id));
    expect(row?.authResults).toMatchObject({ spf: 'pass', dkim: 'pass', dmarc: 'pass' });
  });

  it('de-duplicates a message without Message-ID on a hash of the raw message', async () => {
    const raw = message({
      from: `sem.id.${uid()}@example.org`,
      to: INTAKE,
      subject: 'Mensagem sem identificador',
      body: 'Texto da manifestação sem Message-ID.',
      messageId: null,
    });
    const first = await postMime(raw);
    const second = await postMime(raw);
    expect(second.body).toMatchObject({ id: first.body.id, duplicate: true });
    const [row] = await t.db.select().from(inboundEmails).where(eq(inboundEmails.id, first.body.id));
    expect(row?.messageId).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

describe('POST /inbound/resend (webhook)', () => {
  it('accepts a signed email.received event, fetches the message from the API and opens a case', async () => {
    const emailId = `rcv_${uid()}`;
    const messageId = `<resend-${uid()}@mail.example>`;
    const from = `carla.${uid()}@example.org`;
    fake.addReceived(
      emailId,
      message({
        from: `Carla Dias <${from}>`,
        to: INTAKE,
        subject: 'Calçada quebrada',
        messageId,
        body: 'A calçada da Rua B está quebrada e uma idosa caiu ontem.',
      }),
    );
    const payload = receivedEvent(emailId, messageId, from);
    const res = await webhook(payload, signWebhook(payload));
    expect(res.status).toBe(200);
    expect(res.body.result).toMatchObject({ status: 'created', duplicate: false });
    const view = await t.client.workflow.getHandle(res.body.result!.protocol!).query(caseViewQuery);
    expect(view.citizen?.email).toBe(from);
    // Resend retries the webhook: same message, nothing new
    const retry = await webhook(payload, signWebhook(payload));
    expect(retry.body.result).toMatchObject({ duplicate: true, protocol: res.body.result!.protocol });
  });

  it('refuses an event with an invalid signature and stores nothing', async () => {
    const messageId = `<forged-${uid()}@mail.example>`;
    const payload = receivedEvent(`rcv_${uid()}`, messageId, 'x@example.org');
    const signed = signWebhook(payload, `whsec_${randomBytes(24).toString('base64')}`);
    const res = await webhook(payload, signed);
    expect(res.status).toBe(401);
    const tampered = await webhook(payload.replace('Calçada', 'Calcada'), signWebhook(payload));
    expect(tampered.status).toBe(401);
    expect(await t.db.select().from(inboundEmails).where(eq(inboundEmails.messageId, messageId))).toEqual([]);
  });
});

describe('dead letters', () => {
  it('lists what could not be processed and replays it', async () => {
    const emailId = `rcv_${uid()}`;
    const messageId = `<later-${uid()}@mail.example>`;
    const from = `rita.${uid()}@example.org`;
    fake.addReceived(
      emailId,
      message({
        from,
        to: INTAKE,
        subject: 'Calçada quebrada',
        messageId,
        body: 'A calçada está quebrada há meses.',
      }),
    );
    fake.failRawDownloads(1);
    const payload = receivedEvent(emailId, messageId, from);
    const res = await webhook(payload, signWebhook(payload));
    expect(res.body.result).toMatchObject({ status: 'dead_letter' });
    const id = res.body.result!.id;

    expect((await t.app.request('/api/v1/inbound/dead-letters')).status).toBe(401);
    const list = await json<{ items: Array<{ id: string; error: string }> }>(
      t.app.request('/api/v1/inbound/dead-letters', { headers: staff.headers }),
    );
    expect(list.body.items.find((i) => i.id === id)?.error).toMatch(/Resend/);

    const replay = await json<{ status: string; protocol: string }>(
      t.app.request(`/api/v1/inbound/${id}/replay`, { method: 'POST', headers: staff.headers }),
    );
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ status: 'created', protocol: expect.stringMatching(/^OUV-/) });
    const twice = await t.app.request(`/api/v1/inbound/${id}/replay`, {
      method: 'POST',
      headers: staff.headers,
    });
    expect(twice.status).toBe(409);
  });
});

describe('GET /api/v1/manifestations/{protocol}/emails', () => {
  it('shows staff every message of the case with its ids, Reply-To and authentication results', async () => {
    const from = `leo.${uid()}@example.org`;
    const messageId = `<case-${uid()}@mail.example>`;
    const created = await postMime(
      message({
        from,
        to: INTAKE,
        subject: 'Poda de árvore',
        messageId,
        body: 'A árvore da praça precisa de poda.',
      }),
    );
    const protocol = created.body.protocol!;
    const view = await t.client.workflow.getHandle(protocol).query(caseViewQuery);
    await t.activities.notifyCaseEvent({ view, event: view.timeline[0]! });
    const res = await json<{
      inbound: Array<{ messageId: string; status: string; authResults: unknown; actions: string[] }>;
      outbound: Array<{
        recipient: string;
        replyTo: string;
        messageId: string;
        status: string;
        subject: string;
      }>;
    }>(t.app.request(`/api/v1/manifestations/${protocol}/emails`, { headers: staff.headers }));
    expect(res.status).toBe(200);
    expect(res.body.inbound).toEqual([
      expect.objectContaining({ messageId, status: 'created', actions: [expect.stringContaining(protocol)] }),
    ]);
    const receipt = res.body.outbound.find((m) => m.recipient === from);
    expect(receipt).toMatchObject({ status: 'sent', subject: `[${protocol}] Manifestação registrada` });
    expect(receipt?.replyTo).toMatch(/^reply\+/);
    expect(receipt?.messageId).toMatch(/^<.+@ouvidor\.test>$/);
    expect((await t.app.request(`/api/v1/manifestations/${protocol}/emails`)).status).toBe(401);
    const unit = await t.createStaff('unit', { unitCode: 'SEC-OBRAS' });
    expect(
      (await t.app.request(`/api/v1/manifestations/${protocol}/emails`, { headers: unit.headers })).status,
    ).toBe(404);
  });
});
