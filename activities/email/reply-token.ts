// Signed reply addresses: reply+<token>@MAIL_DOMAIN. The token names the case and one recipient:
// lowercase base32 of [year u16 | sequence u32 | sha256(recipient)[0..4] | HMAC-SHA256 truncated to 10 bytes],
// 32 characters. The HMAC key is derived from the app secret; nothing secret appears in clear.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { derivedKey } from '../../config/derived-keys.ts';
import { formatProtocol, parseProtocol } from '../../db/queries/protocols.ts';

const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
const macBytes = 10;

export function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

export function fromBase32(text: string): Buffer | null {
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of text.toLowerCase()) {
    const idx = alphabet.indexOf(ch);
    if (idx < 0) return null;
    value = (value << 5) | idx;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

const tokenKey = (secret: string) => derivedKey(secret, 'ouvidor/reply-token/v1');

export const recipientHash = (email: string) =>
  createHash('sha256').update(email.trim().toLowerCase()).digest().subarray(0, 4);

export function signReplyToken(secret: string, protocol: string, recipient: string): string {
  const p = parseProtocol(protocol);
  if (!p) throw new Error(`not a protocol: ${protocol}`);
  const payload = Buffer.alloc(10);
  payload.writeUInt16BE(p.year, 0);
  payload.writeUInt32BE(p.seq, 2);
  recipientHash(recipient).copy(payload, 6);
  const mac = createHmac('sha256', tokenKey(secret)).update(payload).digest().subarray(0, macBytes);
  return base32(Buffer.concat([payload, mac]));
}

export type ReplyToken = { protocol: string; recipientHash: Buffer };

/** The case and recipient hash of a token whose signature is valid; null for anything else. */
export function verifyReplyToken(secret: string, token: string): ReplyToken | null {
  const raw = fromBase32(token);
  if (!raw || raw.length !== 10 + macBytes) return null;
  const payload = raw.subarray(0, 10);
  const expected = createHmac('sha256', tokenKey(secret)).update(payload).digest().subarray(0, macBytes);
  if (!timingSafeEqual(expected, raw.subarray(10))) return null;
  const year = payload.readUInt16BE(0);
  const seq = payload.readUInt32BE(2);
  if (year < 1000 || year > 9999 || seq > 2_147_483_647) return null;
  return { protocol: formatProtocol(year, seq), recipientHash: payload.subarray(6, 10) };
}

export function tokenMatchesRecipient(token: ReplyToken, email: string): boolean {
  return timingSafeEqual(token.recipientHash, recipientHash(email));
}

export const replyAddress = (secret: string, domain: string, protocol: string, recipient: string) =>
  `reply+${signReplyToken(secret, protocol, recipient)}@${domain}`;

/** The token of a reply+<token>@domain address (any case), or null. */
export function tokenOfAddress(address: string, domain: string): string | null {
  const m = /^reply\+([a-z2-7]+)@(.+)$/i.exec(address.trim());
  if (!m || m[2]!.toLowerCase() !== domain.toLowerCase()) return null;
  return m[1]!.toLowerCase();
}
