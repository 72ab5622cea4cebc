// The files an inbound message really carries, as citizens' clients send them:
//   - Outlook's winmail.dat (TNEF, application/ms-tnef) is unpacked with node-tnef and its files kept
//     (the .dat itself is not: it only wraps them);
//   - inline images (multipart/related, pasted into the body) are kept like any attachment;
//   - attached messages (.eml, message/rfc822) and Outlook items (.msg, read with @kenjiuno/msgreader) are
//     kept as files, and their text (sender, date, subject, body) is extracted for the case;
//   - everything else goes to the attachment policy as it is.
// What cannot be unpacked is reported as refused with the reason, never dropped silently.
import { createRequire } from 'node:module';
import type { FieldsData } from '@kenjiuno/msgreader';
import { type Attachment, simpleParser } from 'mailparser';
import { normalizeText } from '../text.ts';

const require = createRequire(import.meta.url);
// A CommonJS module with `exports.default` (the reader class).
const MsgReader = (
  require('@kenjiuno/msgreader') as {
    default: new (bytes: ArrayBuffer | Uint8Array) => { getFileData(): FieldsData };
  }
).default;
type TnefFile = { Title?: string; Data?: number[] };
// node-tnef replaces String.prototype.replaceAll, process-wide, with a RegExp-based version that throws on
// "[" (and turns "." into a wildcard). Keep the built-in one: node-tnef's own use (removing NULs from a
// name) behaves the same with it.
const builtinReplaceAll = String.prototype.replaceAll;
const tnef = require('node-tnef') as {
  parseBuffer(data: Buffer, cb: (err: boolean, result: { Attachments?: TnefFile[] } | unknown) => void): void;
};
String.prototype.replaceAll = builtinReplaceAll;

export type MailFile = { filename: string | null | undefined; bytes: Buffer };
export type ExtractedText = { filename: string; text: string };
export type Unpacked = {
  files: MailFile[];
  /** text of attached messages, for staff and search */
  texts: ExtractedText[];
  refused: Array<{ filename: string; reason: string }>;
};

const maxExtracted = 20_000;
const tnefSignature = Buffer.from([0x78, 0x9f, 0x3e, 0x22]);

const isTnef = (a: Attachment) =>
  /ms-tnef/i.test(a.contentType) || a.content.subarray(0, 4).equals(tnefSignature);
const isMessage = (a: Attachment) =>
  /^message\/rfc822$/i.test(a.contentType) || /\.eml$/i.test(a.filename ?? '');
const isOutlookItem = (a: Attachment) =>
  /vnd\.ms-outlook/i.test(a.contentType) || /\.msg$/i.test(a.filename ?? '');

function unpackTnef(bytes: Buffer): TnefFile[] {
  let files: TnefFile[] = [];
  let failed = false;
  tnef.parseBuffer(bytes, (err, result) => {
    failed = err;
    if (!err) files = (result as { Attachments?: TnefFile[] }).Attachments ?? [];
  });
  if (failed) throw new Error('winmail.dat (TNEF) ilegível');
  return files;
}

const clip = (text: string) => {
  const clean = normalizeText(text).trim();
  return clean.length > maxExtracted ? `${clean.slice(0, maxExtracted - 1)}…` : clean;
};

/** "De / Para / Data / Assunto" then the body of an attached RFC 822 message. */
async function messageText(bytes: Buffer): Promise<string> {
  const m = await simpleParser(bytes, { skipImageLinks: true });
  const head = [
    m.from?.text ? `De: ${m.from.text}` : null,
    m.to
      ? `Para: ${[m.to]
          .flat()
          .map((a) => a.text)
          .join(', ')}`
      : null,
    m.date ? `Data: ${m.date.toISOString()}` : null,
    m.subject ? `Assunto: ${m.subject}` : null,
  ].filter(Boolean);
  return clip([...head, '', m.text ?? ''].join('\n'));
}

/** The same for an Outlook item; '' when the file holds no readable message. */
function outlookText(bytes: Buffer): string {
  const data = new MsgReader(bytes).getFileData();
  if (data.error) return '';
  const from =
    data.senderName || data.senderEmail ? `De: ${data.senderName ?? ''} <${data.senderEmail ?? ''}>` : null;
  const head = [
    from,
    data.messageDeliveryTime ? `Data: ${data.messageDeliveryTime}` : null,
    data.subject ? `Assunto: ${data.subject}` : null,
  ].filter(Boolean);
  const body = data.body ?? '';
  return head.length || body.trim() ? clip([...head, '', body].join('\n')) : '';
}

export async function unpackAttachments(attachments: Attachment[]): Promise<Unpacked> {
  const out: Unpacked = { files: [], texts: [], refused: [] };
  let inline = 0;
  for (const a of attachments) {
    const name = a.filename ?? null;
    if (isTnef(a)) {
      try {
        for (const f of unpackTnef(a.content)) {
          if (f.Data?.length) out.files.push({ filename: f.Title ?? null, bytes: Buffer.from(f.Data) });
        }
      } catch (err) {
        out.refused.push({ filename: name ?? 'winmail.dat', reason: (err as Error).message });
      }
      continue;
    }
    const filename = name ?? (a.related ? `imagem-no-texto-${++inline}` : null);
    if (isMessage(a)) {
      const emlName = filename && /\.eml$/i.test(filename) ? filename : `${filename ?? 'mensagem'}.eml`;
      out.files.push({ filename: emlName, bytes: a.content });
      try {
        out.texts.push({ filename: emlName, text: await messageText(a.content) });
      } catch {
        out.texts.push({ filename: emlName, text: '(o texto da mensagem anexada não pôde ser lido)' });
      }
      continue;
    }
    out.files.push({ filename, bytes: a.content });
    if (isOutlookItem(a)) {
      let text = '';
      try {
        text = outlookText(a.content);
      } catch {
        text = '';
      }
      out.texts.push({
        filename: filename ?? 'item.msg',
        text:
          text || '(item do Outlook guardado; o texto não pôde ser extraído — baixe o arquivo para abri-lo)',
      });
    }
  }
  return out;
}

/** The extracted texts as one block to append to the case text ('' when none). */
export function attachedTexts(texts: ExtractedText[]): string {
  return texts.map((t) => `--- Anexo: ${t.filename} ---\n${t.text}`).join('\n\n');
}
