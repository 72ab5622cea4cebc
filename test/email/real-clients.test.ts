// Mail from the clients citizens really use, sent over SMTP with swaks from the shared real-world cases
// (test/fixtures/mail): quotes and signatures stripped from the reply, Ouvidor's own secrets never come
// back as timeline text, forwarded evidence becomes part of a new case and is searchable.
import { randomBytes } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStoredMessage } from '../../activities/email/sealed-secrets.ts';
import { deriveAccessCode } from '../../config/access-code.ts';
import { listOutboundForCase } from '../../db/queries/email.ts';
import { inboundEmails } from '../../db/schema.ts';
import { caseViewQuery } from '../../workflows/messages.ts';
import { loadMailCase } from './fixtures.ts';
import {
  type EmailOuvidor,
  INTAKE,
  message,
  startEmailOuvidor,
  swaks,
  swaksPath,
  waitFor,
} from './support.ts';

let t: EmailOuvidor;
let staff: Awaited<ReturnType<EmailOuvidor['createStaff']>>;

beforeAll(async () => {
  t = await startEmailOuvidor({ maxInboundBytes: 256 * 1024 });
  staff = await t.createStaff('attendant');
});
afterAll(async () => t?.stop());

const uid = () => randomBytes(4).toString('hex');
const view = (protocol: string) => t.client.workflow.getHandle(protocol).query(caseViewQuery);
const inboundFrom = async (from: string) =>
  t.db
    .select()
    .from(inboundEmails)
    .where(eq(inboundEmails.fromAddress, from))
    .orderBy(desc(inboundEmails.receivedAt));
const inboundByMessageId = async (id: string) =>
  (await t.db.select().from(inboundEmails).where(eq(inboundEmails.messageId, id)))[0];

/** A case filed by e-mail from `citizen` (over SMTP), its receipt and the Message-ID of the first e-mail. */
async function caseByEmail(citizen = `cidada.${uid()}@example.org`) {
  const baseId = `<base-${uid()}@example.org>`;
  const raw = message({
    from: `Cidada Teste <${citizen}>`,
    to: INTAKE,
    subject: 'Buraco na Rua das Acácias',
    messageId: baseId,
    body: 'Há um buraco enorme em frente ao número 120 da Rua das Acácias.',
  });
  const sent = await swaks(t.smtp.port, { from: citizen, to: INTAKE, raw });
  expect(sent.code, sent.output).toBe(0);
  const [row] = await inboundFrom(citizen);
  const protocol = row!.protocol!;
  const logged = await waitFor(async () =>
    (await listOutboundForCase(t.db, protocol)).find(
      (m) => m.recipient === citizen && m.template === 'receipt',
    ),
  );
  // what the citizen received (the log keeps the access code, follow link and reply token sealed)
  const receipt = { ...logged, ...openStoredMessage(logged, t.mail.secret) };
  return { protocol, citizen, receipt, baseId };
}

/** Sends a shared case (placeholders filled for `c`) over SMTP; returns its stored row. */
async function sendCase(
  name: string,
  c: Awaited<ReturnType<typeof caseByEmail>>,
  extra: { replace?: [string, string][] } = {},
) {
  const uniq = uid();
  let raw = loadMailCase(name, {
    protocol: c.protocol,
    token: c.receipt.replyTo,
    msgid: c.receipt.messageId,
    baseid: c.baseId,
    uniq,
    intake: INTAKE,
    from: c.citizen,
  });
  for (const [a, b] of extra.replace ?? []) raw = raw.replaceAll(a, b);
  const rcpt = /^To:.*?([^\s<>]+@[^\s<>]+)>?\s*$/m.exec(raw)![1]!;
  const sent = await swaks(t.smtp.port, { from: c.citizen, to: rcpt, raw });
  expect(sent.code, sent.output).toBe(0);
  const messageId = /^Message-ID:\s*(<[^>]+>)/im.exec(raw)![1]!;
  return waitFor(() => inboundByMessageId(messageId));
}

