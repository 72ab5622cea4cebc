// Cases opened by e-mail keep their attachments (on the case view and linked to the protocol); a late reply
// to a case whose workflow has completed opens a NEW case linked to the old protocol (identity carried);
// a replay never opens a second case; attachment ids in actions must belong to the case.
import { randomBytes } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyAddress } from '../../activities/email/reply-token.ts';
import { projectView } from '../../activities/projection.ts';
import { assertAttachmentsBelongTo } from '../../api/attachments/ownership.ts';
import { ApiError } from '../../api/errors.ts';
import { getAttachment } from '../../db/queries/attachments.ts';
import { listOutboundForCase } from '../../db/queries/email.ts';
import { attachments, inboundEmails, manifestations } from '../../db/schema.ts';
import { initialView } from '../../workflows/case-state.ts';
import { caseViewQuery, registeredUpdate } from '../../workflows/messages.ts';
import { json, newManifestation } from '../support/harness.ts';
import {
  type EmailOuvidor,
  INTAKE,
  MAIL_DOMAIN,
  message,
  messageWithAttachments,
  postMime,
  startEmailOuvidor,
  tinyPng,
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
const inboundRow = async (id: string) =>
  (await t.db.select().from(inboundEmails).where(eq(inboundEmails.id, id)))[0]!;

describe('a new case by e-mail', () => {
  it('carries the message attachments on the case and links them to its protocol', async () => {
    const from = `bia.${uid()}@example.org`;
    const res = await postMime(
      t.app,
      messageWithAttachments({
        from: `Beatriz Nunes <${from}>`,
        to: INTAKE,
        subject: 'Entulho na calçada',
        body: 'Há entulho na calçada da Rua C há duas semanas; segue a foto.',
        files: [{ filename: 'entulho.png', contentType: 'image/png', bytes: tinyPng }],
      }),
    );
    expect(res.body).toMatchObject({ status: 'created' });
    const protocol = res.body.protocol!;
    const row = await inboundRow(res.body.id);
    expect(row.attachmentIds).toHaveLength(1);
    const id = row.attachmentIds![0]!;
    expect((await view(protocol)).attachmentIds).toEqual([id]);
    expect(await getAttachment(t.db, id)).toMatchObject({
      protocol,
      filename: 'entulho.png',
      source: 'email',
    });
    // staff of the case download it
    const file = await t.app.request(`/api/v1/attachments/${id}`, {
      headers: { authorization: staff.headers.authorization },
    });
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(tinyPng)).toBe(true);
  });

  it('is opened once even when a replay follows a failure after the case was filed', async () => {
    const from = `caio.${uid()}@example.org`;
    const res = await postMime(
      t.app,
      message({
        from,
        to: INTAKE,
        subject: 'Semáforo quebrado',
        body: 'O semáforo da esquina não funciona.',
      }),
    );
    const protocol = res.body.protocol!;
    // As if the worker died after filing the case but before recording the outcome.
    await t.db
      .update(inboundEmails)
      .set({ status: 'dead_letter', error: 'simulated crash' })
      .where(eq(inboundEmails.id, res.body.id));
    const replay = await json<{ status: string; protocol: string }>(
      t.app.request(`/api/v1/inbound/${res.body.id}/replay`, { method: 'POST', headers: staff.headers }),
    );
    expect(replay.body).toMatchObject({ status: 'created', protocol });
    const cases = await t.db.select().from(manifestations).where(eq(manifestations.citizenEmail, from));
    expect(cases.map((c) => c.protocol)).toEqual([protocol]);
  });
});

