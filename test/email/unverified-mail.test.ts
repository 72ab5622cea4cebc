// Only authenticated mail acts as the citizen (issue 8 item 3), over real SMTP (swaks): a message with a
// forged From: that reaches a case by its subject changes nothing and is kept as "não verificada" for staff,
// who accept it (it then acts as the citizen's reply) or discard it. The signed reply address still works.
import { randomBytes } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStoredMessage } from '../../activities/email/sealed-secrets.ts';
import { listOutboundForCase } from '../../db/queries/email.ts';
import { inboundEmails } from '../../db/schema.ts';
import { caseViewQuery } from '../../workflows/messages.ts';
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
  t = await startEmailOuvidor();
  staff = await t.createStaff('attendant');
});
afterAll(async () => t?.stop());

const uid = () => randomBytes(4).toString('hex');
const view = (protocol: string) => t.client.workflow.getHandle(protocol).query(caseViewQuery);
const byMessageId = async (id: string) =>
  (await t.db.select().from(inboundEmails).where(eq(inboundEmails.messageId, id)))[0];
const act = (protocol: string, action: string, body: unknown) =>
  t.app.request(`/api/v1/manifestations/${protocol}/actions/${action}`, {
    method: 'POST',
    headers: staff.headers,
    body: JSON.stringify(body),
  });

/** A case filed by e-mail, assumed, and waiting for the citizen's complementation. */
async function awaitingCitizen() {
  const citizen = `maria.${uid()}@example.org`;
  const raw = message({
    from: citizen,
    to: INTAKE,
    subject: 'Poste apagado',
    body: 'O poste da esquina está apagado.',
  });
  expect((await swaks(t.smtp.port, { from: citizen, to: INTAKE, raw })).code).toBe(0);
  const [row] = await t.db
    .select()
    .from(inboundEmails)
    .where(eq(inboundEmails.fromAddress, citizen))
    .orderBy(desc(inboundEmails.receivedAt));
  const protocol = row!.protocol!;
  expect((await act(protocol, 'assign', { assignee: staff.email })).status).toBe(200);
  expect((await act(protocol, 'request-info', { question: 'Qual é o número do poste?' })).status).toBe(200);
  const logged = await waitFor(async () =>
    (await listOutboundForCase(t.db, protocol)).find((m) => m.template === 'info_request'),
  );
  // the citizen's copy, as sent (the log keeps the reply token sealed)
  const request = { ...logged, ...openStoredMessage(logged, t.mail.secret) };
  return { protocol, citizen, request };
}

/** A message with the citizen's From:, to the intake address, matched only by the protocol in the subject. */
async function forged(c: { protocol: string; citizen: string }, body: string) {
  const messageId = `<forged-${uid()}@attacker.example>`;
  const raw = message({
    from: `Maria <${c.citizen}>`,
    to: INTAKE,
    subject: `Re: [${c.protocol}] Precisamos de mais informações`,
    messageId,
    body,
  });
  const sent = await swaks(t.smtp.port, { from: 'evil@attacker.example', to: INTAKE, raw });
  expect(sent.code, sent.output).toBe(0);
  return waitFor(() => byMessageId(messageId));
}