const repliesOf = async (protocol: string) =>
  (await view(protocol)).timeline.filter((e) => e.type === 'citizen_replied').map((e) => e.data.text);

const act = (protocol: string, action: string, body: unknown) =>
  t.app.request(`/api/v1/manifestations/${protocol}/actions/${action}`, {
    method: 'POST',
    headers: staff.headers,
    body: JSON.stringify(body),
  });

/** A case by e-mail, assumed and waiting for the citizen; the request's mail (Reply-To, Message-ID). */
async function awaitingCitizen() {
  const c = await caseByEmail();
  expect((await act(c.protocol, 'assign', { assignee: staff.email })).status).toBe(200);
  expect((await act(c.protocol, 'request-info', { question: 'Qual o número do imóvel?' })).status).toBe(200);
  const logged = await waitFor(async () =>
    (await listOutboundForCase(t.db, c.protocol)).find((m) => m.template === 'info_request'),
  );
  return { ...c, request: { ...logged, ...openStoredMessage(logged, t.mail.secret) } };
}

describe.skipIf(!swaksPath)('mail from real clients (swaks)', () => {
  it('an automatic answer recognised only by its subject never resumes a case waiting for the citizen', async () => {
    const c = await awaitingCitizen();
    const before = await view(c.protocol);
    const row = await sendCase('10-automated-response-subject.eml', { ...c, receipt: c.request });
    expect(row).toMatchObject({ status: 'ignored', classification: 'auto_reply', protocol: c.protocol });
    const after = await view(c.protocol);
    expect(after.status).toBe('awaiting_citizen');
    expect(after.complementationRequests).toBe(before.complementationRequests);
    expect(after.dueAt).toBe(before.dueAt);
    expect(after.timeline.filter((e) => e.type === 'citizen_replied')).toEqual([]);
    // kept in the case's mail log
    const log = await t.app.request(`/api/v1/manifestations/${c.protocol}/emails`, {
      headers: staff.headers,
    });
    const inbound = ((await log.json()) as { inbound: Array<{ id: string; classification: string }> })
      .inbound;
    expect(inbound.find((m) => m.id === row.id)?.classification).toBe('auto_reply');
  });

  it('an Outlook pt-BR reply ("De:" with a name, "Enviada em:") lands as its first line only', async () => {
    const c = await caseByEmail();
    const row = await sendCase('01-outlook-ptbr-enviada-em.eml', c);
    expect(row).toMatchObject({ status: 'threaded', protocol: c.protocol });
    expect(row.replyText).toBe('O buraco continua lá, ninguém apareceu.');
    expect(row.raw!.toString()).toContain('Enviada em: quarta-feira'); // the original stays in the mail log
    expect(await waitFor(async () => (await repliesOf(c.protocol)).at(0))).toBe(
      'O buraco continua lá, ninguém apareceu.',
    );
  });

  it('an Android reply quoting the receipt carries neither the signature nor the access code', async () => {
    const c = await caseByEmail();
    const code = deriveAccessCode(t.deps.secret, c.protocol);
    const row = await sendCase('28-android-ptbr-signature.eml', c, { replace: [['XXXX-XXXX-XXXX', code]] });
    expect(row.replyText).toBe('O buraco fica bem na frente da padaria, do lado do poste 35.');
    expect(await waitFor(async () => (await repliesOf(c.protocol)).at(0))).toBe(
      'O buraco fica bem na frente da padaria, do lado do poste 35.',
    );
  });

  it('a reply that pastes the receipt without any quote header keeps none of our text nor secrets', async () => {
    const c = await caseByEmail();
    const code = deriveAccessCode(t.deps.secret, c.protocol);
    expect(c.receipt.text).toContain(code);
    const follow = /https?:\/\/\S+\/link\?t=[a-z2-7]+/.exec(c.receipt.text)![0];
    const messageId = `<pasted-${uid()}@example.org>`;
    const raw = message({
      from: c.citizen,
      to: c.receipt.replyTo,
      subject: `Re: ${c.receipt.subject}`,
      messageId,
      body: `Ainda espero a visita.\n\n${c.receipt.text}\nMeu link: ${follow}\nMeu código: ${code}`,
    });
    expect((await swaks(t.smtp.port, { from: c.citizen, to: c.receipt.replyTo, raw })).code).toBe(0);
    const text = await waitFor(async () => (await repliesOf(c.protocol)).at(0));
    expect(text).toBe(
      'Ainda espero a visita.\n\nMeu link: [link de acompanhamento removido]\nMeu código: [código de acesso removido]',
    );
    expect(JSON.stringify(await view(c.protocol))).not.toContain(code);
    // the assignee's mail about the reply carries no secret either
    const mails = await listOutboundForCase(t.db, c.protocol);
    expect(
      mails
        .filter((m) => m.recipientRole !== 'citizen')
        .map((m) => m.text)
        .join('\n'),
    ).not.toContain(code);
  });

  it('a forwarded company answer opens a case whose description holds the forwarded text, found by search', async () => {
    const citizen = `cidada27.${uid()}@example.org`;
    const raw = loadMailCase('27-forwarded-evidence-new-case.eml', { intake: INTAKE, from: citizen });
    expect((await swaks(t.smtp.port, { from: citizen, to: INTAKE, raw })).code).toBe(0);
    const [row] = await inboundFrom(citizen);
    expect(row).toMatchObject({ status: 'created' });
    const v = await view(row!.protocol!);
    expect(v.description).toContain('Vejam abaixo a resposta da concessionária. Quero registrar reclamação.');
    expect(v.description).toContain(
      'De: Atendimento Concessionária <atendimento@concessionaria.example.com>',
    );
    expect(v.description).toContain('Protocolo da concessionária: 2024-000991.');
    const found = await waitFor(async () => {
      const res = await t.app.request('/api/v1/manifestations?q=religacao%20350', { headers: staff.headers });
      const body = (await res.json()) as { items: Array<{ protocol: string }> };
      return body.items.find((i) => i.protocol === v.protocol);
    });
    expect(found).toBeDefined();
  });

  it("a follow-up answering the citizen's own first e-mail joins the case: no second case, no second receipt", async () => {
    const c = await caseByEmail();
    const row = await sendCase('05-followup-inreplyto-own-message.eml', c);
    expect(row).toMatchObject({ status: 'threaded', threadedBy: 'in_reply_to', protocol: c.protocol });
    expect(row.replyText).toBe('Esqueci de dizer: o buraco fica em frente à padaria, e já tem água parada.');
    expect((await inboundFrom(c.citizen)).filter((r) => r.status === 'created')).toHaveLength(1);
    const receipts = (await listOutboundForCase(t.db, c.protocol)).filter((m) => m.template === 'receipt');
    expect(receipts).toHaveLength(1);
  });

  it('an Outlook reply whose edited subject lost the protocol joins the case by Thread-Topic, then by Thread-Index', async () => {
    const c = await caseByEmail();
    const first = await sendCase('29-outlook-thread-index-only.eml', c);
    expect(first).toMatchObject({ status: 'threaded', threadedBy: 'thread_topic', protocol: c.protocol });
    expect(first.replyText).toBe(
      'Bom dia,\n\nComplementando: o buraco já tem quase um metro de largura.\n\nAtenciosamente,\nPaulo',
    );
    // the next message of the same Outlook conversation, with neither protocol nor threading headers
    const next = await sendCase('29-outlook-thread-index-only.eml', c, {
      replace: [
        [`Thread-Topic: [${c.protocol}] `, 'Thread-Topic: '],
        [
          'Thread-Index: AQHbYmNmZ2hpamtsbW5vcHFyc3R1dnd4eXo=',
          'Thread-Index: AQHbYmNmZ2hpamtsbW5vcHFyc3R1dnd4eXoAAAAAAAAA',
        ],
      ],
    });
    expect(next).toMatchObject({ status: 'threaded', threadedBy: 'thread_index', protocol: c.protocol });
    expect((await inboundFrom(c.citizen)).filter((r) => r.status === 'created')).toHaveLength(1);
  });
});
