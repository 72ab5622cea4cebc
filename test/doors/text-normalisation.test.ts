// Text normalisation at every door (issue 8 item 1): a NUL, other control characters, CRLF and decomposed
// accents sent through the public form, the REST API (filing, staff and citizen actions), the admin API, the
// SMTP listener (swaks, with `=00` in an encoded Subject), POST /inbound/mime and the Resend webhook each give
// a case staff can see, with clean NFC text, a receipt, and a workflow that still answers the next action.
// Structured fields (codes, filters, cursors) refuse control characters with 422 instead.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOutboundForCase } from '../../db/queries/email.ts';
import { inboundEmails } from '../../db/schema.ts';
import { type CaseView, caseViewQuery } from '../../workflows/messages.ts';
import {
  type EmailOuvidor,
  type FakeResend,
  INTAKE,
  message,
  postMime,
  signWebhook,
  startEmailOuvidor,
  startFakeResend,
  swaks,
  swaksPath,
  waitFor,
} from '../email/support.ts';
import { json, newManifestation, type TestOuvidor } from '../support/harness.ts';
import { pageClient } from '../ui/support.ts';

let t: EmailOuvidor;
let fake: FakeResend;
let staff: Awaited<ReturnType<EmailOuvidor['createStaff']>>;
let admin: Awaited<ReturnType<EmailOuvidor['createStaff']>>;

beforeAll(async () => {
  fake = await startFakeResend();
  t = await startEmailOuvidor({ resendBaseUrl: fake.baseUrl });
  staff = await t.createStaff('attendant');
  admin = await t.createStaff('admin');
});
afterAll(async () => {
  await t?.stop();
  await fake?.close();
});

const uid = () => randomBytes(4).toString('hex');
const NUL = '\u0000';
const dirty = (s: string) => `${s.slice(0, 4)}${NUL}\u0007\u009b${s.slice(4)}\r\n`;
const view = (protocol: string) => t.client.workflow.getHandle(protocol).query(caseViewQuery);
const noControl = (s: string) =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the assertion is about control characters
  expect(s).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);

/** The case is visible to staff (projection written), a receipt went out, and the workflow still acts. */
async function provesAlive(protocol: string, citizen?: string) {
  const list = await json<{ items: Array<{ protocol: string; subject: string }> }>(
    t.app.request('/api/v1/manifestations?limit=100', { headers: staff.headers }),
  );
  const row = list.body.items.find((i) => i.protocol === protocol);
  expect(row, 'the case appears in the staff list').toBeDefined();
  noControl(row!.subject);
  if (citizen) {
    await waitFor(async () =>
      (await listOutboundForCase(t.db, protocol)).find(
        (m) => m.recipient === citizen && m.template === 'receipt',
      ),
    );
  }
  const assigned = await json<CaseView>(
    t.app.request(`/api/v1/manifestations/${protocol}/actions/assign`, {
      method: 'POST',
      headers: staff.headers,
      body: JSON.stringify({ assignee: staff.email }),
    }),
  );
  expect(assigned.status).toBe(200);
  expect(assigned.body.status).toBe('in_progress');
}

