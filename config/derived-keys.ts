// Keys derived from the app secret by label (HMAC-SHA256(secret, label)), each computed once per process:
// the reply token's and the follow link's keys were derived again for every token signed or checked —
// several per inbound reply and per message opened from the mail log.
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

const keys = new Map<string, KeyObject>();

/**
 * HMAC-SHA256(`secret`, `label`) as a secret KeyObject (32 bytes), remembered per (secret, label). Labels
 * name a use and a version ("ouvidor/reply-token/v1"). At most 64 are kept (tests run many secrets).
 */
export function derivedKey(secret: string, label: string): KeyObject {
  const id = `${label}\u0000${secret}`;
  let key = keys.get(id);
  if (!key) {
    if (keys.size >= 64) keys.clear();
    key = createSecretKey(createHmac('sha256', secret).update(label).digest());
    keys.set(id, key);
  }
  return key;
}
