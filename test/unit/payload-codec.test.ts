// The payload codec: round trip through the SDK's data converter, tamper detection, key rotation,
// plaintext passthrough, key parsing and the generated DATA_DIR key.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../config/env.ts';
import {
  EncryptionCodec,
  encryptedDataConverter,
  PayloadDecryptionError,
  parsePayloadKey,
  payloadCodecFromEnv,
  payloadKeyId,
} from '../../config/payload-codec.ts';

const citizen = { name: 'Maria Souza', email: 'maria@example.org', phone: '+55 11 91234-5678' };
const text = (p: Payload) => Buffer.from(p.data ?? []).toString('latin1');
const meta = (p: Payload, k: string) => Buffer.from(p.metadata?.[k] ?? []).toString();
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'ouvidor-key-'));

describe('EncryptionCodec', () => {
  const key = randomBytes(32);
  const codec = new EncryptionCodec(key);

  it('round-trips values and hides them on the wire', async () => {
    const values = [{ citizen }, 42, null, 'Olá, Maria'];
    const wire = await codec.encode(values.map((v) => defaultPayloadConverter.toPayload(v)));
    expect(wire).toHaveLength(4);
    for (const p of wire) {
      expect(meta(p, 'encoding')).toBe('binary/encrypted');
      expect(meta(p, 'encryption-key-id')).toBe(codec.keyId);
      expect(text(p)).not.toContain('maria@example.org');
      expect(text(p)).not.toContain('Maria');
    }
    const back = (await codec.decode(wire)).map((p) => defaultPayloadConverter.fromPayload(p));
    expect(back).toEqual(values);
  });

  it('keeps the inner encoding and metadata of each payload', async () => {
    const inner: Payload = {
      metadata: { encoding: Buffer.from('json/plain'), 'x-custom': Buffer.from('yes') },
      data: Buffer.from(JSON.stringify(citizen)),
    };
    const [sealed] = await codec.encode([inner]);
    const [opened] = await codec.decode([sealed!]);
    expect(meta(opened!, 'encoding')).toBe('json/plain');
    expect(meta(opened!, 'x-custom')).toBe('yes');
    expect(JSON.parse(Buffer.from(opened!.data!).toString())).toEqual(citizen);
  });

  it('uses a fresh IV each time: the same value never gives the same ciphertext', async () => {
    const p = defaultPayloadConverter.toPayload(citizen);
    const [a, b] = await codec.encode([p, p]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('refuses a payload whose ciphertext, IV or tag was altered, or that was cut short', async () => {
    const [sealed] = await codec.encode([defaultPayloadConverter.toPayload(citizen)]);
    const data = Buffer.from(sealed!.data!);
    for (const at of [0, 12, Math.floor(data.length / 2), data.length - 1]) {
      const altered = Buffer.from(data);
      altered[at]! ^= 0x01;
      await expect(codec.decode([{ ...sealed!, data: altered }])).rejects.toThrow(PayloadDecryptionError);
    }
    await expect(codec.decode([{ ...sealed!, data: data.subarray(0, 20) }])).rejects.toThrow(
      PayloadDecryptionError,
    );
  });

  it('refuses a payload sealed with a key it does not know, naming the key id', async () => {
    const other = new EncryptionCodec(randomBytes(32));
    const [sealed] = await other.encode([defaultPayloadConverter.toPayload(citizen)]);
    await expect(codec.decode([sealed!])).rejects.toThrow(other.keyId);
  });

  it('passes through payloads that are not encrypted (histories recorded before encryption)', async () => {
    const plain = defaultPayloadConverter.toPayload(citizen);
    const binary: Payload = {
      metadata: { encoding: Buffer.from('binary/plain') },
      data: Buffer.from([1, 2]),
    };
    const empty: Payload = {};
    expect(await codec.decode([plain, binary, empty])).toEqual([plain, binary, empty]);
  });

  it('rotates: a new key seals, the old one still opens what it sealed', async () => {
    const oldKey = randomBytes(32);
    const before = new EncryptionCodec(oldKey);
    const [oldSealed] = await before.encode([defaultPayloadConverter.toPayload(citizen)]);
    const after = new EncryptionCodec(randomBytes(32), [oldKey]);
    const [newSealed] = await after.encode([defaultPayloadConverter.toPayload(citizen)]);
    expect(meta(newSealed!, 'encryption-key-id')).toBe(after.keyId);
    expect(after.keyId).not.toBe(before.keyId);
    const [a, b] = await after.decode([oldSealed!, newSealed!]);
    expect(defaultPayloadConverter.fromPayload(a!)).toEqual(citizen);
    expect(defaultPayloadConverter.fromPayload(b!)).toEqual(citizen);
    // without the old key, the old payload cannot be read
    await expect(new EncryptionCodec(randomBytes(32)).decode([oldSealed!])).rejects.toThrow(
      PayloadDecryptionError,
    );
  });
});

describe('payload keys', () => {
  it('accepts 32 bytes as base64, base64url or hex, and nothing else', () => {
    const key = randomBytes(32);
    expect(parsePayloadKey(key.toString('base64'))).toEqual(key);
    expect(parsePayloadKey(key.toString('base64url'))).toEqual(key);
    expect(parsePayloadKey(key.toString('hex'))).toEqual(key);
    for (const bad of ['', 'secret', randomBytes(16).toString('base64'), randomBytes(33).toString('hex')]) {
      expect(() => parsePayloadKey(bad)).toThrow(/32 random bytes/);
    }
  });

  it('reports a malformed PAYLOAD_KEY or PAYLOAD_KEYS_OLD by name at start-up', () => {
    expect(() => parseEnv({ PAYLOAD_KEY: 'too-short' })).toThrow(/PAYLOAD_KEY: must be 32 random bytes/);
    expect(() => parseEnv({ PAYLOAD_KEYS_OLD: `${randomBytes(32).toString('hex')},nope` })).toThrow(
      /PAYLOAD_KEYS_OLD/,
    );
  });

  it('generates one key into DATA_DIR/payload-key (mode 600) and reuses it', () => {
    const dir = tmp();
    const first = payloadCodecFromEnv({ DATA_DIR: dir });
    const file = path.join(dir, 'payload-key');
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(payloadCodecFromEnv({ DATA_DIR: dir }).keyId).toBe(first.keyId);
    expect(first.keyId).toBe(payloadKeyId(parsePayloadKey(readFileSync(file, 'utf8'))));
  });

  it('PAYLOAD_KEY wins, and the generated key it replaces still decodes', async () => {
    const dir = tmp();
    const generated = payloadCodecFromEnv({ DATA_DIR: dir });
    const [old] = await generated.encode([defaultPayloadConverter.toPayload(citizen)]);
    const explicit = payloadCodecFromEnv({ DATA_DIR: dir, PAYLOAD_KEY: randomBytes(32).toString('base64') });
    expect(explicit.keyId).not.toBe(generated.keyId);
    expect(explicit.keyIds).toContain(generated.keyId);
    const [opened] = await explicit.decode([old!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual(citizen);
  });

  it('builds the data converter the Client and Worker share', () => {
    const codec = new EncryptionCodec(randomBytes(32));
    expect(encryptedDataConverter(codec).payloadCodecs).toEqual([codec]);
  });
});