describe('a late reply to a concluded case', () => {
  it('opens a new case linked to the old protocol, with the old identity mode and the reply attachments', async () => {
    const citizen = `dora.${uid()}@example.org`;
    const filed = await json<{ protocol: string }>(
      t.app.request('/api/v1/manifestations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(
          newManifestation({
            identity: 'preserved',
            kind: 'report',
            citizen: { name: 'Dora Lins', email: citizen },
          }),
        ),
      }),
    );
    const old = filed.body.protocol;
    await waitFor(async () => (await listOutboundForCase(t.db, old)).find((m) => m.template === 'receipt'));
    // The filing answers before the registration task completes (issue 14): a case concluded long ago
    // has completed it, so wait for it before ending the workflow (its final state is then queryable).
    await t.client.workflow.getHandle(old).executeUpdate(registeredUpdate);
    // The workflow is over (closed and past the reopen window: here, terminated).
    await t.client.workflow.getHandle(old).terminate('concluded for the test');
    const to = replyAddress(t.mail.secret, MAIL_DOMAIN, old, citizen);
    const res = await postMime(
      t.app,
      messageWithAttachments({
        from: `Dora Lins <${citizen}>`,
        to,
        subject: `Re: [${old}] Sua manifestação foi respondida`,
        body: 'O problema voltou a acontecer esta semana.',
        files: [{ filename: 'foto.png', contentType: 'image/png', bytes: tinyPng }],
      }),
    );
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('created');
    const created = res.body.protocol!;
    expect(created).not.toBe(old);
    const row = await inboundRow(res.body.id);
    expect(row).toMatchObject({ threadedBy: 'new_case', fromRole: 'citizen' });
    expect(row.actions.join(' ')).toContain(old);
    const v = await view(created);
    expect(v).toMatchObject({ linkedTo: old, identity: 'preserved', kind: 'report', channel: 'email' });
    expect(v.citizen).toMatchObject({ name: 'Dora Lins', email: citizen });
    expect(v.description).toContain(old);
    expect(v.description).toContain('O problema voltou a acontecer esta semana.');
    expect(v.timeline[0]).toMatchObject({
      type: 'received',
      data: expect.objectContaining({ linkedTo: old }),
    });
    expect(v.attachmentIds).toEqual(row.attachmentIds);
    const [attachment] = await t.db.select().from(attachments).where(eq(attachments.inboundEmailId, row.id));
    expect(attachment?.protocol).toBe(created);
    // the new case's citizen gets a receipt of their own; staff read its recipient as preserved
    const receipt = await waitFor(async () =>
      (await t.app.request(`/api/v1/manifestations/${created}/emails`, { headers: staff.headers }))
        .json()
        .then((b: { outbound: Array<{ template: string; recipient: string; recipientRole: string }> }) =>
          b.outbound.find((m) => m.template === 'receipt' && m.recipientRole === 'citizen'),
        ),
    );
    expect(receipt.recipient).not.toContain(citizen);
    const [sent] = (await listOutboundForCase(t.db, created)).filter((m) => m.template === 'receipt');
    expect(sent?.recipient).toBe(citizen);
  });

  it('keeps the old identity mode when the concluded case is past Temporal’s retention (no workflow left)', async () => {
    const citizen = `ines.${uid()}@example.org`;
    // A case concluded long ago: its workflow is gone from Temporal (retention), its read model stays.
    const old = `OUV-2019-${String(100000 + (randomBytes(3).readUIntBE(0, 3) % 800000))}`;
    const v0 = initialView({
      protocol: old,
      kind: 'report',
      subject: 'Irregularidade no contrato de merenda',
      description: 'Relato de irregularidade no contrato de merenda escolar.',
      identity: 'preserved',
      channel: 'web',
      citizen: { name: 'Inês Prado', email: citizen },
      receivedAt: '2019-03-04T13:00:00.000Z',
      registeredBy: 'citizen',
    });
    await projectView(t.db, { ...v0, status: 'closed', revision: 9 });
    await expect(t.client.workflow.getHandle(old).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    const res = await postMime(
      t.app,
      message({
        from: `Inês Prado <${citizen}>`,
        to: replyAddress(t.mail.secret, MAIL_DOMAIN, old, citizen),
        subject: `Re: [${old}] Sua manifestação foi respondida`,
        body: 'Voltei a ver a mesma irregularidade no contrato.',
      }),
    );
    expect(res.body.status).toBe('created');
    const v = await view(res.body.protocol!);
    expect(v).toMatchObject({ linkedTo: old, identity: 'preserved', kind: 'report' });
    expect(v.citizen).toMatchObject({ name: 'Inês Prado', email: citizen });
  });
});

describe('assertAttachmentsBelongTo', () => {
  it('accepts the case’s own files and refuses unknown ids and another case’s files (422)', async () => {
    const mine = await postMime(
      t.app,
      messageWithAttachments({
        from: `eva.${uid()}@example.org`,
        to: INTAKE,
        subject: 'Lixo acumulado',
        body: 'O lixo não é recolhido há dez dias.',
        files: [{ filename: 'lixo.png', contentType: 'image/png', bytes: tinyPng }],
      }),
    );
    const other = await postMime(
      t.app,
      messageWithAttachments({
        from: `fabio.${uid()}@example.org`,
        to: INTAKE,
        subject: 'Poste caído',
        body: 'Um poste caiu na Rua D.',
        files: [{ filename: 'poste.png', contentType: 'image/png', bytes: tinyPng }],
      }),
    );
    const protocol = mine.body.protocol!;
    const [own] = (await inboundRow(mine.body.id)).attachmentIds!;
    const [foreign] = (await inboundRow(other.body.id)).attachmentIds!;
    await expect(assertAttachmentsBelongTo(t.db, protocol, [own!])).resolves.toBeUndefined();
    await expect(assertAttachmentsBelongTo(t.db, protocol, [])).resolves.toBeUndefined();
    for (const ids of [[own!, foreign!], ['00000000-0000-0000-0000-000000000000'], ['../../etc/passwd']]) {
      const err = await assertAttachmentsBelongTo(t.db, protocol, ids).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect(err).toMatchObject({ status: 422, fields: { attachmentIds: [expect.any(String)] } });
    }
  });
});
