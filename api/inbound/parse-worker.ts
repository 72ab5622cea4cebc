// Runs in a worker thread of the parse pool (api/inbound/parse.ts), never on the main event loop:
// mailparser's simpleParser (MIME decoding, charsets, HTML→text for HTML-only mail), then normalizeText
// over every string of the result, then the attachments unpacked (unpack.ts: TNEF winmail.dat, attached
// .eml and Outlook .msg with their text), so nothing of a message's size is decoded on the event loop;
// mailauth's SPF/DKIM/DMARC check (DKIM hashes the whole body); and HEIC → JPEG previews (api/attachments/heic-preview.ts).
// Text and HTML are cut at the sizes of `caps` (the raw message is kept whole in the mail log).
// Loaded by Node directly (type stripping): erasable TypeScript only.
import { authenticate } from 'mailauth';
import { type ParsedMail, simpleParser } from 'mailparser';
import { normalizeDeep } from '../text.ts';
import { cachingResolver } from './dns-resolver.ts';
import { defaultParseCaps, type ParseCaps } from './parse-caps.ts';
import { type TextParts, textParts } from './quote.ts';
import { type Unpacked, unpackAttachments } from './unpack.ts';

export { heicPreview } from '../attachments/heic-preview.ts';

/** `auth`: also check SPF/DKIM/DMARC (the SMTP door), on the same bytes, in the same task. */
export type ParseInput = { raw: Uint8Array; caps?: ParseCaps; auth?: Omit<AuthInput, 'raw'> };

/** A parsed message whose attachments are already unpacked (`attachments` is emptied: the files are in `unpacked`). */
export type ParsedInbound = ParsedMail & { unpacked: Unpacked; parts: TextParts; auth?: AuthOutput };

export default async function parse({
  raw,
  caps = defaultParseCaps,
  auth,
}: ParseInput): Promise<ParsedInbound> {
  const checked = auth ? await authenticateOrTempError({ ...auth, raw }) : undefined;
  const parsed = await simpleParser(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), {
    skipImageLinks: true,
  });
  if (parsed.text && parsed.text.length > caps.textChars) {
    parsed.text = `${parsed.text.slice(0, caps.textChars)}\n[…]`;
  }
  if (typeof parsed.html === 'string' && parsed.html.length > caps.htmlChars) {
    parsed.html = parsed.html.slice(0, caps.htmlChars);
  }
  delete parsed.textAsHtml; // derived from text; not used, and as large as the text
  const clean = normalizeDeep(parsed);
  const unpacked = await unpackAttachments(clean.attachments);
  const parts = textParts(clean.text, (clean.subject ?? '').trim());
  return Object.assign(clean, { attachments: [], unpacked, parts }, checked ? { auth: checked } : {});
}

export type AuthInput = { raw: Uint8Array; ip: string; helo: string; sender: string; mta: string };
export type AuthOutput = { spf: string; dkim: string; dmarc: string; header: string };

/** authenticateMail, or `temperror` with the reason when the check itself failed (DNS, a malformed message). */
async function authenticateOrTempError(input: AuthInput): Promise<AuthOutput> {
  try {
    return await authenticateMail(input);
  } catch (err) {
    const header = err instanceof Error ? err.message : String(err);
    return { spf: 'temperror', dkim: 'temperror', dmarc: 'temperror', header };
  }
}

/** This thread's DNS lookups for mailauth: retried quickly when an answer is lost, remembered a minute. */
const resolver = cachingResolver();

/** SPF/DKIM/DMARC of one message (mailauth), as the strings stored on the inbound row. */
export async function authenticateMail(input: AuthInput): Promise<AuthOutput> {
  const r = await authenticate(Buffer.from(input.raw.buffer, input.raw.byteOffset, input.raw.byteLength), {
    ip: input.ip,
    helo: input.helo,
    sender: input.sender,
    mta: input.mta,
    disableArc: true,
    disableBimi: true,
    resolver,
  });
  return {
    spf: r.spf ? String(r.spf.status.result) : 'none',
    dkim: r.dkim.results.map((d) => d.status.result).join(',') || 'none',
    dmarc: r.dmarc ? String(r.dmarc.status.result) : 'none',
    header: r.headers.trim(),
  };
}
