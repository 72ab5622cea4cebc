// Temporal payload encryption (DESIGN §2, issue 7): every payload the Client and the Worker send to
// Temporal (workflow inputs, update args and results, signals, queries, activity inputs and results,
// memos) is sealed with AES-256-GCM, so histories in the Temporal Web UI and `temporal workflow show`
// hold ciphertext. Shaped like Temporal's encryption sample: metadata `encoding: binary/encrypted` and
// `encryption-key-id`; data = 12-byte IV ‖ ciphertext of the whole proto-encoded payload ‖ 16-byte tag.
// Codecs run outside the workflow sandbox: never import this file from workflows/.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createSecretKey,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type DataConverter,
  METADATA_ENCODING_KEY,
  type Payload,
  type PayloadCodec,
} from '@temporalio/common';
import proto from '@temporalio/proto';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const METADATA_ENCRYPTION_KEY_ID = 'encryption-key-id';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const ProtoPayload = proto.temporal.api.common.v1.Payload;
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();
const encryptedEncoding = utf8.encode(ENCRYPTED_ENCODING);

/** A payload that cannot be decrypted: unknown key id, or data altered or cut (GCM tag mismatch). */
export class PayloadDecryptionError extends Error {
  override name = 'PayloadDecryptionError';
}

/** A PAYLOAD_KEY / PAYLOAD_KEYS_OLD value that is not 32 bytes in base64, base64url or hex. */
export class PayloadKeyError extends Error {
  override name = 'PayloadKeyError';
}

/**
 * Parses one key: 32 bytes written as 64 hex digits or base64/base64url (`openssl rand -base64 32`).
 * @throws PayloadKeyError on any other length or alphabet.
 */
export function parsePayloadKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t)
    ? Buffer.from(t, 'hex')
    : /^[A-Za-z0-9+/_-]{43}=?$/.test(t)
      ? Buffer.from(t.replaceAll('-', '+').replaceAll('_', '/'), 'base64')
      : undefined;
  if (key?.length !== KEY_BYTES) {
    throw new PayloadKeyError('must be 32 random bytes in base64 or hex (e.g. `openssl rand -base64 32`)');
  }
  return key;
}

/** `true` when `text` is a valid key (for the env schema). */
export function isPayloadKey(text: string): boolean {
  try {
    parsePayloadKey(text);
    return true;
  } catch {
    return false;
  }
}

/** Comma- or space-separated keys (PAYLOAD_KEYS_OLD). @throws PayloadKeyError */
export function parsePayloadKeyList(text: string | undefined): Buffer[] {
  return (text ?? '')
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((k) => parsePayloadKey(k));
}

/** The key id written into each payload: not secret, derived from the key so rotation needs no ids. */
export function payloadKeyId(key: Buffer): string {
  return `k1-${createHash('sha256').update('ouvidor-payload-key-id\0').update(key).digest('hex').slice(0, 16)}`;
}

/** `key` as a KeyObject, made once: a raw Buffer is imported again by every cipher (≈ 40 % of its cost). */
type SealingKey = { id: string; idBytes: Uint8Array; key: KeyObject };

const sealingKey = (key: Buffer): SealingKey => {
  const id = payloadKeyId(key);
  return { id, idBytes: utf8.encode(id), key: createSecretKey(key) };
};

/**
 * AES-256-GCM PayloadCodec. `encode` seals every payload with the current key; `decode` opens payloads
 * sealed with the current or any older key and passes through payloads that are not encrypted (histories
 * recorded before encryption keep replaying). Synchronous node:crypto per payload: no key derivation.
 * @throws PayloadDecryptionError from `decode` for an unknown key id or altered data.
 */
export class EncryptionCodec implements PayloadCodec {
  readonly keyId: string;
  readonly #current: SealingKey;
  readonly #byId: Map<string, SealingKey>;

