// Attachments citizens really send, over SMTP (swaks), from the shared real-world cases: Outlook's
// winmail.dat is unpacked, inline images are kept, iPhone HEIC photos, Outlook .msg items and attached .eml
// messages are kept (the messages' text readable on the case), and a refused file is said on the case and
// mailed to the citizen.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStoredMessage } from '../../activities/email/sealed-secrets.ts';
import { listAttachmentsForCase } from '../../db/queries/attachments.ts';
import { listOutboundForCase } from '../../db/queries/email.ts';
import { inboundEmails } from '../../db/schema.ts';
import { caseViewQuery } from '../../workflows/messages.ts';
import { cookiesOf } from '../ui/support.ts';
import { loadMailCase } from './fixtures.ts';
import {
  type EmailOuvidor,
  INTAKE,
  message,
  messageWithAttachments,
  startEmailOuvidor,
  swaks,
  swaksPath,
  tinyPng,
  waitFor,
} from './support.ts';

let t: EmailOuvidor;
let staff: Awaited<ReturnType<EmailOuvidor['createStaff']>>;

beforeAll(async () => {
  t = await startEmailOuvidor({ maxInboundBytes: 512 * 1024 });
  staff = await t.createStaff('attendant');
});
afterAll(async () => t?.stop());

const uid = () => randomBytes(4).toString('hex');
const view = (protocol: string) => t.client.workflow.getHandle(protocol).query(caseViewQuery);
const latestFrom = async (from: string) =>
  (
    await t.db
      .select()
      .from(inboundEmails)
      .where(eq(inboundEmails.fromAddress, from))
      .orderBy(desc(inboundEmails.receivedAt))
  )[0]!;
const filesOf = async (protocol: string) =>
  (await listAttachmentsForCase(t.db, protocol)).map((f) => ({
    filename: f.filename,
    contentType: f.contentType,
  }));

/** A case by e-mail and its receipt (Reply-To, Message-ID). */
async function caseByEmail() {
  const citizen = `camila.${uid()}@example.com.br`;
  const raw = message({
    from: citizen,
    to: INTAKE,
    subject: 'Buraco na Rua das Flores',
    body: 'Há um buraco na Rua das Flores.',
  });
  expect((await swaks(t.smtp.port, { from: citizen, to: INTAKE, raw })).code).toBe(0);
  const protocol = (await latestFrom(citizen)).protocol!;
  const logged = await waitFor(async () =>
    (await listOutboundForCase(t.db, protocol)).find((m) => m.template === 'receipt'),
  );
  // what the citizen received (the log keeps the reply token sealed)
  const receipt = { ...logged, ...openStoredMessage(logged, t.mail.secret) };
  return { citizen, protocol, receipt };
}

async function reply(name: string, c: Awaited<ReturnType<typeof caseByEmail>>) {
  const raw = loadMailCase(name, {
    protocol: c.protocol,
    token: c.receipt.replyTo,
    msgid: c.receipt.messageId,
    from: c.citizen,
    intake: INTAKE,
  });
  const sent = await swaks(t.smtp.port, { from: c.citizen, to: c.receipt.replyTo, raw });
  expect(sent.code, sent.output).toBe(0);
  return latestFrom(c.citizen);
}

