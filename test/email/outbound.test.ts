// Outbound e-mail: what each event mails to whom, the headers every automatic message carries, one send
// per idempotency key through a local fake of the Resend API (also across a crash between send and
// record), the per-recipient cap, and the identity rules (units never learn a preserved reporter).
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyReplyToken } from '../../activities/email/reply-token.ts';
import { resendTransport, type Transport } from '../../activities/email/transport.ts';
import { createNotifyActivities } from '../../activities/notify.ts';
import { listOutboundForCase } from '../../db/queries/email.ts';
import { upsertUnit } from '../../db/queries/units.ts';
import { outboundEmails } from '../../db/schema.ts';
import { emailTemplates, renderEmail } from '../../views/emails/index.ts';
import { initialView } from '../../workflows/case-state.ts';
import type { CaseView, TimelineEvent } from '../../workflows/messages.ts';
import {
  type EmailOuvidor,
  type FakeResend,
  MAIL_DOMAIN,
  startEmailOuvidor,
  startFakeResend,
} from './support.ts';

let t: EmailOuvidor;
let fake: FakeResend;

beforeAll(async () => {
  fake = await startFakeResend();
  t = await startEmailOuvidor({ resendBaseUrl: fake.baseUrl });
});
afterAll(async () => {
  await t?.stop();
  await fake?.close();
});

let seq = 900_000;
const newProtocol = () => `OUV-2026-${String(++seq)}`;

function fakeView(over: Partial<CaseView> = {}): CaseView {
  const view = initialView({
    protocol: newProtocol(),
    kind: 'complaint',
    subject: 'Iluminação pública apagada',
    description: 'Os postes da Rua das Flores estão apagados há uma semana.',
    identity: 'identified',
    channel: 'web',
    citizen: { name: 'Maria Souza', email: `maria-${randomBytes(3).toString('hex')}@example.org` },
    receivedAt: new Date().toISOString(),
    registeredBy: 'citizen',
  });
  return { ...view, dueAt: '2026-12-01T02:59:59.999Z', revision: 1, ...over };
}

const event = (
  type: TimelineEvent['type'],
  seqNo: number,
  data: TimelineEvent['data'] = {},
  internal = false,
) => ({
  seq: seqNo,
  at: new Date().toISOString(),
  type,
  actor: 'attendant@staff.example',
  visibility: internal ? ('internal' as const) : ('public' as const),
  data,
});

const notifier = (transport?: Transport) =>
  createNotifyActivities({
    db: t.db,
    mail: t.mail,
    timezone: 'America/Sao_Paulo',
    ...(transport ? { transport } : {}),
  });

describe('templates', () => {
  it('render every template in pt-BR with the protocol in the subject and a plain-text part', async () => {
    for (const template of emailTemplates) {
      const r = await renderEmail(template, {
        lang: 'pt-BR',
        timeZone: 'America/Sao_Paulo',
        protocol: 'OUV-2026-000123',
        caseSubject: 'Buraco na rua',
        kind: 'complaint',
        status: 'answered',
        channel: 'email',
        identity: 'identified',
        eventType: 'answered',
        dueAt: '2026-12-01T02:59:59Z',
        recipientName: 'Maria',
        reporter: null,
        description: 'Descrição',
        text: 'Texto do evento',
        date: null,
        units: ['Secretaria de Obras'],
        links: {
          follow: 'http://localhost/acompanhar?protocolo=OUV-2026-000123',
          staffCase: 'http://localhost/painel/casos/OUV-2026-000123',
          accept: 'http://localhost/a',
          reject: 'http://localhost/r',
          rate: 'http://localhost/avaliar',
        },
        accessCode: template === 'receipt' ? 'ABCD-EFGH-JKLM' : null,
      });
      expect(r.subject, template).toMatch(/^\[OUV-2026-000123\] /);
      if (template === 'receipt') expect(r.text).toContain('ABCD-EFGH-JKLM');
      expect(r.html, template).toContain('<html');
      expect(r.text, template).toContain('OUV-2026-000123');
      expect(r.text, template).not.toContain('<');
    }
  });
});