describe('REST', () => {
  it('files a manifestation whose text holds NUL, controls, CRLF and NFD accents as clean NFC text', async () => {
    const email = `nul.${uid()}@example.org`;
    const res = await json<{ protocol: string; accessCode: string }>(
      t.app.request('/api/v1/manifestations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(
          newManifestation({
            subject: dirty('Iluminac\u0327a\u0303o apagada'),
            description: 'Linha 1\r\nLinha\u00002\rLinha 3 com acentuac\u0327a\u0303o',
            citizen: { name: `Maria${NUL} Souza`, email },
          }),
        ),
      }),
    );
    expect(res.status).toBe(201);
    const v = await view(res.body.protocol);
    expect(v.subject).toBe('Iluminação apagada');
    expect(v.description).toBe('Linha 1\nLinha2\nLinha 3 com acentuação');
    expect(v.citizen?.name).toBe('Maria Souza');
    await provesAlive(res.body.protocol, email);

    // staff note and citizen reply with a NUL: clean text on the timeline
    const note = await json<CaseView>(
      t.app.request(`/api/v1/manifestations/${res.body.protocol}/actions/note`, {
        method: 'POST',
        headers: staff.headers,
        body: JSON.stringify({ text: `Nota${NUL} interna`, visibility: 'internal' }),
      }),
    );
    expect(note.status).toBe(200);
    const reply = await json<CaseView>(
      t.app.request(`/api/v1/manifestations/${res.body.protocol}/citizen/reply`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-access-code': res.body.accessCode },
        body: JSON.stringify({ text: `Complemento${NUL} do cidadão` }),
      }),
    );
    expect(reply.status).toBe(200);
    const texts = (await view(res.body.protocol)).timeline.map((e) => JSON.stringify(e.data));
    expect(texts.some((s) => s.includes('Nota interna'))).toBe(true);
    expect(texts.some((s) => s.includes('Complemento do cidadão'))).toBe(true);
  });

  it('refuses control characters in structured fields and filters with 422', async () => {
    const filed = await json<{ protocol: string }>(
      t.app.request('/api/v1/manifestations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(newManifestation()),
      }),
    );
    await t.app.request(`/api/v1/manifestations/${filed.body.protocol}/actions/assign`, {
      method: 'POST',
      headers: staff.headers,
      body: JSON.stringify({ assignee: staff.email }),
    });
    const forward = await json<{ error: { fields: Record<string, string[]> } }>(
      t.app.request(`/api/v1/manifestations/${filed.body.protocol}/actions/forward`, {
        method: 'POST',
        headers: staff.headers,
        body: JSON.stringify({ units: [`SEC${NUL}OBRAS`], instructions: 'Verificar o local.' }),
      }),
    );
    expect(forward.status).toBe(422);
    expect(forward.body.error.fields['units.0']?.[0]).toMatch(/controle/);
    for (const query of [
      'q=%00',
      'assignee=a%00b',
      'cursor=%00',
      'cursor=9999-99|x',
      'openedFrom=0001-01-01T00:00:00Z',
    ]) {
      const list = await json<{ error: { code: string } }>(
        t.app.request(`/api/v1/manifestations?${query}`, { headers: staff.headers }),
      );
      expect(list.status, query).toBe(422);
      expect(list.body.error.code).toBe('invalid_body');
    }
  });

  it('refuses a receivedAt in the future (beyond a little clock skew) with 422', async () => {
    const future = new Date(Date.now() + 60 * 60_000).toISOString();
    const res = await json<{ error: { fields: Record<string, string[]> } }>(
      t.app.request('/api/v1/manifestations', {
        method: 'POST',
        headers: staff.headers,
        body: JSON.stringify(newManifestation({ channel: 'letter', receivedAt: future })),
      }),
    );
    expect(res.status).toBe(422);
    expect(res.body.error.fields.receivedAt?.[0]).toMatch(/futuro/);
    const skew = new Date(Date.now() + 60_000).toISOString();
    const ok = await t.app.request('/api/v1/manifestations', {
      method: 'POST',
      headers: staff.headers,
      body: JSON.stringify(newManifestation({ channel: 'letter', receivedAt: skew })),
    });
    expect(ok.status).toBe(201);
  });

  it('stores an admin calendar name without control characters', async () => {
    const id = `cal-${uid()}`;
    const res = await json<{ name: string }>(
      t.app.request(`/api/v1/admin/calendars/${id}`, {
        method: 'PUT',
        headers: admin.headers,
        body: JSON.stringify({
          name: `Calend${NUL}ário da Prefeitura`,
          timezone: 'America/Sao_Paulo',
          workingHours: { '1': [{ start: '08:00', end: '17:00' }] },
        }),
      }),
    );
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('Calendário da Prefeitura');
    const bad = await t.app.request(`/api/v1/admin/calendars/${id}`, {
      method: 'PUT',
      headers: admin.headers,
      body: JSON.stringify({ timezone: `America/Sao_Paulo${NUL}` }),
    });
    expect(bad.status).toBe(422);
  });
});