describe.skipIf(!swaksPath)('only authenticated mail acts as the citizen', () => {
  it('a forged From: matched by subject changes nothing; staff accept it and it becomes the reply', async () => {
    const c = await awaitingCitizen();
    const before = await view(c.protocol);
    const row = await forged(c, 'Desisto, podem arquivar.');
    expect(row).toMatchObject({
      status: 'threaded',
      threadedBy: 'subject',
      verification: 'unverified',
      protocol: c.protocol,
    });

    const kept = await waitFor(async () =>
      (await view(c.protocol)).timeline.find((e) => e.type === 'email_received' && e.data.emailId === row.id),
    );
    expect(kept).toMatchObject({
      visibility: 'internal',
      data: { verification: 'unverified', text: 'Desisto, podem arquivar.' },
    });
    const after = await view(c.protocol);
    expect(after.status).toBe('awaiting_citizen');
    expect(after.dueAt).toBe(before.dueAt);
    expect(after.timeline.filter((e) => e.type === 'citizen_replied')).toEqual([]);
    // the citizen's view (access code) does not show it
    const citizenView = await t.app.request(`/api/v1/manifestations/${c.protocol}`, {
      headers: {
        'x-access-code': (await import('../../config/access-code.ts')).deriveAccessCode(
          t.deps.secret,
          c.protocol,
        ),
      },
    });
    expect(JSON.stringify(await citizenView.json())).not.toContain('Desisto');

    const accepted = await act(c.protocol, 'accept-email', { emailId: row.id });
    expect(accepted.status).toBe(200);
    const v = await view(c.protocol);
    expect(v.status).toBe('in_progress');
    expect(v.timeline.find((e) => e.type === 'email_accepted')).toMatchObject({
      actor: staff.email,
      visibility: 'internal',
    });
    expect(v.timeline.find((e) => e.type === 'citizen_replied')).toMatchObject({
      visibility: 'public',
      data: { text: 'Desisto, podem arquivar.', acceptedBy: staff.email },
    });
    // decided once: a second decision on the same e-mail is refused and changes nothing
    const again = await act(c.protocol, 'discard-email', { emailId: row.id });
    expect(again.status).toBe(422);
  });

  it('a forged From: carrying its own "dmarc=pass" Authentication-Results is still unverified on the SMTP door', async () => {
    const c = await awaitingCitizen();
    const messageId = `<forged-ar-${uid()}@attacker.example>`;
    const domain = c.citizen.split('@')[1];
    const raw = message({
      from: `Maria <${c.citizen}>`,
      to: INTAKE,
      subject: `Re: [${c.protocol}] Precisamos de mais informações`,
      messageId,
      body: 'O número do poste é 4471.',
      headers: {
        'Authentication-Results': `mx.${domain}; spf=pass smtp.mailfrom=${domain}; dkim=pass header.d=${domain}; dmarc=pass header.from=${domain}`,
      },
    });
    const sent = await swaks(t.smtp.port, { from: 'evil@attacker.example', to: INTAKE, raw });
    expect(sent.code, sent.output).toBe(0);
    const row = await waitFor(() => byMessageId(messageId));
    expect(row.verification).toBe('unverified');
    expect(row.authResults?.dmarc).not.toBe('pass'); // mailauth's own result, not the header's
    // the case is still waiting for the citizen: nothing acted as them
    expect((await view(c.protocol)).status).toBe('awaiting_citizen');
  });

  it('staff discard an unverified e-mail: it stays in the mail log, the case is unchanged', async () => {
    const c = await awaitingCitizen();
    const row = await forged(c, 'Mensagem estranha.');
    await waitFor(async () => (await view(c.protocol)).timeline.find((e) => e.data.emailId === row.id));
    const res = await act(c.protocol, 'discard-email', { emailId: row.id, reason: 'Remetente falsificado' });
    expect(res.status).toBe(200);
    const v = await view(c.protocol);
    expect(v.status).toBe('awaiting_citizen');
    expect(v.timeline.find((e) => e.type === 'email_discarded')).toMatchObject({
      actor: staff.email,
      visibility: 'internal',
      data: { emailId: row.id, reason: 'Remetente falsificado' },
    });
    const log = await t.app.request(`/api/v1/manifestations/${c.protocol}/emails`, {
      headers: staff.headers,
    });
    const inbound = ((await log.json()) as { inbound: Array<{ id: string; verification: string }> }).inbound;
    expect(inbound.find((m) => m.id === row.id)?.verification).toBe('unverified');
    expect((await act(c.protocol, 'accept-email', { emailId: 'no-such-mail' })).status).toBe(422);
  });

  it('the case page offers accepting or discarding the unverified e-mail', async () => {
    const c = await awaitingCitizen();
    const row = await forged(c, 'Texto de origem duvidosa.');
    await waitFor(async () => (await view(c.protocol)).timeline.find((e) => e.data.emailId === row.id));
    const page = await t.app.request(`/painel/casos/${c.protocol}`, {
      headers: { authorization: `Bearer ${staff.token}` },
    });
    const html = await page.text();
    expect(html).toContain('não verificada');
    expect(html).toContain('Aceitar como resposta do manifestante');
    expect(html).toContain(`value="${row.id}"`);
  });

  it('a reply to the signed reply address still acts as the citizen at once', async () => {
    const c = await awaitingCitizen();
    const raw = message({
      from: c.citizen,
      to: c.request.replyTo,
      subject: `Re: ${c.request.subject}`,
      body: 'É o poste 4471.',
    });
    expect((await swaks(t.smtp.port, { from: c.citizen, to: c.request.replyTo, raw })).code).toBe(0);
    const v = await waitFor(async () => {
      const x = await view(c.protocol);
      return x.status === 'in_progress' ? x : undefined;
    });
    expect(v.timeline.find((e) => e.type === 'citizen_replied')?.data.text).toBe('É o poste 4471.');
  });
});
