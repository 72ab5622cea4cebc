// A case's citizen access code, derived from the app secret and the protocol (HMAC-SHA256 → 12 characters
// of an unambiguous alphabet, ~60 bits). The API shows it at filing; the receipt e-mail, sent later by an
// activity, derives the same code. Only a hash is stored, so a database leak alone reveals no code.
import { createHmac } from 'node:crypto';

const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function deriveAccessCode(secret: string, protocol: string): string {
  const mac = createHmac('sha256', secret).update(`access-code:${protocol}`).digest();
  let code = '';
  for (let i = 0; i < 12; i++) code += alphabet[(mac[i] ?? 0) % alphabet.length];
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}
