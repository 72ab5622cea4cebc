// One payload key per test process, shared by every client, worker and app a test file builds, as in
// production (server and worker share PAYLOAD_KEY). Tests run against encrypted payloads throughout.
import { randomBytes } from 'node:crypto';
import { EncryptionCodec, encryptedDataConverter } from '../../config/payload-codec.ts';

export const testPayloadKey = randomBytes(32);
export const testCodec = new EncryptionCodec(testPayloadKey);
export const testDataConverter = encryptedDataConverter(testCodec);
