// The SMTP door with a real SMTP client (swaks) against the listener on a random port: a new case by
// e-mail, replies threaded by the signed Reply-To token and by In-Reply-To (quoted history stripped),
// duplicate delivery, auto-replies, a forged token, an oversized message (552), and attachments that
// download only for those allowed.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyAddress } from '../../activities/email/reply-token.ts';
import { openStoredMessage } from '../../activities/email/sealed-secrets.ts';
import { listOutboundForCase } from '../../db/queries/email.ts';
import { inboundEmails } from '../../db/schema.ts';
import { caseViewQuery, type InboundMessage } from '../../workflows/messages.ts';
import { json, newManifestation } from '../support/harness.ts';
import { testCodec } from '../support/payload-codec.ts';
import {
  type EmailOuvidor,
  INTAKE,
  MAIL_DOMAIN,
  message,
  startEmailOuvidor,
  swaks,
  swaksPath,
  waitFor,
} from './support.ts';

if (!swaksPath) console.warn('swaks is not installed (apt-get install swaks): the SMTP tests are skipped');

let t: EmailOuvidor;
let staff: Awaited<ReturnType<EmailOuvidor['createStaff']>>;

beforeAll(async () => {
  t = await startEmailOuvidor({ maxInboundBytes: 256 * 1024 });
  staff = await t.createStaff('attendant');
});
afterAll(async () => t?.stop());

const uid = () => randomBytes(4).toString('hex');
const inboundByMessageId = async (id: string) =>
  (await t.db.select().from(inboundEmails).where(eq(inboundEmails.messageId, id)))[0];
const inboundFrom = async (from: string) =>
  t.db
    .select()
    .from(inboundEmails)
    .where(eq(inboundEmails.fromAddress, from))
    .orderBy(desc(inboundEmails.receivedAt));

async function signals(protocol: string): Promise<InboundMessage[]> {
  const history = await t.client.workflow.getHandle(protocol).fetchHistory();
  const payloads = (history.events ?? [])
    .map((e) => e.workflowExecutionSignaledEventAttributes)
    .filter((a) => a?.signalName === 'inboundMessage')
    .map((a) => a!.input!.payloads![0]!);
  // payloads are encrypted (config/payload-codec.ts): open them with the test key first
  const opened = await testCodec.decode(payloads);
  return opened.map((p) => defaultPayloadConverter.fromPayload(p) as InboundMessage);
}

const view = (protocol: string) => t.client.workflow.getHandle(protocol).query(caseViewQuery);

/** A case filed by e-mail through swaks, and its receipt in the mail log. */
async function caseByEmail(citizen = `maria.${uid()}@example.org`) {
  const raw = message({
    from: `Maria Souza <${citizen}>`,
    to: INTAKE,
    subject: 'Buraco na Rua das Flores',
    body: 'Há um buraco enorme na Rua das Flores, em frente ao número 100.',
  });
  const sent = await swaks(t.smtp.port, { from: citizen, to: INTAKE, raw });
  expect(sent.code, sent.output).toBe(0);
  const [row] = await inboundFrom(citizen);
  expect(row).toMatchObject({ status: 'created', threadedBy: 'new_case', classification: 'personal' });
  const protocol = row!.protocol!;
  // The workflow notifies the 'received' event: the receipt lands in the mail log.
  const logged = await waitFor(async () =>
    (await listOutboundForCase(t.db, protocol)).find(
      (m) => m.recipient === citizen && m.template === 'receipt',
    ),
  );
  // The log keeps the reply token sealed; the citizen's copy (what the transport sends) carries it.
  expect(logged.replyTo).not.toMatch(/^reply\+[a-z2-7]{32}@/);
  const receipt = { ...logged, ...openStoredMessage(logged, t.mail.secret) };
  return { protocol, citizen, receipt, inbound: row! };
}

