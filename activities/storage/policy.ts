// Which files are accepted: type by magic bytes (file-type) against an allowlist, never by the name or the
// declared Content-Type alone; office documents are zip containers and are accepted by extension + zip magic
// (never unpacked); plain text and CSV must look like text. Size limits are checked by the caller's limits.
// Mail evidence citizens really send is accepted too: iPhone photos (HEIC/HEIF, downloadable; no preview is
// rendered), Outlook items (.msg: a CFB container, by extension + CFB magic) and messages (.eml, text).
import { fileTypeFromBuffer } from 'file-type';

const binaryTypes: Record<string, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
};

/** Containers accepted only with their own extension (never unpacked here). */
const containerTypes: Record<string, { ext: string; contentType: string }> = {
  cfb: { ext: 'msg', contentType: 'application/vnd.ms-outlook' },
};

const officeTypes: Record<string, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  odt: 'application/vnd.oasis.opendocument.text',
};

const textTypes: Record<string, string> = {
  txt: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  eml: 'message/rfc822',
};

export type Inspection =
  | { ok: true; contentType: string; ext: string; filename: string }
  | { ok: false; reason: string };

export const allowedExtensions = [
  ...Object.keys(binaryTypes),
  'jpeg',
  ...Object.keys(officeTypes),
  'msg',
  ...Object.keys(textTypes),
];

/** A name safe to show and to put in Content-Disposition: no path, no control characters, bounded. */
export function safeFilename(name: string | null | undefined, fallback = 'anexo'): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .replace(/[\p{Cc}\p{Cf}"<>|*?:]/gu, '')
    .trim()
    .slice(0, 200);
  return cleaned || fallback;
}

const extOf = (name: string) => /\.([a-z0-9]{1,8})$/i.exec(name)?.[1]?.toLowerCase() ?? '';

/** The name with the extension of the detected type: `polyglot.html` holding a PDF is kept as `polyglot.pdf`. */
export function withExtension(name: string, ext: string): string {
  const current = extOf(name);
  if (current === ext || (ext === 'jpg' && current === 'jpeg')) return name;
  const stem = current ? name.slice(0, -(current.length + 1)) : name;
  return `${stem || 'anexo'}.${ext}`;
}

const accepted = () =>
  `aceitos: ${allowedExtensions
    .filter((e) => e !== 'jpeg')
    .map((e) => e.toUpperCase())
    .join(', ')}`;

function looksLikeText(bytes: Uint8Array): boolean {
  for (const b of bytes.subarray(0, 64 * 1024)) {
    if (b === 0) return false;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) return false;
  }
  return true;
}

export async function inspectFile(
  filename: string | null | undefined,
  bytes: Uint8Array,
  limits: { maxBytes: number },
): Promise<Inspection> {
  const name = safeFilename(filename);
  if (bytes.byteLength === 0) return { ok: false, reason: 'arquivo vazio' };
  if (bytes.byteLength > limits.maxBytes) {
    return { ok: false, reason: `arquivo maior que ${Math.floor(limits.maxBytes / 1024 / 1024)} MB` };
  }
  const ext = extOf(name);
  const detected = await fileTypeFromBuffer(bytes);
  if (detected) {
    const known = binaryTypes[detected.ext];
    if (known) {
      return { ok: true, contentType: known, ext: detected.ext, filename: withExtension(name, detected.ext) };
    }
    const container = containerTypes[detected.ext];
    if (container && container.ext === ext) {
      return { ok: true, contentType: container.contentType, ext, filename: name };
    }
    const office = officeTypes[detected.ext] ?? (detected.ext === 'zip' ? officeTypes[ext] : undefined);
    const officeExt = officeTypes[detected.ext] ? detected.ext : ext;
    if (office && officeExt === ext) return { ok: true, contentType: office, ext, filename: name };
    if (detected.ext === 'zip' || detected.mime.includes('zip') || detected.mime.includes('compressed')) {
      return { ok: false, reason: `arquivos compactados não são aceitos (${accepted()})` };
    }
    return { ok: false, reason: `tipo de arquivo não permitido (${detected.mime}; ${accepted()})` };
  }
  const text = textTypes[ext];
  if (text && looksLikeText(bytes)) return { ok: true, contentType: text, ext, filename: name };
  return { ok: false, reason: `tipo de arquivo não permitido (${accepted()})` };
}