describe('web form', () => {
  it('files from "Registrar manifestação" with a NUL in every text field', async () => {
    const c = pageClient(t as unknown as TestOuvidor);
    const email = `form.${uid()}@example.org`;
    const res = await c.postMultipart('/registrar', {
      kind: 'complaint',
      subject: `Poste${NUL} apagado`,
      description: `O poste em frente ao número 12${NUL} está apagado.`,
      identity: 'identified',
      name: `José${NUL} Lima`,
      email,
    });
    expect(res.status).toBe(200);
    const protocol = (await res.text()).match(/id="protocol"[^>]*>(OUV-\d{4}-\d{6})</)![1]!;
    const v = await view(protocol);
    expect(v.subject).toBe('Poste apagado');
    expect(v.citizen?.name).toBe('José Lima');
    await provesAlive(protocol, email);
  });
});

describe('e-mail doors', () => {
  it.skipIf(!swaksPath)(
    'SMTP: =00 in an encoded Subject and a NUL in the body give a clean case',
    async () => {
      const from = `smtp.${uid()}@example.org`;
      const raw = [
        `From: =?UTF-8?Q?Ana=00_Costa?= <${from}>`,
        `To: ${INTAKE}`,
        'Subject: =?UTF-8?Q?Buraco=00_na_cal=C3=A7ada?=',
        `Message-ID: <${uid()}@mail.example>`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        'H=C3=A1 um buraco=00 enorme na cal=C3=A7ada da Rua Dois.',
        '',
      ].join('\r\n');
      const sent = await swaks(t.smtp.port, { from, to: INTAKE, raw });
      expect(sent.code, sent.output).toBe(0);
      expect(sent.output).toMatch(/<-\s+250 Message queued/);
      const [row] = await t.db.select().from(inboundEmails).where(eq(inboundEmails.fromAddress, from));
      expect(row?.status).toBe('created');
      const v = await view(row!.protocol!);
      expect(v.subject).toBe('Buraco na calçada');
      expect(v.citizen?.name).toBe('Ana Costa');
      expect(v.description).toContain('Há um buraco enorme na calçada');
      await provesAlive(row!.protocol!, from);
    },
  );

  it('/inbound/mime: a citizen reply with a NUL reaches the case, which keeps answering', async () => {
    const email = `mime.${uid()}@example.org`;
    const filed = await json<{ protocol: string }>(
      t.app.request('/api/v1/manifestations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(newManifestation({ citizen: { name: 'Rita Alves', email } })),
      }),
    );
    const protocol = filed.body.protocol;
    const raw = message({
      from: `Rita Alves <${email}>`,
      to: INTAKE,
      subject: `Re: ${protocol} =?UTF-8?Q?complemento=00?=`,
      body: `Segue o complemento${NUL} pedido.`,
    });
    const res = await postMime(t.app, raw);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'threaded', protocol });
    const [row] = await t.db.select().from(inboundEmails).where(eq(inboundEmails.id, res.body.id));
    noControl(row!.subject ?? '');
    noControl(row!.replyText ?? '');
    await provesAlive(protocol, email);
  });

  it('Resend webhook: NUL in the event and in the fetched message give a clean case', async () => {
    const emailId = `rcv_${uid()}`;
    const from = `resend.${uid()}@example.org`;
    const messageId = `<resend-${uid()}@mail.example>`;
    fake.addReceived(
      emailId,
      message({
        from: `Paulo Reis <${from}>`,
        to: INTAKE,
        subject: '=?UTF-8?Q?Cal=C3=A7ada=00_quebrada?=',
        body: `A calçada${NUL} está quebrada há meses.`,
        messageId,
      }),
    );
    const payload = JSON.stringify({
      type: 'email.received',
      created_at: new Date().toISOString(),
      data: { email_id: emailId, message_id: messageId, from, to: [INTAKE], subject: `Cal${NUL}çada` },
    });
    const res = await json<{ result: { status: string; protocol: string } }>(
      t.app.request('/inbound/resend', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signWebhook(payload) },
        body: payload,
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body.result.status).toBe('created');
    const v = await view(res.body.result.protocol);
    expect(v.subject).toBe('Calçada quebrada');
    await provesAlive(res.body.result.protocol, from);
  });
});