describe.skipIf(!swaksPath)('attachments citizens really send', () => {
  it("unpacks Outlook's winmail.dat: the photo inside is an attachment of the new case", async () => {
    const citizen = `cidada16.${uid()}@example.org`;
    const raw = loadMailCase('16-tnef-winmail-dat.eml', { intake: INTAKE, from: citizen });
    expect((await swaks(t.smtp.port, { from: citizen, to: INTAKE, raw })).code).toBe(0);
    const row = await latestFrom(citizen);
    expect(row.status).toBe('created');
    expect(await filesOf(row.protocol!)).toEqual([
      { filename: 'foto_buraco.jpg', contentType: 'image/jpeg' },
    ]);
    expect((await view(row.protocol!)).attachmentIds).toEqual(row.attachmentIds);
  });

  it('keeps an iPhone HEIC photo beside the JPEG, and drops the device signature from the reply', async () => {
    const c = await caseByEmail();
    const row = await reply('30-iphone-heic-attachment.eml', c);
    expect(row.replyText).toBe('Seguem as fotos do buraco tiradas agora.');
    const files = await filesOf(c.protocol);
    expect(files).toEqual([
      { filename: 'IMG_4821.HEIC', contentType: 'image/heic' },
      { filename: 'IMG_4822.JPG', contentType: 'image/jpeg' },
    ]);
    const replied = await waitFor(async () =>
      (await view(c.protocol)).timeline.find((e) => e.type === 'citizen_replied'),
    );
    expect(replied.data.attachmentIds).toHaveLength(2);
    const id = (replied.data.attachmentIds as string[])[0]!;
    const download = await t.app.request(`/api/v1/attachments/${id}`, { headers: staff.headers });
    expect(download.status).toBe(200);
    expect((await download.arrayBuffer()).byteLength).toBe(1060);
  });

  it('keeps an Outlook .msg item and an attached .eml, with the attached message readable on the case', async () => {
    const c = await caseByEmail();
    await reply('31-outlook-msg-attachment.eml', c);
    expect(await filesOf(c.protocol)).toEqual([
      { filename: 'RE Protocolo 4471 - concessionaria.msg', contentType: 'application/vnd.ms-outlook' },
      { filename: 'Resposta da concessionaria.eml', contentType: 'message/rfc822' },
    ]);
    const replied = await waitFor(async () =>
      (await view(c.protocol)).timeline.find((e) => e.type === 'citizen_replied'),
    );
    const text = String(replied.data.text);
    expect(text).toContain('Segue em anexo a resposta que a concessionária me mandou (e-mail original).');
    expect(text).toContain('--- Anexo: Resposta da concessionaria.eml ---');
    expect(text).toContain('De: "Atendimento Concessionaria" <atendimento@concessionaria.example>');
    expect(text).toContain('Assunto: RE: Protocolo 4471');
    expect(text).toContain('Sua solicitacao foi encerrada sem atendimento.');
    // this .msg holds no readable message: it is kept, and the case says its text could not be extracted
    expect(text).toContain('--- Anexo: RE Protocolo 4471 - concessionaria.msg ---');
    expect(text).toContain('o texto não pôde ser extraído');
  });

  it('keeps an image pasted into the body (multipart/related, inline)', async () => {
    const c = await caseByEmail();
    const boundary = `rel-${uid()}`;
    const raw = [
      `From: ${c.citizen}`,
      `To: ${c.receipt.replyTo}`,
      `Subject: Re: ${c.receipt.subject}`,
      `Message-ID: <inline-${uid()}@example.com.br>`,
      'MIME-Version: 1.0',
      `Content-Type: multipart/related; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>Veja a foto:</p><img src="cid:foto1@local">',
      `--${boundary}`,
      'Content-Type: image/png',
      'Content-Disposition: inline',
      'Content-ID: <foto1@local>',
      'Content-Transfer-Encoding: base64',
      '',
      tinyPng.toString('base64'),
      `--${boundary}--`,
      '',
    ].join('\r\n');
    expect((await swaks(t.smtp.port, { from: c.citizen, to: c.receipt.replyTo, raw })).code).toBe(0);
    await waitFor(async () => (await view(c.protocol)).timeline.find((e) => e.type === 'citizen_replied'));
    const files = await filesOf(c.protocol);
    expect(files).toHaveLength(1);
    expect(files[0]!.contentType).toBe('image/png');
  });

  it('a refused file is said on the case and to the citizen by e-mail', async () => {
    const c = await caseByEmail();
    const raw = messageWithAttachments({
      from: c.citizen,
      to: c.receipt.replyTo,
      subject: `Re: ${c.receipt.subject}`,
      body: 'Seguem os arquivos.',
      files: [
        {
          filename: 'fotos.zip',
          contentType: 'application/zip',
          bytes: Buffer.from('PK\x03\x04rest-of-a-zip-file-here'),
        },
        { filename: 'foto.png', contentType: 'image/png', bytes: tinyPng },
      ],
    });
    expect((await swaks(t.smtp.port, { from: c.citizen, to: c.receipt.replyTo, raw })).code).toBe(0);
    const refused = await waitFor(async () =>
      (await view(c.protocol)).timeline.find((e) => e.type === 'attachment_refused'),
    );
    expect(refused.visibility).toBe('public');
    expect(refused.data.files).toEqual([
      expect.stringMatching(/^fotos\.zip: arquivos compactados não são aceitos/),
    ]);
    const mail = await waitFor(async () =>
      (await listOutboundForCase(t.db, c.protocol)).find((m) => m.template === 'attachment_refused'),
    );
    expect(mail.recipient).toBe(c.citizen);
    expect(mail.subject).toBe(`[${c.protocol}] Anexo não recebido`);
    expect(mail.text).toContain('fotos.zip');
    expect(await filesOf(c.protocol)).toEqual([{ filename: 'foto.png', contentType: 'image/png' }]);
  });

  it('extracts the text of a real Outlook .msg item (sender, date, subject, body) onto the case', async () => {
    // test/fixtures/mail/concessionaria-resposta.msg: an MS-OXMSG compound file written by aspose-email-foss
    // (make-msg.py beside it) and read back by extract-msg, not a renamed text file.
    const msg = readFileSync(new URL('../fixtures/mail/concessionaria-resposta.msg', import.meta.url));
    const c = await caseByEmail();
    const raw = messageWithAttachments({
      from: c.citizen,
      to: c.receipt.replyTo,
      subject: `Re: ${c.receipt.subject}`,
      body: 'Encaminho a resposta da concessionária, salva do Outlook.',
      files: [
        { filename: 'Resposta concessionaria.msg', contentType: 'application/vnd.ms-outlook', bytes: msg },
      ],
    });
    expect((await swaks(t.smtp.port, { from: c.citizen, to: c.receipt.replyTo, raw })).code).toBe(0);
    const replied = await waitFor(async () =>
      (await view(c.protocol)).timeline.find((e) => e.type === 'citizen_replied'),
    );
    const text = String(replied.data.text);
    expect(text).toContain('--- Anexo: Resposta concessionaria.msg ---');
    expect(text).toContain('De: Atendimento Concessionária <atendimento@concessionaria.example>');
    expect(text).toContain('Assunto: RE: Protocolo 4471 - falta de energia na Rua das Acácias');
    expect(text).toContain('Data: Fri, 20 Nov 2026 17:32:00 GMT');
    expect(text).toContain('foi encerrada sem atendimento, pois não identificamos falha na rede');
    expect(text).not.toContain('não pôde ser extraído');
    expect(await filesOf(c.protocol)).toEqual([
      { filename: 'Resposta concessionaria.msg', contentType: 'application/vnd.ms-outlook' },
    ]);
  });

  it('gives staff a JPEG preview of a real HEIC photo on the case page, and keeps the original', async () => {
    const heic = readFileSync(new URL('../fixtures/mail/foto-buraco.heic', import.meta.url));
    const c = await caseByEmail();
    const raw = messageWithAttachments({
      from: c.citizen,
      to: c.receipt.replyTo,
      subject: `Re: ${c.receipt.subject}`,
      body: 'Segue a foto do buraco.',
      files: [{ filename: 'IMG_5001.HEIC', contentType: 'image/heic', bytes: heic }],
    });
    expect((await swaks(t.smtp.port, { from: c.citizen, to: c.receipt.replyTo, raw })).code).toBe(0);
    const replied = await waitFor(async () =>
      (await view(c.protocol)).timeline.find((e) => e.type === 'citizen_replied'),
    );
    const id = (replied.data.attachmentIds as string[])[0]!;
    const signIn = await t.app.request('/entrar', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
      body: new URLSearchParams({ email: staff.email, password: staff.password }).toString(),
    });
    expect(signIn.status).toBe(303);
    const cookie = cookiesOf(signIn);
    const page = await t.app.request(`/painel/casos/${c.protocol}`, { headers: { cookie } });
    const html = await page.text();
    expect(html).toContain(`<img src="/api/v1/attachments/${id}/preview"`);
    const preview = await t.app.request(`/api/v1/attachments/${id}/preview`, { headers: staff.headers });
    expect(preview.status).toBe(200);
    expect(preview.headers.get('content-type')).toBe('image/jpeg');
    const jpeg = Buffer.from(await preview.arrayBuffer());
    expect(jpeg.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff])); // a JPEG
    // 96×64, as the photo: SOF0 holds height then width
    const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    expect([jpeg.readUInt16BE(sof + 5), jpeg.readUInt16BE(sof + 7)]).toEqual([64, 96]);
    const original = await t.app.request(`/api/v1/attachments/${id}`, { headers: staff.headers });
    expect(Buffer.from(await original.arrayBuffer())).toEqual(heic);
    // no preview for other files; none without access
    const png = await t.app.request(`/api/v1/attachments/${id}/preview`);
    expect(png.status).toBe(401);
  });
});
