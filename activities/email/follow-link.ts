// Signed follow links: /acompanhar/<protocol>/link?t=<token>, put in every e-mail to the citizen so that
// someone who never saw an access code (a case opened by e-mail) can open the case page. The token is
// lowercase base32 of [expiry: u32 unix seconds | HMAC-SHA256(key, protocol, e-mail, expiry) truncated to
// 16 bytes] — 32 characters; the key is derived from the app secret (like the reply token's, with another
// label). The e-mail is not in the token: the link verifies against the case's current citizen address, so
// it names one case and one person and nothing secret appears in clear.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { derivedKey } from '../../config/derived-keys.ts';
import { base32, fromBase32 } from './reply-token.ts';

/** How long a follow link stays valid. */
export const followLinkTtlMs = 90 * 24 * 60 * 60 * 1000;

const macBytes = 16;
const linkKey = (secret: string) => derivedKey(secret, 'ouvidor/follow-link/v1');

function mac(secret: string, protocol: string, email: string, expiry: number): Buffer {
  return createHmac('sha256', linkKey(secret))
    .update(`${protocol}\n${email.trim().toLowerCase()}\n${expiry}`)
    .digest()
    .subarray(0, macBytes);
}

export function signFollowToken(secret: string, protocol: string, email: string, expiresAt: Date): string {
  const expiry = Math.floor(expiresAt.getTime() / 1000);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(expiry, 0);
  return base32(Buffer.concat([head, mac(secret, protocol, email, expiry)]));
}

export type FollowTokenCheck = 'valid' | 'expired' | 'invalid';

/** Constant-time check of the signature first; only a genuine token can be reported as expired. */
export function verifyFollowToken(
  secret: string,
  token: string,
  protocol: string,
  email: string | null | undefined,
  now: Date = new Date(),
): FollowTokenCheck {
  if (!email || !/^[a-z2-7]{32}$/.test(token)) return 'invalid';
  const raw = fromBase32(token);
  if (!raw || raw.length !== 4 + macBytes) return 'invalid';
  const expiry = raw.readUInt32BE(0);
  if (!timingSafeEqual(mac(secret, protocol, email, expiry), raw.subarray(4))) return 'invalid';
  return expiry * 1000 > now.getTime() ? 'valid' : 'expired';
}

export function followLink(
  publicUrl: string,
  secret: string,
  protocol: string,
  email: string,
  now: Date = new Date(),
): string {
  const token = signFollowToken(secret, protocol, email, new Date(now.getTime() + followLinkTtlMs));
  return `${publicUrl}/acompanhar/${encodeURIComponent(protocol)}/link?t=${token}`;
}
