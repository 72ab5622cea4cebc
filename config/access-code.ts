// A case's citizen access code, derived from the app secret and the protocol (HMAC-SHA256 → 12 characters
// of an unambiguous alphabet, ~60 bits). The API shows it at filing; the receipt e-mail, sent later by an
// activity, derives the same code. Nothing about it is stored: a code is checked by deriving it again and
// comparing in constant time (accessCodeMatches), so a database leak alone reveals no code, and a filing
// pays no password hash (issue 14: an scrypt hash per filing was most of an intake's CPU). Codes of cases
// filed while hashes were stored are derived the same way, so they keep working.
import { createHmac, timingSafeEqual } from 'node:crypto';

const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function deriveAccessCode(secret: string, protocol: string): string {
  const mac = createHmac('sha256', secret).update(`access-code:${protocol}`).digest();
  let code = '';
  for (let i = 0; i < 12; i++) code += alphabet[(mac[i] ?? 0) % alphabet.length];
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

/** What a citizen may type: case, spaces and dashes do not matter ("abcd efgh-jkmn" = "ABCD-EFGH-JKMN"). */
export const normalizeAccessCode = (code: string) => code.toUpperCase().replace(/[^A-Z0-9]/g, '');

/**
 * Whether `code` is the access code of `protocol`, compared in constant time (the comparison does not
 * depend on how many characters match; lengths are equalised by comparing HMACs of both sides).
 */
export function accessCodeMatches(secret: string, protocol: string, code: string): boolean {
  if (!code) return false;
  const mac = (s: string) => createHmac('sha256', secret).update(`access-code-check:${s}`).digest();
  const expected = mac(normalizeAccessCode(deriveAccessCode(secret, protocol)));
  return timingSafeEqual(mac(normalizeAccessCode(code)), expected);
}