describe.skipIf(!swaksPath)('SMTP listener (swaks)', () => {
  it('opens a new case from a message to the intake address and logs the receipt', async () => {
    const { protocol, citizen, receipt, inbound } = await caseByEmail();
    const v = await view(protocol);
    expect(v).toMatchObject({
      channel: 'email',
      identity: 'identified',
      subject: 'Buraco na Rua das Flores',
    });
    expect(v.citizen).toMatchObject({ name: 'Maria Souza', email: citizen });
    expect(inbound.authResults).toMatchObject({ spf: expect.any(String), dkim: expect.any(String) });
    expect(inbound.envelope).toMatchObject({ mailFrom: citizen, rcptTo: [INTAKE] });
    expect(receipt).toBeDefined();
    expect(receipt.subject).toBe(`[${protocol}] Manifestação registrada`);
    expect(receipt.replyTo).toMatch(new RegExp(`^reply\\+[a-z2-7]{32}@${MAIL_DOMAIN}$`));
  });

  it('threads a reply by its signed Reply-To token, without the quoted history', async () => {
    const { protocol, citizen, receipt } = await caseByEmail();
    const messageId = `<reply-${uid()}@mail.example>`;
    const raw = message({
      from: `Maria Souza <${citizen}>`,
      to: receipt.replyTo,
      subject: `Re: ${receipt.subject}`,
      messageId,
      body: [
        'O poste com defeito é o de número 123.',
        '',
        `Em seg., 2 de nov. de 2026 às 10:00, Ouvidoria <${receipt.replyTo}> escreveu:`,
        '> Recebemos sua manifestação.',
        `> Protocolo ${protocol}`,
      ].join('\n'),
    });
    const sent = await swaks(t.smtp.port, { from: citizen, to: receipt.replyTo, raw });
    expect(sent.code, sent.output).toBe(0);
    const row = await inboundByMessageId(messageId);
    expect(row).toMatchObject({ status: 'threaded', threadedBy: 'token', fromRole: 'citizen', protocol });
    expect(row!.replyText).toBe('O poste com defeito é o de número 123.');
    expect(row!.raw!.toString()).toContain('> Recebemos sua manifestação.'); // the full original is kept
    const got = await signals(protocol);
    expect(got).toEqual([
      expect.objectContaining({
        id: row!.id,
        fromRole: 'citizen',
        from: citizen,
        text: 'O poste com defeito é o de número 123.',
      }),
    ]);
    const replied = await waitFor(async () =>
      (await view(protocol)).timeline.find((e) => e.type === 'citizen_replied'),
    );
    expect(replied.data.text).toBe('O poste com defeito é o de número 123.');
  });

  it('resumes a case awaiting complementation when the citizen answers the request by e-mail', async () => {
    const { protocol, citizen } = await caseByEmail();
    const act = (action: string, body: unknown) =>
      t.app.request(`/api/v1/manifestations/${protocol}/actions/${action}`, {
        method: 'POST',
        headers: staff.headers,
        body: JSON.stringify(body),
      });
    expect((await act('assign', { assignee: staff.email })).status).toBe(200);
    expect((await act('request-info', { question: 'Qual o número do imóvel mais próximo?' })).status).toBe(
      200,
    );
    const logged = await waitFor(async () =>
      (await listOutboundForCase(t.db, protocol)).find((m) => m.template === 'info_request'),
    );
    const request = { ...logged, ...openStoredMessage(logged, t.mail.secret) };
    expect(request.recipient).toBe(citizen);
    expect(request.text).toContain('Qual o número do imóvel mais próximo?');
    const sent = await swaks(t.smtp.port, {
      from: citizen,
      to: request.replyTo,
      raw: message({
        from: citizen,
        to: request.replyTo,
        subject: `Re: ${request.subject}`,
        headers: { 'In-Reply-To': request.messageId },
        body: 'Fica em frente ao número 250.\n\nOn Mon, Nov 2, 2026 at 10:00 AM Ouvidoria wrote:\n> Qual o número?',
      }),
    });
    expect(sent.code, sent.output).toBe(0);
    const resumed = await waitFor(async () => {
      const v = await view(protocol);
      return v.status === 'in_progress' ? v : undefined;
    });
    expect(resumed.timeline.find((e) => e.type === 'citizen_replied')?.data.text).toBe(
      'Fica em frente ao número 250.',
    );
    // the assignee hears about the reply (once, not also for the e-mail itself)
    const mine = async () =>
      (await listOutboundForCase(t.db, protocol)).filter((m) => m.recipient === staff.email);
    await waitFor(async () => (await mine()).find((m) => m.eventType === 'citizen_replied'));
    expect((await mine()).map((m) => m.eventType)).not.toContain('email_received');
  });

  it('threads a reply to the intake address by In-Reply-To, and only once when delivered twice', async () => {
    const { protocol, citizen, receipt } = await caseByEmail();
    const messageId = `<outlook-${uid()}@mail.example>`;
    const raw = message({
      from: citizen,
      to: INTAKE,
      subject: 'RES: sua manifestação',
      messageId,
      headers: { 'In-Reply-To': receipt.messageId, References: receipt.messageId },
      body: [
        'Complemento: o buraco aumentou.',
        '',
        '________________________________',
        `De: Ouvidoria <${INTAKE}>`,
        'Enviado: segunda-feira, 2 de novembro de 2026 10:00',
        'Assunto: Manifestação registrada',
      ].join('\n'),
    });
    for (let i = 0; i < 2; i++) {
      const sent = await swaks(t.smtp.port, { from: citizen, to: INTAKE, raw });
      expect(sent.code, sent.output).toBe(0);
    }
    const rows = await t.db.select().from(inboundEmails).where(eq(inboundEmails.messageId, messageId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      status: 'threaded',
      threadedBy: 'in_reply_to',
      protocol,
      fromRole: 'citizen',
    });
    expect(rows[0]!.replyText).toBe('Complemento: o buraco aumentou.');
    expect((await signals(protocol)).filter((s) => s.id === rows[0]!.id)).toHaveLength(1);
    // no new case was opened by the copy sent to the intake address
    expect(await inboundFrom(citizen).then((r) => r.filter((x) => x.status === 'created'))).toHaveLength(1);
  });

  /** The case's outbound count once the workflow's notifications stopped arriving (they are asynchronous). */
  async function settledOutboundCount(protocol: string): Promise<number> {
    let last = -1;
    let stable = 0;
    for (let i = 0; i < 50 && stable < 3; i++) {
      const n = (await listOutboundForCase(t.db, protocol)).length;
      stable = n === last ? stable + 1 : 0;
      last = n;
      await new Promise((r) => setTimeout(r, 200));
    }
    return last;
  }

  it('stores auto-replies and bounces without answering, threading into the case or opening one', async () => {
    const { protocol, citizen, receipt } = await caseByEmail();
    const outboundBefore = await settledOutboundCount(protocol);
    const vacation = `<ooo-${uid()}@mail.example>`;
    await swaks(t.smtp.port, {
      from: citizen,
      to: receipt.replyTo,
      raw: message({
        from: citizen,
        to: receipt.replyTo,
        subject: 'Resposta automática: Manifestação registrada',
        messageId: vacation,
        headers: { 'Auto-Submitted': 'auto-replied' },
        body: 'Estou em férias até 10/11.',
      }),
    });
    const bounce = `<bounce-${uid()}@mail.example>`;
    await swaks(t.smtp.port, {
      from: '<>',
      to: INTAKE,
      raw: message({
        from: `Mail Delivery System <MAILER-DAEMON@mail.example>`,
        to: INTAKE,
        subject: 'Undelivered Mail Returned to Sender',
        messageId: bounce,
        body: 'This is the mail system.',
      }),
    });
    const bulk = `<news-${uid()}@lists.example>`;
    await swaks(t.smtp.port, {
      from: 'news@lists.example',
      to: INTAKE,
      raw: message({
        from: 'news@lists.example',
        to: INTAKE,
        subject: 'Boletim semanal',
        messageId: bulk,
        headers: { 'List-Id': '<boletim.lists.example>', Precedence: 'bulk' },
        body: 'Novidades da semana.',
      }),
    });
    expect(await inboundByMessageId(vacation)).toMatchObject({
      status: 'ignored',
      classification: 'auto_reply',
      protocol,
    });
    expect(await inboundByMessageId(bounce)).toMatchObject({
      status: 'ignored',
      classification: 'bounce',
      protocol: null,
    });
    expect(await inboundByMessageId(bulk)).toMatchObject({
      status: 'ignored',
      classification: 'bulk',
      protocol: null,
    });
    expect(await signals(protocol)).toEqual([]);
    expect(await settledOutboundCount(protocol)).toBe(outboundBefore);
  });

  it('never appends a message with a forged token to someone else’s case', async () => {
    const victim = await caseByEmail();
    const token = /^reply\+([a-z2-7]+)@/.exec(victim.receipt.replyTo)![1]!;
    const tampered = `${token.slice(0, -1)}${token.endsWith('a') ? 'b' : 'a'}`;
    const otherSecret = replyAddress(
      'another-installation-secret',
      MAIL_DOMAIN,
      victim.protocol,
      'evil@attacker.example',
    );
    for (const to of [`reply+${tampered}@${MAIL_DOMAIN}`, otherSecret]) {
      const messageId = `<forged-${uid()}@attacker.example>`;
      const sent = await swaks(t.smtp.port, {
        from: 'evil@attacker.example',
        to,
        raw: message({
          from: 'evil@attacker.example',
          to,
          subject: `Re: [${victim.protocol}] Manifestação registrada`,
          messageId,
          body: 'Desisto da manifestação, podem arquivar.',
        }),
      });
      // refused with the reason (the sender is told), and kept for staff: never silently dropped
      expect(sent.output).toMatch(/<\*\*\s+554 5\.6\.0 Message not processed \(token de resposta inválido/);
      const row = await inboundByMessageId(messageId);
      expect(row).toMatchObject({ status: 'dead_letter', protocol: null });
      expect(row!.actions.join(' ')).toContain('token de resposta inválido');
    }
    expect(await signals(victim.protocol)).toEqual([]);
  });

  it('refuses an oversized message with 552 at SMTP time and keeps a trace', async () => {
    const from = `big.${uid()}@example.org`;
    const sent = await swaks(t.smtp.port, {
      from,
      to: INTAKE,
      raw: message({ from, to: INTAKE, subject: 'Arquivo grande', body: 'x'.repeat(300 * 1024) }),
    });
    expect(sent.code).not.toBe(0);
    expect(sent.output).toMatch(/552/);
    const rows = await t.db.select().from(inboundEmails).where(eq(inboundEmails.classification, 'oversize'));
    expect(rows.some((r) => r.status === 'rejected' && r.fromAddress === from)).toBe(true);
  });

  it('keeps allowed attachments of a reply and serves them only to staff and the citizen of the case', async () => {
    const filed = await json<{ protocol: string; accessCode: string }>(
      t.app.request('/api/v1/manifestations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(
          newManifestation({ citizen: { name: 'Ana Lima', email: `ana.${uid()}@example.org` } }),
        ),
      }),
    );
    const other = await json<{ accessCode: string }>(
      t.app.request('/api/v1/manifestations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(newManifestation()),
      }),
    );
    const { protocol, accessCode } = filed.body;
    const citizen = (await view(protocol)).citizen!.email!;
    const to = replyAddress(t.mail.secret, MAIL_DOMAIN, protocol, citizen);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'attach-'));
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    );
    writeFileSync(path.join(dir, 'foto.png'), png);
    writeFileSync(path.join(dir, 'setup.exe'), Buffer.concat([Buffer.from('MZ'), Buffer.alloc(512, 1)]));
    const messageId = `<attach-${uid()}@mail.example>`;
    const sent = await swaks(t.smtp.port, {
      from: citizen,
      to,
      args: [
        '--header',
        `Subject: Re: [${protocol}] fotos`,
        '--header',
        `Message-Id: ${messageId}`,
        '--body',
        'Seguem as fotos do local.',
        '--attach-type',
        'image/png',
        '--attach-name',
        'foto.png',
        '--attach',
        `@${path.join(dir, 'foto.png')}`,
        '--attach-type',
        'application/octet-stream',
        '--attach-name',
        'setup.exe',
        '--attach',
        `@${path.join(dir, 'setup.exe')}`,
      ],
    });
    expect(sent.code, sent.output).toBe(0);
    const row = await inboundByMessageId(messageId);
    expect(row).toMatchObject({ status: 'threaded', threadedBy: 'token', protocol });
    expect(row!.attachmentIds).toHaveLength(1);
    expect(row!.actions.join(' ')).toMatch(/setup\.exe.*recusado/);
    const [signal] = await signals(protocol);
    expect(signal?.attachmentIds).toEqual(row!.attachmentIds);
    const url = `/api/v1/attachments/${row!.attachmentIds![0]}`;

    const asStaff = await t.app.request(url, { headers: { authorization: staff.headers.authorization } });
    expect(asStaff.status).toBe(200);
    expect(asStaff.headers.get('content-type')).toBe('image/png');
    expect(asStaff.headers.get('content-disposition')).toMatch(/^attachment; filename="foto\.png"/);
    expect(asStaff.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await asStaff.arrayBuffer()).equals(png)).toBe(true);
    expect((await t.app.request(url, { headers: { 'x-access-code': accessCode } })).status).toBe(200);
    expect((await t.app.request(url)).status).toBe(401);
    expect((await t.app.request(url, { headers: { 'x-access-code': other.body.accessCode } })).status).toBe(
      404,
    );
    const unit = await t.createStaff('unit', { unitCode: 'SEC-OBRAS' });
    expect(
      (await t.app.request(url, { headers: { authorization: unit.headers.authorization } })).status,
    ).toBe(404);
  });
});