describe('notifyCaseEvent through the Resend API (local fake)', () => {
  it('sends the receipt to the citizen with the required headers and an idempotency key', async () => {
    const view = fakeView();
    await notifier(resendTransport('re_test_key', fake.baseUrl)).notifyCaseEvent({
      view,
      event: event('received', 1),
    });
    const key = `${view.protocol}:1:${view.citizen!.email}`;
    const sent = fake.sends.filter((s) => s.idempotencyKey === key);
    expect(sent).toHaveLength(1);
    const body = sent[0]!.body as {
      subject: string;
      to: string;
      reply_to: string;
      headers: Record<string, string>;
      text: string;
    };
    expect(body.subject).toBe(`[${view.protocol}] Manifestação registrada`);
    expect(body.to).toBe(view.citizen!.email);
    expect(body.headers['Auto-Submitted']).toBe('auto-generated');
    expect(body.headers['Message-ID']).toMatch(new RegExp(`^<[0-9a-f-]+@${MAIL_DOMAIN}>$`));
    // the citizen's personal, signed follow link (no access code needed)
    expect(body.text).toMatch(
      new RegExp(`http://localhost/acompanhar/${view.protocol}/link\\?t=[a-z2-7]{32}`),
    );
    // the Reply-To token names this case and this recipient, signed
    const replyTo = String(body.reply_to);
    const token = /^reply\+([a-z2-7]+)@ouvidor\.test$/.exec(replyTo)?.[1];
    expect(token).toBeDefined();
    expect(verifyReplyToken(t.mail.secret, token!)?.protocol).toBe(view.protocol);
    expect(replyTo).not.toContain(view.protocol.toLowerCase());
    const [row] = await listOutboundForCase(t.db, view.protocol);
    expect(row).toMatchObject({
      status: 'sent',
      transport: 'resend',
      idempotencyKey: key,
      template: 'receipt',
    });
    expect(row?.providerId).toMatch(/^email_/);
  });

  it('never sends twice for one key, even when the worker dies between the send and the record', async () => {
    const view = fakeView();
    const input = { view, event: event('answered', 4, { text: 'A equipe religou os postes.' }) };
    const real = resendTransport('re_test_key', fake.baseUrl);
    // First attempt: the provider accepts the message, then the worker "crashes" before recording it.
    const crashing: Transport = {
      name: 'resend',
      idempotent: true,
      send: async (msg) => {
        await real.send(msg);
        throw new Error('worker killed mid-send');
      },
    };
    await expect(notifier(crashing).notifyCaseEvent(input)).rejects.toThrow('worker killed mid-send');
    const key = `${view.protocol}:4:${view.citizen!.email}`;
    const [pending] = await t.db.select().from(outboundEmails).where(eq(outboundEmails.idempotencyKey, key));
    expect(pending?.status).toBe('sending');
    // Temporal retries the activity (a new worker, same input): same key, same stored message.
    await notifier(real).notifyCaseEvent(input);
    await notifier(real).notifyCaseEvent(input); // and once more after it was recorded: nothing is sent
    const requests = fake.sends.filter((s) => s.idempotencyKey === key);
    expect(requests).toHaveLength(2); // the crashed attempt and the retry, both with the same key…
    expect(new Set(requests.map((r) => JSON.stringify(r.body))).size).toBe(1); // …and the same message
    expect(new Set(requests.map((r) => r.responseId)).size).toBe(1); // one accepted message for the key
    const rows = await listOutboundForCase(t.db, view.protocol);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'sent', attempts: 2, providerId: requests[0]!.responseId });
  });

  it('suppresses automatic messages beyond 10 per recipient per case in 10 minutes', async () => {
    const view = fakeView();
    const n = notifier(resendTransport('re_test_key', fake.baseUrl));
    const before = fake.acceptedCount();
    for (let i = 1; i <= 12; i++) await n.notifyCaseEvent({ view, event: event('deadline_extended', i) });
    const rows = await listOutboundForCase(t.db, view.protocol);
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(10);
    expect(rows.filter((r) => r.status === 'suppressed')).toHaveLength(2);
    expect(fake.acceptedCount() - before).toBe(10);
  });
});

describe('the acknowledgement stored in the registration task (local step)', () => {
  it('logs mail for the built-in mail log there, with nothing left for the mail activity', async () => {
    const view = fakeView();
    const n = createNotifyActivities({ db: t.db, mail: { ...t.mail, resend: null } }); // mail log only
    expect(await n.notifyCaseEvent({ view, event: event('received', 1), local: true })).toEqual({
      pending: 0,
    });
    const [row] = (await listOutboundForCase(t.db, view.protocol)).filter(
      (r) => r.recipientRole === 'citizen',
    );
    expect(row).toMatchObject({ template: 'receipt', status: 'logged', transport: 'log' });
  });

  it('stores mail for Resend without sending it; the mail activity then sends it once', async () => {
    const view = fakeView();
    const n = notifier(resendTransport('re_test_key', fake.baseUrl));
    const input = { view, event: event('received', 1) };
    const local = await n.notifyCaseEvent({ ...input, local: true });
    const key = `${view.protocol}:1:${view.citizen!.email}`;
    expect(local.pending).toBeGreaterThanOrEqual(1);
    expect(fake.sends.filter((s) => s.idempotencyKey === key)).toHaveLength(0);
    const [stored] = await t.db.select().from(outboundEmails).where(eq(outboundEmails.idempotencyKey, key));
    expect(stored?.status).toBe('sending');
    // the local step again (a replayed task) changes nothing; the activity sends what was stored
    await n.notifyCaseEvent({ ...input, local: true });
    await n.notifyCaseEvent(input);
    const sent = fake.sends.filter((s) => s.idempotencyKey === key);
    expect(sent).toHaveLength(1);
    expect((sent[0]!.body as { subject: string }).subject).toBe(`[${view.protocol}] Manifestação registrada`);
    const rows = (await listOutboundForCase(t.db, view.protocol)).filter(
      (r) => r.recipientRole === 'citizen',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'sent', transport: 'resend' });
  });
});