  constructor(current: Buffer, older: Buffer[] = []) {
    this.#current = sealingKey(current);
    this.keyId = this.#current.id;
    this.#byId = new Map([...older.map(sealingKey), this.#current].map((k) => [k.id, k]));
  }

  /** Ids of every key this codec can decrypt with (current first). */
  get keyIds(): string[] {
    return [this.keyId, ...[...this.#byId.keys()].filter((id) => id !== this.keyId)];
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.encodeOne(p));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.decodeOne(p));
  }

  encodeOne(payload: Payload): Payload {
    const plain = ProtoPayload.encode(payload).finish();
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#current.key, iv);
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: {
        [METADATA_ENCODING_KEY]: encryptedEncoding,
        [METADATA_ENCRYPTION_KEY_ID]: this.#current.idBytes,
      },
      data: sealed,
    };
  }

  decodeOne(payload: Payload): Payload {
    if (!isEncrypted(payload)) return payload;
    const idBytes = payload.metadata?.[METADATA_ENCRYPTION_KEY_ID];
    const id = idBytes ? fromUtf8.decode(idBytes) : '';
    const key = this.#byId.get(id);
    if (!key) {
      throw new PayloadDecryptionError(
        `Payload sealed with unknown key id "${id}"; add that key to PAYLOAD_KEYS_OLD (this process knows ${this.keyIds.join(', ')})`,
      );
    }
    const data = payload.data ?? new Uint8Array();
    if (data.length < IV_BYTES + TAG_BYTES)
      throw new PayloadDecryptionError('Encrypted payload is truncated');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return ProtoPayload.decode(plain) as Payload;
    } catch (err) {
      throw new PayloadDecryptionError(
        `Encrypted payload failed authentication (altered or wrong key): ${err}`,
      );
    }
  }
}

/** True when the payload carries `encoding: binary/encrypted`. */
export function isEncrypted(payload: Payload): boolean {
  const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
  return !!encoding && Buffer.from(encoding).equals(encryptedEncoding);
}

/** config/failure-converter.cjs: failure messages and stack traces become payloads, so the codec seals them. */
export const failureConverterPath = fileURLToPath(new URL('./failure-converter.cjs', import.meta.url));

/**
 * The data converter for Client, Worker and replay: the default JSON payload converter, failures with
 * their message and stack trace encoded (failureConverterPath), then this codec. A pre-built workflow
 * bundle must be built with the same `failureConverterPath` (bundleWorkflowCode).
 */
export function encryptedDataConverter(codec: PayloadCodec): DataConverter {
  return { payloadCodecs: [codec], failureConverterPath };
}

/**
 * The codec of this deployment. Current key: `PAYLOAD_KEY`, or else a key generated once into
 * `DATA_DIR/payload-key` (mode 600; created atomically, so a worker and a server sharing DATA_DIR agree).
 * Older keys (decode only): `PAYLOAD_KEYS_OLD`, plus the DATA_DIR key when PAYLOAD_KEY replaced it.
 * @throws PayloadKeyError when a configured key is malformed.
 */
export function payloadCodecFromEnv(env: {
  PAYLOAD_KEY?: string | undefined;
  PAYLOAD_KEYS_OLD?: string | undefined;
  DATA_DIR: string;
}): EncryptionCodec {
  const file = path.resolve(env.DATA_DIR, 'payload-key');
  const older = parsePayloadKeyList(env.PAYLOAD_KEYS_OLD);
  if (env.PAYLOAD_KEY) {
    const current = parsePayloadKey(env.PAYLOAD_KEY);
    if (existsSync(file)) older.push(parsePayloadKey(readFileSync(file, 'utf8')));
    return new EncryptionCodec(current, older);
  }
  return new EncryptionCodec(generatedKey(file), older);
}

function generatedKey(file: string): Buffer {
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(tmp, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600 });
    try {
      linkSync(tmp, file); // fails if another process created it first: then use theirs
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      unlinkSync(tmp);
    }
  }
  return parsePayloadKey(readFileSync(file, 'utf8'));
}
