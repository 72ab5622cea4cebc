// The payload key of the committed encrypted histories (test/fixtures/histories/v4-*): a test fixture,
// not a secret. record-histories.ts seals with it; replay.test.ts opens with it.
import { EncryptionCodec, encryptedDataConverter } from '../../config/payload-codec.ts';

export const fixturePayloadKey = Buffer.from(
  '6f7576696469f3722d66697874757265732d6e6f742d612d7365637265742121',
  'hex',
);
export const fixtureCodec = new EncryptionCodec(fixturePayloadKey);
export const fixtureDataConverter = encryptedDataConverter(fixtureCodec);