describe('who gets what', () => {
  it('keeps a preserved reporter from units and office mail, tells the office, and mails nothing to an anonymous reporter', async () => {
    const unitEmail = `obras-${randomBytes(3).toString('hex')}@prefeitura.example`;
    await upsertUnit(t.db, { code: 'SEC-OBRAS', name: 'Secretaria de Obras', email: unitEmail });
    const ombudsman = await t.createStaff('ombudsman');
    const view = fakeView({ identity: 'preserved', units: ['SEC-OBRAS'], status: 'forwarded' });
    const n = createNotifyActivities({ db: t.db, mail: { ...t.mail, resend: null } }); // mail log only
    await n.notifyCaseEvent({ view, event: event('received', 1) });
    await n.notifyCaseEvent({
      view,
      event: event('forwarded', 2, { units: ['SEC-OBRAS'], instructions: 'Verificar os postes.' }, true),
    });
    const rows = await listOutboundForCase(t.db, view.protocol);
    const toUnit = rows.find((r) => r.recipient === unitEmail);
    expect(toUnit).toMatchObject({ recipientRole: 'unit', template: 'staff_forwarded', status: 'logged' });
    expect(toUnit!.text).toContain('Verificar os postes.');
    expect(toUnit!.html + toUnit!.text).not.toContain('Maria Souza');
    expect(toUnit!.html + toUnit!.text).not.toContain(view.citizen!.email!);
    const toOffice = rows.find((r) => r.recipient === ombudsman.email && r.eventSeq === 1);
    expect(toOffice).toMatchObject({ template: 'staff_new_case' });
    // A preserved identity is read only through an explicit, logged reveal on the case page, never by mail.
    expect(toOffice!.text).toContain('Identidade preservada');
    expect(toOffice!.html + toOffice!.text).not.toContain('Maria Souza');
    // the citizen hears of the forward as a change of status, without the internal instructions
    const toCitizen = rows.filter((r) => r.recipientRole === 'citizen');
    expect(toCitizen.map((r) => [r.eventSeq, r.template])).toEqual([
      [1, 'receipt'],
      [2, 'status'],
    ]);
    expect(toCitizen[1]!.text).not.toContain('Verificar os postes.');

    const anonymous = fakeView({ identity: 'anonymous', citizen: null });
    await n.notifyCaseEvent({ view: anonymous, event: event('received', 1) });
    const anonRows = await listOutboundForCase(t.db, anonymous.protocol);
    expect(anonRows.some((r) => r.recipientRole === 'citizen')).toBe(false);
    expect(anonRows.find((r) => r.recipient === ombudsman.email)!.text).toContain('Anônima');
  });

  it('asks the citizen for complementation and sends the answer with accept/reject/rate links', async () => {
    const view = fakeView({ status: 'awaiting_citizen' });
    const n = notifier();
    await n.notifyCaseEvent({
      view,
      event: event('info_requested', 3, { question: 'Qual o número do poste?' }),
    });
    await n.notifyCaseEvent({ view, event: event('answered', 5, { text: 'Postes religados.' }) });
    const rows = await listOutboundForCase(t.db, view.protocol);
    const info = rows.find((r) => r.eventSeq === 3)!;
    expect(info.subject).toBe(`[${view.protocol}] Precisamos de mais informações`);
    expect(info.text).toContain('Qual o número do poste?');
    const answer = rows.find((r) => r.eventSeq === 5)!;
    expect(answer.text).toContain('Postes religados.');
    for (const action of ['aceitar', 'recusar', 'avaliar']) expect(answer.text).toContain(`acao=${action}`);
    expect(answer.headers['Auto-Submitted']).toBe('auto-generated');
  });
});
